-- The change checks' indexes, dropped (`uninstall`).

DROP INDEX IF EXISTS grids_building_updated_at;
DROP INDEX IF EXISTS grids_gridnode_updated_at;
