-- models_words indexes the words of the live models' folded search text
-- (models.search_fold), so that a query word under three letters, which the
-- trigram index of 0007 cannot look up, is found as the start of a word
-- ("xom 3" finds "Xóm 3" and "Xóm 35", not "2023") through an index instead
-- of reading every row (docs/performance.md P3). The text is folded already
-- (đ → d, no marks, lower case), so unicode61 only splits it: every
-- character that is not a letter or a digit breaks a word. The prefix
-- indexes make a one- or two-letter word start one lookup. The table keeps
-- no copy of the text and no positions (content '', detail none): a word
-- start is one token, never a phrase, and an entry is removed by rowid alone
-- (contentless_delete). Tombstones are left out, so a deleted model is never
-- found.
CREATE VIRTUAL TABLE models_words USING fts5(search_fold,
	tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2',
	content = '', contentless_delete = 1, detail = none);
INSERT INTO models_words(rowid, search_fold) SELECT rowid, search_fold FROM models WHERE deleted_at = '';

-- The same upkeep as models_search (0007): putModel writes with INSERT OR
-- REPLACE, and a row REPLACE removes may fire no DELETE trigger, so the old
-- row's entry is taken out before the insert.
CREATE TRIGGER models_words_before_insert BEFORE INSERT ON models BEGIN
	DELETE FROM models_words WHERE rowid IN (SELECT rowid FROM models WHERE id = NEW.id);
END;
CREATE TRIGGER models_words_after_insert AFTER INSERT ON models WHEN NEW.deleted_at = '' BEGIN
	INSERT INTO models_words(rowid, search_fold) VALUES (NEW.rowid, NEW.search_fold);
END;
CREATE TRIGGER models_words_after_update AFTER UPDATE OF search_fold, deleted_at ON models BEGIN
	DELETE FROM models_words WHERE rowid = OLD.rowid;
	INSERT INTO models_words(rowid, search_fold) SELECT NEW.rowid, NEW.search_fold WHERE NEW.deleted_at = '';
END;
CREATE TRIGGER models_words_after_delete AFTER DELETE ON models BEGIN
	DELETE FROM models_words WHERE rowid = OLD.rowid;
END;
