# The desk's search box finds a caller by name too (selectors.search_cases): on PostgreSQL a
# pg_trgm GIN index on UPPER(reporter_name), what Django's `icontains` compares, as migration
# 0010 made for the title, description and address. SQLite keeps its scan; nothing runs there.

from django.db import migrations

INDEX = "cases_case_reporter_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case "
        "USING gin ((UPPER(reporter_name::text)) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0025_case_public_hold"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
