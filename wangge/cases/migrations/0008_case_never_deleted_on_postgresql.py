# Cases are never hard-deleted (wangge/cases/retention.py). On PostgreSQL a row trigger refuses
# DELETE on cases_case from any client, raw SQL included, except inside case_purge_sample's
# transaction (it sets wangge.purge_sample_cases for that transaction only). TRUNCATE, which
# Django's flush uses between tests, fires no row trigger. SQLite gets no trigger: its flush is
# DELETE, so the guard there is the model, queryset and pre_delete receiver.

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cases_case_refuse_delete() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('wangge.purge_sample_cases', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    -- No format placeholder: the migration's SQL goes through the driver's parameter parser.
    RAISE EXCEPTION USING
        MESSAGE = '事件不能删除；不需要办理的事件请作废（' || coalesce(OLD.number, '') || '）',
        ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_case_never_deleted BEFORE DELETE ON cases_case
    FOR EACH ROW EXECUTE FUNCTION cases_case_refuse_delete();
"""

DROP = """
DROP TRIGGER IF EXISTS cases_case_never_deleted ON cases_case;
DROP FUNCTION IF EXISTS cases_case_refuse_delete();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_merge_protected_reporter_phones"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
