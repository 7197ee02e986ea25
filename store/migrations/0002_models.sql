-- Dân vận khéo models and exemplars (domain.md §1). One row per model; the
-- status history is its own table so that every transition keeps its date.
CREATE TABLE models (
	id                 TEXT PRIMARY KEY,                       -- UUID v4
	owner_office_id    TEXT NOT NULL REFERENCES offices(id),
	kind               TEXT NOT NULL CHECK (kind IN ('model','exemplar')),
	name               TEXT NOT NULL,
	name_fold          TEXT NOT NULL,                          -- vn.Fold(name): diacritic-insensitive matching
	search_fold        TEXT NOT NULL,                          -- folded name, person, place and body: the search box
	field              TEXT NOT NULL CHECK (field IN ('economy','culture_society','defence_security','political_system')),
	year               INTEGER NOT NULL,
	body               TEXT NOT NULL,
	body_other         TEXT NOT NULL DEFAULT '',
	location           TEXT NOT NULL DEFAULT '',
	person_name        TEXT NOT NULL,
	person_title       TEXT NOT NULL DEFAULT '',
	person_phone       TEXT NOT NULL DEFAULT '',
	reason             TEXT NOT NULL DEFAULT '',
	goals              TEXT NOT NULL DEFAULT '',
	content            TEXT NOT NULL DEFAULT '',
	tasks              TEXT NOT NULL DEFAULT '',
	target_group       TEXT NOT NULL DEFAULT '',
	force_lead         TEXT NOT NULL DEFAULT '',
	force_coordinate   TEXT NOT NULL DEFAULT '',
	force_participate  TEXT NOT NULL DEFAULT '',
	budget             INTEGER NOT NULL DEFAULT 0 CHECK (budget >= 0),
	workdays           INTEGER NOT NULL DEFAULT 0 CHECK (workdays >= 0),
	contributions      TEXT NOT NULL DEFAULT '',
	start_date         TEXT NOT NULL DEFAULT '',               -- yyyy-mm-dd or ''
	eval_date          TEXT NOT NULL DEFAULT '',
	outputs            TEXT NOT NULL DEFAULT '',
	sustainability     TEXT NOT NULL DEFAULT '',
	households         INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0),
	people             INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
	status             TEXT NOT NULL CHECK (status IN ('registered','implementing','evaluated','recognised','maintained','discontinued')),
	rating             TEXT NOT NULL DEFAULT '',
	recognition_level  TEXT NOT NULL DEFAULT '',
	decision_no        TEXT NOT NULL DEFAULT '',
	decision_date      TEXT NOT NULL DEFAULT '',
	stop_reason        TEXT NOT NULL DEFAULT '',
	stop_date          TEXT NOT NULL DEFAULT '',
	note               TEXT NOT NULL DEFAULT '',
	revision           INTEGER NOT NULL DEFAULT 1,
	change_seq         INTEGER NOT NULL DEFAULT 0,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL,
	updated_by         TEXT NOT NULL DEFAULT '',
	deleted_at         TEXT NOT NULL DEFAULT ''
);
-- models_list is the list's order (newest year first, then name) and holds
-- every column a filter or the search box looks at, so that listing,
-- searching and counting 100.000 models walk one index and touch the table
-- only for the rows shown. It starts with deleted_at so live rows are one
-- range. models_field serves the counts by field.
CREATE INDEX models_list ON models(deleted_at, year DESC, name_fold, id, field, status, kind, body, owner_office_id, search_fold);
CREATE INDEX models_field ON models(deleted_at, field, status, kind);
CREATE INDEX models_dedupe ON models(owner_office_id, name_fold, field, year);
CREATE INDEX models_change ON models(owner_office_id, change_seq);

-- Every status transition, with the day it happened (chosen by the officer)
-- and when and by whom it was recorded.
CREATE TABLE model_status_history (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	model_id       TEXT NOT NULL REFERENCES models(id),
	on_date        TEXT NOT NULL,                              -- yyyy-mm-dd
	from_status    TEXT NOT NULL DEFAULT '',                   -- '' for the first entry
	to_status      TEXT NOT NULL,
	rating         TEXT NOT NULL DEFAULT '',
	level          TEXT NOT NULL DEFAULT '',
	decision_no    TEXT NOT NULL DEFAULT '',
	decision_date  TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	recorded_at    TEXT NOT NULL,
	recorded_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX model_status_history_model ON model_status_history(model_id, id);
