from django.db import migrations

from wangge.points.rules import DEFAULT_RULES, default_rules_load


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    default_rules_load(apps.get_model("points", "EarningRule"))


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    EarningRule = apps.get_model("points", "EarningRule")
    Earning = apps.get_model("points", "Earning")
    codes = [r[0] for r in DEFAULT_RULES]
    used = set(Earning.objects.filter(rule__code__in=codes).values_list("rule__code", flat=True))
    EarningRule.objects.filter(code__in=set(codes) - used).delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0002_earning_rules")]
    operations = [migrations.RunPython(seed, unseed)]
