# Case search (selectors.search_cases) looks for words anywhere in a case's title, description
# and address. On PostgreSQL pg_trgm's GIN indexes make that an index search; the expressions
# are UPPER(col), exactly what Django's `icontains` compares, so the planner can use them. SQLite
# has no trigram index: it keeps the plain LIKE scan, and nothing here runs there. The indexes
# live outside the model state (no GinIndex in Meta) because SQLite could not create them.

from django.db import migrations

COLUMNS = ("title", "description", "address")


def _name(column: str) -> str:
    return f"cases_case_{column}_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_name(column)} ON cases_case "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_name(column)}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_merge_department_members_and_never_deleted"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
