"""Department members become rows of their own (DepartmentMember), which remember the 承办人
grant they gave; existing members are carried over."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_members(apps, schema_editor):
    Department = apps.get_model("cases", "Department")
    DepartmentMember = apps.get_model("cases", "DepartmentMember")
    Old = Department.members.through
    DepartmentMember.objects.bulk_create(
        DepartmentMember(department_id=row.department_id, user_id=row.user_id)
        for row in Old.objects.all()
    )


def copy_back(apps, schema_editor):
    Department = apps.get_model("cases", "Department")
    DepartmentMember = apps.get_model("cases", "DepartmentMember")
    Old = Department.members.through
    Old.objects.bulk_create(
        Old(department_id=m.department_id, user_id=m.user_id)
        for m in DepartmentMember.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_protect_phones_in_axes_and_change_log"),
        ("cases", "0007_merge_protected_reporter_phones"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DepartmentMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("added_at", models.DateTimeField(auto_now_add=True, verbose_name="加入时间")),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="添加人",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="cases.department",
                        verbose_name="职能部门",
                    ),
                ),
                (
                    "grant",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="department_memberships",
                        to="accounts.rolegrant",
                        verbose_name="角色授予",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="department_memberships",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="承办人",
                    ),
                ),
            ],
            options={
                "verbose_name": "部门承办人",
                "verbose_name_plural": "部门承办人",
                "ordering": ("department", "pk"),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("department", "user"), name="department_member_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_members, copy_back),
        migrations.RemoveField(model_name="department", name="members"),
        migrations.AddField(
            model_name="department",
            name="members",
            field=models.ManyToManyField(
                blank=True,
                related_name="departments",
                through="cases.DepartmentMember",
                through_fields=("department", "user"),
                to=settings.AUTH_USER_MODEL,
                verbose_name="承办人",
            ),
        ),
    ]
