-- A query's buildings in one round trip, each read once with the stages that found it (a bit
-- each in `stages`): the few kept for each of its names (stage 0, with the names it was kept
-- for), those holding its exact keys (1) and its near keys (2), each at most `KEYED_CAP` + 1.
-- Read once: a building the query's road finds is most often found by its name, its exact key
-- and its near keys alike (30 rows a query for 15 buildings at a million buildings), and each
-- read is three lookups by id. The near ones are read whether or not the exact ones decide: a
-- few pages of the index, against a second round trip. The parameters: the names, the exact
-- keys and their cap, the near keys and theirs, the digest the forms read must be parsed over.
-- Run by `grids_keyed_rows` (keyed_function.sql), which keeps its plan.

SELECT k.stages, b.id, b.address, CASE WHEN b.forms IS NULL THEN b.aliases END, b.path, k.keys,
       b.forms
FROM (
  SELECT u.id, bit_or(1 << u.stage) AS stages,
         array_agg(u.key) FILTER (WHERE u.key IS NOT NULL) AS keys
  FROM (
    SELECT 0 AS stage, c.building_id AS id, c.key FROM grids_name_carrier c
    WHERE c.key = ANY($1)
    UNION ALL
    SELECT 1, e.id, NULL FROM grids_keyed($2, $3) AS e(id)
    UNION ALL
    SELECT 2, e.id, NULL FROM grids_keyed($4, $5) AS e(id)
  ) AS u
  GROUP BY u.id
) AS k
CROSS JOIN LATERAL (
  SELECT b.id, b.address, b.aliases,
         (SELECT n.path FROM grids_gridnode n WHERE n.id = b.micro_grid_id) AS path,
         (SELECT f.forms FROM grids_building_forms f
          WHERE f.building_id = b.id AND f.parsed_with = $6
            AND f.source = hashtextextended(b.address || b.aliases::text, 0)) AS forms
  FROM grids_building b WHERE b.id = k.id
  LIMIT 1
) AS b
