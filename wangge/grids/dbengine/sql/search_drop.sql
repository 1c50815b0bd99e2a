-- What search_words.sql and search_index.sql make, dropped (`uninstall`, after keys_drop.sql
-- and forms_drop.sql).

DROP INDEX IF EXISTS grids_building_search_trgm;
ALTER TABLE grids_building DROP COLUMN IF EXISTS search_words;
DROP FUNCTION IF EXISTS grids_building_search(text, jsonb);
DROP FUNCTION IF EXISTS grids_search_words(text);
