"""巡查's inputs are read by forms and schemas: the page's track and the phone's finding in the
same refusals as the API's (422, `{"detail": …}` in Chinese), a report's kind and day by a
form that says which it could not read, and an export of a period not asked for refused."""

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import IN_A1
from tests.conftest import COMMUNITY
from wangge.patrols.models import Finding, Patrol, TrackPoint
from wangge.patrols.services import patrol_start


@pytest.fixture
def patrol(people: dict[str, Any]) -> Patrol:
    return patrol_start(actor=people["worker_a"])


@pytest.fixture
def worker(people: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(people["worker_a"])
    return client


def test_the_page_track_is_read_by_its_schema(worker: Client, patrol: Patrol) -> None:
    url = f"/patrols/{patrol.pk}/track/"
    now = timezone.now().isoformat()
    kept = worker.post(url, {"points": [[now, *IN_A1]]}, content_type="application/json")
    assert kept.json() == {"kept": 1}
    for body in (
        {"points": [["昨天下午", *IN_A1]]},
        {"points": [[now, "东经", IN_A1[1]]]},
        {"points": [[now, *IN_A1, "多余"]]},
        {"dots": []},
    ):
        refused = worker.post(url, body, content_type="application/json")
        assert refused.status_code == 422
        assert refused.json()["detail"].startswith("轨迹数据格式不正确：")
    broken = worker.post(url, b"{points", content_type="application/json")
    assert broken.status_code == 422 and broken.json() == {"detail": "请求体不是有效的 JSON"}
    assert TrackPoint.objects.count() == 1


def test_the_phone_finding_is_read_by_its_schema(worker: Client, patrol: Patrol) -> None:
    url = f"/api/v1/patrols/{patrol.pk}/findings"
    lon, lat = (str(v) for v in IN_A1)
    no_place = worker.post(url, {"hazard": "gas", "description": "燃气味", "lon": "", "lat": ""})
    assert no_place.status_code == 422
    assert no_place.json() == {"detail": "未获取到位置，请允许定位后重试"}
    fixed = worker.post(
        url,
        {
            "hazard": "illegal_building",
            "description": "楼顶私搭彩钢棚",
            "lon": lon,
            "lat": lat,
            "fixed": "1",
            "result": "已劝导拆除",
        },
    )
    # Read as fixed on the spot: such a finding needs its photo after.
    assert fixed.status_code == 422
    assert fixed.json() == {"detail": "自行处置请上传处置后的照片"}
    reported = worker.post(
        url, {"hazard": "snow", "description": "人行道积雪", "lon": lon, "lat": lat, "fixed": ""}
    )
    assert reported.status_code == 201 and reported.json()["kind"] == "reported"
    unread = worker.post(url, {"hazard": "snow", "lon": lon, "lat": lat, "fixed": "maybe"})
    assert unread.status_code == 422 and "fixed" in unread.json()["detail"]
    assert Finding.objects.count() == 1


def test_a_report_says_what_it_could_not_read(people: Any, worker: Client) -> None:
    community = Client()
    community.force_login(people["community"])
    base = f"/patrols/reports/{COMMUNITY}/"
    assert community.get(f"{base}?kind=monthly&day=2026-11-18").status_code == 200
    daily = community.get(f"{base}?kind=daily&day=2026-11-18")
    assert daily.status_code == 422
    assert "没有“daily”这种报告，请选择周报告或月汇总" in daily.content.decode()
    bad_day = community.get(f"{base}?kind=weekly&day=2026-11-31")
    assert bad_day.status_code == 422 and "日期格式不正确" in bad_day.content.decode()
    export = community.get(f"{base}report.xlsx?kind=weekly&day=2026-11-31")
    assert export.status_code == 422
    picked = community.get(f"/patrols/reports/?node={COMMUNITY}&kind=weekly&day=2026-11-18")
    assert picked.status_code == 302
    assert picked["Location"].endswith(f"{base}?kind=weekly&day=2026-11-18")
    unread = community.get(f"/patrols/reports/?node={COMMUNITY}&kind=yearly")
    assert unread.status_code == 422 and "请选择周报告或月汇总" in unread.content.decode()
