-- The reporting lines after the 2025 reform (issue 28): a commune sends
-- each kind of data to the office that collects it.

-- A collecting office enrolled here and the kinds of data it receives
-- (domain.DataKinds, comma-separated), with the address its server listens
-- on (the primary's is the setting collector_url, as before). The primary
-- destination is the one that carries on the chain of
-- batches written before destinations existed: its batches keep version
-- danvan-batch/2 and the outbox itself; every other destination gets
-- danvan-batch/3 batches, addressed to it, in outbox/<its code>/.
CREATE TABLE destinations (
	office_id  TEXT PRIMARY KEY REFERENCES offices(id),
	kinds      TEXT NOT NULL CHECK (kinds <> ''),
	url        TEXT NOT NULL DEFAULT '',
	is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX destinations_primary ON destinations(is_primary) WHERE is_primary = 1;

-- At a commune, every collecting office already enrolled receives
-- everything, as before. (A collecting office had no office above it.)
INSERT INTO destinations(office_id, kinds, url, is_primary, created_at, updated_at)
	SELECT id, 'models,tallies', '', 0, created_at, updated_at FROM offices
	WHERE is_self = 0 AND role = 'collector' AND EXISTS (SELECT 1 FROM offices WHERE is_self = 1 AND role <> 'collector');
UPDATE destinations SET is_primary = 1
	WHERE office_id = (SELECT office_id FROM destinations ORDER BY created_at, office_id LIMIT 1);
-- One chain of batches per destination. Until now every collecting office
-- received the same chain, so each gets a copy of it and continues it; a
-- chain written before any office was enrolled keeps dest_id '' and goes
-- to the first destination enrolled.
CREATE TABLE batches_sent_new (
	dest_id         TEXT NOT NULL DEFAULT '',
	seq             INTEGER NOT NULL,
	file_name       TEXT NOT NULL,
	sha256          TEXT NOT NULL,
	file_sha256     TEXT NOT NULL DEFAULT '',
	prev_sha256     TEXT NOT NULL,
	key_id          TEXT NOT NULL,
	created_at      TEXT NOT NULL,
	is_full         INTEGER NOT NULL DEFAULT 0,
	records         INTEGER NOT NULL,
	max_change      INTEGER NOT NULL,
	acknowledged_at TEXT NOT NULL DEFAULT '',
	ack_result      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (dest_id, seq),
	UNIQUE (dest_id, sha256)
);
-- A copy's acknowledgements were the primary's: the others are asked again
-- (a batch they already hold is answered as a replay).
INSERT INTO batches_sent_new(dest_id, seq, file_name, sha256, file_sha256, prev_sha256, key_id, created_at, is_full, records, max_change, acknowledged_at, ack_result)
	SELECT d.office_id, b.seq, b.file_name, b.sha256, b.file_sha256, b.prev_sha256, b.key_id, b.created_at, b.is_full, b.records, b.max_change,
		CASE WHEN d.is_primary = 1 THEN b.acknowledged_at ELSE '' END, CASE WHEN d.is_primary = 1 THEN b.ack_result ELSE '' END
	FROM batches_sent AS b CROSS JOIN destinations AS d;
INSERT INTO batches_sent_new(dest_id, seq, file_name, sha256, file_sha256, prev_sha256, key_id, created_at, is_full, records, max_change, acknowledged_at, ack_result)
	SELECT '', b.seq, b.file_name, b.sha256, b.file_sha256, b.prev_sha256, b.key_id, b.created_at, b.is_full, b.records, b.max_change, b.acknowledged_at, b.ack_result
	FROM batches_sent AS b WHERE NOT EXISTS (SELECT 1 FROM destinations);
DROP TABLE batches_sent;
ALTER TABLE batches_sent_new RENAME TO batches_sent;
