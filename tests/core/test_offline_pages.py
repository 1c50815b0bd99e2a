"""The staff shell offline: the service worker at /sw.js beside the residents' one at /m/sw.js,
and the pages whose forms go through the outbox (bound to the endpoints that honour keys)."""

import json
import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.ledgers.conftest import checklist  # noqa: F401  (shared fixture)
from tests.residents.conftest import register  # noqa: F401  (shared fixture)
from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.ledgers.models import ChecklistTemplate
from wangge.patrols.services import patrol_start


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def bindings(html: str) -> list[dict[str, Any]]:
    found = re.findall(r'<script class="outbox-form"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(b) for b in found]


def config(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="outbox-config"[^>]*>(.*?)</script>', html, re.S)
    assert found, "no outbox on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_the_staff_worker_is_served_at_the_root_and_the_residents_one_is_untouched(
    client: Client,
) -> None:
    resp = client.get("/sw.js")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/javascript")
    assert resp["Cache-Control"] == "no-cache"
    body = resp.content.decode()
    # Every tab of the field shell (台账 included, not only its hazards), the inbox and
    # 红色厨房 (a deliverer's round is read in stairwells).
    kept = '["/", "/cases/", "/patrols/", "/residents/", "/ledgers/", "/inbox/", "/kitchen/"]'
    assert kept in body
    assert 'url.pathname === "/accounts/logout/"' in body  # sign-out clears the copies
    assert "当前无网络" in body
    residents = client.get("/m/sw.js")
    assert residents.status_code == 200 and residents["Service-Worker-Allowed"] == "/"
    assert "wangge-m-" in residents.content.decode()


def test_the_open_patrol_binds_its_finding_form_and_track_to_the_api(
    people: dict[str, User],
) -> None:
    worker = people["worker_a"]
    patrol = patrol_start(actor=worker)
    html = client_for(worker).get(f"/patrols/{patrol.pk}/").content.decode()
    assert config(html)["user"] == worker.pk
    [finding] = bindings(html)
    assert finding["selector"] == "#finding-form"
    assert finding["url"] == f"/api/v1/patrols/{patrol.pk}/findings"
    assert finding["sent"] == "已生成事件 %(case_number)s"
    assert f'"track": "/api/v1/patrols/{patrol.pk}/track"' in html
    # The leader looking at the worker's patrol has their own outbox (it is on every page of
    # the field shell) but not this patrol's forms: it is not theirs to record.
    leader = people["grid_leader_a"]
    other = client_for(leader).get(f"/patrols/{patrol.pk}/").content.decode()
    assert config(other)["user"] == leader.pk and bindings(other) == []


def test_the_case_page_binds_the_handlers_field_actions_only(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    html = client_for(people["worker_a"]).get(f"/cases/{case.pk}/").content.decode()
    [actions] = bindings(html)
    assert actions["url"] == f"/api/v1/cases/{case.pk}/actions"
    assert actions["onlyField"] == "action"
    assert set(actions["only"]) == {
        "sign",
        "contact",
        "resolve",
        "return",
        "escalate",
        "request_extension",
    }
    assert actions["label"] == f"事件 {case.number}" and actions["sent"] == "已%(detail)s"
    # The reporter's own page has no staff outbox.
    mine = client_for(people["resident"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="outbox-config"' not in mine


def test_visit_and_checklist_forms_are_bound(
    people: dict[str, User],
    register: dict[str, Any],  # noqa: F811
    checklist: ChecklistTemplate,  # noqa: F811
) -> None:
    worker = client_for(people["worker_a"])
    elder = register["elder"]
    [visit] = bindings(worker.get(f"/residents/persons/{elder.pk}/visit/").content.decode())
    assert visit["url"] == f"/api/v1/residents/persons/{elder.pk}/visits"
    assert visit["stamp"] == "visited_at"
    assert visit["rename"] == {"as_case": "follow_up_as_case"}
    assert visit["after"] == "/residents/persons/%(person_id)s/"
    page = worker.get(f"/ledgers/hazards/new/?template={checklist.code}").content.decode()
    [inspection] = bindings(page)
    assert inspection["url"] == "/api/v1/ledgers/inspections"
    assert inspection["after"] == "/ledgers/hazards/%(id)s/"
