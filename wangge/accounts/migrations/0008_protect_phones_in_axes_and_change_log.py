# Phones already written by django-axes (the `username` of attempts, failures and sign-ins) and
# by django-auditlog (a User's "phone" in LogEntry.changes) take the form the code now writes:
# the protected login name (accounts.login_throttle) and the masked number.

from django.db import migrations

from wangge.accounts.login_throttle import protected_login
from wangge.core.masking import mask_phone_in_log

BATCH = 1000


def _protect_usernames(model):
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        rows = list(model.objects.filter(pk__in=pks[start : start + BATCH]))
        changed = []
        for row in rows:
            protected = protected_login(row.username)
            if protected != row.username:
                row.username = protected
                changed.append(row)
        model.objects.bulk_update(changed, ["username"])


def _protect_attempts(AccessAttempt):
    # (username, ip_address, user_agent) is unique: "+86 138…" and "138…" from one browser
    # become one name, so such rows merge into the first, their failures added up.
    kept = {}
    for attempt in AccessAttempt.objects.order_by("pk"):
        protected = protected_login(attempt.username)
        key = (protected, attempt.ip_address, attempt.user_agent)
        first = kept.get(key)
        if first is None:
            kept[key] = attempt
            if protected != attempt.username:
                attempt.username = protected
                attempt.save(update_fields=["username"])
        else:
            first.failures_since_start += attempt.failures_since_start
            first.save(update_fields=["failures_since_start"])
            attempt.delete()


def _mask_change_log(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    user_type = ContentType.objects.filter(app_label="accounts", model="user").first()
    if user_type is None:
        return
    entries = LogEntry.objects.filter(content_type=user_type).order_by("pk")
    pks = list(entries.values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        changed = []
        for entry in LogEntry.objects.filter(pk__in=pks[start : start + BATCH]):
            diff = entry.changes
            if isinstance(diff, dict) and isinstance(diff.get("phone"), list):
                masked = [
                    mask_phone_in_log(str(v)) if v is not None else v for v in diff["phone"]
                ]
                if masked != diff["phone"]:
                    entry.changes = {**diff, "phone": masked}
                    changed.append(entry)
        LogEntry.objects.bulk_update(changed, ["changes"])


def protect(apps, schema_editor):
    _protect_attempts(apps.get_model("axes", "AccessAttempt"))
    _protect_usernames(apps.get_model("axes", "AccessFailureLog"))
    _protect_usernames(apps.get_model("axes", "AccessLog"))
    _mask_change_log(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_remove_smscode_phone"),
        ("axes", "0010_accessattemptexpiration"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Masking cannot be undone; going back leaves the rows protected.
    operations = [migrations.RunPython(protect, migrations.RunPython.noop)]
