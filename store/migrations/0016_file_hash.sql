-- The SHA-256 of a sent batch's file as it left the office (issue 27): the
-- encrypted .zip.age, or the zip itself when it went in clear. The batch's
-- own hash (sha256) is the signed zip's, inside the encryption, which the
-- commune cannot recompute from what its outbox holds; a printout's QR code
-- carries both, so either side can match paper to file. Empty for batches
-- sent before this column.
ALTER TABLE batches_sent ADD COLUMN file_sha256 TEXT NOT NULL DEFAULT '';
