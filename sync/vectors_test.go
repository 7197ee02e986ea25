package sync

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"danvan/internal/domain"
	"flag"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"danvan/store"
)

// Test vectors, in the style of age's testkit: each file under
// testdata/vectors is a header of "key: value" lines, an empty line, and
// the batch file's bytes. The header says what the verifier must answer
// (expect), which offices are enrolled and with which key (office), and
// which batches of theirs are already known (known), and for an encrypted
// batch the collecting office's age identity that opens it (identity; a
// test secret, made from a fixed seed like everything else here).
//
// Regenerate with: go test ./sync -run TestGenerateVectors -update
var update = flag.Bool("update", false, "rewrite the test vectors under testdata/vectors")

const vectorDir = "testdata/vectors"

// vectorOffice is SH, the office every vector is about; its id and key are
// fixed so that the vectors come out the same each time.
var (
	vecOfficeID = "5d6c8e8a-0f1b-4c3e-9a7d-2b4f6e8a1c30"
	vecOtherID  = "9b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
	vecColID    = "3e7a1c52-6b0d-4f19-8c2e-5a9d7b3f1e04" // the collecting office reading the vectors (HTL)
	vecBTGID    = "7c2d9e41-0a3b-4d5c-9e6f-1b2c3d4e5f60" // another collecting office of SH
	vecNow      = time.Date(2026, 1, 5, 2, 30, 0, 0, time.UTC)
)

// modelFields fills a model record's data columns: "" or 0 unless given.
func modelFields(set map[string]any) []any {
	k, ok := store.SyncKindOf("model")
	if !ok {
		panic("no model kind registered")
	}
	ints := map[string]bool{"year": true, "budget": true, "workdays": true, "households": true, "people": true}
	out := make([]any, len(k.Fields))
	for i, f := range k.Fields {
		switch v, ok := set[f]; {
		case ok:
			out[i] = v
		case ints[f]:
			out[i] = int64(0)
		default:
			out[i] = ""
		}
	}
	return out
}

func vecRecords(owner string) []store.SyncRecord {
	m := func(id, name string, rev int64) store.SyncRecord {
		return store.SyncRecord{Kind: "model", ID: id, Owner: owner, Revision: rev,
			CreatedAt: "2025-11-02T08:15:00.000000Z", UpdatedAt: "2026-01-04T09:00:00.000000Z", UpdatedBy: "canbo",
			Fields: modelFields(map[string]any{"kind": "model", "name": name, "field": "economy", "year": int64(2025),
				"body": "farmers_union", "location": "xóm Bưa", "person_name": "Bùi Văn Thắng", "status": "registered", "budget": int64(150000000)})}
	}
	del := store.SyncRecord{Kind: "model", ID: "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f", Owner: owner, Revision: 4,
		UpdatedAt: "2026-01-04T10:00:00.000000Z", UpdatedBy: "lanhdao", DeletedAt: "2026-01-04T10:00:00.000000Z"}
	return []store.SyncRecord{
		m("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "Nuôi cá lồng trên sông Đà", 2),
		m("b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", "Trồng bưởi đỏ", 1),
		del,
	}
}

// vecPlanTo is batch 1 addressed to HTL (danvan-batch/3).
func vecPlanTo(recs []store.SyncRecord, sg *Signer, col *age.X25519Identity) store.ExportPlan {
	p := vecPlan(1, "", recs, sg)
	p.Recipients = []string{col.Recipient().String()}
	p.Dest = store.Destination{Office: domain.Office{ID: vecColID, Code: "HTL", Name: "Ban Tuyên giáo và Dân vận Tỉnh ủy"}}
	return p
}

func vecPlan(seq int64, prev string, recs []store.SyncRecord, sg *Signer) store.ExportPlan {
	return store.ExportPlan{
		Office: domain.Office{ID: vecOfficeID, Code: "SH", Name: "UBND xã Suối Hoa"},
		Key:    store.KeyMaterial{KeyID: sg.KeyID(), PublicKey: sg.PublicKey()},
		Seq:    seq, PrevSHA256: prev, Records: recs,
	}
}

// vector is one test vector before it is written.
type vector struct {
	name     string
	expect   string
	comment  string
	known    []store.ChainLink
	data     []byte
	identity string // the collecting office's age identity, for an encrypted batch
	self     string // "<id> <code>": the office reading the vector, for a batch addressed to one
}

// rawMembers is a batch's members as the writer makes them, for tampering.
func rawMembers(t *testing.T, plan store.ExportPlan, sg *Signer) (*Manifest, map[string][]byte) {
	data, m, err := BuildBatch(plan, sg, vecNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	members, err := readZip(data, batchMembers, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return m, members
}

func zipOf(t *testing.T, names []string, members map[string][]byte) []byte {
	var list []member
	for _, n := range names {
		list = append(list, member{n, members[n]})
	}
	b, err := writeZip(list)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func copyMembers(m map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = append([]byte(nil), v...)
	}
	return out
}

// resign writes a new manifest (after change) and signs it with sg.
func resign(t *testing.T, m Manifest, members map[string][]byte, sg *Signer, change func(*Manifest, map[string][]byte)) []byte {
	members = copyMembers(members)
	if change != nil {
		change(&m, members)
	}
	m.Members = nil
	for _, n := range dataMembers {
		m.Members = append(m.Members, MemberInfo{Name: n, Size: int64(len(members[n])), SHA256: SHA256Hex(members[n])})
	}
	b, err := assemble(&m, members, sg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func makeVectors(t *testing.T) []vector {
	_, sg := mustKey(t, "vector key of SH")
	_, thief := mustKey(t, "vector key of a thief")
	recs := vecRecords(vecOfficeID)
	valid, _, err := BuildBatch(vecPlan(1, "", recs, sg), sg, vecNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, members := rawMembers(t, vecPlan(1, "", recs, sg), sg)
	validSHA := SHA256Hex(valid)
	prev := strings.Repeat("ab", 32)
	seq3, _, _ := BuildBatch(vecPlan(3, prev, recs, sg), sg, vecNow, nil)
	var vs []vector
	add := func(name, expect, comment string, data []byte, known ...store.ChainLink) {
		vs = append(vs, vector{name: name, expect: expect, comment: comment, known: known, data: data})
	}
	add("valid", "success", "a first batch: two models and a deletion", valid)
	add("valid_next", "success", "batch 3, with 1 and 2 received and 2's hash named",
		seq3, store.ChainLink{Seq: 1, SHA256: strings.Repeat("cd", 32)}, store.ChainLink{Seq: 2, SHA256: prev, PrevSHA256: strings.Repeat("cd", 32)})
	add("gap", "gap", "batch 3 when nothing was received: 1 and 2 are missing", seq3)
	add("replay", "replay", "the same batch 1 again", valid, store.ChainLink{Seq: 1, SHA256: validSHA})
	add("fork_same_seq", "fork", "another file already received as batch 1", valid, store.ChainLink{Seq: 1, SHA256: strings.Repeat("ef", 32)})
	add("fork_prev", "fork", "batch 3 names a prev_sha256 that is not batch 2's hash", seq3,
		store.ChainLink{Seq: 1, SHA256: strings.Repeat("cd", 32)}, store.ChainLink{Seq: 2, SHA256: strings.Repeat("01", 32), PrevSHA256: strings.Repeat("cd", 32)})

	// The manifest changed after signing.
	mb := bytes.Replace(members[ManifestName], []byte(`"seq": 1`), []byte(`"seq": 2`), 1)
	mb = bytes.Replace(mb, []byte(`"prev_sha256": ""`), []byte(`"prev_sha256": "`+prev+`"`), 1)
	tm := copyMembers(members)
	tm[ManifestName] = mb
	add("bad_signature", "bad_signature", "manifest.json edited after signing (seq 1 → 2)", zipOf(t, batchMembers, tm))
	// A signature whose trusted comment names another seq.
	tm = copyMembers(members)
	tm[SignatureName] = sg.signText(members[ManifestName], strings.Replace(m.trustedComment(SHA256Hex(members[ManifestName])), "seq:1", "seq:9", 1))
	add("bad_comment", "bad_signature", "a valid signature whose trusted comment says seq 9", zipOf(t, batchMembers, tm))
	// A record member changed after signing.
	tm = copyMembers(members)
	tm[ModelsName] = bytes.Replace(tm[ModelsName], []byte("150000000"), []byte("950000000"), 1)
	add("bad_hash", "bad_hash", "models.jsonl edited after signing (budget 150.000.000 → 950.000.000)", zipOf(t, batchMembers, tm))
	// Signed by a key not enrolled for SH.
	thiefPlan := vecPlan(1, "", recs, thief)
	forged, _, _ := BuildBatch(thiefPlan, thief, vecNow, nil)
	add("wrong_key", "wrong_key", "a well-formed batch for SH signed by another key", forged)
	// SH's key id in the manifest, a thief's signature.
	tm = copyMembers(members)
	tm[SignatureName] = thief.signText(members[ManifestName], m.trustedComment(SHA256Hex(members[ManifestName])))
	add("wrong_key_swapped", "wrong_key", "SH's manifest signed by another key", zipOf(t, batchMembers, tm))
	add("truncated", "malformed", "the first half of a valid batch", valid[:len(valid)/2])
	add("truncated_end", "malformed", "a valid batch without its last 10 bytes", valid[:len(valid)-10])
	tm = copyMembers(members)
	tm["notes.txt"] = []byte("ghi chú\n")
	add("extra_member", "extra_member", "a valid batch with notes.txt added", zipOf(t, append(append([]string{}, batchMembers...), "notes.txt"), tm))
	tm = copyMembers(members)
	tm["../../.bashrc"] = []byte("echo pwned\n")
	add("zip_slip", "unsafe_name", "a member named ../../.bashrc", zipOf(t, append([]string{"../../.bashrc"}, batchMembers...), tm))
	tm = copyMembers(members)
	tm["/etc/cron.d/x"] = []byte("* * * * * root x\n")
	add("absolute_name", "unsafe_name", "a member named /etc/cron.d/x", zipOf(t, append([]string{"/etc/cron.d/x"}, batchMembers...), tm))
	add("duplicate_member", "duplicate", "manifest.json twice", zipOf(t, append([]string{ManifestName}, batchMembers...), members))
	add("missing_member", "missing_member", "deletions.jsonl left out", zipOf(t, []string{ManifestName, ModelsName, FieldsName, PeriodsName, TalliesName, SignatureName}, members))
	add("oversize", "too_large", "models.jsonl declares 1 TiB uncompressed (a zip bomb's header)", lyingSize(t, members, ModelsName, 1<<40))
	add("deflated", "not_canonical", "models.jsonl compressed with deflate", deflated(t, members, ModelsName))
	add("zip_comment", "not_canonical", "a zip comment added", withComment(t, valid))

	nfd := vecRecords(vecOfficeID)
	nfd[1].Fields = modelFields(map[string]any{"kind": "model", "name": "Tro\u0302\u0300ng bu\u031bo\u031b\u0309i đo\u0309", "field": "economy", "year": int64(2025), "status": "registered"})
	add("non_nfc", "not_nfc", "a model name in NFD (decomposed), properly signed", resign(t, *m, members, sg, func(_ *Manifest, mm map[string][]byte) {
		b, _ := appendRecord(nil, mustKind("model"), nfd[0])
		b, _ = appendRecord(b, mustKind("model"), nfd[1])
		mm[ModelsName] = b
	}))
	add("invalid_utf8", "encoding", "a byte 0xff inside a name, properly signed", resign(t, *m, members, sg, func(_ *Manifest, mm map[string][]byte) {
		mm[ModelsName] = bytes.Replace(mm[ModelsName], []byte("bưởi"), []byte("b\xffi"), 1)
	}))
	add("unknown_version", "version", "format danvan-batch/4, properly signed", resign(t, *m, members, sg, func(mf *Manifest, _ map[string][]byte) {
		mf.Format = "danvan-batch/4"
	}))
	add("unknown_field", "unknown_field", "a model line with a field \"secret\", properly signed", resign(t, *m, members, sg, func(_ *Manifest, mm map[string][]byte) {
		mm[ModelsName] = bytes.Replace(mm[ModelsName], []byte(`"fields":{`), []byte(`"fields":{"secret":"x",`), 1)
	}))
	add("foreign_record", "foreign_record", "a model owned by another office, properly signed", resign(t, *m, members, sg, func(mf *Manifest, mm map[string][]byte) {
		other := vecRecords(vecOtherID)
		b, _ := appendRecord(nil, mustKind("model"), recs[0])
		b, _ = appendRecord(b, mustKind("model"), other[1])
		mm[ModelsName] = b
	}))
	add("duplicate_record", "duplicate", "the same model twice, properly signed", resign(t, *m, members, sg, func(mf *Manifest, mm map[string][]byte) {
		b, _ := appendRecord(nil, mustKind("model"), recs[0])
		b, _ = appendRecord(b, mustKind("model"), recs[0])
		mm[ModelsName] = b
	}))
	add("counts", "bad_field", "manifest counts say 3 models where there are 2, properly signed", resign(t, *m, members, sg, func(mf *Manifest, _ map[string][]byte) {
		mf.Counts.Models = 3
	}))
	otherOffice := vecPlan(1, "", vecRecords(vecOtherID), sg)
	otherOffice.Office = domain.Office{ID: vecOtherID, Code: "PV", Name: "UBND xã Phú Vinh"}
	unknown, _, _ := BuildBatch(otherOffice, sg, vecNow, nil)
	add("unknown_office", "unknown_office", "a batch from PV, which is not enrolled", unknown)
	enr, err := BuildEnrollment(domain.Office{ID: vecOfficeID, Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		[]store.OfficeKey{{KeyID: sg.KeyID(), PublicKey: sg.PublicKey()}}, sg, vecNow)
	if err != nil {
		t.Fatal(err)
	}
	add("enrollment_file", "other_kind", "SH's enrollment file given as a batch", enr)

	// danvan-batch/2: the signed zip, encrypted with age to the collecting
	// office. age draws its file key and ephemeral share from crypto/rand,
	// made deterministic here so that the vectors come out the same.
	cryptotest.SetGlobalRandom(t, 16)
	col, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	encPlan := vecPlan(1, "", recs, sg)
	encPlan.Recipients = []string{col.Recipient().String()}
	inner, _, err := BuildBatch(encPlan, sg, vecNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealTo := func(data []byte, r *age.X25519Identity) []byte {
		b, err := seal(data, []string{r.Recipient().String()})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	addEnc := func(name, expect, comment string, data []byte) {
		vs = append(vs, vector{name: name, expect: expect, comment: comment, data: data, identity: col.String()})
	}
	sealed := sealTo(inner, col)
	addEnc("encrypted", "success", "danvan-batch/2: batch 1 signed by SH, then encrypted to the collecting office", sealed)
	var armored bytes.Buffer
	aw := armor.NewWriter(&armored)
	aw.Write(sealed)
	aw.Close()
	addEnc("encrypted_armored", "success", "the same batch in age's ASCII armour (age -a), as some mail programs need", armored.Bytes())
	vs = append(vs, vector{name: "encrypted_locked", expect: "need_key", comment: "an encrypted batch read without the collecting office's key", data: sealed})
	addEnc("encrypted_other_office", "not_for_us", "a valid batch encrypted to another office's recipient", sealTo(inner, other))
	addEnc("encrypted_truncated", "undecryptable", "the first half of an encrypted batch", sealed[:len(sealed)/2])
	addEnc("encrypted_truncated_end", "undecryptable", "an encrypted batch without its last 10 bytes", sealed[:len(sealed)-10])
	flipped := append([]byte(nil), sealed...)
	flipped[len(flipped)-100] ^= 1
	addEnc("encrypted_tampered", "undecryptable", "one bit of the ciphertext changed", flipped)
	addEnc("encrypted_in_clear", "plaintext", "the danvan-batch/2 zip taken out of its encryption", inner)
	addEnc("encrypted_clear_inside", "version", "a danvan-batch/1 zip encrypted (the version must say it is encrypted)", sealTo(valid, col))
	im, imembers := rawMembers(t, encPlan, sg)
	tm = copyMembers(imembers)
	tm[ModelsName] = bytes.Replace(tm[ModelsName], []byte("150000000"), []byte("950000000"), 1)
	addEnc("encrypted_bad_hash", "bad_hash", "models.jsonl edited after signing, then encrypted", sealTo(zipOf(t, batchMembers, tm), col))
	tm = copyMembers(imembers)
	tm[SignatureName] = thief.signText(imembers[ManifestName], im.trustedComment(SHA256Hex(imembers[ManifestName])))
	addEnc("encrypted_wrong_key", "wrong_key", "SH's manifest signed by another key, encrypted to the collecting office: age proves nothing of the sender", sealTo(zipOf(t, batchMembers, tm), col))

	// danvan-batch/3: addressed to one of SH's destinations (issue 28).
	addressed := func(id, code, name string) []byte {
		p := vecPlan(1, "", recs, sg)
		p.Recipients = []string{col.Recipient().String()}
		p.Dest = store.Destination{Office: domain.Office{ID: id, Code: code, Name: name}}
		b, _, err := BuildBatch(p, sg, vecNow, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	addTo := func(name, expect, comment string, data []byte) {
		vs = append(vs, vector{name: name, expect: expect, comment: comment, data: data, identity: col.String(), self: vecColID + " HTL"})
	}
	toHTL := addressed(vecColID, "HTL", "Ban Tuyên giáo và Dân vận Tỉnh ủy")
	addTo("addressed", "success", "danvan-batch/3: batch 1 of SH's chain to HTL, addressed to HTL and encrypted to it", sealTo(toHTL, col))
	addTo("addressed_elsewhere", "addressed_elsewhere", "danvan-batch/3 addressed to BTG, another office SH reports to, encrypted to HTL's key", sealTo(addressed(vecBTGID, "BTG", "Văn phòng UBND tỉnh"), col))
	addTo("addressed_in_clear", "plaintext", "the danvan-batch/3 zip taken out of its encryption", toHTL)
	am, amembers := rawMembers(t, vecPlanTo(recs, sg, col), sg)
	addTo("addressed_without_to", "bad_field", "a danvan-batch/3 manifest with its \"to\" removed, properly signed, encrypted", sealTo(resign(t, *am, amembers, sg, func(mf *Manifest, _ map[string][]byte) {
		mf.To = nil
	}), col))
	return vs
}

func mustKind(name string) store.SyncKind {
	k, _ := store.SyncKindOf(name)
	return k
}

// lyingSize zips members with one member's declared size replaced.
func lyingSize(t *testing.T, members map[string][]byte, name string, size uint64) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range batchMembers {
		d := members[n]
		//lint:ignore SA1019 the canonical layout's DOS date, as the writer sets it
		fh := &zip.FileHeader{Name: n, Method: zip.Store, ModifiedDate: zipDate, CRC32: crc32.ChecksumIEEE(d),
			CompressedSize64: uint64(len(d)), UncompressedSize64: uint64(len(d))}
		if n == name {
			fh.UncompressedSize64 = size
		}
		w, _ := zw.CreateRaw(fh)
		w.Write(d)
	}
	zw.Close()
	return buf.Bytes()
}

func deflated(t *testing.T, members map[string][]byte, name string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range batchMembers {
		method := zip.Store
		if n == name {
			method = zip.Deflate
		}
		//lint:ignore SA1019 the canonical layout's DOS date, as the writer sets it
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: method, ModifiedDate: zipDate})
		w.Write(members[n])
	}
	zw.Close()
	return buf.Bytes()
}

func withComment(t *testing.T, data []byte) []byte {
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.CreateRaw(&f.FileHeader)
		r, _ := f.OpenRaw()
		b := new(bytes.Buffer)
		b.ReadFrom(r)
		w.Write(b.Bytes())
	}
	zw.SetComment("sửa")
	zw.Close()
	return buf.Bytes()
}

func TestGenerateVectors(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the vectors")
	}
	_, sg := mustKey(t, "vector key of SH")
	os.RemoveAll(vectorDir)
	os.MkdirAll(vectorDir, 0o755)
	for _, v := range makeVectors(t) {
		var b bytes.Buffer
		fmt.Fprintf(&b, "expect: %s\n", v.expect)
		fmt.Fprintf(&b, "office: %s SH %s\n", vecOfficeID, sg.PublicKey())
		for _, k := range v.known {
			fmt.Fprintf(&b, "known: %d %s %s\n", k.Seq, k.SHA256, orDash(k.PrevSHA256))
		}
		if v.identity != "" {
			fmt.Fprintf(&b, "identity: %s\n", v.identity)
		}
		if v.self != "" {
			fmt.Fprintf(&b, "self: %s\n", v.self)
		}
		fmt.Fprintf(&b, "comment: %s\n\n", v.comment)
		b.Write(v.data)
		if err := os.WriteFile(filepath.Join(vectorDir, v.name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// vecTrust is the enrolled offices of a vector's header; the reading
// office itself (header "self") is the one without a public key.
type vecTrust map[string]store.OfficeKey

func (v vecTrust) Office(_ context.Context, id string) (domain.Office, error) {
	if k, ok := v[id]; ok {
		return domain.Office{ID: id, Code: k.RotationSig, Name: "vector office", Self: k.PublicKey == ""}, nil
	}
	return domain.Office{}, store.ErrNotFound
}

func (v vecTrust) OfficeKeys(_ context.Context, id string) ([]store.OfficeKey, error) {
	if k, ok := v[id]; ok {
		return []store.OfficeKey{k}, nil
	}
	return nil, store.ErrNotFound
}

// parseVector splits a vector file into its header and the batch bytes.
// trust carries the header's identity, when it has one.
func parseVector(t testing.TB, raw []byte) (expect string, trust Trust, known []store.ChainLink, data []byte) {
	offices := vecTrust{}
	trust = offices
	r := bufio.NewReader(bytes.NewReader(raw))
	n := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("header: %v", err)
		}
		n += len(line)
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			break
		}
		key, val, _ := strings.Cut(line, ": ")
		f := strings.Fields(val)
		switch key {
		case "expect":
			expect = val
		case "office":
			pk, err := ParsePublicKey(f[2])
			if err != nil {
				t.Fatal(err)
			}
			offices[f[0]] = store.OfficeKey{KeyID: KeyID(pk.ID()), PublicKey: f[2], RotationSig: f[1]}
		case "self":
			offices[f[0]] = store.OfficeKey{RotationSig: f[1]}
		case "identity":
			id, err := age.ParseX25519Identity(val)
			if err != nil {
				t.Fatal(err)
			}
			trust = WithKey(offices, &Signer{identity: id})
		case "known":
			seq, _ := strconv.ParseInt(f[0], 10, 64)
			prev := f[2]
			if prev == "-" {
				prev = ""
			}
			known = append(known, store.ChainLink{Seq: seq, SHA256: f[1], PrevSHA256: prev})
		}
	}
	return expect, trust, known, raw[n:]
}

// verdict is what the verifier says about a batch, in a vector's terms.
func verdict(ctx context.Context, trust Trust, known []store.ChainLink, data []byte) (string, *Batch) {
	b, err := ReadBatch(ctx, trust, "v.zip", data, DefaultLimits)
	if err != nil {
		if p := ProblemOf(err); p != "" {
			return string(p), b
		}
		return "error: " + err.Error(), b
	}
	switch st := store.ChainPosition(known, b.Link()); st.State {
	case store.ChainNext:
		return "success", b
	default:
		return string(st.State), b
	}
}

func TestVectors(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(vectorDir, "*"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no vectors in %s (%v)", vectorDir, err)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			raw, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			expect, trust, known, data := parseVector(t, raw)
			seen[expect] = true
			got, _ := verdict(context.Background(), trust, known, data)
			if got != expect {
				t.Errorf("verifier says %q, vector expects %q", got, expect)
			}
		})
	}
	for _, must := range []string{"success", "bad_signature", "bad_hash", "wrong_key", "malformed", "extra_member", "unsafe_name",
		"too_large", "not_nfc", "version", "fork", "gap", "replay", "foreign_record", "unknown_field", "unknown_office",
		"need_key", "not_for_us", "undecryptable", "plaintext", "addressed_elsewhere"} {
		if !seen[must] {
			t.Errorf("no vector expects %q", must)
		}
	}
}

// TestVectorsUpToDate: the committed vectors are what the generator makes
// now, so a change to the writer cannot slip by unnoticed.
func TestVectorsUpToDate(t *testing.T) {
	for _, v := range makeVectors(t) {
		raw, err := os.ReadFile(filepath.Join(vectorDir, v.name))
		if err != nil {
			t.Errorf("%s: %v (run go test ./sync -run TestGenerateVectors -update)", v.name, err)
			continue
		}
		_, _, _, data := parseVector(t, raw)
		if !bytes.Equal(data, v.data) {
			t.Errorf("%s: the committed vector differs from what the writer makes now", v.name)
		}
	}
}
