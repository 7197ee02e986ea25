-- Batches encrypted to the collecting office (issue 16, docs/batch-format.md §8).

-- This office's encryption identity (age X25519), itself encrypted with the
-- same passphrase as the signing key (age's scrypt recipient). Only the
-- current own key row holds it; a rotation moves it to the new row.
ALTER TABLE office_keys ADD COLUMN age_identity TEXT NOT NULL DEFAULT '';

-- The age recipient (public key, "age1…") of an office: this office's own,
-- and that of each collecting office as its enrollment file carried it. A
-- commune encrypts its batches to its collecting offices' recipients. A
-- newer enrollment file replaces it.
CREATE TABLE office_recipients (
	office_id  TEXT PRIMARY KEY REFERENCES offices(id),
	recipient  TEXT NOT NULL CHECK (recipient LIKE 'age1%'),
	updated_at TEXT NOT NULL
);

-- Whether a received batch arrived encrypted. Once an office has sent an
-- encrypted batch, a later batch of its chain in clear is refused.
ALTER TABLE batches_received ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0;
