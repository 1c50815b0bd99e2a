from django.db import migrations

# Things neighbours may not trade on 乐享闲置; administrators edit the list in the admin.
WORDS = [
    ("管制刀具", "国家管制物品"), ("枪支", "国家管制物品"), ("弹药", "国家管制物品"),
    ("仿真枪", "国家管制物品"), ("烟花爆竹", "易燃易爆"), ("鞭炮", "易燃易爆"), ("汽油", "易燃易爆"),
    ("液化气罐", "易燃易爆，须经燃气公司处置"), ("处方药", "药品不得私下交易"), ("药品", "药品不得私下交易"),
    ("香烟", "烟草专卖"), ("野生动物", "受保护动物"), ("象牙", "受保护动物制品"),
    ("身份证", "证件不得买卖"), ("电话卡", "防范电信诈骗"), ("银行卡", "防范电信诈骗"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    ProhibitedItem = apps.get_model("market", "ProhibitedItem")
    for word, reason in WORDS:
        ProhibitedItem.objects.get_or_create(word=word, defaults={"reason": reason})


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("market", "ProhibitedItem").objects.filter(word__in=[w for w, _r in WORDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
