-- Keeps a few carriers for each name key through every write of the buildings (the statement
-- triggers of keys_triggers.sql). CARRIERS is replaced by `schema.CARRIERS`. A file of its own:
-- a migration makes it again where it changed (`carrier_function`).

CREATE OR REPLACE FUNCTION grids_name_carrier_sync() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  gone text[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE grids_name_carrier;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
    -- The carriers that are gone or no longer hold their key, then others for those keys.
    WITH dropped AS (
      DELETE FROM grids_name_carrier c USING old_rows o
      WHERE c.building_id = o.id AND (
        TG_OP = 'DELETE' OR NOT EXISTS (
          SELECT FROM grids_building b WHERE b.id = o.id AND b.search_keys @> ARRAY[c.key]))
      RETURNING c.key
    )
    SELECT array_agg(DISTINCT key) INTO gone FROM dropped;
    -- As many as the key lacks, of the buildings not kept for it already: the index hands
    -- them out in its own order, and a LIMIT of CARRIERS over all of them kept up to that
    -- many more besides those left.
    INSERT INTO grids_name_carrier (key, building_id)
    SELECT g.key, other.id FROM unnest(gone) AS g(key)
    CROSS JOIN LATERAL (
      SELECT b.id FROM grids_building b
      WHERE b.search_keys @> ARRAY[g.key]
        AND NOT EXISTS (SELECT FROM grids_name_carrier c
                        WHERE c.key = g.key AND c.building_id = b.id)
      LIMIT greatest(0, CARRIERS - (SELECT count(*) FROM grids_name_carrier c
                                    WHERE c.key = g.key))
    ) AS other
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO grids_name_carrier (key, building_id)
    SELECT x.key, x.id FROM (
      SELECT k.key, n.id, row_number() OVER (PARTITION BY k.key ORDER BY n.id) AS r
      FROM new_rows n CROSS JOIN LATERAL grids_name_keys(n.search_keys) AS k(key)
    ) AS x
    WHERE x.r <= CARRIERS - (SELECT count(*) FROM grids_name_carrier c WHERE c.key = x.key)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
