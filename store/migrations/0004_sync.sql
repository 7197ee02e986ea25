-- Signed batches (docs/batch-format.md).

-- Signing keys: this office's own (with the secret, only ever encrypted by
-- minisign's scrypt scheme) and those of the offices enrolled here. A
-- rotated key keeps its row with retired_at set, so that batches signed
-- before the rotation still verify; the new key names the old one that
-- signed it.
CREATE TABLE office_keys (
	key_id           TEXT PRIMARY KEY,          -- minisign key id, 16 upper-case hex digits
	office_id        TEXT NOT NULL REFERENCES offices(id),
	public_key       TEXT NOT NULL,             -- minisign base64
	encrypted_secret TEXT NOT NULL DEFAULT '',  -- own keys only
	prev_key_id      TEXT NOT NULL DEFAULT '',  -- the key that signed this one in a rotation
	rotation_sig     TEXT NOT NULL DEFAULT '',  -- that signature (minisign text)
	created_at       TEXT NOT NULL,
	retired_at       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX office_keys_current ON office_keys(office_id) WHERE retired_at = '';

-- Batches this office has written, in its own chain.
CREATE TABLE batches_sent (
	seq             INTEGER PRIMARY KEY,
	file_name       TEXT NOT NULL,
	sha256          TEXT NOT NULL UNIQUE,
	prev_sha256     TEXT NOT NULL,
	key_id          TEXT NOT NULL,
	created_at      TEXT NOT NULL,
	is_full         INTEGER NOT NULL DEFAULT 0,
	records         INTEGER NOT NULL,
	max_change      INTEGER NOT NULL,           -- the change counter the batch covers up to
	acknowledged_at TEXT NOT NULL DEFAULT '',   -- when the collecting office received it, from its receipt
	ack_result      TEXT NOT NULL DEFAULT ''
);

-- Batches received from other offices, one per (office, seq).
CREATE TABLE batches_received (
	office_id   TEXT NOT NULL REFERENCES offices(id),
	seq         INTEGER NOT NULL,
	sha256      TEXT NOT NULL,
	prev_sha256 TEXT NOT NULL,
	file_name   TEXT NOT NULL,
	created_at  TEXT NOT NULL,                  -- the sender's time, from the manifest
	arrived_at  TEXT NOT NULL,
	imported_by TEXT NOT NULL,
	n_new       INTEGER NOT NULL,
	n_updated   INTEGER NOT NULL,
	n_unchanged INTEGER NOT NULL,
	n_older     INTEGER NOT NULL,
	n_rejected  INTEGER NOT NULL,
	rejections  TEXT NOT NULL DEFAULT '',       -- JSON list of {kind, id, reason}
	PRIMARY KEY (office_id, seq)
);

-- Batches from offices not enrolled here: kept aside, never imported.
CREATE TABLE quarantine (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	file_name   TEXT NOT NULL,
	sha256      TEXT NOT NULL UNIQUE,
	office_id   TEXT NOT NULL,
	office_code TEXT NOT NULL,
	office_name TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	reason      TEXT NOT NULL,
	arrived_at  TEXT NOT NULL,
	released_at TEXT NOT NULL DEFAULT ''
);

-- Deletions received for records never seen here, so that the record's
-- older batch, arriving later, cannot bring it back.
CREATE TABLE sync_tombstones (
	kind            TEXT NOT NULL,
	id              TEXT NOT NULL,
	owner_office_id TEXT NOT NULL,
	revision        INTEGER NOT NULL,
	deleted_at      TEXT NOT NULL,
	PRIMARY KEY (kind, id)
);
