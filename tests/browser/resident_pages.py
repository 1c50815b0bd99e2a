"""The resident pages of the quality bar, with the data they need, for the browser tests that
judge them (accessibility, text sizes, tap targets, screenshots)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.points import mall as points_mall
from wangge.volunteering import services as volunteering

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def resident_pages(*, resident: User, organiser: User, case: Case, haircut_id: int) -> list[str]:
    """Every page of the quality bar's list, as paths, for `resident`."""
    start = timezone.now() + timedelta(days=2)
    task = volunteering.task_create(
        organiser=organiser,
        data=volunteering.TaskInput(
            kind="task",
            publisher_kind="social_org",
            publisher_name="碧沙岗社区志愿者协会",
            title="碧沙岗公园周边环境整治",
            place="碧沙岗公园北门",
            lon=113.6010,
            lat=34.7510,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            slots=3,
            category="environment",
            checkin_method="either",
            geofence_m=100,
        ),
    )
    volunteering.task_publish(task_id=task.pk, actor=organiser)
    voucher = points_mall.redemption_create(
        owner=resident, item_id=haircut_id, idempotency_key="resident-pages"
    ).voucher
    return [
        "/m/",
        "/m/report/",
        "/cases/mine/",
        f"/cases/{case.pk}/",
        "/assistant/",
        "/volunteering/",
        f"/volunteering/{task.pk}/",
        "/points/",
        f"/points/vouchers/{voucher.code}/",
        "/market/",
        "/circles/",
        "/rankings/",
        "/party/",
        "/enterprises/",
        "/m/me/",
        "/m/messages/",
        "/m/grid/",
        "/m/guide/",
    ]


# What measure.js finds too small on the page: text under minText, controls under minTap.
# Without its leading comments, so that Playwright sees a function to call with the limits.
MEASURE = "\n".join(
    line
    for line in (Path(__file__).parent / "measure.js").read_text().splitlines()
    if not line.startswith("//")
)


def axe_serious(page: Any) -> list[str]:
    """axe-core's critical and serious violations on the page, one line per rule."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['critical', 'serious'].includes(v.impact))"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`)"
    )
    return list(result)
