-- The micro-grids' and exclusive grids' shapes, kept in step with the tree by triggers.
-- The boundary as the in-memory index reads it: an invalid ring is repaired (ST_MakeValid, as
-- spatial._polygonal_geometry does with make_valid) and only its polygons kept. A boundary
-- PostGIS cannot read gets no row rather than refusing the node's write: the import has
-- checked every boundary before it saves one, and the memory engine skips such a node too.

CREATE OR REPLACE FUNCTION grids_shape_geometry(boundary jsonb) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  g geometry;
BEGIN
  IF boundary IS NULL OR jsonb_typeof(boundary) <> 'object'
     OR boundary->>'type' NOT IN ('Polygon', 'MultiPolygon') THEN
    RETURN NULL;
  END IF;
  g := ST_SetSRID(ST_GeomFromGeoJSON(boundary), 4326);
  IF NOT ST_IsValid(g) THEN
    g := ST_CollectionExtract(ST_MakeValid(g), 3);
  END IF;
  IF ST_IsEmpty(g) THEN
    RETURN NULL;
  END IF;
  RETURN ST_Multi(g);
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $$;

-- No foreign key to grids_gridnode: Django empties tables with a plain TRUNCATE (a test's
-- flush), which a referencing table would refuse; the triggers below delete and truncate.
CREATE TABLE IF NOT EXISTS grids_shape (
  node_id bigint PRIMARY KEY,
  code varchar(32) NOT NULL,
  level varchar(12) NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS grids_shape_geom ON grids_shape USING gist (geom);

CREATE OR REPLACE FUNCTION grids_shape_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g geometry;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE grids_shape;
    RETURN NULL;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM grids_shape WHERE node_id = OLD.id;
    RETURN NULL;
  END IF;
  IF NEW.level IN ('micro', 'exclusive') THEN
    g := grids_shape_geometry(NEW.boundary);
  END IF;
  IF g IS NULL THEN
    DELETE FROM grids_shape WHERE node_id = NEW.id;
  ELSE
    INSERT INTO grids_shape (node_id, code, level, geom)
    VALUES (NEW.id, NEW.code, NEW.level, g)
    ON CONFLICT (node_id) DO UPDATE
      SET code = EXCLUDED.code, level = EXCLUDED.level, geom = EXCLUDED.geom;
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS grids_shape_on_insert ON grids_gridnode;
CREATE TRIGGER grids_shape_on_insert AFTER INSERT ON grids_gridnode
  FOR EACH ROW EXECUTE FUNCTION grids_shape_sync();
-- Django's save() writes every column, and a moved subtree rewrites paths in bulk: only a
-- changed boundary, code or level costs a geometry parse.
DROP TRIGGER IF EXISTS grids_shape_on_delete ON grids_gridnode;
CREATE TRIGGER grids_shape_on_delete AFTER DELETE ON grids_gridnode
  FOR EACH ROW EXECUTE FUNCTION grids_shape_sync();
DROP TRIGGER IF EXISTS grids_shape_on_truncate ON grids_gridnode;
CREATE TRIGGER grids_shape_on_truncate AFTER TRUNCATE ON grids_gridnode
  FOR EACH STATEMENT EXECUTE FUNCTION grids_shape_sync();
DROP TRIGGER IF EXISTS grids_shape_on_update ON grids_gridnode;
CREATE TRIGGER grids_shape_on_update AFTER UPDATE ON grids_gridnode
  FOR EACH ROW
  WHEN (OLD.boundary IS DISTINCT FROM NEW.boundary OR OLD.code IS DISTINCT FROM NEW.code
        OR OLD.level IS DISTINCT FROM NEW.level)
  EXECUTE FUNCTION grids_shape_sync();
