package report

import (
	"math"
	"time"
)

// Orientation is the page's orientation: A4 portrait, or landscape for wide
// tables (Nghị định 30 allows both).
type Orientation int

const (
	Portrait Orientation = iota
	Landscape
)

// Document is a whole printed document as plain values. Builders fill it;
// WritePDF lays it out, and WriteXLSX / WriteCSV take its tables.
type Document struct {
	Orientation Orientation
	Header      Header
	Kind        string   // document type, upper case: "BÁO CÁO", "DANH SÁCH"
	Subject     []string // trích yếu, one entry per printed line
	Subtitle    string   // an italic line under the subject, e.g. the period
	Blocks      []Block
	Signature   Signature
	Recipients  []string // "Nơi nhận", without the closing "Lưu: VT."
	Stamp       *Stamp   // the QR code that ties paper to data; nil for none
	Title       string   // the PDF's metadata title and the XLSX file's title
	FormCode    string   // a form's number printed above the header: "Biểu số 06/VPCP/KSTT"
}

// Header is the Decree 30 header block.
type Header struct {
	ParentBody string    // cơ quan chủ quản; printed upper case, not bold
	Issuer     string    // the issuing body; printed upper case, bold
	Number     int       // 0 leaves the number blank for the văn thư to fill
	Symbol     string    // ký hiệu after the number, e.g. "BC-UBND"
	Place      string    // địa danh of the date line
	Date       time.Time // the document's date
}

// Signature is the block at the bottom right: "TM. ỦY BAN NHÂN DÂN",
// "CHỦ TỊCH", then the signer's name under the space for the signature.
type Signature struct {
	Authority string
	Title     string
	Name      string
}

// Stamp is what the QR code holds: the office, the period, and the SHA-256
// of the data printed (or of the signed batch that carried it).
type Stamp struct {
	OfficeCode string
	Period     string
	SHA256     string // hex
	FileSHA256 string // hex, of the batch's file as sent; "" when not known
	FromBatch  bool   // the hash is a signed batch's, not the report data's
}

// Block is one part of a document's body.
type Block interface{ isBlock() }

// Paragraph is body text: justified, first line indented, unless Plain.
type Paragraph struct {
	Text   string
	Bold   bool
	Italic bool
	Plain  bool // no indent, left aligned (lists, notes)
	Size   float64
}

// Heading is a bold section heading such as "I. KẾT QUẢ".
type Heading struct{ Text string }

// TableBlock places a table.
type TableBlock struct{ Table *Table }

// BarChart draws horizontal bars, one per label.
type BarChart struct {
	Title  string
	Labels []string
	Values []int64
}

// PageBreak starts a new page.
type PageBreak struct{}

// QRBlock prints a QR code in the body (the enrollment page) with a caption.
type QRBlock struct {
	Content string
	Caption []string
	SizeMM  float64
}

func (Paragraph) isBlock()  {}
func (Heading) isBlock()    {}
func (TableBlock) isBlock() {}
func (BarChart) isBlock()   {}
func (PageBreak) isBlock()  {}
func (QRBlock) isBlock()    {}

// Tables returns the document's tables in order.
func (d *Document) Tables() []*Table {
	var out []*Table
	for _, b := range d.Blocks {
		if tb, ok := b.(TableBlock); ok && tb.Table != nil {
			out = append(out, tb.Table)
		}
	}
	return out
}

// Table is a grid that prints, and saves as XLSX and CSV, the same way.
type Table struct {
	Name     string // sheet name in XLSX
	Columns  []Column
	Groups   []HeaderGroup // spans in a first header row; may be empty
	Numbered bool          // print the column numbers "(1) (2) …" under the header
	Rows     []Row
	FontSize float64 // points; 0 means 11
	Notes    []string
	// NotesInCSV writes Notes after the rows of a CSV file too (a legend
	// a reader needs); otherwise a CSV holds the rows alone, for programs.
	NotesInCSV bool
}

// Column is one column. Width is relative: widths are scaled to the page.
type Column struct {
	Title string
	Width float64
	Align Align
}

// Align is a cell's horizontal alignment.
type Align int

const (
	Left Align = iota
	Center
	Right
)

// HeaderGroup spans columns First..Last (0-based, inclusive) in a header row
// above their own titles. Columns outside every group span both rows.
type HeaderGroup struct {
	Title       string
	First, Last int
}

// RowKind says how a row prints.
type RowKind int

const (
	RowData     RowKind = iota
	RowSection          // one bold line spanning the table: a group's title
	RowSubtotal         // bold
	RowTotal            // bold
)

// Row is one table row. A RowSection row has one cell.
type Row struct {
	Kind  RowKind
	Cells []Cell
}

// CellKind is what a cell holds, so that XLSX can write numbers as numbers.
type CellKind int

const (
	CellText CellKind = iota
	CellInt
	CellPercent // Num is a ratio (0.9908); NaN when there is no denominator
	CellOrdinal // a number printed without grouping: a year, a row number
)

// Cell is one value. Flag marks a figure that breaks a rule; it prints with
// a mark, and the rule is written out under the table.
type Cell struct {
	Kind CellKind
	Text string
	Num  float64
	Flag bool
	// Signed prints a sign on positive numbers too: a change "+90".
	Signed bool
}

// Text makes a text cell.
func Text(s string) Cell { return Cell{Kind: CellText, Text: s} }

// Int makes a whole-number cell.
func Int(n int64) Cell { return Cell{Kind: CellInt, Num: float64(n)} }

// Ordinal makes a number cell printed without grouping (years, STT).
func Ordinal(n int) Cell { return Cell{Kind: CellOrdinal, Num: float64(n)} }

// Change makes a signed whole-number cell: "+90", "-3", "0".
func Change(n int64) Cell { return Cell{Kind: CellInt, Num: float64(n), Signed: true} }

// Percent makes a rate cell from a ratio; NaN prints "—".
func Percent(r float64) Cell { return Cell{Kind: CellPercent, Num: r} }

// Valid reports whether a percent cell has a value.
func (c Cell) Valid() bool { return !math.IsNaN(c.Num) && !math.IsInf(c.Num, 0) }
