"""A mixed day at the district, for locust: residents report and browse, grid workers sign and
resolve, the street dispatcher dispatches and verifies, the 12345 hotline posts orders, and the
operations centre's dashboard refreshes.

Run through bench/bench_mixed.py, which seeds the database, makes the API tokens and writes the
JSON file named by WANGGE_LOAD_CONFIG:
    {"resident_tokens": [...], "worker_token": "...", "dispatcher_token": "...",
     "hotline_token": "...", "points_a": [[lon, lat], ...], "points": [...],
     "addresses": [...], "grid_a": "...", "street": "...", "dispatcher_phone": "...",
     "password": "..."}

Request names group the statistics per request type. Anything that is not the answer the
request type expects (a 5xx, an unexpected 4xx) counts as a failure.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

CONFIG: dict[str, Any] = json.loads(Path(os.environ["WANGGE_LOAD_CONFIG"]).read_text("utf-8"))
TEXTS = [
    ("小区门口有人摆摊卖菜，堵住出入口", "CSGL-01"),
    ("楼道里有人飞线给电动车充电，很危险", ""),
    ("路灯坏了好几天，晚上出门看不见", ""),
    ("垃圾桶满了没人清运，味道很大", ""),
    ("楼上装修噪音太大，中午也不停", ""),
]
ORDER_SEQ = itertools.count(1)
RUN = os.environ.get("WANGGE_LOAD_RUN", "r")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Resident(HttpUser):
    """有事找支部 / 随手拍 from the app: mostly looking, sometimes reporting."""

    weight = 6
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.headers = bearer(random.choice(CONFIG["resident_tokens"]))

    @task(2)
    def report(self) -> None:
        # Half in the demo grid that has a worker on the other end, half anywhere.
        pool = CONFIG["points_a"] if random.random() < 0.5 else CONFIG["points"]
        lon, lat = random.choice(pool)
        text, category = random.choice(TEXTS)
        body: dict[str, Any] = {"description": text, "location": {"lon": lon, "lat": lat}}
        if category:
            body["category"] = category
        with self.client.post(
            "/api/v1/cases",
            json=body,
            headers=self.headers,
            name="resident: report",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code} {r.text[:200]}")

    @task(5)
    def my_cases(self) -> None:
        self.client.get(
            "/api/v1/cases?page_size=20", headers=self.headers, name="resident: my cases"
        )

    @task(2)
    def locate(self) -> None:
        lon, lat = random.choice(CONFIG["points"])
        self.client.get(
            f"/api/v1/grids/locate?lon={lon}&lat={lat}",
            headers=self.headers,
            name="resident: locate",
        )


def act(user: HttpUser, case_id: int, body: dict[str, Any], name: str) -> None:
    """An action on a case; 409 is an answer too: someone (or this user a moment ago) moved the
    case first."""
    with user.client.post(
        f"/api/v1/cases/{case_id}/actions",
        json=body,
        headers=user.headers,
        name=name,
        catch_response=True,
    ) as r:
        if r.status_code in (200, 409):
            r.success()
        else:
            r.failure(f"{r.status_code} {r.text[:200]}")


class GridWorker(HttpUser):
    """A grid worker works the queue: sign, then resolve."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.headers = bearer(CONFIG["worker_token"])

    @task
    def work_the_queue(self) -> None:
        r = self.client.get(
            "/api/v1/cases?status=dispatched,signed&page_size=20",
            headers=self.headers,
            name="worker: queue",
        )
        items = r.json().get("results", []) if r.status_code == 200 else []
        if not items:
            return
        case = random.choice(items)
        if case["status"] == "dispatched":
            act(self, case["id"], {"action": "sign"}, "worker: sign")
        else:
            act(
                self,
                case["id"],
                {"action": "resolve", "result": "已到现场处理完毕"},
                "worker: resolve",
            )


class Dispatcher(HttpUser):
    """The street desk: dispatch what could not be routed, verify what was resolved."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.headers = bearer(CONFIG["dispatcher_token"])

    @task
    def desk(self) -> None:
        r = self.client.get(
            "/api/v1/cases?status=pending,resolved&page_size=20",
            headers=self.headers,
            name="dispatcher: desk",
        )
        items = r.json().get("results", []) if r.status_code == 200 else []
        if not items:
            return
        case = random.choice(items)
        if case["status"] == "pending":
            act(
                self,
                case["id"],
                {"action": "dispatch", "node": CONFIG["grid_a"]},
                "dispatcher: dispatch",
            )
        else:
            act(self, case["id"], {"action": "verify_pass"}, "dispatcher: verify")


class Hotline(HttpUser):
    """The 12345 platform pushes orders; now and then it retries one it already sent."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.headers = bearer(CONFIG["hotline_token"])
        self.sent: list[dict[str, Any]] = []

    @task
    def post_order(self) -> None:
        if self.sent and random.random() < 0.1:
            order = random.choice(self.sent)  # a retried delivery: must not make a second case
            expected = (200,)
        else:
            order = {
                "order_no": f"LOAD{RUN}{os.getpid()}{next(ORDER_SEQ):07d}",
                "content": random.choice(TEXTS)[0],
                "address": random.choice(CONFIG["addresses"]),
                "caller_phone": "13937112345",
            }
            expected = (201,)
        with self.client.post(
            "/api/v1/hotline/orders",
            json=order,
            headers=self.headers,
            name="hotline: order",
            catch_response=True,
        ) as r:
            if r.status_code in expected:
                r.success()
                if expected == (201,):
                    self.sent.append(order)
            else:
                r.failure(f"{r.status_code} {r.text[:200]}")


class Dashboard(HttpUser):
    """The 城运中心 screen refreshes its live figures; the KPI page is opened now and then."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="dashboard: login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": CONFIG["dispatcher_phone"],
                "password": CONFIG["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="dashboard: sign in",
        )

    @task(4)
    def live(self) -> None:
        self.client.get(f"/ops/unit/{CONFIG['street']}/live/", name="dashboard: live figures")

    @task(1)
    def dashboard(self) -> None:
        self.client.get(f"/ops/unit/{CONFIG['street']}/", name="dashboard: page")

    @task(1)
    def kpi(self) -> None:
        self.client.get("/cases/kpi/", name="dashboard: KPI page")
