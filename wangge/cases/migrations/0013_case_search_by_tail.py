# The desk's search by the end of a number, as callers read numbers out on the phone:
# - the reporter's phone by its last four digits: a keyed hash of them in its own indexed column
#   (core.pii.phone_tail_hash), filled here for the cases already stored, from the masked column
#   that already shows those digits (no row is decrypted);
# - the case number by its last 4–6 digits (`number LIKE '%1234'`): on PostgreSQL a pg_trgm GIN
#   index on the number serves it; SQLite scans, as it does for the words of the text search.
# Batches by primary key, as 0005 does: SQLite does not promise a cursor over a table that the
# same connection is updating.

from django.db import migrations, models

from wangge.core import pii

BATCH = 500
NUMBER_TRGM = "cases_case_number_trgm"


def fill_tail_hashes(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    pks = list(
        Case.objects.exclude(reporter_phone_masked="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        cases = list(
            Case.objects.filter(pk__in=pks[start : start + BATCH]).only(
                "pk", "reporter_phone_masked", "reporter_phone_tail_hash"
            )
        )
        for case in cases:
            case.reporter_phone_tail_hash = pii.phone_tail_hash(
                pii.phone_tail(case.reporter_phone_masked)
            )
        Case.objects.bulk_update(cases, ["reporter_phone_tail_hash"])


def number_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NUMBER_TRGM} ON cases_case "
        "USING gin ((number::text) gin_trgm_ops)"
    )


def drop_number_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NUMBER_TRGM}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_case_indexes_led_by_composites"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reporter_phone_tail_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="联系电话尾号摘要"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["reporter_phone_tail_hash"], name="cases_case_reporte_392c29_idx"
            ),
        ),
        migrations.RunPython(fill_tail_hashes, migrations.RunPython.noop),
        migrations.RunPython(number_trigram_index, drop_number_trigram_index),
    ]
