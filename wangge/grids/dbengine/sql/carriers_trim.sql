-- The carriers a name holds beyond the number kept (the parameter), let go: an older
-- carrier_sync.sql could leave more (`carrier_function`).

DELETE FROM grids_name_carrier c USING (
  SELECT key, building_id,
         row_number() OVER (PARTITION BY key ORDER BY building_id) AS r
  FROM grids_name_carrier
) AS x WHERE x.r > %s AND c.key = x.key AND c.building_id = x.building_id
