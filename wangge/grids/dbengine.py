"""The database engine of the grid indexes (GRID_ENGINE=database, PostgreSQL only).

A city does not fit in every worker: the in-memory point index alone is ~290 MB at 100k
micro-grids, and each gunicorn worker held its own. Here PostgreSQL keeps them once:

* PostGIS: `grids_shape` holds each micro-grid's and exclusive grid's boundary as a
  geometry(MultiPolygon, 4326) under a GiST index; triggers on `grids_gridnode` keep it in
  step with every write (an import, the admin, a bulk UPDATE, a delete, raw SQL), so no code
  path can forget it. `ShapeLocator`
  answers `locate` with the rules of `spatial.GridIndex`: boundaries count as inside, and of
  several grids of one level the smallest (code, id) wins.
* Exact keys first: a GIN index over each building's names and name-and-number pairs gives, in
  a few pages, the buildings that hold a query's; where they decide as every building would,
  `AddressIndex` decides among those (see `CandidateResolver._answer`).
* pg_trgm otherwise: a GiST trigram index over each building's address and aliases gives the
  buildings whose text is nearest a query, nearest first (a KNN scan); `wangge.grids.
  addresses.AddressIndex` then decides among those alone (see `candidate_rows`).

The schema follows the setting: the migrations install it where GRID_ENGINE=database and the
server offers the extensions, and drop it where the memory engine runs (its triggers would
cost every write for nothing). `manage.py grid_engine_rebuild` installs it later (PostGIS
installed after the migration, the setting changed, a table to refill); `--remove` drops it.
Only SQL is used: django.contrib.gis would need GDAL on every machine.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from wangge.grids import addresses
from wangge.grids.addresses import AddressIndex, Resolution, english, normalize_text
from wangge.grids.addresses.english import PinyinNames
from wangge.grids.addresses.extract import CLAUSE_RE
from wangge.grids.addresses.index import _SHORT_NAME as SHORT_NAME
from wangge.grids.addresses.index import (
    BuildingEntry,
    BuildingForms,
    Form,
    PlaceEntry,
    building_forms,
    kept_forms,
)
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.addresses.text import GENERIC_COMPOUND_SUFFIXES, ROAD_SUFFIXES
from wangge.grids.spatial import Hit

logger = logging.getLogger(__name__)

SHAPE_TABLE = "grids_shape"
# Points asked in one statement by `locate_many` (a patrol's track, a building import).
_BATCH = 5_000

# A point's grids: each layer's first grid in (code, id) order among those whose geometry
# intersects the point (boundaries inside, as GridIndex.locate). COLLATE "C" orders codes by
# code point, as Python compares the in-memory index's strings. One scan of the spatial index
# for both layers (grids_shape holds no other), a row for each layer found: a subquery per
# layer walked the index twice (0.24 → 0.16 ms of the server's CPU a point at 100,000
# micro-grids). A function, so that its plan is made once a session: planned for each point,
# the statement cost the server a third more than its plan kept (0.084 → 0.062 ms a point).
# Always the spatial index, whatever the statistics said when the plan was made (an empty
# table, before the tree is imported): the plan is kept for the session. Apart, so that a
# migration can make it again where the shapes are.
_LOCATE_FUNCTION_SQL = """
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
"""

# The boundary as the in-memory index reads it: an invalid ring is repaired (ST_MakeValid, as
# spatial._polygonal_geometry does with make_valid) and only its polygons kept. A boundary
# PostGIS cannot read gets no row rather than refusing the node's write: the import has
# checked every boundary before it saves one, and the memory engine skips such a node too.
_POSTGIS_SQL = """
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
"""

_POSTGIS_FILL_SQL = """
DELETE FROM grids_shape;
INSERT INTO grids_shape (node_id, code, level, geom)
SELECT id, code, level, g FROM (
  SELECT id, code, level, grids_shape_geometry(boundary) AS g
  FROM grids_gridnode WHERE level IN ('micro', 'exclusive') AND boundary IS NOT NULL
) AS shaped WHERE g IS NOT NULL;
ANALYZE grids_shape;
"""

_POSTGIS_DROP_SQL = """
DROP TRIGGER IF EXISTS grids_shape_on_insert ON grids_gridnode;
DROP TRIGGER IF EXISTS grids_shape_on_delete ON grids_gridnode;
DROP TRIGGER IF EXISTS grids_shape_on_truncate ON grids_gridnode;
DROP TRIGGER IF EXISTS grids_shape_on_update ON grids_gridnode;
DROP FUNCTION IF EXISTS grids_shape_sync();
DROP TABLE IF EXISTS grids_shape;
DROP FUNCTION IF EXISTS grids_shape_geometry(jsonb);
DROP FUNCTION IF EXISTS grids_locate(float8, float8);
"""

# What the trigram index reads of a building: its address and every alias, one text, cut into
# words after each place word (市 区 镇 路 村 号 楼 …) and around each number. pg_trgm pads the
# ends of a word, so a name then shares its first letters with a name it is a typo of (新风村 /
# 新丰村 / 新峰村), and a number is matched as itself, not as part of the name before it.
# IMMUTABLE functions, so an expression index may use them; a query must spell them the same.
#
# GiST, not GIN: a query shares its 市/区/路/号/楼 words with nearly every address, so a GIN
# index's "similar enough" filter kept every building and the nearest were found by computing
# the similarity of each and sorting them all (1.9 s at 100,000 buildings). A GiST index hands
# out the nearest first and the scan stops at the limit. Its signature of 512 bytes (the
# default is 12) keeps the inner pages' signatures from filling up with a city's trigrams, which
# would leave the scan nothing to prune with (a text no building shares a word with was a scan
# of the whole index): at 100,000 buildings a query's candidates took 20 ms at p50 and 120 at
# p95, against 21 and 250 with 128 bytes and 1,900 ms with the GIN index.
_SEARCH_INDEX_SQL = """
DROP INDEX IF EXISTS grids_building_search_trgm;
CREATE INDEX grids_building_search_trgm ON grids_building
  USING gist (search_words gist_trgm_ops(siglen=512));
"""
# What `_KEYS_SQL` makes, dropped: before it makes it again, before the search words it is
# made from are, and when the engine is removed.
_KEYS_DROP_SQL = """
DROP TRIGGER IF EXISTS grids_name_carrier_on_insert ON grids_building;
DROP TRIGGER IF EXISTS grids_name_carrier_on_update ON grids_building;
DROP TRIGGER IF EXISTS grids_name_carrier_on_delete ON grids_building;
DROP TRIGGER IF EXISTS grids_name_carrier_on_truncate ON grids_building;
DROP FUNCTION IF EXISTS grids_name_carrier_sync();
DROP TABLE IF EXISTS grids_name_carrier;
DROP FUNCTION IF EXISTS grids_name_keys(text[]);
DROP FUNCTION IF EXISTS grids_keyed_rows(text[], text[], integer, text[], integer, text);
DROP FUNCTION IF EXISTS grids_keyed(text[], integer);
DROP INDEX IF EXISTS grids_building_search_keys;
ALTER TABLE grids_building DROP COLUMN IF EXISTS search_keys;
DROP FUNCTION IF EXISTS grids_search_keys(text);
"""
# The characters after which an address is cut into words, here and in `_words` (one list, so
# the index and the queries cut alike).
PLACE_WORD_CHARS = "省市区县旗镇乡路街巷道村弄条组号院楼栋幢座"
_TRIGRAM_SQL = _KEYS_DROP_SQL + (
    r"""
DROP INDEX IF EXISTS grids_building_search_trgm;
ALTER TABLE grids_building DROP COLUMN IF EXISTS search_words;
CREATE OR REPLACE FUNCTION grids_search_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(regexp_replace(t, '([0-9]+)', ' \1 ', 'g'),
                        '([PLACE_WORD_CHARS])', '\1 ', 'g')
$$;
CREATE OR REPLACE FUNCTION grids_building_search(address text, aliases jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT grids_search_words(address || ' ' || coalesce(
    (SELECT string_agg(value, ' ') FROM jsonb_array_elements_text(
       CASE WHEN jsonb_typeof(aliases) = 'array' THEN aliases ELSE '[]'::jsonb END)), ''))
$$;
-- A stored generated column: PostgreSQL keeps it in step with every write of the row, and a
-- query reads it instead of cutting each candidate's text again.
ALTER TABLE grids_building ADD COLUMN search_words text
  GENERATED ALWAYS AS (grids_building_search(address, aliases)) STORED;
"""
).replace("PLACE_WORD_CHARS", PLACE_WORD_CHARS)

# The exact keys of a building, looked up before any similarity is computed (`keyed_rows`):
# each name of its address and aliases (a word of two characters or more without a digit)
# and the name with each one character left out ("~嵩路": the symmetric deletions of
# SymSpell, which a name with one character mistyped, missing or added shares with the name
# meant), and each name with the number after it ("嵩山路 257", "碧沙岗小区 3"), also with a
# character left out ("~嵩路 257"). A GIN index over them answers in a few pages what the
# trigram scan answers in 60–110 ms of CPU at a million buildings.
#
# Buildings kept for each name key: two tell the resolver that a name is shared (an answer by
# the name alone is none), a third that a district's name is shared with another district.
CARRIERS = 3
# A query's buildings in one round trip, each read once with the stages that found it (a bit
# each in `stages`): the few kept for each of its names (stage 0, with the names it was kept
# for), those holding its exact keys (1) and its near keys (2), each at most `_KEYED_CAP` + 1.
# Read once: a building the query's road finds is most often found by its name, its exact key
# and its near keys alike (30 rows a query for 15 buildings at a million buildings), and each
# read is three lookups by id. The near ones are read whether or not the exact ones decide: a
# few pages of the index, against a second round trip. The parameters: the names, the exact
# keys and their cap, the near keys and theirs, the digest the forms read must be parsed over.
# Run by `grids_keyed_rows` (`_KEYED_FUNCTION_SQL`), which keeps its plan.
_KEYED_QUERY = """
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
"""
_KEYED_ROWS_SQL = "SELECT * FROM grids_keyed_rows(%s::text[], %s::text[], %s, %s::text[], %s, %s)"

# The keys' lookups, apart, so that a migration can make them again where the keys are installed.
_KEYED_FUNCTION_SQL = """
-- The buildings holding any of the keys, at most `most`, read from the index alone. Not a
-- query of its own: a plan made before the keys are known takes any key for a common one and
-- reads the table in order until it has enough, which for a key no building holds is the
-- whole table (seconds at a million buildings), and a plan made for the keys costs more than
-- the lookup (estimating an array's overlap over the index's statistics: ~1 ms). PL/pgSQL
-- keeps one plan a session; the function's settings make it the index's. ROWS: what the
-- caller's plan expects of it (a name and number's few buildings; at most `most`). The
-- default, 1,000 a call, made the join to the buildings read the whole table in id order
-- (a merge join) wherever that looked cheaper than 2,000 lookups by id: at 100,000
-- buildings, a district's size, 38 ms a query instead of 0.4.
CREATE OR REPLACE FUNCTION grids_keyed(keys text[], most integer) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE ROWS 10
SET enable_seqscan = off SET enable_indexscan = off SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN QUERY SELECT b.id FROM grids_building b WHERE b.search_keys && keys LIMIT most;
END $$;
-- The resolver's round trip (`_KEYED_QUERY`), its plan made once a session instead of for each
-- query: three lookups joined to three tables cost the server more to plan than to run (at a
-- million buildings, 0.82 → 0.45 ms of its CPU a query, the same rows). Its plan is the one
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
""".replace("KEYED_QUERY_TEXT", _KEYED_QUERY.strip())
_KEYS_TABLES_SQL = r"""
CREATE OR REPLACE FUNCTION grids_search_keys(words text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT k.key), '{}'::text[])
  FROM (
    SELECT w.word, lead(w.word) OVER (ORDER BY w.n) AS next
    FROM unnest(regexp_split_to_array(btrim(words), '\s+')) WITH ORDINALITY AS w(word, n)
  ) AS p
  CROSS JOIN LATERAL (
    SELECT p.word
    UNION ALL
    SELECT p.word || ' ' || p.next WHERE p.next ~ '^[0-9]+$'
    UNION ALL
    SELECT '~' || overlay(p.word placing '' from i for 1) || ' ' || p.next
    FROM generate_series(1, char_length(p.word)) AS i
    WHERE p.next ~ '^[0-9]+$' AND char_length(p.word) BETWEEN 3 AND 12
    UNION ALL
    SELECT '~' || overlay(p.word placing '' from i for 1)
    FROM generate_series(1, char_length(p.word)) AS i
    WHERE char_length(p.word) BETWEEN 3 AND 12
  ) AS k(key)
  WHERE char_length(p.word) >= 2 AND p.word !~ '[0-9]'
$$;
ALTER TABLE grids_building ADD COLUMN search_keys text[]
  GENERATED ALWAYS AS (grids_search_keys(grids_building_search(address, aliases))) STORED;
-- fastupdate off: a bulk import's keys would otherwise wait in the index's pending list,
-- which every query reads through until a vacuum (2.8 ms a lookup after an import, 0.2 after).
CREATE INDEX grids_building_search_keys ON grids_building USING gin (search_keys)
  WITH (fastupdate = off);
-- A few buildings for each name key (a name, or a name with a character left out), which tell
-- the resolver that the name exists, that it is shared, and which names are like it. Read
-- from the GIN index, a common name's few buildings cost its whole list (50,000 buildings
-- of 建设路 in the generated city: 3 ms); here, a row each. Kept in step with every write of
-- the buildings by statement triggers, whose rows come in one set (an import's 30,000); their
-- lookups of other carriers read the GIN index only (see grids_keyed).
CREATE TABLE IF NOT EXISTS grids_name_carrier (
  key text NOT NULL,
  building_id bigint NOT NULL,
  PRIMARY KEY (key, building_id)
);
CREATE INDEX IF NOT EXISTS grids_name_carrier_building ON grids_name_carrier (building_id);
CREATE OR REPLACE FUNCTION grids_name_keys(keys text[]) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k FROM unnest(keys) AS k WHERE strpos(k, ' ') = 0
$$;
"""
# Keeps a few carriers for each name key through every write of the buildings (the statement
# triggers of `_KEYS_SQL`). Its own statement: a migration makes it again where it changed.
_CARRIER_SYNC_SQL = r"""
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
""".replace("CARRIERS", str(CARRIERS))
_KEYS_TRIGGERS_SQL = r"""
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
""".replace("CARRIERS", str(CARRIERS))
_KEYS_SQL = "".join(
    (_KEYS_DROP_SQL, _KEYS_TABLES_SQL, _CARRIER_SYNC_SQL, _KEYS_TRIGGERS_SQL, _KEYED_FUNCTION_SQL)
)

# Every worker asks every RECHECK_SECONDS whether the tree or the buildings changed (see
# `indexes`). One aggregate of the row count and newest `updated_at` read every row: at a
# million buildings 150 ms, and 45 ms more for the nodes, in each process, every 2 s, which
# took most of 2 cores under 16 clients. With an index on `updated_at` the newest is one index
# page; the count is no longer read (`_CHANGES_SQL`).
_CHANGES_INDEXES = {
    "grids_building_updated_at": "CREATE INDEX grids_building_updated_at ON grids_building "
    "(updated_at)",
    "grids_gridnode_updated_at": "CREATE INDEX grids_gridnode_updated_at ON grids_gridnode "
    "(updated_at)",
}
_CHANGES_INDEX_DROP_SQL = """
DROP INDEX IF EXISTS grids_building_updated_at;
DROP INDEX IF EXISTS grids_gridnode_updated_at;
"""
# The count read a million index entries (60 ms every 2 s in each process: a third of 2 cores
# for 16 processes). What it was for, a row deleted, is counted by the server's statistics:
# the rows inserted and deleted (committed or not: at worst a needless rebuild), those of the
# asking transaction included. Other processes see a commit's figures within a few seconds
# (the server sends them when a backend goes idle, at most once a second). Where the
# statistics are not kept (track_counts off) the count is read as before.
_CHANGES_SQL = """
SELECT (SELECT max(updated_at) FROM {table}),
       CASE WHEN current_setting('track_counts')::boolean
       THEN pg_stat_get_tuples_inserted('{table}'::regclass)
            + pg_stat_get_tuples_deleted('{table}'::regclass)
            + pg_stat_get_xact_tuples_inserted('{table}'::regclass)
            + pg_stat_get_xact_tuples_deleted('{table}'::regclass)
       ELSE (SELECT count(*) FROM {table}) END
"""
_NODE_CHANGES_SQL = _CHANGES_SQL.format(table="grids_gridnode")
_BUILDING_CHANGES_SQL = _CHANGES_SQL.format(table="grids_building")

# Each building's forms as the resolver indexes it under (`AddressIndex`), parsed once by the
# worker (`fill_forms`) instead of in every query that reads the building: parsing the ~20
# buildings a query reads was over a third of a resolve's CPU, and a city's buildings are too
# many for a process to keep theirs. The reads join a row only while it is what parsing would
# give now, and read the building's aliases where there is none: `source`, a 64-bit hash of the
# address and aliases it was parsed from (a building rewritten since reads as unparsed;
# hashtextextended, the hash PostgreSQL's hash partitioning keeps stable across versions), and
# `parsed_with`, the gazetteer's digest (the place names in front of every address, and the
# parser's own code: `gazetteer`). No foreign key, as grids_shape: a row of a deleted building
# is never read, and the fill removes it.
_FORMS_SQL = """
CREATE TABLE IF NOT EXISTS grids_building_forms (
  building_id bigint PRIMARY KEY,
  source bigint NOT NULL,
  parsed_with text NOT NULL,
  forms jsonb NOT NULL
);
"""
_FORMS_DROP_SQL = "DROP TABLE IF EXISTS grids_building_forms;"

_TRIGRAM_DROP_SQL = (
    _KEYS_DROP_SQL
    + _FORMS_DROP_SQL
    + """
DROP INDEX IF EXISTS grids_building_search_trgm;
ALTER TABLE grids_building DROP COLUMN IF EXISTS search_words;
DROP FUNCTION IF EXISTS grids_building_search(text, jsonb);
DROP FUNCTION IF EXISTS grids_search_words(text);
"""
)


def _extension(conn: BaseDatabaseWrapper, name: str) -> bool:
    """Create the extension if the server offers it and we may; False otherwise. In a
    savepoint: a refused CREATE EXTENSION (not a superuser) must not abort the migration."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [name])
        if cursor.fetchone() is None:
            return False
        try:
            with transaction.atomic(using=conn.alias):
                cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
        except Exception:
            return False
    return True


def install(conn: BaseDatabaseWrapper, *, fill: bool) -> dict[str, bool]:
    """Install what the server allows; with `fill`, (re)fill the shape table from the tree.
    Nothing on another database: SQLite has only the memory engine."""
    done = {"postgis": False, "pg_trgm": False}
    if conn.vendor != "postgresql":
        return done
    if _extension(conn, "postgis"):
        with conn.cursor() as cursor:
            cursor.execute(_POSTGIS_SQL)
            cursor.execute(_LOCATE_FUNCTION_SQL)
            if fill:
                cursor.execute(_POSTGIS_FILL_SQL)
        done["postgis"] = True
    if _extension(conn, "pg_trgm"):
        with conn.cursor() as cursor:
            cursor.execute(_TRIGRAM_SQL)
            cursor.execute(_SEARCH_INDEX_SQL)
            cursor.execute(_KEYS_SQL)
            cursor.execute(_FORMS_SQL)
        done["pg_trgm"] = True
    _changes_indexes(conn)
    return done


def _changes_indexes(conn: BaseDatabaseWrapper) -> None:
    """The change checks' indexes, those missing only: PostgreSQL refuses CREATE INDEX (even
    IF NOT EXISTS) on a table with pending trigger events, as in a transaction that has just
    written the tree (a rebuild after an import, in one transaction)."""
    with conn.cursor() as cursor:
        for name, sql in _CHANGES_INDEXES.items():
            cursor.execute("SELECT to_regclass(%s) IS NULL", [name])
            row = cursor.fetchone()
            if row is not None and row[0]:
                cursor.execute(sql)


def _holds(conn: BaseDatabaseWrapper, condition: str) -> bool:
    """Whether `condition`, one boolean expression, holds on a PostgreSQL database (never on
    another: SQLite has only the memory engine)."""
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {condition}")
        row = cursor.fetchone()
    return row is not None and bool(row[0])


def reindex(conn: BaseDatabaseWrapper) -> None:
    """The engine's indexes made as `install` makes them now, where its schema is installed
    (a migration's step when an index changes): the buildings' search index again, and the
    indexes the change checks read."""
    if _holds(conn, "to_regclass('grids_building_search_trgm') IS NOT NULL"):
        with conn.cursor() as cursor:
            cursor.execute(_SEARCH_INDEX_SQL)
        _changes_indexes(conn)


def install_keys(conn: BaseDatabaseWrapper) -> None:
    """The buildings' exact keys, where the trigram part of the schema is installed and they
    are not (a migration's step)."""
    if _holds(
        conn,
        "to_regclass('grids_building_search_trgm') IS NOT NULL "
        "AND to_regclass('grids_building_search_keys') IS NULL",
    ):
        with conn.cursor() as cursor:
            cursor.execute(_KEYS_SQL)


def install_forms(conn: BaseDatabaseWrapper) -> None:
    """The buildings' stored forms' table, where the trigram part of the schema is installed
    (a migration's step; the worker fills it)."""
    if _holds(conn, "to_regclass('grids_building_search_trgm') IS NOT NULL"):
        with conn.cursor() as cursor:
            cursor.execute(_FORMS_SQL)


def keys_installed(conn: BaseDatabaseWrapper) -> bool:
    """Whether the engine's keys are installed on this database (a migration's step that
    changes their lookups runs only there)."""
    return _holds(conn, "to_regclass('grids_building_search_keys') IS NOT NULL")


def keyed_function(conn: BaseDatabaseWrapper) -> None:
    """The keys' lookups made again as `install` makes them now, where the keys are installed
    (a migration's step when they change)."""
    if keys_installed(conn):
        with conn.cursor() as cursor:
            cursor.execute(_KEYED_FUNCTION_SQL)


def carrier_function(conn: BaseDatabaseWrapper) -> None:
    """The carriers' trigger function made again as `install` makes it now, and the carriers a
    name holds beyond CARRIERS let go (an older function could leave more), where the keys are
    installed (a migration's step when it changes). The triggers stay: CREATE OR REPLACE keeps
    the function they call."""
    if keys_installed(conn):
        with conn.cursor() as cursor:
            cursor.execute(_CARRIER_SYNC_SQL)
            cursor.execute(
                "DELETE FROM grids_name_carrier c USING ("
                "  SELECT key, building_id,"
                "         row_number() OVER (PARTITION BY key ORDER BY building_id) AS r"
                "  FROM grids_name_carrier"
                ") AS x WHERE x.r > %s AND c.key = x.key AND c.building_id = x.building_id",
                [CARRIERS],
            )


def locate_function(conn: BaseDatabaseWrapper) -> None:
    """The point's lookup made again as `install` makes it now, where the shapes are installed
    (a migration's step when it changes)."""
    if _holds(conn, f"to_regclass('{SHAPE_TABLE}') IS NOT NULL"):
        with conn.cursor() as cursor:
            cursor.execute(_LOCATE_FUNCTION_SQL)


def uninstall(conn: BaseDatabaseWrapper) -> None:
    """Drop our tables, triggers, functions and index; the extensions stay (others may use
    them)."""
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [SHAPE_TABLE])
        row = cursor.fetchone()
        if row is not None and row[0] is not None:
            cursor.execute(_POSTGIS_DROP_SQL)
        cursor.execute(_TRIGRAM_DROP_SQL)
        cursor.execute(_CHANGES_INDEX_DROP_SQL)


def installed() -> dict[str, bool]:
    """Which parts of the engine this database holds."""
    if connection.vendor != "postgresql":
        return {"postgis": False, "pg_trgm": False}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL, to_regclass('grids_building_search_trgm') "
            "IS NOT NULL",
            [SHAPE_TABLE],
        )
        row = cursor.fetchone()
    assert row is not None
    return {"postgis": bool(row[0]), "pg_trgm": bool(row[1])}


def node_changes() -> tuple[Any, ...]:
    """The tree's newest `updated_at` and rows inserted and deleted, as `indexes` compares
    them."""
    with connection.cursor() as cursor:
        cursor.execute(_NODE_CHANGES_SQL)
        return tuple(cursor.fetchone() or ())


def building_changes() -> tuple[Any, ...]:
    """The buildings' newest `updated_at` and rows inserted and deleted, as `indexes`
    compares them."""
    with connection.cursor() as cursor:
        cursor.execute(_BUILDING_CHANGES_SQL)
        return tuple(cursor.fetchone() or ())


_checked: list[bool] = []


def require_installed() -> None:
    """Refuse to serve in database mode without the engine's schema: a clear message at the
    warm start and on first use instead of an SQL error in a resident's report. Once found,
    a process does not ask again."""
    if _checked:
        return
    missing = [name for name, ok in installed().items() if not ok]
    if missing:
        raise ImproperlyConfigured(
            f"GRID_ENGINE=database needs {' and '.join(missing)} in this database: install "
            "them (make postgis-deps) and run `manage.py grid_engine_rebuild`"
        )
    _checked.append(True)


# --------------------------------------------------------------------------- locating

# A point's grids (`_LOCATE_FUNCTION_SQL`).
_LOCATE_SQL = "SELECT level, node_id FROM grids_locate(%s, %s)"
# The same for each of many points, by its place in the batch (a point in no grid has no row),
# in one statement planned once for the batch.
_LOCATE_MANY_SQL = """
SELECT t.n, found.level, found.node_id
FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS t(x, y, n)
CROSS JOIN LATERAL (
  SELECT DISTINCT ON (level) level, node_id FROM grids_shape
  WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326))
  ORDER BY level, code COLLATE "C", node_id
) AS found
"""

_MISS = Hit(None, None)


class ShapeLocator:
    """`GridIndex`'s lookups answered by PostGIS; holds nothing but this class."""

    def locate(self, lon: float, lat: float) -> Hit:
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValueError(f"坐标必须是有限数值：({lon}, {lat})")
        with connection.cursor() as cursor:
            cursor.execute(_LOCATE_SQL, [float(lon), float(lat)])
            rows = cursor.fetchall()
        if not rows:
            return _MISS
        found = dict(rows)
        return Hit(found.get("micro"), found.get("exclusive"))

    def locate_many(self, lons: Sequence[float] | Any, lats: Sequence[float] | Any) -> list[Hit]:
        xs = [float(x) for x in lons]
        ys = [float(y) for y in lats]
        if len(xs) != len(ys):
            raise ValueError("lons 和 lats 必须是等长的一维序列")
        if not all(math.isfinite(v) for v in (*xs, *ys)):
            raise ValueError("坐标必须是有限数值")
        hits: list[Hit] = []
        with connection.cursor() as cursor:
            for lo in range(0, len(xs), _BATCH):
                batch_xs, batch_ys = xs[lo : lo + _BATCH], ys[lo : lo + _BATCH]
                cursor.execute(_LOCATE_MANY_SQL, [batch_xs, batch_ys])
                found: dict[int, dict[str, int]] = {}
                for n, level, node_id in cursor.fetchall():
                    found.setdefault(n, {})[level] = node_id
                for n in range(1, len(batch_xs) + 1):
                    layers = found.get(n, {})
                    hits.append(Hit(layers.get("micro"), layers.get("exclusive")))
        return hits

    def __len__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM grids_shape")
            row = cursor.fetchone()
        return int(row[0]) if row else 0


SHAPE_LOCATOR = ShapeLocator()


# ------------------------------------------------------------------- address candidates

# How many buildings the database hands the resolver per part of a query. The resolver's own
# rules decide among them (exact forms, typos, competitors): enough that the place asked for
# and its near rivals are there, few enough to index per query (~45 µs a candidate). Over the
# foreign query sets 20 already cost a misroute and 50 matched the memory engine: 64.
CANDIDATES = 64
# The share of a part's trigrams a building's text must hold somewhere (pg_trgm's
# word_similarity): nearer buildings, however few, are candidates; farther ones never.
_WORD_SIMILARITY = "0.2"
# The parts asked: the whole text and each of its clauses, as `extract` cuts a sentence (an
# address is a small share of a 诉求内容, a large one of its clause).
_MAX_PARTS = 6
_MAX_PART = 200
# Each part's nearest buildings by the index's KNN scan (ORDER BY the distance operator alone:
# a second key, or the threshold inside, turns it back into a scan and sort of every building
# the threshold keeps), then those the threshold keeps; buildings equally near the last one
# kept are kept in the index's order. A part no building comes near (a clause of a sentence
# that names no place: 您好, 麻烦尽快派人来修一下) is not scanned for its nearest at all: the
# threshold's index scan says so in a few pages, where the nearest-first scan would read the
# whole index to learn that nothing is near (a sentence's candidates 500 → 180 ms at
# 1,000,000 buildings).
_CANDIDATES_SQL = """
WITH part AS MATERIALIZED (  -- each part cut into words once, and those nothing is near out
  SELECT cut.q FROM (SELECT grids_search_words(raw) AS q FROM unnest(%s::text[]) AS raw) AS cut
  WHERE EXISTS (SELECT FROM grids_building near WHERE cut.q <%% near.search_words)
)
SELECT b.id, b.address, CASE WHEN f.forms IS NULL THEN b.aliases END, n.path, f.forms
FROM (
  SELECT DISTINCT found.id
  FROM part
  CROSS JOIN LATERAL (
    SELECT b.id, b.search_words FROM grids_building b
    ORDER BY part.q <<-> b.search_words
    LIMIT %s
  ) AS found
  WHERE part.q <%% found.search_words
) AS chosen
JOIN grids_building b ON b.id = chosen.id
JOIN grids_gridnode n ON n.id = b.micro_grid_id
LEFT JOIN grids_building_forms f ON f.building_id = b.id AND f.parsed_with = %s
  AND f.source = hashtextextended(b.address || b.aliases::text, 0)
ORDER BY b.id
"""


class StoredForms:
    """The stored forms (`_FORMS_SQL`) of the buildings one query reads, those current over
    the gazetteer whose digest is ``parsed_with``, by building id."""

    __slots__ = ("by_id", "parsed_with")

    def __init__(self, parsed_with: str) -> None:
        self.parsed_with = parsed_with
        self.by_id: dict[int, tuple[Form, ...]] = {}

    def take(self, read: Iterable[tuple[int, Any]]) -> None:
        """The stored forms of the rows a query read, (building id, forms or None), a
        building's first row kept. Decoded in one pass: Django's psycopg setup hands jsonb
        over as its text, and one `json.loads` of them all costs a third of one per row."""
        pending: dict[int, Any] = {}
        for building_id, stored in read:
            if stored is not None and building_id not in self.by_id:
                pending.setdefault(building_id, stored)
        if not pending:
            return
        texts = list(pending.values())
        if all(isinstance(text, str) for text in texts):
            decoded = json.loads(f"[{','.join(texts)}]")
        else:
            decoded = [json.loads(t) if isinstance(t, str) else t for t in texts]
        for building_id, forms in zip(pending, decoded, strict=True):
            self.by_id[building_id] = _as_forms(forms)


def _as_forms(stored: Sequence[Sequence[Any]]) -> tuple[Form, ...]:
    """Stored forms as `AddressIndex` takes them (JSON has lists for its tuples)."""
    return tuple(
        (road, number, compound, tuple(numbers)) for road, number, compound, numbers in stored
    )


def _parts(text: str) -> list[str]:
    """The text's clauses, or the text if it is one, each as written and normalized: the
    index holds the stored text as written (天山四村), the resolver reads the normalized one
    (天山4村). Not the whole of a text of several clauses as well: an address never spans
    two, and a sentence's nearest buildings are its address clause's, found at several times
    the cost (its many trigrams leave the index scan little to prune with)."""
    text = text[:_MAX_TEXT]
    parts: list[str] = []
    clauses = [c for c in CLAUSE_RE.split(text) if c.strip()]
    for piece in clauses if len(clauses) > 1 else [text]:
        for form in (piece.strip(), normalize_text(piece)):
            form = form[:_MAX_PART]
            if len(form) >= 2 and form not in parts:
                parts.append(form)
    return parts[:_MAX_PARTS]


def candidate_rows(
    text: str, limit: int | None = None, forms: StoredForms | None = None
) -> list[BuildingEntry]:
    """The buildings whose address or aliases are nearest the text or one of its clauses, as
    `AddressIndex` reads them (in id order: the index must not depend on the ranking). Into
    ``forms``, those stored current over its gazetteer (``forms.parsed_with``): the aliases of
    those buildings are not read."""
    parts = _parts(text)
    if not parts:
        return []
    with connection.cursor() as cursor:
        # A session setting, not a statement's: set each time, since pooled connections are
        # shared with code that may have changed it.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [_WORD_SIMILARITY],
        )
        cursor.execute(
            _CANDIDATES_SQL,
            [parts, limit or CANDIDATES, forms.parsed_with if forms is not None else ""],
        )
        rows = cursor.fetchall()
    found: list[BuildingEntry] = [(i, a, _aliases(al), p or "") for i, a, al, p, _made in rows]
    if forms is not None:
        forms.take((row[0], row[4]) for row in rows)
    return found


# The exact keys looked up first: at most this many buildings for a query's name-and-number
# keys (a name shared by every district, with a common number, is tens); more and the set
# cannot be trusted to hold every rival, so only a tie of exact matches is taken from it.
# Each costs the resolver ~45 µs to index.
_KEYED_CAP = CANDIDATES
# Names longer than this are a sentence's words glued to a name (我家住在嵩山路): their
# shorter ends are asked, not every part.
_MAX_NAME = 12
_WORD_CUT = (re.compile(r"([0-9]+)"), re.compile(f"([{PLACE_WORD_CHARS}])"))
# A compound's generic word alone (林梁1小区 is cut 林梁 1 小区): held by a fifth of a city's
# buildings, it is no name to look up.
_GENERIC = frozenset(GENERIC_COMPOUND_SUFFIXES)
_HAS_DIGIT = re.compile(r"[0-9]")


def _number(word: str) -> bool:
    """A word that is a number as `grids_search_keys` reads one ([0-9]+)."""
    return word.isascii() and word.isdigit()


def _words(text: str) -> list[str]:
    """The text cut into words as `grids_search_words` cuts a stored address."""
    numbers, places = _WORD_CUT
    return places.sub(r"\1 ", numbers.sub(r" \1 ", text)).split()


# What may follow a door's 号: a building's number, or the word that makes it a compound's or a
# building's (12号院, 3号楼). Anything else is part of the door (22号甲, 5号之一), which the
# keys do not hold.
_AFTER_DOOR = frozenset({"院", "楼", "栋", "幢", "座", "单元"})


def _a_door(words: Sequence[str], i: int) -> bool:
    """Whether the number at `i` is a door's or a building's, written whole: the text ends
    after it or its 号, or its 号 is followed by a number or a building word."""
    if i + 1 == len(words):
        return True
    if words[i + 1] != "号":
        return False
    after = words[i + 2] if i + 2 < len(words) else ""
    return not after or _number(after) or after in _AFTER_DOOR or not after[0].isalnum()


@dataclass(frozen=True)
class QueryKeys:
    """A query's keys, by how sure a building holding one is to be meant: ``exact`` (a name
    of the query with the number after it), ``near`` (one of those names with a character
    mistyped, missing or added), ``numbered`` (each name a number follows, with its shorter
    ends). ``names``: every name of the query and those one character from it, each of which
    a few buildings are read for, so that the resolver knows which names exist and which are
    like them (a real road that is not the one asked is no typo of it; 新风村 is as near 新丰村
    as 新峰村)."""

    exact: tuple[str, ...]
    near: tuple[str, ...]
    numbered: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    # A short name a number follows that is not a road's (新风村): one character of it is a
    # third of it, and which of its like names was meant is the resolver's question over all
    # of them (`AddressIndex._rival_names`).
    short_name: bool
    # Every number of the query is a door's or a building's (…号, …号楼), none part of a name
    # (天山4村, 和平里7区, 东四10条): the names were read whole, so that a name none of whose
    # buildings has the number is a refusal.
    doors_only: bool


def query_keys(parts: Sequence[str], places: frozenset[str] = frozenset()) -> QueryKeys:
    """The keys of a query's parts (`_parts`), as `grids_search_keys` writes a building's.
    Each name is asked with its shorter ends too (住嵩山路 → 嵩山路), for a sentence's words
    glued to it; the near keys of the whole name only. ``places``: the tree's place names,
    which the gazetteer reads and every building of a district holds."""
    exact: dict[str, None] = {}
    near: dict[str, None] = {}
    numbered_names: dict[tuple[str, ...], None] = {}
    names: dict[str, None] = {}
    short_name = False
    doors_only = True
    for part in parts:
        words = _words(part)
        doors_only &= all(_a_door(words, i) for i, word in enumerate(words) if _number(word))
        for i, word in enumerate(words):
            if len(word) < 2 or _HAS_DIGIT.search(word) or word in places or word in _GENERIC:
                continue
            number = words[i + 1] if i + 1 < len(words) else ""
            numbered = _number(number)
            ends = tuple(
                word[start:] for start in range(max(0, len(word) - _MAX_NAME), len(word) - 1)
            )
            for name in ends:
                names[name] = None
                if numbered:
                    exact[f"{name} {number}"] = None
            if numbered:
                numbered_names[ends] = None
            name = word[-_MAX_NAME:]
            names[f"~{name}"] = None
            if numbered:
                near[f"~{name} {number}"] = None
                short_name |= len(name) <= SHORT_NAME and not name.endswith(ROAD_SUFFIXES)
            if len(name) >= 3:
                for at in range(len(name)):
                    short = name[:at] + name[at + 1 :]
                    names[short] = names[f"~{short}"] = None
                    if numbered:
                        near[f"{short} {number}"] = near[f"~{short} {number}"] = None
    return QueryKeys(
        tuple(exact), tuple(near), tuple(numbered_names), tuple(names), short_name, doors_only
    )


@dataclass
class KeyedRows:
    """What `keyed_rows` read: the buildings kept for the query's names, and the names some
    building has; the buildings holding its exact keys, and its near keys."""

    carriers: list[BuildingEntry]
    known: set[str]
    exact: list[BuildingEntry]
    near: list[BuildingEntry]


def keyed_rows(keys: QueryKeys, forms: StoredForms | None = None) -> KeyedRows:
    """The buildings of a query's keys, each list in id order; into ``forms``, as
    `candidate_rows`, those stored current."""
    found = KeyedRows([], set(), [], [])
    if not keys.names and not keys.exact and not keys.near:
        return found
    most = _KEYED_CAP + 1
    parsed_with = forms.parsed_with if forms is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            _KEYED_ROWS_SQL,
            [list(keys.names), list(keys.exact), most, list(keys.near), most, parsed_with],
        )
        rows = cursor.fetchall()
    lists = (found.carriers, found.exact, found.near)
    rows.sort(key=lambda row: row[1])
    for stages, i, a, al, p, names, _made in rows:
        entry = (i, a, _aliases(al), p or "")
        for stage, into in enumerate(lists):
            if stages >> stage & 1:
                into.append(entry)
        if names:
            found.known.update(names)
    if forms is not None:
        forms.take((row[1], row[6]) for row in rows)
    return found


def _exact_answer(result: Resolution) -> bool:
    """An answer by the exact path: one building, nothing like it."""
    return (
        result.building_id is not None and result.confidence >= 1.0 and len(result.candidates) == 1
    )


def _exact_tie(result: Resolution) -> bool:
    """A refusal between buildings that each match exactly: more buildings can only add
    rivals to it, never an answer (a building cannot score above an exact match)."""
    return (
        result.building_id is None
        and len(result.candidates) >= 2
        and result.candidates[1].score >= 1.0
    )


def _decides(stage: str, result: Resolution, complete: bool, keys: QueryKeys) -> bool:
    """Whether what the keyed buildings gave is what every building would give.

    * A tie of exact matches: always (more buildings add rivals, never an answer).
    * An exact answer, when every building holding the keys was read (a rival holds them).
    * A mistyped name's answer or tie (`near`), on the same condition, and when no name a
      number follows is a short name other than a road's (`short_name`): its rivals hold a
      key of one character left out of the name, as it does, but a short name's like names
      are too many to read a few buildings of each.
    Otherwise `_refused_by_name`, or the trigram index's nearest buildings."""
    if _exact_tie(result):
        return True
    if complete and _exact_answer(result):
        return True
    if stage != "near" or not complete or keys.short_name:
        return False
    return result.building_id is not None or _tie(result)


def _tie(result: Resolution) -> bool:
    """A refusal between buildings of equal score: of like names with the number asked
    (华设路3870号: 建设路 or 华山路?), each holding a near key as the query does; a building
    of no near key is further from the query than they are, and adds a rival at most."""
    return len(result.candidates) >= 2 and result.candidates[0].score == result.candidates[1].score


def _refused_by_name(result: Resolution, keys: QueryKeys, known: set[str]) -> bool:
    """A refusal that every building would give: each name a number follows is one some
    building has (`known`), no building has the number after it, and every number is a
    door's (`doors_only`: a number inside a name, 天山4村, leaves the names unread). It lists
    the buildings kept for the name that the place asked admits, if any: fewer than the
    trigram index's nearest would, which a dispatcher picks from by hand anyway."""
    return (
        keys.doors_only
        and result.building_id is None
        and all(any(name in known for name in ends) for ends in keys.numbered)
    )


def _aliases(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value] if isinstance(value, list) else []


_MAX_TEXT = 2_000

# The front of every stored address and alias up to its first digit, with the first three
# codes of its path (the district is among them, at the top or under a city: `district_of`
# picks it): all the place names in front of an address are there (a name never follows a
# digit), and addresses that share their front share their reading. Far fewer than the
# buildings.
_FRONTS_SQL = """
SELECT DISTINCT coalesce(substring(n.path from '^(?:[^/]*/){1,3}'), n.path), t.official,
       substring(t.text from '^[^0-9]*[0-9]?')
FROM grids_building b JOIN grids_gridnode n ON n.id = b.micro_grid_id
CROSS JOIN LATERAL (
  SELECT b.address, true
  UNION ALL
  SELECT value, false FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(b.aliases) = 'array' THEN b.aliases ELSE '[]'::jsonb END)
) AS t(text, official)
WHERE b.updated_at >= %s
"""
# The addresses and aliases as far as the name after their first number (西郊路91号西郊花园3栋
# is 西郊路0号西郊花园; the alias 西郊花园3栋 is 西郊花园0栋): the names an address in English may
# write, a compound's included. Numbers are written 0, so a road's plain doors are one row.
_ENGLISH_FRONTS_SQL = """
SELECT DISTINCT regexp_replace(substring(t.text from '^[^0-9]*(?:[0-9]+[^0-9]*)?'),
                               '[0-9]+', '0', 'g')
FROM grids_building b
CROSS JOIN LATERAL (
  SELECT b.address
  UNION ALL
  SELECT value FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(b.aliases) = 'array' THEN b.aliases ELSE '[]'::jsonb END)
) AS t(text)
WHERE b.updated_at >= %s
"""
# The buildings' rows updated and deleted, as the server's statistics count them (the asking
# transaction's included; see `_CHANGES_SQL`); NULL where they are not kept.
_REWRITES_SQL = """
SELECT CASE WHEN current_setting('track_counts')::boolean
  THEN pg_stat_get_tuples_updated('grids_building'::regclass)
       + pg_stat_get_tuples_deleted('grids_building'::regclass)
       + pg_stat_get_xact_tuples_updated('grids_building'::regclass)
       + pg_stat_get_xact_tuples_deleted('grids_building'::regclass)
  END
"""


def _fronts(since: datetime | None = None) -> list[tuple[str, bool, str]]:
    """The fronts of every address and alias (`_FRONTS_SQL`), or of the buildings written since
    then (through the index on `updated_at`: a million buildings' are a ten-second scan)."""
    with connection.cursor() as cursor:
        cursor.execute(_FRONTS_SQL, [since or _EVER])
        return [(key, official, front) for key, official, front in cursor.fetchall() if front]


def building_rewrites() -> int | None:
    """How many building rows were ever updated or deleted (None where the server keeps no
    such counts): while it stands still, the buildings have only been added to."""
    with connection.cursor() as cursor:
        cursor.execute(_REWRITES_SQL)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def gazetteer(places: Sequence[PlaceEntry]) -> Gazetteer:
    """The place names of the tree and of every stored address, learnt as the memory engine's
    index learns them: shared by the small index made for each query, so that a city or
    district named in front of an address is known whichever buildings are candidates. Its
    digest covers what it learnt and the code that reads it (`_code_digest`): a building
    added under names already known leaves it as it was, and the forms stored with it."""
    names = Gazetteer()
    for name, level, path in places:
        names.add_node(name, level, path)
    for key, _official, front in _fronts():
        names.learn(normalize_text(front), names.district_of(key))
    names.learnt()
    names.digest = _digest(names)
    return names


def _digest(names: Gazetteer) -> str:
    return hashlib.sha256(f"{_code_digest()} {names.learnt_digest()}".encode()).hexdigest()[:32]


def gazetteer_grown(names: Gazetteer, since: datetime) -> Gazetteer:
    """``names`` after buildings were added since then, none updated or deleted (learning only
    adds): the same object when they teach nothing new, as under names a city already has,
    so that what is kept or stored over it stays good; else a copy that learnt them."""
    fronts = [
        (normalize_text(front), names.district_of(key)) for key, _official, front in _fronts(since)
    ]
    if not any(names.teaches(text, district) for text, district in fronts):
        return names
    grown = copy.deepcopy(names)
    for text, district in fronts:
        grown.learn(text, district)
    grown.learnt()
    digest = _digest(grown)
    if digest == names.digest:
        return names
    grown.digest = digest
    return grown


@functools.cache
def _code_digest() -> str:
    """The digest of the code that parses a building's forms, the address package's files
    (how this module teaches the gazetteer is in what it learnt): forms another version parsed
    are not read, and the fill parses them again."""
    digest = hashlib.sha256()
    folder = Path(addresses.__file__).parent
    files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_FORMS_STALE_SQL = """
SELECT b.id, b.address, b.aliases, hashtextextended(b.address || b.aliases::text, 0)
FROM grids_building b
LEFT JOIN grids_building_forms f ON f.building_id = b.id
WHERE b.id > %s AND b.updated_at >= %s
  AND (f.building_id IS NULL OR f.parsed_with <> %s
       OR f.source <> hashtextextended(b.address || b.aliases::text, 0))
ORDER BY b.id
LIMIT %s
"""
# Before any building was written: `fill_forms` without `since` reads them all.
_EVER = datetime(1, 1, 1, tzinfo=UTC)
_FORMS_STORE_SQL = """
INSERT INTO grids_building_forms (building_id, source, parsed_with, forms)
SELECT t.id, t.source, %s, t.forms::jsonb
FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS t(id, source, forms)
ON CONFLICT (building_id) DO UPDATE
  SET source = EXCLUDED.source, parsed_with = EXCLUDED.parsed_with, forms = EXCLUDED.forms
"""
_FORMS_GONE_SQL = """
DELETE FROM grids_building_forms f
WHERE NOT EXISTS (SELECT FROM grids_building b WHERE b.id = f.building_id)
"""
# Whether the table holds rows and none is current over the digest asked: after the place
# names or the parser changed, every row is to be written again.
_FORMS_NONE_CURRENT_SQL = """
SELECT EXISTS (SELECT FROM grids_building_forms)
   AND NOT EXISTS (SELECT FROM grids_building_forms WHERE parsed_with = %s)
"""
# How long emptying the table may wait for the queries reading it (TRUNCATE takes its lock
# whole, and readers queue behind a waiting TRUNCATE): past it, the rows are written over.
_FORMS_TRUNCATE_WAIT = "2s"
# Buildings parsed and stored in one transaction by the fill.
_FORMS_BATCH = 2_000


def fill_forms(names: Gazetteer, since: datetime | None = None) -> int:
    """Store the forms over ``names`` of every building whose stored ones are missing or not
    current (the worker's job: `indexes.store_forms`); how many were stored. With ``since``,
    of the buildings written since then only (their `updated_at`, through its index: reading
    every building's hash is ~9 s of the database's time at a million); without it, of all,
    and the rows of buildings gone are dropped. A batch at a time, each its own transaction:
    a building written meanwhile keeps the hash of the text that was parsed, so it reads as
    unparsed until the next fill, never with another text's forms."""
    if not names.digest:
        raise ValueError("forms are stored against the database engine's gazetteer")
    if since is None:
        _empty_forms_if_none_current(names.digest)
    stored = 0
    after = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FORMS_STALE_SQL, [after, since or _EVER, names.digest, _FORMS_BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            made = [
                json.dumps(building_forms(names, address, _aliases(aliases)), ensure_ascii=False)
                for _i, address, aliases, _source in rows
            ]
            cursor.execute(
                _FORMS_STORE_SQL,
                [names.digest, [row[0] for row in rows], [row[3] for row in rows], made],
            )
        stored += len(rows)
        after = rows[-1][0]
    if since is None:
        with connection.cursor() as cursor:
            cursor.execute(_FORMS_GONE_SQL)
    return stored


def _empty_forms_if_none_current(digest: str) -> None:
    """Empty the table when no row is current over ``digest``: every row would be written
    again, and an UPDATE of each leaves the old one dead beside it (a million buildings'
    202 MB became 402 MB, until a VACUUM FULL). A row no query reads is lost: the processes
    of the code before, during a deploy, parse those buildings per query again."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FORMS_NONE_CURRENT_SQL, [digest])
            row = cursor.fetchone()
            if row is None or not row[0]:
                return
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [_FORMS_TRUNCATE_WAIT])
            cursor.execute("TRUNCATE grids_building_forms")
    except OperationalError:  # the readers held on: write over the rows instead
        logger.info("grids_building_forms not emptied: its readers held it", exc_info=True)


def pinyin_names(names: Gazetteer) -> PinyinNames:
    """The names an address written in English is translated with: as the memory engine's
    index takes them, the place names and each official address's road part."""
    return PinyinNames(_english_names(names, None))


def pinyin_names_grown(known: PinyinNames, names: Gazetteer, since: datetime) -> PinyinNames:
    """``known`` after buildings were only added since then, over the same ``names``: with the
    road parts of those written since (as `gazetteer_grown`)."""
    return known.grown(_english_names(names, since))


def _english_names(names: Gazetteer, since: datetime | None) -> list[str]:
    found = set(names.names_with_around())
    with connection.cursor() as cursor:
        cursor.execute(_ENGLISH_FRONTS_SQL, [since or _EVER])
        fronts = [front for (front,) in cursor.fetchall() if front]
    for front in fronts:
        found.update(english.rest_names(names.stored_rest(normalize_text(front))))
    return sorted(name for name in found if len(name) >= 2)


# Buildings whose forms a process keeps (`kept_forms`): at most 8 MB. Each query reads ~20
# buildings, most of them the few kept for each of its names, which queries share.
_FORMS_KEPT = 8_192


@functools.lru_cache(maxsize=1)
def _forms_over(names: Gazetteer) -> BuildingForms:
    """The buildings' forms parsed over this gazetteer, kept while it is the one in use (a
    resolver is made per query; a new gazetteer, when the buildings or the tree change, starts
    them anew)."""
    return kept_forms(names, _FORMS_KEPT)


class CandidateResolver:
    """`AddressIndex`'s resolving over the database's candidates for each query: the same
    rules, on the buildings that could be meant instead of every building."""

    def __init__(self, names: Gazetteer, english_names: Callable[[], PinyinNames]) -> None:
        self._names = names
        self._english_names = english_names
        self._places = names.name_set()
        self._forms = _forms_over(names)

    def _index(self, rows: Sequence[BuildingEntry], stored: StoredForms) -> AddressIndex:
        return AddressIndex(
            rows,
            gazetteer=self._names,
            forms=self._forms,
            known_forms=stored.by_id,
            remember_answers=True,
        )

    def chinese_order(self, text: str) -> str | None:
        """An address in English word order in Chinese order, to look its candidates up with."""
        return english.in_chinese_order(text, self._english_names)

    def _answer(self, asked: str, answer: Callable[[AddressIndex], Resolution]) -> Resolution:
        """`answer` over the buildings the query's exact keys find, stage by stage, when they
        decide as every building would (see `_decides`); otherwise over the trigram index's
        nearest buildings."""
        keys = query_keys(_parts(asked), self._places)
        stored = StoredForms(self._names.digest)
        if not keys.exact and not keys.near:
            return answer(self._index(candidate_rows(asked, forms=stored), stored))
        found = keyed_rows(keys, stored)
        rows: dict[int, BuildingEntry] = {row[0]: row for row in found.carriers}
        complete = True
        result: Resolution | None = None
        for stage, stage_rows in (("exact", found.exact), ("near", found.near)):
            if len(stage_rows) > _KEYED_CAP:
                stage_rows = stage_rows[:_KEYED_CAP]
                complete = False
            new = [row for row in stage_rows if row[0] not in rows]
            if new or result is None:
                rows.update((row[0], row) for row in new)
                result = answer(self._index(sorted(rows.values()), stored))
            if _decides(stage, result, complete, keys):
                return result
        if result is not None and _refused_by_name(result, keys, found.known):
            return result
        return answer(self._index(candidate_rows(asked, forms=stored), stored))

    def resolve(self, query: str) -> Resolution:
        chinese = self.chinese_order(query)
        if chinese is None:
            return Resolution(None, None, 0.0, [])
        return self._answer(chinese, lambda index: index.resolve(chinese))

    def resolve_in_text(self, text: str) -> Resolution:
        asked = self.chinese_order(text) or text
        return self._answer(asked, lambda index: index.resolve_in_text(text))

    def __len__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM grids_building")
            row = cursor.fetchone()
        return int(row[0]) if row else 0
