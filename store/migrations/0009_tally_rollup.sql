-- What a collecting office's roll-up reads instead of every tally row.
--
-- A province's year is 3.321 units × 12 months × 20 fields, about 0,8 M
-- rows; reading them all took 2,7 s of SQLite alone on a quiet 2-core
-- machine, and checking them all in Go took 13 s more (docs/performance.md
-- P8). Triggers keep three small tables in step with every write, whatever
-- the path (the tally grid, a batch import, closing a period, a restore
-- brings its own copy), so the roll-up reads one row per unit, kind of
-- period, reporting year and field, and checks in Go only the rows that
-- might fail a rule.
--
-- A reporting year is the first four characters of the period's code
-- (2024-M03, 2024-Q1, 2024-Y; a custom period's code starts with its first
-- day), which is the year PeriodSpec gave it whatever the cut-off day.

-- tally_year_periods: how many live periods of one kind an office holds in
-- a reporting year, and the days they span. A roll-up may use a year's
-- sums only when every one of those periods lies inside its range.
CREATE TABLE tally_year_periods (
	year        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	office_id   TEXT NOT NULL,
	periods     INTEGER NOT NULL,
	first_start TEXT NOT NULL,
	last_end    TEXT NOT NULL,
	PRIMARY KEY (year, kind, office_id)
) WITHOUT ROWID;

-- tally_year_sums: per office, kind, reporting year and field, over the
-- live rows of live periods: how many rows and finals, the sums of the
-- columns the roll-up adds up ((4), (5), effective (7), (8)–(10)) and how
-- many rows left each blank. s7/b7 use (8)+(9)+(10) where (7) is blank,
-- as the roll-up always has.
CREATE TABLE tally_year_sums (
	year      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	office_id TEXT NOT NULL,
	field_id  TEXT NOT NULL,
	n      INTEGER NOT NULL,
	finals INTEGER NOT NULL,
	s4  INTEGER NOT NULL, s5  INTEGER NOT NULL, s7  INTEGER NOT NULL,
	s8  INTEGER NOT NULL, s9  INTEGER NOT NULL, s10 INTEGER NOT NULL,
	b4  INTEGER NOT NULL, b5  INTEGER NOT NULL, b7  INTEGER NOT NULL,
	b8  INTEGER NOT NULL, b9  INTEGER NOT NULL, b10 INTEGER NOT NULL,
	PRIMARY KEY (year, kind, office_id, field_id)
) WITHOUT ROWID;

-- tally_suspects: the live rows that might fail a rule. A row is certainly
-- clean when every part ((4)-(6), (8)-(10), (12), (13)) is there, each
-- total typed equals its parts, received balances processed plus in
-- progress, and either no period of the office ends the day before (so
-- nothing is carried in to compare) or exactly one row of the same field
-- in the office's period of the same kind ending the day before carries an
-- effective (11) equal to its (6). Every other row is a suspect, and Store.Check's Go rules
-- decide; the rules themselves live only in Go (tally_rules.go).
CREATE TABLE tally_suspects (tally_rowid INTEGER PRIMARY KEY);

-- The predecessor lookup: same office, ending the day before, of any kind
-- or of one.
CREATE INDEX periods_owner_end ON periods(owner_office_id, end_date, kind);
-- The successor lookup: same office, starting the day after. Without it
-- SQLite may take every office's periods starting that day, which made
-- filling a province's year quadratic in the number of units.
CREATE INDEX periods_owner_start ON periods(owner_office_id, start_date);

CREATE VIEW tally_clean AS
SELECT t.rowid AS tally_rowid FROM tallies t JOIN periods p ON p.id = t.period_id
WHERE t.deleted_at = '' AND p.deleted_at = ''
	AND t.c4 IS NOT NULL AND t.c5 IS NOT NULL AND t.c6 IS NOT NULL
	AND t.c8 IS NOT NULL AND t.c9 IS NOT NULL AND t.c10 IS NOT NULL
	AND t.c12 IS NOT NULL AND t.c13 IS NOT NULL
	AND (t.c3 IS NULL OR t.c3 = t.c4 + t.c5 + t.c6)
	AND (t.c7 IS NULL OR t.c7 = t.c8 + t.c9 + t.c10)
	AND (t.c11 IS NULL OR t.c11 = t.c12 + t.c13)
	AND t.c4 + t.c5 + t.c6 = t.c8 + t.c9 + t.c10 + t.c12 + t.c13
	AND (NOT EXISTS (SELECT 1 FROM periods pp WHERE pp.owner_office_id = p.owner_office_id
			AND pp.end_date = date(p.start_date, '-1 day') AND pp.deleted_at = '')
		OR (SELECT count(*) = 1 AND min(COALESCE(pt.c11, pt.c12 + pt.c13)) = t.c6
			FROM periods pp JOIN tallies pt ON pt.period_id = pp.id AND pt.field_id = t.field_id AND pt.deleted_at = ''
			WHERE pp.owner_office_id = p.owner_office_id AND pp.kind = p.kind
				AND pp.end_date = date(p.start_date, '-1 day') AND pp.deleted_at = ''));

-- The live rows whose suspicion a change to field F of period P can alter:
-- the rows of F in the same-kind periods starting the day after P ends.
-- Every lookup of tallies here and below names deleted_at = '', so that
-- SQLite can use the partial indexes over live rows instead of scanning.
CREATE VIEW tally_next_rows AS
SELECT p.id AS period_id, st.field_id AS field_id, st.rowid AS tally_rowid
FROM periods p
JOIN periods sp ON sp.owner_office_id = p.owner_office_id AND sp.kind = p.kind AND sp.start_date = date(p.end_date, '+1 day')
JOIN tallies st ON st.period_id = sp.id AND st.deleted_at = '';

-- Fill from the data already there.
INSERT INTO tally_year_periods(year, kind, office_id, periods, first_start, last_end)
SELECT substr(code, 1, 4), kind, owner_office_id, count(*), min(start_date), max(end_date)
FROM periods WHERE deleted_at = '' GROUP BY substr(code, 1, 4), kind, owner_office_id;

INSERT INTO tally_year_sums(year, kind, office_id, field_id, n, finals, s4, s5, s7, s8, s9, s10, b4, b5, b7, b8, b9, b10)
SELECT substr(p.code, 1, 4), p.kind, p.owner_office_id, t.field_id, count(*), sum(t.final),
	total(t.c4), total(t.c5), total(COALESCE(t.c7, t.c8 + t.c9 + t.c10)), total(t.c8), total(t.c9), total(t.c10),
	sum(t.c4 IS NULL), sum(t.c5 IS NULL), sum(COALESCE(t.c7, t.c8 + t.c9 + t.c10) IS NULL), sum(t.c8 IS NULL), sum(t.c9 IS NULL), sum(t.c10 IS NULL)
FROM periods p JOIN tallies t ON t.period_id = p.id AND t.deleted_at = ''
WHERE p.deleted_at = ''
GROUP BY substr(p.code, 1, 4), p.kind, p.owner_office_id, t.field_id;

INSERT INTO tally_suspects(tally_rowid)
SELECT rowid FROM tallies WHERE deleted_at = '' AND rowid NOT IN (SELECT tally_rowid FROM tally_clean);

-- A tally row adds to its year's sums, or takes its old values out.
CREATE TRIGGER tally_sums_insert AFTER INSERT ON tallies WHEN NEW.deleted_at = '' BEGIN
	INSERT INTO tally_year_sums(year, kind, office_id, field_id, n, finals, s4, s5, s7, s8, s9, s10, b4, b5, b7, b8, b9, b10)
	SELECT substr(p.code, 1, 4), p.kind, p.owner_office_id, NEW.field_id, 1, NEW.final,
		ifnull(NEW.c4, 0), ifnull(NEW.c5, 0), ifnull(COALESCE(NEW.c7, NEW.c8 + NEW.c9 + NEW.c10), 0),
		ifnull(NEW.c8, 0), ifnull(NEW.c9, 0), ifnull(NEW.c10, 0),
		NEW.c4 IS NULL, NEW.c5 IS NULL, COALESCE(NEW.c7, NEW.c8 + NEW.c9 + NEW.c10) IS NULL,
		NEW.c8 IS NULL, NEW.c9 IS NULL, NEW.c10 IS NULL
	FROM periods p WHERE p.id = NEW.period_id AND p.deleted_at = ''
	ON CONFLICT(year, kind, office_id, field_id) DO UPDATE SET
		n = n + excluded.n, finals = finals + excluded.finals,
		s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s7 = s7 + excluded.s7,
		s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10,
		b4 = b4 + excluded.b4, b5 = b5 + excluded.b5, b7 = b7 + excluded.b7,
		b8 = b8 + excluded.b8, b9 = b9 + excluded.b9, b10 = b10 + excluded.b10;
END;

CREATE TRIGGER tally_sums_update AFTER UPDATE OF period_id, field_id, c4, c5, c7, c8, c9, c10, final, deleted_at ON tallies BEGIN
	UPDATE tally_year_sums SET n = n - 1, finals = finals - OLD.final,
		s4 = s4 - ifnull(OLD.c4, 0), s5 = s5 - ifnull(OLD.c5, 0), s7 = s7 - ifnull(COALESCE(OLD.c7, OLD.c8 + OLD.c9 + OLD.c10), 0),
		s8 = s8 - ifnull(OLD.c8, 0), s9 = s9 - ifnull(OLD.c9, 0), s10 = s10 - ifnull(OLD.c10, 0),
		b4 = b4 - (OLD.c4 IS NULL), b5 = b5 - (OLD.c5 IS NULL), b7 = b7 - (COALESCE(OLD.c7, OLD.c8 + OLD.c9 + OLD.c10) IS NULL),
		b8 = b8 - (OLD.c8 IS NULL), b9 = b9 - (OLD.c9 IS NULL), b10 = b10 - (OLD.c10 IS NULL)
	WHERE OLD.deleted_at = '' AND field_id = OLD.field_id
		AND (year, kind, office_id) = (SELECT substr(p.code, 1, 4), p.kind, p.owner_office_id FROM periods p WHERE p.id = OLD.period_id AND p.deleted_at = '');
	INSERT INTO tally_year_sums(year, kind, office_id, field_id, n, finals, s4, s5, s7, s8, s9, s10, b4, b5, b7, b8, b9, b10)
	SELECT substr(p.code, 1, 4), p.kind, p.owner_office_id, NEW.field_id, 1, NEW.final,
		ifnull(NEW.c4, 0), ifnull(NEW.c5, 0), ifnull(COALESCE(NEW.c7, NEW.c8 + NEW.c9 + NEW.c10), 0),
		ifnull(NEW.c8, 0), ifnull(NEW.c9, 0), ifnull(NEW.c10, 0),
		NEW.c4 IS NULL, NEW.c5 IS NULL, COALESCE(NEW.c7, NEW.c8 + NEW.c9 + NEW.c10) IS NULL,
		NEW.c8 IS NULL, NEW.c9 IS NULL, NEW.c10 IS NULL
	FROM periods p WHERE p.id = NEW.period_id AND p.deleted_at = '' AND NEW.deleted_at = ''
	ON CONFLICT(year, kind, office_id, field_id) DO UPDATE SET
		n = n + excluded.n, finals = finals + excluded.finals,
		s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s7 = s7 + excluded.s7,
		s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10,
		b4 = b4 + excluded.b4, b5 = b5 + excluded.b5, b7 = b7 + excluded.b7,
		b8 = b8 + excluded.b8, b9 = b9 + excluded.b9, b10 = b10 + excluded.b10;
END;

CREATE TRIGGER tally_sums_delete AFTER DELETE ON tallies WHEN OLD.deleted_at = '' BEGIN
	UPDATE tally_year_sums SET n = n - 1, finals = finals - OLD.final,
		s4 = s4 - ifnull(OLD.c4, 0), s5 = s5 - ifnull(OLD.c5, 0), s7 = s7 - ifnull(COALESCE(OLD.c7, OLD.c8 + OLD.c9 + OLD.c10), 0),
		s8 = s8 - ifnull(OLD.c8, 0), s9 = s9 - ifnull(OLD.c9, 0), s10 = s10 - ifnull(OLD.c10, 0),
		b4 = b4 - (OLD.c4 IS NULL), b5 = b5 - (OLD.c5 IS NULL), b7 = b7 - (COALESCE(OLD.c7, OLD.c8 + OLD.c9 + OLD.c10) IS NULL),
		b8 = b8 - (OLD.c8 IS NULL), b9 = b9 - (OLD.c9 IS NULL), b10 = b10 - (OLD.c10 IS NULL)
	WHERE field_id = OLD.field_id
		AND (year, kind, office_id) = (SELECT substr(p.code, 1, 4), p.kind, p.owner_office_id FROM periods p WHERE p.id = OLD.period_id AND p.deleted_at = '');
END;

-- A tally row's own suspicion and its successor's follow every change.
CREATE TRIGGER tally_suspects_insert AFTER INSERT ON tallies BEGIN
	DELETE FROM tally_suspects WHERE tally_rowid = NEW.rowid
		OR tally_rowid IN (SELECT tally_rowid FROM tally_next_rows WHERE period_id = NEW.period_id AND field_id = NEW.field_id);
	INSERT INTO tally_suspects(tally_rowid)
	SELECT rowid FROM tallies
	WHERE (rowid = NEW.rowid OR rowid IN (SELECT tally_rowid FROM tally_next_rows WHERE period_id = NEW.period_id AND field_id = NEW.field_id))
		AND deleted_at = '' AND NOT EXISTS (SELECT 1 FROM tally_clean c WHERE c.tally_rowid = tallies.rowid);
END;

CREATE TRIGGER tally_suspects_update AFTER UPDATE OF period_id, field_id, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, deleted_at ON tallies BEGIN
	DELETE FROM tally_suspects WHERE tally_rowid = NEW.rowid
		OR tally_rowid IN (SELECT tally_rowid FROM tally_next_rows WHERE (period_id = NEW.period_id AND field_id = NEW.field_id)
			OR (period_id = OLD.period_id AND field_id = OLD.field_id));
	INSERT INTO tally_suspects(tally_rowid)
	SELECT rowid FROM tallies
	WHERE (rowid = NEW.rowid OR rowid IN (SELECT tally_rowid FROM tally_next_rows WHERE (period_id = NEW.period_id AND field_id = NEW.field_id)
			OR (period_id = OLD.period_id AND field_id = OLD.field_id)))
		AND deleted_at = '' AND NOT EXISTS (SELECT 1 FROM tally_clean c WHERE c.tally_rowid = tallies.rowid);
END;

CREATE TRIGGER tally_suspects_delete AFTER DELETE ON tallies BEGIN
	DELETE FROM tally_suspects WHERE tally_rowid = OLD.rowid
		OR tally_rowid IN (SELECT tally_rowid FROM tally_next_rows WHERE period_id = OLD.period_id AND field_id = OLD.field_id);
	INSERT INTO tally_suspects(tally_rowid)
	SELECT rowid FROM tallies
	WHERE rowid IN (SELECT tally_rowid FROM tally_next_rows WHERE period_id = OLD.period_id AND field_id = OLD.field_id)
		AND deleted_at = '' AND NOT EXISTS (SELECT 1 FROM tally_clean c WHERE c.tally_rowid = tallies.rowid);
END;

-- A period that appears, moves, changes kind or year, or is deleted
-- changes its year's period span, the sums of the years it leaves and
-- joins, and the suspicion of its own rows and of the rows of every period
-- starting the day after it ends (whether anything is carried in to them).
CREATE TRIGGER periods_rollup_insert AFTER INSERT ON periods BEGIN
	DELETE FROM tally_year_periods WHERE year = substr(NEW.code, 1, 4) AND kind = NEW.kind AND office_id = NEW.owner_office_id;
	INSERT INTO tally_year_periods(year, kind, office_id, periods, first_start, last_end)
	SELECT substr(NEW.code, 1, 4), NEW.kind, NEW.owner_office_id, count(*), min(start_date), max(end_date)
	FROM periods WHERE owner_office_id = NEW.owner_office_id AND kind = NEW.kind AND substr(code, 1, 4) = substr(NEW.code, 1, 4) AND deleted_at = ''
	HAVING count(*) > 0;
	DELETE FROM tally_suspects WHERE tally_rowid IN (SELECT st.rowid FROM periods sp JOIN tallies st ON st.period_id = sp.id AND st.deleted_at = ''
		WHERE sp.owner_office_id = NEW.owner_office_id AND sp.start_date = date(NEW.end_date, '+1 day'));
	INSERT INTO tally_suspects(tally_rowid)
	SELECT st.rowid FROM periods sp JOIN tallies st ON st.period_id = sp.id AND st.deleted_at = ''
	WHERE sp.owner_office_id = NEW.owner_office_id AND sp.start_date = date(NEW.end_date, '+1 day')
		AND st.deleted_at = '' AND NOT EXISTS (SELECT 1 FROM tally_clean c WHERE c.tally_rowid = st.rowid);
END;

CREATE TRIGGER periods_rollup_update AFTER UPDATE OF owner_office_id, kind, code, start_date, end_date, deleted_at ON periods BEGIN
	DELETE FROM tally_year_periods WHERE (year = substr(OLD.code, 1, 4) AND kind = OLD.kind AND office_id = OLD.owner_office_id)
		OR (year = substr(NEW.code, 1, 4) AND kind = NEW.kind AND office_id = NEW.owner_office_id);
	INSERT INTO tally_year_periods(year, kind, office_id, periods, first_start, last_end)
	SELECT substr(code, 1, 4), kind, owner_office_id, count(*), min(start_date), max(end_date)
	FROM periods WHERE deleted_at = '' AND ((owner_office_id = OLD.owner_office_id AND kind = OLD.kind AND substr(code, 1, 4) = substr(OLD.code, 1, 4))
		OR (owner_office_id = NEW.owner_office_id AND kind = NEW.kind AND substr(code, 1, 4) = substr(NEW.code, 1, 4)))
	GROUP BY substr(code, 1, 4), kind, owner_office_id;

	DELETE FROM tally_year_sums WHERE (year = substr(OLD.code, 1, 4) AND kind = OLD.kind AND office_id = OLD.owner_office_id)
		OR (year = substr(NEW.code, 1, 4) AND kind = NEW.kind AND office_id = NEW.owner_office_id);
	INSERT INTO tally_year_sums(year, kind, office_id, field_id, n, finals, s4, s5, s7, s8, s9, s10, b4, b5, b7, b8, b9, b10)
	SELECT substr(p.code, 1, 4), p.kind, p.owner_office_id, t.field_id, count(*), sum(t.final),
		total(t.c4), total(t.c5), total(COALESCE(t.c7, t.c8 + t.c9 + t.c10)), total(t.c8), total(t.c9), total(t.c10),
		sum(t.c4 IS NULL), sum(t.c5 IS NULL), sum(COALESCE(t.c7, t.c8 + t.c9 + t.c10) IS NULL), sum(t.c8 IS NULL), sum(t.c9 IS NULL), sum(t.c10 IS NULL)
	FROM periods p JOIN tallies t ON t.period_id = p.id AND t.deleted_at = ''
	WHERE p.deleted_at = '' AND ((p.owner_office_id = OLD.owner_office_id AND p.kind = OLD.kind AND substr(p.code, 1, 4) = substr(OLD.code, 1, 4))
		OR (p.owner_office_id = NEW.owner_office_id AND p.kind = NEW.kind AND substr(p.code, 1, 4) = substr(NEW.code, 1, 4)))
	GROUP BY substr(p.code, 1, 4), p.kind, p.owner_office_id, t.field_id;

	DELETE FROM tally_suspects WHERE tally_rowid IN (SELECT rowid FROM tallies WHERE period_id = NEW.id AND deleted_at = '')
		OR tally_rowid IN (SELECT st.rowid FROM periods sp JOIN tallies st ON st.period_id = sp.id AND st.deleted_at = ''
			WHERE (sp.owner_office_id = OLD.owner_office_id AND sp.start_date = date(OLD.end_date, '+1 day'))
				OR (sp.owner_office_id = NEW.owner_office_id AND sp.start_date = date(NEW.end_date, '+1 day')));
	INSERT INTO tally_suspects(tally_rowid)
	SELECT rowid FROM tallies
	WHERE (period_id = NEW.id OR rowid IN (SELECT st.rowid FROM periods sp JOIN tallies st ON st.period_id = sp.id AND st.deleted_at = ''
			WHERE (sp.owner_office_id = OLD.owner_office_id AND sp.start_date = date(OLD.end_date, '+1 day'))
				OR (sp.owner_office_id = NEW.owner_office_id AND sp.start_date = date(NEW.end_date, '+1 day'))))
		AND deleted_at = '' AND NOT EXISTS (SELECT 1 FROM tally_clean c WHERE c.tally_rowid = tallies.rowid);
END;

CREATE TRIGGER periods_rollup_delete AFTER DELETE ON periods BEGIN
	DELETE FROM tally_year_periods WHERE year = substr(OLD.code, 1, 4) AND kind = OLD.kind AND office_id = OLD.owner_office_id;
	INSERT INTO tally_year_periods(year, kind, office_id, periods, first_start, last_end)
	SELECT substr(OLD.code, 1, 4), OLD.kind, OLD.owner_office_id, count(*), min(start_date), max(end_date)
	FROM periods WHERE owner_office_id = OLD.owner_office_id AND kind = OLD.kind AND substr(code, 1, 4) = substr(OLD.code, 1, 4) AND deleted_at = ''
	HAVING count(*) > 0;
	DELETE FROM tally_suspects WHERE tally_rowid IN (SELECT st.rowid FROM periods sp JOIN tallies st ON st.period_id = sp.id AND st.deleted_at = ''
		WHERE sp.owner_office_id = OLD.owner_office_id AND sp.start_date = date(OLD.end_date, '+1 day'));
	INSERT INTO tally_suspects(tally_rowid)
	SELECT st.rowid FROM periods sp JOIN tallies st ON st.period_id = sp.id AND st.deleted_at = ''
	WHERE sp.owner_office_id = OLD.owner_office_id AND sp.start_date = date(OLD.end_date, '+1 day')
		AND st.deleted_at = '' AND NOT EXISTS (SELECT 1 FROM tally_clean c WHERE c.tally_rowid = st.rowid);
END;
