-- The pin of a collecting office's serving key (issue 27): the SHA-256 of
-- its certificate's SubjectPublicKeyInfo, as curl's --pinnedpubkey and
-- other stock clients pin. A commune accepts the server when its
-- certificate has the pinned hash (sha256, enrollment files before this
-- one) or its public key the pinned one (spki_sha256). Empty for pins
-- enrolled from older files.
ALTER TABLE office_tls_pins ADD COLUMN spki_sha256 TEXT NOT NULL DEFAULT '';
