-- The carriers' statement triggers, and the carriers of the buildings already there.
-- CARRIERS is replaced by `schema.CARRIERS`.

CREATE TRIGGER grids_name_carrier_on_insert AFTER INSERT ON grids_building
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION grids_name_carrier_sync();
CREATE TRIGGER grids_name_carrier_on_update AFTER UPDATE ON grids_building
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION grids_name_carrier_sync();
CREATE TRIGGER grids_name_carrier_on_delete AFTER DELETE ON grids_building
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION grids_name_carrier_sync();
CREATE TRIGGER grids_name_carrier_on_truncate AFTER TRUNCATE ON grids_building
  FOR EACH STATEMENT EXECUTE FUNCTION grids_name_carrier_sync();
TRUNCATE grids_name_carrier;
INSERT INTO grids_name_carrier (key, building_id)
SELECT x.key, x.id FROM (
  SELECT k.key, b.id, row_number() OVER (PARTITION BY k.key ORDER BY b.id) AS r
  FROM grids_building b CROSS JOIN LATERAL grids_name_keys(b.search_keys) AS k(key)
) AS x
WHERE x.r <= CARRIERS;
ANALYZE grids_name_carrier;
