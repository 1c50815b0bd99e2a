"""Each checklist item says the problem a failed check reports, and the case is titled by it
(an item reads as the condition that passes: “无从楼上窗户向下飞线充电”)."""

from typing import Any

from django.db import migrations, models

from wangge.ledgers.checklists import problems_load


def fill(apps: Any, schema_editor: Any) -> None:
    problems_load(apps.get_model("ledgers", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0006_remove_plain_organisation_contact_phone")]
    operations = [
        migrations.AddField(
            model_name="checklistitem",
            name="problem",
            field=models.CharField(
                default="",
                help_text="检查不合格时上报的问题，如“从楼上窗户向下飞线充电”，用作事件标题",
                max_length=200,
                verbose_name="不合格时的问题",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
