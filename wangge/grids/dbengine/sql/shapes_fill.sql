-- The shapes made again from the tree as it is (`install` with `fill`: the migration, the
-- rebuild command).

DELETE FROM grids_shape;
INSERT INTO grids_shape (node_id, code, level, geom)
SELECT id, code, level, g FROM (
  SELECT id, code, level, grids_shape_geometry(boundary) AS g
  FROM grids_gridnode WHERE level IN ('micro', 'exclusive') AND boundary IS NOT NULL
) AS shaped WHERE g IS NOT NULL;
ANALYZE grids_shape;
