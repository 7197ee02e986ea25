-- Users who log in. Passwords are kept only as argon2id hashes in the
-- PHC-like text form "$argon2id$v=19$m=…,t=…,p=…$salt$hash", so that the
-- cost can be raised later without breaking old hashes. failed_count and
-- last_failed_at drive the growing delay after wrong passwords; they are
-- kept here so that restarting the program does not reset it.
CREATE TABLE users (
	id             TEXT PRIMARY KEY,           -- UUID
	username       TEXT NOT NULL UNIQUE,       -- lower-case ASCII login name
	full_name      TEXT NOT NULL,
	full_name_fold TEXT NOT NULL DEFAULT '',
	role           TEXT NOT NULL CHECK (role IN ('head','officer')),
	password_hash  TEXT NOT NULL,
	disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
	failed_count   INTEGER NOT NULL DEFAULT 0,
	last_failed_at TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);

-- The audit trail is append-only: nobody, not even the program, may change
-- or remove what it says happened.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE INDEX audit_user ON audit(user_name, at);
CREATE INDEX audit_action ON audit(action, at);

-- Form input not yet saved, per user, so that a crash or power cut loses at
-- most the last keystrokes. A draft is not office data: it is never audited,
-- exported or sent in a batch.
CREATE TABLE drafts (
	owner      TEXT NOT NULL,   -- users.id, or "name:<login>" for actors without an id
	form       TEXT NOT NULL,   -- which form, e.g. "model"
	key        TEXT NOT NULL,   -- which record the form was editing, "" for a new one
	body       TEXT NOT NULL,   -- the form's fields as JSON
	updated_at TEXT NOT NULL,
	PRIMARY KEY (owner, form, key)
);
