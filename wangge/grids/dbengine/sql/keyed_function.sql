-- The keys' lookups, a file of their own so that a migration can make them again where the
-- keys are installed (`keyed_function`). KEYED_QUERY_TEXT is replaced by keyed_query.sql.

-- The buildings holding any of the keys, at most `most`, read from the index alone. Not a
-- query of its own: a plan made before the keys are known takes any key for a common one and
-- reads the table in order until it has enough, which for a key no building holds is the
-- whole table (seconds at a million buildings), and a plan made for the keys costs more than
-- the lookup (estimating an array's overlap over the index's statistics). PL/pgSQL
-- keeps one plan a session; the function's settings make it the index's. ROWS: what the
-- caller's plan expects of it (a name and number's few buildings; at most `most`). The
-- default, 1,000 a call, made the join to the buildings read the whole table in id order
-- (a merge join) wherever that looked cheaper than 2,000 lookups by id: at 100,000
-- buildings, a district's size, a query cost two orders of magnitude more.
CREATE OR REPLACE FUNCTION grids_keyed(keys text[], most integer) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE ROWS 10
SET enable_seqscan = off SET enable_indexscan = off SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN QUERY SELECT b.id FROM grids_building b WHERE b.search_keys && keys LIMIT most;
END $$;
-- The resolver's round trip (keyed_query.sql), its plan made once a session instead of for each
-- query: three lookups joined to three tables cost the server more to plan than to run (at a
-- million buildings, nearly twice its CPU a query, the same rows). Its plan is the one
-- plan right for any keys and any size of city: each lookup a few rows by index, then each
-- building they name read by its id, its micro-grid's path and its forms by theirs. Written
-- so, not left to the statistics: a kept plan made while a district was empty (before its
-- import) read the buildings first, all of them, in every query until the next ANALYZE
-- (20,003 rows a query at 20,000 buildings), even with joins by id alone allowed. A lateral
-- subquery with a LIMIT is read once for each row of the keys and cannot be turned round;
-- with no sequential scan, it reads by the primary keys.
-- Its rows were one a stage and a building before: a type of result cannot be replaced.
DROP FUNCTION IF EXISTS grids_keyed_rows(text[], text[], integer, text[], integer, text);
CREATE FUNCTION grids_keyed_rows(text[], text[], integer, text[], integer, text)
RETURNS TABLE (
  stages integer, id bigint, address varchar, aliases jsonb, path varchar, keys text[],
  forms jsonb
)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY KEYED_QUERY_TEXT;
END $$;
