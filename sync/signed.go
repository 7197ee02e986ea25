package sync

import (
	"bytes"
	"context"
	"danvan/internal/domain"

	"aead.dev/minisign"
)

// parseSignature reads a .minisig member strictly: minisign's text form,
// the prehashed algorithm, our untrusted comment, and nothing else, so
// that no byte of the file escapes the canonical check.
func parseSignature(name string, b []byte) (minisign.Signature, error) {
	var sig minisign.Signature
	if err := checkText(name, b); err != nil {
		return sig, err
	}
	if err := sig.UnmarshalText(b); err != nil {
		return sig, fail(ProblemBadSignature, name, "not a minisign signature", err)
	}
	if sig.Algorithm != minisign.HashEdDSA {
		return sig, fail(ProblemBadSignature, name, "not a prehashed (ED) signature", nil)
	}
	if sig.UntrustedComment != untrustedComment(KeyID(sig.KeyID)) {
		return sig, fail(ProblemNotCanonical, name, "untrusted comment", nil)
	}
	canon, err := sig.MarshalText()
	if err != nil || !bytes.Equal(canon, b) {
		return sig, fail(ProblemNotCanonical, name, "", err)
	}
	return sig, nil
}

// verifySignature checks sig over msg with the key whose minisign base64 is
// pub, and that its trusted comment is exactly want.
func verifySignature(name string, pubB64 string, msg, sigText []byte, sig minisign.Signature, want string) error {
	pub, err := ParsePublicKey(pubB64)
	if err != nil {
		return err
	}
	if pub.ID() != sig.KeyID {
		return fail(ProblemWrongKey, name, "", nil)
	}
	if !minisign.Verify(pub, msg, sigText) {
		return fail(ProblemBadSignature, name, "", nil)
	}
	if sig.TrustedComment != want {
		return fail(ProblemBadSignature, name, "trusted comment does not match the signed document", nil)
	}
	return nil
}

// verifySignedBy checks the signature member sigName (sigText) of doc: by
// keyID, the key the document names, which must be one enrolled here for
// office (current or rotated), with the trusted comment want. Receipts,
// settings files and forwarding batches are checked alike.
func verifySignedBy(ctx context.Context, trust Trust, office domain.Office, keyID, sigName string, doc, sigText []byte, want string) error {
	keys, err := trust.OfficeKeys(ctx, office.ID)
	if err != nil {
		return err
	}
	sig, err := parseSignature(sigName, sigText)
	if err != nil {
		return err
	}
	if KeyID(sig.KeyID) != keyID {
		return fail(ProblemWrongKey, sigName, "the signature's key is not the document's", nil)
	}
	for _, k := range keys {
		if k.KeyID == keyID {
			return verifySignature(sigName, k.PublicKey, doc, sigText, sig, want)
		}
	}
	return &Error{Problem: ProblemWrongKey, Member: sigName, Args: map[string]any{"Office": office.Code}}
}
