"""The earning rules a new installation starts with; administrators change points and caps
in the admin (活力值获取规则). Loaded by a data migration, and by tests that flushed it."""

from typing import Any

from wangge.points.models import EarningRule

# (code, name, kind, category, points, daily cap per person, description)
DEFAULT_RULES: list[tuple[str, str, str, str, int, int, str]] = [
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
]  # fmt: skip


def default_rules_load(model: Any = None) -> int:
    """Create the default rules that are missing (an existing rule is never changed); returns
    how many were created. `model` is the migration's historical model when called from one."""
    if model is None:
        model = EarningRule
    created = 0
    for code, name, kind, category, points, cap, description in DEFAULT_RULES:
        _rule, made = model.objects.get_or_create(
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
        created += made
    return created
