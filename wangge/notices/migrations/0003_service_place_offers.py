"""The 八可 stored as `Offer` values, in the reports' words: 可就餐 became 可餐食 and 可洗漱 became
可盥洗; every word the list held is taken to its value (one the 八可 do not name is dropped:
nothing could offer it)."""

from typing import Any

from django.db import migrations

WORDS = {
    "可学习": "study",
    "可饮水": "water",
    "可就餐": "meals",
    "可餐食": "meals",
    "可充电": "charge",
    "可休息": "rest",
    "可洗漱": "wash",
    "可盥洗": "wash",
    "可上网": "internet",
    "可娱乐": "play",
}
BACK = {
    "study": "可学习",
    "water": "可饮水",
    "meals": "可就餐",
    "charge": "可充电",
    "rest": "可休息",
    "wash": "可洗漱",
    "internet": "可上网",
    "play": "可娱乐",
}


def _map(apps: Any, table: dict[str, str]) -> None:
    ServicePlace = apps.get_model("notices", "ServicePlace")
    for place in ServicePlace.objects.all():
        mapped = list(dict.fromkeys(table[s] for s in place.services or [] if s in table))
        if mapped != place.services:
            place.services = mapped
            place.save(update_fields=["services"])


def forwards(apps: Any, schema_editor: Any) -> None:
    _map(apps, WORDS)


def backwards(apps: Any, schema_editor: Any) -> None:
    _map(apps, BACK)


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_serviceplace")]

    operations = [migrations.RunPython(forwards, backwards)]
