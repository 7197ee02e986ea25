-- Forwarding upward (issue 28): a collecting office that reports to an
-- office above it forwards its units' batches there, byte for byte, inside
-- its own signed batch. This is what went in which of its batches, so each
-- unit batch goes up once.
CREATE TABLE forwarded (
	dest_id   TEXT NOT NULL REFERENCES offices(id), -- the office above
	office_id TEXT NOT NULL REFERENCES offices(id), -- the unit whose batch it is
	seq       INTEGER NOT NULL,                      -- the unit's batch
	sha256    TEXT NOT NULL,
	fwd_seq   INTEGER NOT NULL,                      -- in this office's chain to dest_id
	PRIMARY KEY (dest_id, office_id, seq)
);
