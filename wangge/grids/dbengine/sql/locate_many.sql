-- A point's grids (as grids_locate in locate_function.sql) for each of many points, by its
-- place in the batch (a point in no grid has no row), in one statement planned once for the
-- batch.

SELECT t.n, found.level, found.node_id
FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS t(x, y, n)
CROSS JOIN LATERAL (
  SELECT DISTINCT ON (level) level, node_id FROM grids_shape
  WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326))
  ORDER BY level, code COLLATE "C", node_id
) AS found
