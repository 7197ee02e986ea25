-- Offices: this installation's own office (is_self = 1) and, later, the
-- offices it exchanges batches with. Merged units keep their row and history.
CREATE TABLE offices (
	id         TEXT PRIMARY KEY,            -- UUID
	code       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('xa','phuong','thitran','huyen','tinh','khac')),
	role       TEXT NOT NULL CHECK (role IN ('commune','collector')),
	parent_id  TEXT REFERENCES offices(id),
	is_self    INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0,1)),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX offices_one_self ON offices(is_self) WHERE is_self = 1;

-- Settings are one row per key; the Settings type in settings.go lists them.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The audit trail: who did what, when, and the old and new values as JSON.
CREATE TABLE audit (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	at         TEXT NOT NULL,
	user_id    TEXT NOT NULL DEFAULT '',
	user_name  TEXT NOT NULL,
	action     TEXT NOT NULL,
	entity     TEXT NOT NULL DEFAULT '',
	entity_id  TEXT NOT NULL DEFAULT '',
	old_json   TEXT NOT NULL DEFAULT '',
	new_json   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit(entity, entity_id);
CREATE INDEX audit_at ON audit(at);

-- Named counters. "change" numbers every change to a record this office
-- owns, so that a batch can hold "everything changed since the last one".
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
INSERT INTO counters(name, value) VALUES ('change', 0);
