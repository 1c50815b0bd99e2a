from django.db import migrations

# Starting values; administrators change points and caps in the admin (积分规则).
# (code, name, kind, category, points, daily cap per person, description)
RULES = [
    ("volunteer_hour", "志愿服务每小时", "per_hour", "志愿服务", 10, 80,
     "组织方确认的服务时长，每小时计分"),
    ("volunteer_hour_environment", "环境整治服务每小时", "per_hour", "环境整治", 10, 80,
     "环境整治类志愿服务，按确认时长计分"),
    ("volunteer_hour_policy", "政策宣传服务每小时", "per_hour", "政策宣传", 10, 80,
     "政策宣传类志愿服务，按确认时长计分"),
    ("volunteer_hour_mediation", "矛盾调解服务每小时", "per_hour", "矛盾调解", 12, 96,
     "矛盾调解类志愿服务，按确认时长计分"),
    ("volunteer_hour_medical", "医疗健康服务每小时", "per_hour", "医疗健康", 12, 96,
     "医疗健康类志愿服务，按确认时长计分"),
    ("volunteer_hour_care", "关爱帮扶服务每小时", "per_hour", "关爱帮扶", 12, 96,
     "关爱帮扶类志愿服务，按确认时长计分"),
    ("volunteer_task", "完成志愿任务", "per_task", "", 5, 20,
     "按固定分值计分的志愿任务，每完成一次"),
    ("activity_join", "社区活动参与", "per_task", "", 5, 10,
     "邻居节、义诊、讲座、文艺汇演等社区活动签到参与"),
    ("micro_report_verified", "微网格长有效上报", "per_event", "", 5, 20,
     "微网格长上报的事件经核实立案"),
    ("resident_report_verified", "居民有效上报", "per_event", "", 3, 9,
     "居民“有事找支部”“随手拍”上报的事件经核实立案"),
    ("wish_fulfilled", "微心愿完成", "per_event", "", 20, 40,
     "认领的微心愿经网格确认完成"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    EarningRule = apps.get_model("points", "EarningRule")
    for code, name, kind, category, points, cap, description in RULES:
        EarningRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "category": category,
                "points": points,
                "daily_cap": cap,
                "description": description,
            },
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    EarningRule = apps.get_model("points", "EarningRule")
    Earning = apps.get_model("points", "Earning")
    codes = [r[0] for r in RULES]
    used = set(Earning.objects.filter(rule__code__in=codes).values_list("rule__code", flat=True))
    EarningRule.objects.filter(code__in=set(codes) - used).delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0002_earning_rules")]
    operations = [migrations.RunPython(seed, unseed)]
