"""The event types a district starts with (wangge/video/data/event_types.csv), which the
operator then edits in the admin: a new install has a table to change, not one to write."""

import csv
from pathlib import Path
from typing import Any

from django.db import migrations

DEFAULTS = Path(__file__).resolve().parents[1] / "data" / "event_types.csv"
MODES = {"自动派单": "auto", "待确认": "confirm"}


def load(apps: Any, schema_editor: Any) -> None:
    kinds = apps.get_model("video", "VideoEventType")
    with DEFAULTS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kinds.objects.get_or_create(
                code=row["编码"],
                defaults={
                    "name": row["名称"],
                    "category_code": row["派单目录编码"],
                    "min_confidence": float(row["置信度下限"]),
                    "mode": MODES[row["处置方式"]],
                    "window_minutes": int(row["合并时间窗（分钟）"]),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("video", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
