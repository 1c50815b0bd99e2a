"""The staff case page on a phone: the actions under the title, errors at their input."""

import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.cases.conftest import CORNER, IN_B1, crossing_roads
from wangge.cases.models import Case, Status


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_actions_come_before_the_details(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    page = client_for(people["worker_a"]).get(f"/cases/{case.pk}/").content.decode()
    actions = page.index('id="case-actions"')
    assert actions < page.index(f"<p>{case.description}") < page.index("办理记录")
    # 签收 has nothing to fill in: one button, the first thing in the section.
    first_form = re.search(r'<form [^>]*data-action="([a-z_]+)"', page[actions:])
    assert first_form and first_form[1] == "sign"
    assert 'class="btn primary wide">签收</button>' in page


def test_closing_takes_photos_from_the_camera(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    worker = client_for(people["worker_a"])
    worker.post(f"/cases/{case.pk}/act/", {"action": "sign"})
    page = worker.get(f"/cases/{case.pk}/").content.decode()
    resolve = page[page.index('data-action="resolve"') :]
    photo = re.search(r"<input [^>]*type=\"file\"[^>]*>", resolve)
    assert photo, "办结 has a photo input"
    assert 'accept="image/*"' in photo[0] and 'capture="environment"' in photo[0]
    assert "拍照或选择照片" in resolve
    # 办结 is the next step once signed for: it leads the list.
    assert re.findall(r'data-action="([a-z_]+)"', page)[0] == "resolve"


def test_a_refused_close_says_why_at_the_result_field(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    worker = client_for(people["worker_a"])
    worker.post(f"/cases/{case.pk}/act/", {"action": "sign"})
    resp = worker.post(f"/cases/{case.pk}/act/", {"action": "resolve", "result": "  "})
    assert resp.status_code == 422
    page = resp.content.decode()
    start = page.index('data-action="resolve"')
    panel = page[start : page.index("</details>", start)]
    assert page[:start].endswith("open ")  # the failed action's panel comes back open
    field = re.search(r"<textarea [^>]*name=\"result\"[^>]*>", panel)
    assert field
    assert 'aria-invalid="true"' in field[0] and "autofocus" in field[0]
    assert 'aria-describedby="resolve-result-error"' in field[0]
    error = re.search(r'<div class="error" id="resolve-result-error" role="alert">([^<]+)<', panel)
    assert error and error[1] == "请填写办理结果"
    # The message sits right after its input, not at the top of the section.
    assert panel.index('resolve-result-error" role') > panel.index('name="result"')
    assert Case.objects.get(pk=case.pk).status == Status.SIGNED


def test_each_action_form_has_its_own_ids(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    page = client_for(people["dispatcher"]).get(f"/cases/{case.pk}/").content.decode()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_a_point_read_from_the_words_is_marked_inferred_beside_its_map(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    crossing_roads()
    case = report(f"市民反映{CORNER}井盖缺失，请尽快处理", at=None)
    page = client_for(people["dispatcher"]).get(f"/cases/{case.pk}/").content.decode()
    line = re.search(r'<dd id="case-place-inferred"[^>]*>(.*?)</dd>', page, re.S)
    assert line and f"由“{CORNER}”推定" in line[1] and "推定位置" in line[1]
    # The map draws it as an inferred point (a dashed ring, case_detail.js), and says so.
    assert f'data-inferred="由“{CORNER}”推定"' in page
    key = re.search(r'<p class="hint map-key" id="case-map-inferred">(.*?)</p>', page, re.S)
    assert key and "不是有人在现场标出的位置" in key[1]
    # A point the reporter gave is shown as it always was: no inferred mark.
    given = report(at=IN_B1)
    plain = client_for(people["dispatcher"]).get(f"/cases/{given.pk}/").content.decode()
    assert 'id="case-map"' in plain
    assert "case-place-inferred" not in plain and "data-inferred" not in plain
