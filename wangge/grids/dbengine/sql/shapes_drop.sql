-- What shapes.sql and locate_function.sql make, dropped (`uninstall`).

DROP TRIGGER IF EXISTS grids_shape_on_insert ON grids_gridnode;
DROP TRIGGER IF EXISTS grids_shape_on_delete ON grids_gridnode;
DROP TRIGGER IF EXISTS grids_shape_on_truncate ON grids_gridnode;
DROP TRIGGER IF EXISTS grids_shape_on_update ON grids_gridnode;
DROP FUNCTION IF EXISTS grids_shape_sync();
DROP TABLE IF EXISTS grids_shape;
DROP FUNCTION IF EXISTS grids_shape_geometry(jsonb);
DROP FUNCTION IF EXISTS grids_locate(float8, float8);
