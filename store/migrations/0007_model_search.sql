-- models_search indexes the folded search text (models.search_fold) of the
-- live models by trigrams, so that the search box finds a word anywhere in
-- 100.000 models through an index instead of reading every row, and counts
-- the matches from the index alone (docs/performance.md P3). Tombstones are
-- left out, so a deleted model is never found. It keeps its own copy of the
-- text, so that an entry is removed by rowid alone. case_sensitive 1 makes a
-- match the same byte-for-byte substring test as instr() on the folded text.
CREATE VIRTUAL TABLE models_search USING fts5(search_fold, tokenize = 'trigram case_sensitive 1');
INSERT INTO models_search(rowid, search_fold) SELECT rowid, search_fold FROM models WHERE deleted_at = '';

-- putModel writes with INSERT OR REPLACE, and a row REPLACE removes fires no
-- DELETE trigger (recursive_triggers is off), so the old row's entry is
-- taken out before the insert.
CREATE TRIGGER models_search_before_insert BEFORE INSERT ON models BEGIN
	DELETE FROM models_search WHERE rowid IN (SELECT rowid FROM models WHERE id = NEW.id);
END;
CREATE TRIGGER models_search_after_insert AFTER INSERT ON models WHEN NEW.deleted_at = '' BEGIN
	INSERT INTO models_search(rowid, search_fold) VALUES (NEW.rowid, NEW.search_fold);
END;
CREATE TRIGGER models_search_after_update AFTER UPDATE OF search_fold, deleted_at ON models BEGIN
	DELETE FROM models_search WHERE rowid = OLD.rowid;
	INSERT INTO models_search(rowid, search_fold) SELECT NEW.rowid, NEW.search_fold WHERE NEW.deleted_at = '';
END;
CREATE TRIGGER models_search_after_delete AFTER DELETE ON models BEGIN
	DELETE FROM models_search WHERE rowid = OLD.rowid;
END;
