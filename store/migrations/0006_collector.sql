-- The collecting office (issue 6).

-- A unit merged into another from a day on (the 2025 reform merged
-- communes). Its own rows and history stay its own; roll-ups for periods
-- from that day count it under the unit it joined, and its batches dated
-- from that day on are refused. One merger per unit; a unit merged by
-- mistake can be un-merged, which removes the row (the audit keeps both).
CREATE TABLE office_mergers (
	office_id  TEXT PRIMARY KEY REFERENCES offices(id),
	into_id    TEXT NOT NULL REFERENCES offices(id),
	from_date  TEXT NOT NULL,              -- yyyy-mm-dd: the first day counted under into_id
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	CHECK (office_id <> into_id)
);
CREATE INDEX office_mergers_into ON office_mergers(into_id);
