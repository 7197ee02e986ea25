//lint:file-ignore SA1019 the canonical zip layout sets the DOS date fields on purpose (see writeZip)

package sync

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// member is one file inside a batch, enrollment or receipt zip.
type member struct {
	Name string
	Data []byte
}

// Limits bound what a reader accepts, so that a hostile file (a zip bomb, a
// member that claims terabytes) is refused before it is read.
type Limits struct {
	File   int64 // the zip file itself
	Member int64 // any one member, uncompressed
	Total  int64 // all members together, uncompressed
}

// DefaultLimits fit a full export of a large commune many times over: a
// record is about 1 KB, and 10.000 records make about 10 MB.
var DefaultLimits = Limits{File: 96 << 20, Member: 64 << 20, Total: 96 << 20}

// The zip fields the format fixes so that a writer is deterministic and a
// reader can demand the one canonical encoding: stored (no compression, so
// the bytes do not depend on a compressor's version), DOS time 1980-01-01
// 00:00, mode 0644, no extra fields, no comments.
const (
	zipDate = 0x21 // 1980-01-01
	zipTime = 0
)

// writeZip writes members in the given order in the canonical layout.
func writeZip(members []member) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		// The DOS date and time fields, not Modified: Modified adds an
		// extended-timestamp extra field, which the layout does not have.
		fh := &zip.FileHeader{
			Name:               m.Name,
			Method:             zip.Store,
			ModifiedDate:       zipDate,
			ModifiedTime:       zipTime,
			CRC32:              crc32.ChecksumIEEE(m.Data),
			CompressedSize64:   uint64(len(m.Data)),
			UncompressedSize64: uint64(len(m.Data)),
		}
		fh.SetMode(0o644)
		// "made by" Unix 2.0, "needed to extract" 2.0: what every unzip
		// (Windows Explorer included) expects of a stored member.
		fh.CreatorVersion = fh.CreatorVersion&0xff00 | 20
		fh.ReaderVersion = 20
		w, err := zw.CreateRaw(fh)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(m.Data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readZip reads a zip whose member names must be exactly want (in any
// order in the file, but each once), checking names and sizes before
// reading any data, and then checks that the file is byte for byte the
// canonical encoding of what it holds (members in the order of want).
// A flipped byte anywhere outside the members' data, where the manifest's
// hashes cannot see it, is therefore caught too.
func readZip(data []byte, want []string, lim Limits) (map[string][]byte, error) {
	if int64(len(data)) > lim.File {
		return nil, &Error{Problem: ProblemTooLarge, Detail: "file", Args: map[string]any{"Max": lim.File}}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if errors.Is(err, zip.ErrInsecurePath) {
		err = nil // checkName below says which member and why
	}
	if err != nil {
		return nil, fail(ProblemMalformed, "", "not a complete zip file", err)
	}
	if zr.Comment != "" {
		return nil, fail(ProblemNotCanonical, "", "zip comment", nil)
	}
	wanted := map[string]bool{}
	for _, n := range want {
		wanted[n] = true
	}
	seen := map[string]*zip.File{}
	var total uint64
	for _, f := range zr.File {
		if err := checkName(f.Name); err != nil {
			return nil, err
		}
		if seen[f.Name] != nil {
			return nil, fail(ProblemDuplicate, f.Name, "", nil)
		}
		if !wanted[f.Name] {
			return nil, fail(ProblemExtra, f.Name, "", nil)
		}
		seen[f.Name] = f
		if f.UncompressedSize64 > uint64(lim.Member) || f.CompressedSize64 > uint64(lim.Member) {
			return nil, &Error{Problem: ProblemTooLarge, Member: f.Name, Args: map[string]any{"Max": lim.Member}}
		}
		total += f.UncompressedSize64
		if total > uint64(lim.Total) {
			return nil, &Error{Problem: ProblemTooLarge, Member: f.Name, Args: map[string]any{"Max": lim.Total}}
		}
		if f.Method != zip.Store {
			return nil, fail(ProblemNotCanonical, f.Name, "compressed member", nil)
		}
	}
	for _, n := range want {
		if seen[n] == nil {
			return nil, fail(ProblemMissing, n, "", nil)
		}
	}
	out := make(map[string][]byte, len(want))
	members := make([]member, 0, len(want))
	for _, n := range want {
		f := seen[n]
		rc, err := f.Open()
		if err != nil {
			return nil, fail(ProblemMalformed, n, "", err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, lim.Member+1))
		rc.Close()
		if err != nil {
			return nil, fail(ProblemMalformed, n, "", err)
		}
		if int64(len(b)) > lim.Member {
			return nil, &Error{Problem: ProblemTooLarge, Member: n, Args: map[string]any{"Max": lim.Member}}
		}
		out[n] = b
		members = append(members, member{n, b})
	}
	canon, err := writeZip(members)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(canon, data) {
		return nil, fail(ProblemNotCanonical, "", "zip layout differs from the canonical one", nil)
	}
	return out, nil
}

// checkName refuses member names that could write outside the folder a
// person unzips into (zip slip), or that differ between systems.
func checkName(name string) error {
	bad := func(why string) error { return &Error{Problem: ProblemUnsafeName, Member: name, Detail: why} }
	switch {
	case !utf8.ValidString(name):
		return bad("not UTF-8")
	case name == "" || strings.HasPrefix(name, "/") || (len(name) > 1 && name[1] == ':'):
		return bad("absolute path")
	case strings.Contains(name, "\\"):
		return bad("backslash")
	case strings.ContainsRune(name, 0):
		return bad("NUL")
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." {
			return bad("dot segment")
		}
	}
	if path.Clean(name) != name {
		return bad("not clean")
	}
	return nil
}

// peekManifest returns manifest.json from a zip without any other check, so
// that its version can be read from a file in a format we do not know.
func peekManifest(data []byte, lim Limits) ([]byte, bool) {
	return peekMember(data, ManifestName, 1<<20)
}

// peekMember returns one member of a zip, at most max bytes, without any
// other check.
func peekMember(data []byte, name string, max int64) ([]byte, bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, false
	}
	for _, f := range zr.File {
		if f.Name != name || f.UncompressedSize64 > uint64(max) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, false
		}
		b, err := io.ReadAll(io.LimitReader(rc, max))
		rc.Close()
		return b, err == nil
	}
	return nil, false
}

// hasMember reports whether a zip has a member of that name.
func hasMember(data []byte, name string) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return false
	}
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}
