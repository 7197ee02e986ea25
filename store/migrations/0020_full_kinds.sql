-- The kinds of data newly given to a destination (issue 28): its next
-- batch carries every record of them, not only those changed since its
-- last batch, and then this is cleared.
ALTER TABLE destinations ADD COLUMN full_kinds TEXT NOT NULL DEFAULT '';
