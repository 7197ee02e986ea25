package report

import (
	"strings"
	"testing"
)

const (
	hashA = "b8d931479129258c1d02ac24076930e026a8cfe3b9bae3a453a2f87bfe90eae5"
	hashB = "7ffd4149403d155a47781746ef5c437443b9b57eb11242addb0b6e3525e7f0b8"
)

// What is printed reads back as what was stamped, for both kinds.
func TestQRPayloadRoundTrip(t *testing.T) {
	for _, s := range []Stamp{
		{OfficeCode: "SH", Period: "2024-Q1", SHA256: hashA, FileSHA256: hashB, FromBatch: true},
		{OfficeCode: "SH", Period: "2024-Q1", SHA256: hashA, FromBatch: true}, // sent before file hashes were kept
		{OfficeCode: "BDVTL", Period: "2023-04-15..2024-04-14", SHA256: hashB},
		{OfficeCode: "SH", Period: "2024", SHA256: hashA},
	} {
		q, err := ParseQR(s.payload())
		if err != nil {
			t.Fatalf("%s: %v", s.payload(), err)
		}
		if q.Office != s.OfficeCode || q.Period != s.Period || q.SHA256 != s.SHA256 || q.FileHash != s.FileSHA256 || q.FromBatch != s.FromBatch || !q.Known {
			t.Errorf("%s read as %+v", s.payload(), q)
		}
	}
}

func TestParseQR(t *testing.T) {
	for _, tc := range []struct {
		text string
		ok   bool
		want QRCode
	}{
		{"DANVAN1;SH;2024-Q1;" + hashA, true, QRCode{Office: "SH", Period: "2024-Q1", SHA256: hashA}},
		{"  DANVAN2;SH;2024-Y;D;" + strings.ToUpper(hashA) + "\n", true, QRCode{Office: "SH", Period: "2024-Y", SHA256: hashA, Known: true}},
		{"QR-Code:DANVAN2;SH;2024-Y;B;" + hashA + ";" + hashB, true, QRCode{Office: "SH", Period: "2024-Y", SHA256: hashA, FileHash: hashB, FromBatch: true, Known: true}},
		{"DANVAN2;SH;2024-Y;B;" + hashA, false, QRCode{}},               // B needs the file's field, even empty
		{"DANVAN2;SH;2024-Y;D;" + hashA + ";" + hashB, false, QRCode{}}, // D has one hash
		{"DANVAN2;SH;2024-Y;X;" + hashA, false, QRCode{}},
		{"DANVAN2;SH;2024-Y;D;" + hashA[:63], false, QRCode{}},
		{"DANVAN2;SH;2024-Y;D;" + hashA[:63] + "g", false, QRCode{}},
		{"DANVAN2;S\x1bH;2024-Y;D;" + hashA, false, QRCode{}},
		{"DANVAN2;;2024-Y;D;" + hashA, false, QRCode{}},
		{"DANVAN2;SH;2024 Y;D;" + hashA, false, QRCode{}},
		{"DANVAN3;SH;2024-Y;D;" + hashA, false, QRCode{}},
		{"https://example.com/?q=DANVAN2", false, QRCode{}},
		{strings.Repeat("DANVAN2;", 200), false, QRCode{}},
		{"", false, QRCode{}},
	} {
		got, err := ParseQR(tc.text)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseQR(%q) = %+v, %v", tc.text, got, err)
		}
	}
}

// FuzzParseQR: QR text comes from a phone, a scanner or a person typing:
// never a panic, and what is accepted is plain ASCII that prints back the
// same.
func FuzzParseQR(f *testing.F) {
	f.Add("DANVAN2;SH;2024-Q1;B;" + hashA + ";" + hashB)
	f.Add("DANVAN2;SH;2024-Q1;D;" + hashA)
	f.Add("DANVAN1;SH;2024-Q1;" + hashA)
	f.Add("DANVAN2;;;;;")
	f.Fuzz(func(t *testing.T, text string) {
		q, err := ParseQR(text)
		if err != nil {
			return
		}
		for _, s := range []string{q.Office, q.Period, q.SHA256, q.FileHash} {
			for i := 0; i < len(s); i++ {
				if s[i] < 0x21 || s[i] > 0x7e || s[i] == ';' {
					t.Fatalf("accepted %q with a part %q", text, s)
				}
			}
		}
		if q.Known {
			again, err := ParseQR(Stamp{OfficeCode: q.Office, Period: q.Period, SHA256: q.SHA256, FileSHA256: q.FileHash, FromBatch: q.FromBatch}.payload())
			if err != nil || again != q {
				t.Fatalf("%q → %+v does not print back: %+v %v", text, q, again, err)
			}
		}
	})
}
