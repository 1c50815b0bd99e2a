"""The resident pages of the quality bar, with the data they need, for the browser tests that
judge them (accessibility, text sizes, tap targets, screenshots)."""

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.circles import services as circles
from wangge.core.images import clean_images
from wangge.market import services as market
from wangge.notices import services as notices
from wangge.notices.selectors import home_node
from wangge.points import mall as points_mall
from wangge.volunteering import services as volunteering


def _photo() -> Any:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 140, 90)).save(out, format="JPEG")
    return clean_images([SimpleUploadedFile("p.jpg", out.getvalue())])


def neighbourhood(*, resident: User, worker: User) -> None:
    """What a resident's pages link to: a notice, a service place with a phone, a post and a
    listing with photos, so the detail pages behind them are reached and judged too."""
    node = home_node(resident)
    assert node is not None
    notices.notice_publish(
        actor=worker,
        node=node,
        title="本周六上午停水通知",
        body="因管网检修，周六 8:00–12:00 停水。",
    )
    notices.service_place_add(
        node=node,
        kind="grid_home",
        name="碧沙岗网格家园",
        address="伊河路百花里3号楼一层",
        lon=node.centroid_lon or 113.601,
        lat=node.centroid_lat or 34.752,
        phone="037167890000",
    )
    circles.post_create(
        author=resident, circle="residents", text="楼下花坛的月季开了", photos=_photo()
    )
    market.listing_post(
        owner=resident,
        kind="give",
        title="九成新儿童自行车",
        description="孩子长大了，骑不了",
        photos=_photo(),
    )


def resident_pages(*, resident: User, organiser: User, case: Case, haircut_id: int) -> list[str]:
    """The pages a resident starts from, as paths; `crawl` follows their links to the rest."""
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
        "/m/notices/",
        "/m/nearby/",
        "/m/board/",
        "/m/me/privacy/",
        "/m/address/",
        "/m/offline/",
        f"/m/report/done/{case.pk}/",
        "/inbox/",
    ]


# The resident's part of the site: the app and the resident pages of other apps.
RESIDENT_PARTS = (
    "/m/",
    "/cases/",
    "/circles/",
    "/assistant/",
    "/market/",
    "/volunteering/",
    "/points/",
    "/rankings/",
    "/party/",
    "/enterprises/",
    "/notices/",
)
# Links that are not pages to judge: files, the worker, sign-out.
NOT_PAGES = re.compile(r"(\.(xlsx|pdf|csv|js|webmanifest)$)|^/m/sw|^/media/|/export|/download")


def page_kind(url: str) -> str | None:
    """One key per kind of page (numbers and codes folded, the query's keys kept), or None for
    a link that leaves the resident's part of the site."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or not parts.path.startswith(RESIDENT_PARTS):
        return None
    if NOT_PAGES.search(parts.path):
        return None
    path = re.sub(r"/[0-9A-Za-z_-]*\d[0-9A-Za-z_-]*/", "/N/", parts.path)
    keys = sorted({k for k, _v in parse_qsl(parts.query) if k != "next"})
    return path + ("?" + "&".join(keys) if keys else "")


LINKS = "() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))"


# What measure.js finds too small on the page: text under minText, controls under minTap.
# Without its leading comments, so that Playwright sees a function to call with the limits.
MEASURE = "\n".join(
    line
    for line in (Path(__file__).parent / "measure.js").read_text().splitlines()
    if not line.startswith("//")
)
