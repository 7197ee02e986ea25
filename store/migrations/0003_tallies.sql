-- Dossier tallies, Biểu 06/VPCP/KSTT (domain.md §2).
--
-- The three record tables follow docs/architecture.md (owner_office_id,
-- revision, change_seq, updated_by, deleted_at tombstone), so that batches
-- can carry them.

-- TTHC fields (lĩnh vực). Default fields carry a code that is the same in
-- every office, so a collecting office can sum a field over its units even
-- after one of them renamed it; fields an office adds have code ''.
CREATE TABLE tally_fields (
	id              TEXT PRIMARY KEY,
	owner_office_id TEXT NOT NULL REFERENCES offices(id),
	code            TEXT NOT NULL DEFAULT '',
	name            TEXT NOT NULL,
	name_fold       TEXT NOT NULL,
	position        INTEGER NOT NULL,
	disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
	revision        INTEGER NOT NULL DEFAULT 1,
	change_seq      INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	updated_by      TEXT NOT NULL DEFAULT '',
	deleted_at      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tally_fields_name ON tally_fields(owner_office_id, name_fold) WHERE deleted_at = '';
CREATE INDEX tally_fields_change ON tally_fields(change_seq);

-- Reporting periods of an office. closed = 1 makes its rows read-only.
CREATE TABLE periods (
	id              TEXT PRIMARY KEY,
	owner_office_id TEXT NOT NULL REFERENCES offices(id),
	kind            TEXT NOT NULL CHECK (kind IN ('month','quarter','half','nine_months','year','custom')),
	code            TEXT NOT NULL,
	start_date      TEXT NOT NULL,
	end_date        TEXT NOT NULL CHECK (end_date >= start_date),
	closed          INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0,1)),
	closed_at       TEXT NOT NULL DEFAULT '',
	closed_by       TEXT NOT NULL DEFAULT '',
	revision        INTEGER NOT NULL DEFAULT 1,
	change_seq      INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	updated_by      TEXT NOT NULL DEFAULT '',
	deleted_at      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX periods_code ON periods(owner_office_id, code) WHERE deleted_at = '';
CREATE INDEX periods_dates ON periods(start_date, end_date);
CREATE INDEX periods_owner ON periods(owner_office_id, kind, start_date);
CREATE INDEX periods_end ON periods(end_date);
CREATE INDEX periods_change ON periods(change_seq);

-- Closing and reopening history: who, when, and the reason for reopening.
CREATE TABLE period_events (
	id              TEXT PRIMARY KEY,
	owner_office_id TEXT NOT NULL REFERENCES offices(id),
	period_id       TEXT NOT NULL REFERENCES periods(id),
	action          TEXT NOT NULL CHECK (action IN ('close','reopen')),
	reason          TEXT NOT NULL DEFAULT '',
	at              TEXT NOT NULL,
	user_id         TEXT NOT NULL DEFAULT '',
	user_name       TEXT NOT NULL,
	change_seq      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX period_events_period ON period_events(period_id, at);

-- One row per (office, period, field). Columns c3..c13 are the form's
-- columns (3)..(13): NULL is "not reported", 0 is zero. The totals c3, c7
-- and c11 hold what the officer typed; NULL there means "computed from the
-- parts", which the store does on read.
CREATE TABLE tallies (
	id              TEXT PRIMARY KEY,
	owner_office_id TEXT NOT NULL REFERENCES offices(id),
	period_id       TEXT NOT NULL REFERENCES periods(id),
	field_id        TEXT NOT NULL REFERENCES tally_fields(id),
	c3  INTEGER CHECK (c3  IS NULL OR c3  BETWEEN 0 AND 1000000000),
	c4  INTEGER CHECK (c4  IS NULL OR c4  BETWEEN 0 AND 1000000000),
	c5  INTEGER CHECK (c5  IS NULL OR c5  BETWEEN 0 AND 1000000000),
	c6  INTEGER CHECK (c6  IS NULL OR c6  BETWEEN 0 AND 1000000000),
	c7  INTEGER CHECK (c7  IS NULL OR c7  BETWEEN 0 AND 1000000000),
	c8  INTEGER CHECK (c8  IS NULL OR c8  BETWEEN 0 AND 1000000000),
	c9  INTEGER CHECK (c9  IS NULL OR c9  BETWEEN 0 AND 1000000000),
	c10 INTEGER CHECK (c10 IS NULL OR c10 BETWEEN 0 AND 1000000000),
	c11 INTEGER CHECK (c11 IS NULL OR c11 BETWEEN 0 AND 1000000000),
	c12 INTEGER CHECK (c12 IS NULL OR c12 BETWEEN 0 AND 1000000000),
	c13 INTEGER CHECK (c13 IS NULL OR c13 BETWEEN 0 AND 1000000000),
	final           INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0,1)),
	revision        INTEGER NOT NULL DEFAULT 1,
	change_seq      INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	updated_by      TEXT NOT NULL DEFAULT '',
	deleted_at      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tallies_cell ON tallies(period_id, field_id) WHERE deleted_at = '';
CREATE INDEX tallies_field ON tallies(field_id);
-- The roll-up reads every column of a period's rows; this covering index
-- lets it do so without touching the table (a province's year is ~0,8 M
-- rows). deleted_at is repeated in the columns so SQLite sees it covers.
CREATE INDEX tallies_roll ON tallies(period_id, field_id, final, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, deleted_at) WHERE deleted_at = '';
CREATE INDEX tallies_change ON tallies(change_seq);

-- A data folder set up before this migration gets the default fields now;
-- one set up later gets them from the set-up step in tally_fields.go.
INSERT INTO tally_fields(id, owner_office_id, code, name, name_fold, position, created_at, updated_at, updated_by)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
             substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       o.id, f.code, f.name, f.fold, f.pos, strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now'), strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now'), 'system'
FROM offices o, (
	SELECT 'ho_tich' AS code, 'Hộ tịch' AS name, 'ho tich' AS fold, 1 AS pos
	UNION ALL SELECT 'chung_thuc', 'Chứng thực', 'chung thuc', 2
	UNION ALL SELECT 'dat_dai', 'Đất đai', 'dat dai', 3
	UNION ALL SELECT 'ldtbxh', 'Lao động - Thương binh và Xã hội', 'lao dong - thuong binh va xa hoi', 4
	UNION ALL SELECT 'tu_phap', 'Tư pháp', 'tu phap', 5
	UNION ALL SELECT 'xay_dung', 'Xây dựng', 'xay dung', 6
	UNION ALL SELECT 'nn_mt', 'Nông nghiệp và Môi trường', 'nong nghiep va moi truong', 7
	UNION ALL SELECT 'vh_tt', 'Văn hóa - Thông tin', 'van hoa - thong tin', 8
	UNION ALL SELECT 'giao_duc', 'Giáo dục', 'giao duc', 9
	UNION ALL SELECT 'y_te', 'Y tế', 'y te', 10
	UNION ALL SELECT 'khac', 'Khác', 'khac', 11
) f
WHERE o.is_self = 1;
