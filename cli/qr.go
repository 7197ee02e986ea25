package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"danvan/internal/i18n"
	reports "danvan/report"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	Register(Command{Group: "qr", Sub: "check", HelpKey: "qr.cli.cmd", Run: runQRCheck})
}

// qr check TEXT [FILE...]: does a printout's QR code (docs/ma-qr.md) match
// a batch file, or, without files, what the data folder holds: a batch it
// sent or received, or the figures its reports print now. Exit 0 when it
// matches, 1 when it does not.
func runQRCheck(ctx context.Context, e *Env, _ *store.Store, args []string) error {
	fs := Flags("qr check")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 {
		return usage("qr.cli.usage", nil)
	}
	q, err := reports.ParseQR(pos[0])
	if err != nil {
		return err
	}
	hash := reports.ShortHash(q.SHA256)
	switch {
	case !q.Known:
		e.Printf("qr.cli.v1_code", i18n.Args{"Office": q.Office, "Period": q.Period, "Hash": hash})
	case q.FromBatch:
		e.Printf("qr.cli.batch_code", i18n.Args{"Office": q.Office, "Period": q.Period, "Hash": hash})
	default:
		e.Printf("qr.cli.data_code", i18n.Args{"Office": q.Office, "Period": q.Period, "Hash": hash})
	}
	if files := pos[1:]; len(files) > 0 {
		return qrCheckFiles(e, q, files)
	}
	st, err := store.OpenDeferred(ctx, e.DataDir)
	st, err = orReadOnly(ctx, e, st, err)
	if err != nil {
		return err
	}
	defer st.Close()
	if ok, err := st.IsSetUp(ctx); err != nil {
		return err
	} else if !ok {
		return store.ErrNotSetUp
	}
	return qrCheckFolder(ctx, e, st, q)
}

// qrCheckFiles hashes each file: the file the commune sent (its outbox's
// .zip.age), or the signed zip itself (what a collecting office decrypts,
// or a batch sent in clear).
func qrCheckFiles(e *Env, q reports.QRCode, files []string) error {
	if q.Known && !q.FromBatch {
		e.Warnf("qr.cli.file_for_data")
		return &RuleError{Count: 1}
	}
	failed := 0
	for _, f := range files {
		sum, err := fileSHA256(f)
		if err != nil {
			return err
		}
		name := filepath.Base(f)
		switch {
		case q.FileHash != "" && sum == q.FileHash:
			e.Printf("qr.cli.file_match_sent", i18n.Args{"File": name, "Hash": reports.ShortHash(sum)})
		case sum == q.SHA256:
			e.Printf("qr.cli.file_match_batch", i18n.Args{"File": name, "Hash": reports.ShortHash(sum)})
		default:
			failed++
			e.Printf("qr.cli.file_nomatch", i18n.Args{"File": name, "Hash": reports.ShortHash(sum)})
		}
	}
	if failed > 0 {
		return &RuleError{Count: failed}
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// qrCheckFolder looks for the code's batch among those the folder sent or
// received, and for its figures among the reports the folder prints now.
func qrCheckFolder(ctx context.Context, e *Env, st *store.Store, q reports.QRCode) error {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return err
	}
	if !strings.EqualFold(self.Code, q.Office) {
		e.Printf("qr.cli.other_office", i18n.Args{"Office": q.Office, "Self": self.Code})
	}
	matched := false
	if q.FromBatch || !q.Known {
		found, err := st.BatchesByHash(ctx, q.SHA256)
		if err != nil {
			return err
		}
		if len(found) == 0 && q.FileHash != "" {
			if found, err = st.BatchesByHash(ctx, q.FileHash); err != nil {
				return err
			}
		}
		for _, b := range found {
			matched = true
			if !b.Sent {
				e.Printf("qr.cli.folder_received", i18n.Args{"Seq": b.Seq, "Office": b.OfficeCode, "Name": b.OfficeName,
					"Date": vn.FormatDate(b.At), "File": b.FileName})
				continue
			}
			e.Printf("qr.cli.folder_sent", i18n.Args{"Seq": b.Seq, "File": b.FileName, "Date": vn.FormatDate(b.At)})
			// The file the commune holds: still in its outbox, unchanged?
			path := filepath.Join(e.DataDir, "outbox", b.FileName)
			sum, err := fileSHA256(path)
			switch {
			case err != nil:
				e.Printf("qr.cli.outbox_missing", i18n.Args{"Path": path})
			case sum == b.FileSHA256 || b.FileSHA256 == "" && sum == b.SHA256:
				e.Printf("qr.cli.outbox_same", i18n.Args{"Path": path})
			case b.FileSHA256 == "":
				e.Printf("qr.cli.outbox_unknown", i18n.Args{"Path": path})
			default:
				matched = false
				e.Printf("qr.cli.outbox_changed", i18n.Args{"Path": path, "Hash": reports.ShortHash(sum)})
			}
		}
		if len(found) == 0 && q.FromBatch {
			e.Printf("qr.cli.folder_no_batch")
		}
	}
	if !q.FromBatch {
		printed, err := reports.MatchFigures(ctx, st, q.Period, q.SHA256)
		if err != nil {
			return err
		}
		for _, p := range printed {
			matched = true
			name := i18n.T("report.kind." + string(p.Kind))
			if p.Request.Baseline > 0 {
				name += " " + i18n.T("qr.cli.with_baseline", i18n.Args{"Year": fmt.Sprint(p.Request.Baseline)})
			}
			e.Printf("qr.cli.folder_figures", i18n.Args{"Report": name, "Period": q.Period})
		}
		if len(printed) == 0 && !matched {
			e.Printf("qr.cli.folder_no_figures", i18n.Args{"Period": q.Period})
		}
	}
	if !matched {
		return &RuleError{Count: 1}
	}
	return nil
}
