"""The resolver's round trip reads each building once, with the stages that found it, instead
of once for each stage and name (`dbengine/sql/keyed_query.sql`). Only where the engine's keys
are installed."""

from typing import Any

from django.db import migrations

from wangge.grids import dbengine

# The round trip as 0011 made it, one row a stage and a building, for the code of before when
# the instance goes back to 0011 (its callers read that shape). A copy, not `dbengine`'s: what
# 0011 made must not follow later changes of the statement.
_ROWS_OF_BEFORE = """
DROP FUNCTION IF EXISTS grids_keyed_rows(text[], text[], integer, text[], integer, text);
CREATE FUNCTION grids_keyed_rows(text[], text[], integer, text[], integer, text)
RETURNS TABLE (
  stage integer, id bigint, address varchar, aliases jsonb, path varchar, key text, forms jsonb
)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY SELECT k.stage, b.id, b.address, CASE WHEN b.forms IS NULL THEN b.aliases END,
         b.path, k.key, b.forms
  FROM (
    SELECT 0 AS stage, c.building_id AS id, c.key FROM grids_name_carrier c
    WHERE c.key = ANY($1)
    UNION ALL
    SELECT 1, e.id, NULL FROM grids_keyed($2, $3) AS e(id)
    UNION ALL
    SELECT 2, e.id, NULL FROM grids_keyed($4, $5) AS e(id)
  ) AS k
  CROSS JOIN LATERAL (
    SELECT b.id, b.address, b.aliases,
           (SELECT n.path FROM grids_gridnode n WHERE n.id = b.micro_grid_id) AS path,
           (SELECT f.forms FROM grids_building_forms f
            WHERE f.building_id = b.id AND f.parsed_with = $6
              AND f.source = hashtextextended(b.address || b.aliases::text, 0)) AS forms
    FROM grids_building b WHERE b.id = k.id
    LIMIT 1
  ) AS b;
END $$;
"""


def forwards(apps: Any, schema_editor: Any) -> None:
    dbengine.keyed_function(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    if dbengine.keys_installed(conn):
        with conn.cursor() as cursor:
            cursor.execute(_ROWS_OF_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0011_database_engine_kept_plans"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
