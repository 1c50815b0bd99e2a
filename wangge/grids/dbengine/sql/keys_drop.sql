-- What the keys' files make (keys_tables.sql, carrier_sync.sql, keys_triggers.sql,
-- keyed_function.sql), dropped: before they are made again, before the search words they are
-- made from are, and when the engine is removed.

DROP TRIGGER IF EXISTS grids_name_carrier_on_insert ON grids_building;
DROP TRIGGER IF EXISTS grids_name_carrier_on_update ON grids_building;
DROP TRIGGER IF EXISTS grids_name_carrier_on_delete ON grids_building;
DROP TRIGGER IF EXISTS grids_name_carrier_on_truncate ON grids_building;
DROP FUNCTION IF EXISTS grids_name_carrier_sync();
DROP TABLE IF EXISTS grids_name_carrier;
DROP FUNCTION IF EXISTS grids_name_keys(text[]);
DROP FUNCTION IF EXISTS grids_keyed_rows(text[], text[], integer, text[], integer, text);
DROP FUNCTION IF EXISTS grids_keyed(text[], integer);
DROP INDEX IF EXISTS grids_building_search_keys;
ALTER TABLE grids_building DROP COLUMN IF EXISTS search_keys;
DROP FUNCTION IF EXISTS grids_search_keys(text);
