package assets

import _ "embed"

// Tinos is metrically compatible with Times New Roman, which Nghị định
// 30/2020/NĐ-CP prescribes for official documents, and covers every
// Vietnamese letter. The files come unchanged from Debian's fonts-croscore;
// fonts/LICENSE-Tinos.txt is that package's copyright file (SIL Open Font
// License 1.1, as the fonts' own name table says).
var (
	//go:embed fonts/Tinos-Regular.ttf
	TinosRegular []byte
	//go:embed fonts/Tinos-Bold.ttf
	TinosBold []byte
	//go:embed fonts/Tinos-Italic.ttf
	TinosItalic []byte
	//go:embed fonts/Tinos-BoldItalic.ttf
	TinosBoldItalic []byte
	//go:embed fonts/LICENSE-Tinos.txt
	TinosLicense string
)
