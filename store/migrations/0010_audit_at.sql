-- audit_at indexed the time of every audit row, but rows are appended in
-- time order, so the id (the row order) already sorts them: the audit list
-- reads newest first by id and stops at its page. Every save wrote one
-- more index page for it (docs/performance.md P2).
DROP INDEX IF EXISTS audit_at;
