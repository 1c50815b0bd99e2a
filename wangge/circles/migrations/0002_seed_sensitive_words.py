from django.db import migrations

# A starting list; administrators edit it in the admin. "hold": published after a person looks.
WORDS = [
    ("赌博", "block"), ("代开发票", "block"), ("办证", "block"), ("裸聊", "block"), ("刷单", "block"),
    ("贷款", "hold"), ("投资理财", "hold"), ("加微信", "hold"), ("二维码", "hold"), ("上访", "hold"),
    ("维权", "hold"), ("集会", "hold"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    SensitiveWord = apps.get_model("circles", "SensitiveWord")
    for word, action in WORDS:
        SensitiveWord.objects.get_or_create(word=word, defaults={"action": action})


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("circles", "SensitiveWord").objects.filter(word__in=[w for w, _a in WORDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("circles", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
