"""What one request may cost the database: an intake at most 8 statements, a list at most 5, and
no list loads the grid boundaries it never draws."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.cases.conftest import IN_A1
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case, CaseEvent
from wangge.grids import indexes as grid_indexes
from wangge.grids.models import GridNode
from wangge.notifications.models import Notification

URL = "/api/v1/cases"


@pytest.fixture(autouse=True)
def _indexes_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    # The point and address indexes ask the database every 2 s whether the grid changed: work
    # of the clock, not of a request, which on a slow test machine lands in any request. So
    # they are asked only after an invalidation (which sets the last check to 0 on the monotonic
    # clock: a period as long as the clock's reading now is over for it, and for nothing
    # else). They are invalidated first: built in the test before, they would hold that test's
    # node ids, and on PostgreSQL a rolled-back id is not handed out again.
    monkeypatch.setattr("wangge.grids.indexes.RECHECK_SECONDS", time.monotonic() - 0.001)
    grid_indexes.invalidate()


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='app')[1]}"}


def _intake(client: Client, auth: dict[str, str], text: str, category: str = "") -> Any:
    body: dict[str, Any] = {"description": text, "location": {"lon": IN_A1[0], "lat": IN_A1[1]}}
    if category:
        body["category"] = category
    return client.post(URL, body, content_type="application/json", **auth)


def at_most(n: int) -> Any:
    """Like django_assert_max_num_queries, naming the statements when there are too many."""

    class Budget(CaptureQueriesContext):
        def __exit__(self, *exc: Any) -> None:
            super().__exit__(*exc)
            sql = [q["sql"][:160] for q in self.captured_queries]
            assert len(sql) <= n, "\n".join(sql)

    return Budget(connection)


def test_a_json_intake_costs_at_most_8_statements(people: dict[str, Any]) -> None:
    client, auth = Client(), bearer(people["resident"])
    assert _intake(client, auth, "小区门口有人摆摊", "CSGL-01").status_code == 201  # warm caches
    # The category model in use is asked for at most every 30 s: work of the clock, not of a
    # request; warmed here as the other caches are.
    assert _intake(client, auth, "小区门口有人摆摊卖水果").status_code == 201
    with at_most(8):
        resp = _intake(client, auth, "小区门口有人摆摊，堵住了出入口", "CSGL-01")
    assert resp.status_code == 201 and resp.json()["assignee"] == "周敏"
    with at_most(8):
        resp = _intake(client, auth, "小区门口有人摆摊卖菜，占道经营")  # the classifier picks
    assert resp.status_code == 201 and resp.json()["category"]["code"] == "CSGL-01"
    case = Case.objects.get(pk=resp.json()["id"])
    assert case.number and case.events.count() == 2
    # The handler's inbox and the reporter's both have it.
    assert people["worker_a"].notifications.filter(link=f"/cases/{case.pk}/").exists()
    assert people["resident"].notifications.filter(link=f"/cases/{case.pk}/").exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the numbered statements are PostgreSQL's"
)
def test_the_counted_intake_sends_its_inserts_numbered_as_in_production(
    people: dict[str, Any],
) -> None:
    # Counting the statements must not switch the intake to another path: the one statement
    # writing the case with its timeline and inbox rows goes out with $n placeholders through
    # the raw cursor, and is counted.
    client, auth = Client(), bearer(people["resident"])
    with CaptureQueriesContext(connection) as counted:
        resp = _intake(client, auth, "小区门口有人摆摊，堵住了出入口", "CSGL-01")
    assert resp.status_code == 201
    numbered = [q["sql"] for q in counted.captured_queries if "$1" in q["sql"]]
    assert len(numbered) == 1, [q["sql"][:120] for q in counted.captured_queries]
    for model in (Case, CaseEvent, Notification):
        assert f'INSERT INTO "{model._meta.db_table}"' in numbered[0]


def test_an_open311_post_costs_at_most_8_statements(
    people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = Client()
    key = api_token_create(user=people["dispatcher"], name="app")[1]
    form = {"api_key": key, "service_code": "CSGL-01", "lat": IN_A1[1], "long": IN_A1[0]}
    assert client.post("/open311/v2/requests.json", form).status_code == 200  # warm caches
    with django_assert_max_num_queries(8):
        resp = client.post("/open311/v2/requests.json", {**form, "description": "有人摆摊"})
    assert resp.status_code == 200
    assert Case.objects.get(number=resp.json()[0]["service_request_id"]).status == "dispatched"


def _big_boundaries() -> None:
    """Every node's boundary as large as a surveyed one (a few thousand vertices)."""
    ring = [[113.6 + i * 1e-6, 34.7 + (i % 2) * 1e-6] for i in range(3000)]
    GridNode.objects.update(boundary={"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def test_the_case_list_costs_at_most_5_statements_and_no_boundary(
    people: dict[str, Any], report: Callable[..., Case], django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        report(f"小区门口有人摆摊占道 {i}")
    _big_boundaries()
    client, auth = Client(), bearer(people["dispatcher"])
    assert client.get(URL, **auth).status_code == 200  # warm caches
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(5):
        body = client.get(URL, {"page_size": 30}, **auth).json()
    assert body["count"] == 30 and len(body["results"]) == 30
    assert body["results"][0]["handling_node"]["name"] == "碧沙岗第1网格"
    assert not [q["sql"] for q in ctx.captured_queries if "boundary" in q["sql"]]


def test_select_related_leaves_the_boundary_behind_but_it_still_reads(
    report: Callable[..., Case],
) -> None:
    case = report()
    with CaptureQueriesContext(connection) as ctx:
        loaded = Case.objects.select_related("street", "handling_node__parent").get(pk=case.pk)
    assert "boundary" not in ctx.captured_queries[0]["sql"]
    assert loaded.street is not None and loaded.street.name
    street = GridNode.objects.get(pk=loaded.street.pk)
    # Asked for, it is there: one more query, the same polygon.
    assert loaded.street.boundary == street.boundary
    assert loaded.handling_node is not None and loaded.handling_node.parent is not None
    assert (
        loaded.handling_node.parent.boundary
        == GridNode.objects.get(pk=loaded.handling_node.parent.pk).boundary
    )
