-- A batch import writes thousands of models in one transaction, one
-- statement a record. FTS5 writes the terms it holds in memory out as a new
-- segment at every statement, so the per-row triggers of 0007 and 0008 made
-- each imported model its own pair of tiny segments, merged again and
-- again: most of an import's time (docs/performance.md P5). While
-- import_defers_index holds its row, those triggers leave the two indexes
-- alone; the import that inserts the row indexes what it wrote in one
-- statement per index and deletes the row before it commits. The row lives
-- only inside that transaction, so no other writer ever sees it and a crash
-- rolls it back with the rest.
CREATE TABLE import_defers_index (one INTEGER PRIMARY KEY CHECK (one = 1));

DROP TRIGGER models_search_before_insert;
DROP TRIGGER models_search_after_insert;
DROP TRIGGER models_search_after_update;
DROP TRIGGER models_search_after_delete;
DROP TRIGGER models_words_before_insert;
DROP TRIGGER models_words_after_insert;
DROP TRIGGER models_words_after_update;
DROP TRIGGER models_words_after_delete;

CREATE TRIGGER models_search_before_insert BEFORE INSERT ON models
WHEN NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	DELETE FROM models_search WHERE rowid IN (SELECT rowid FROM models WHERE id = NEW.id);
END;
CREATE TRIGGER models_search_after_insert AFTER INSERT ON models
WHEN NEW.deleted_at = '' AND NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	INSERT INTO models_search(rowid, search_fold) VALUES (NEW.rowid, NEW.search_fold);
END;
CREATE TRIGGER models_search_after_update AFTER UPDATE OF search_fold, deleted_at ON models
WHEN NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	DELETE FROM models_search WHERE rowid = OLD.rowid;
	INSERT INTO models_search(rowid, search_fold) SELECT NEW.rowid, NEW.search_fold WHERE NEW.deleted_at = '';
END;
CREATE TRIGGER models_search_after_delete AFTER DELETE ON models
WHEN NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	DELETE FROM models_search WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER models_words_before_insert BEFORE INSERT ON models
WHEN NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	DELETE FROM models_words WHERE rowid IN (SELECT rowid FROM models WHERE id = NEW.id);
END;
CREATE TRIGGER models_words_after_insert AFTER INSERT ON models
WHEN NEW.deleted_at = '' AND NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	INSERT INTO models_words(rowid, search_fold) VALUES (NEW.rowid, NEW.search_fold);
END;
CREATE TRIGGER models_words_after_update AFTER UPDATE OF search_fold, deleted_at ON models
WHEN NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	DELETE FROM models_words WHERE rowid = OLD.rowid;
	INSERT INTO models_words(rowid, search_fold) SELECT NEW.rowid, NEW.search_fold WHERE NEW.deleted_at = '';
END;
CREATE TRIGGER models_words_after_delete AFTER DELETE ON models
WHEN NOT EXISTS (SELECT 1 FROM import_defers_index) BEGIN
	DELETE FROM models_words WHERE rowid = OLD.rowid;
END;
