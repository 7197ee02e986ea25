-- Sending batches over the network (issue 15).

-- The SHA-256 of the TLS certificate a collecting office serves batches
-- under, as its enrollment file carried it. The commune accepts a
-- connection only when the certificate it is shown has this hash, so no
-- public certificate authority is needed. One pin an office; a newer
-- enrollment file replaces it.
CREATE TABLE office_tls_pins (
	office_id  TEXT PRIMARY KEY REFERENCES offices(id),
	sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
	updated_at TEXT NOT NULL
);
