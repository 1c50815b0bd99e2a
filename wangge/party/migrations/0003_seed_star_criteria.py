"""The default 五星支部 criteria and the one-star-per-point bands (the 党工委 edits them in the
admin; an existing row is never changed)."""

from django.db import migrations

from wangge.party.stars import default_criteria_load


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    default_criteria_load(apps.get_model("party", "StarCriterion"), apps.get_model("party", "StarBand"))


class Migration(migrations.Migration):
    dependencies = [("party", "0002_star_rating")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
