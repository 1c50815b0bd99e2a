-- A point's grids: each layer's first grid in (code, id) order among those whose geometry
-- intersects the point (boundaries inside, as GridIndex.locate). COLLATE "C" orders codes by
-- code point, as Python compares the in-memory index's strings. One scan of the spatial index
-- for both layers (grids_shape holds no other), a row for each layer found: a subquery per
-- layer walked the index twice (half as much again of the server's CPU a point, at 100,000
-- micro-grids). A function, so that its plan is made once a session: planned for each point,
-- the statement cost the server a third more than its plan kept.
-- Always the spatial index, whatever the statistics said when the plan was made (an empty
-- table, before the tree is imported): the plan is kept for the session. A file of its own, so
-- that a migration can make it again where the shapes are (`locate_function`).

CREATE OR REPLACE FUNCTION grids_locate(x float8, y float8)
RETURNS TABLE (level varchar, node_id bigint)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY SELECT DISTINCT ON (s.level) s.level, s.node_id FROM grids_shape s
  WHERE ST_Intersects(s.geom, ST_SetSRID(ST_MakePoint(x, y), 4326))
  ORDER BY s.level, s.code COLLATE "C", s.node_id;
END $$;
