"""What the fault scripts share: a seeded database, gunicorn and the huey worker as separate
processes that can be killed, and a load client that logs every write acknowledged to it.

The client is a resident's app and the 12345 platform at once: it reports cases (each with its
own external id, as the app does so that a report retried after a lost answer stays one case),
posts hotline orders, and has the grid worker sign cases it was acknowledged. An answer it never
received (connection refused or reset while the server was down) is retried with the same id
until it is acknowledged, exactly as a real client would; the checker then proves that each
acknowledged write is in the database exactly once.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from _pg import gunicorn, manage, wait_healthy  # noqa: E402

RESIDENT, WORKER, HOTLINE = "13800000014", "13800000005", "13800000001"
CONFIG_SQL = """
import json
from wangge.grids.models import Building
from wangge.demo.cast import _demo_nodes
nodes = _demo_nodes()
rows = list(Building.objects.filter(micro_grid__path__startswith=nodes["grid_a"].path)
            .values_list("lon", "lat", "address")[:50])
# The resident redeems under load too, so the ledger has acknowledged writes to check: a goods
# item with stock for the whole run, and points in the resident's wallet for every redemption.
from wangge.accounts.models import User
from wangge.points.mall import item_restock
from wangge.points.models import Account, Item
from wangge.points.services import points_award, points_budget, system_account, wallet_for
goods = Item.objects.filter(kind="goods", active=True, cabinet__active=True)
item = goods.order_by("points").first()
if item.stock < 100000:
    item_restock(item=item, quantity=100000, actor=None, note="故障演练")
issuer = system_account(Account.Kind.ISSUER, "故障演练")
import time
stamp = str(time.time())
points_budget(issuer=issuer, amount=item.points * 100000, key=f"faults-budget:{stamp}")
wallet = wallet_for(User.objects.get(phone="13800000014"))
points_award(issuer=issuer, wallet=wallet, amount=item.points * 100000,
             key=f"faults-award:{stamp}", reason="故障演练")
print(json.dumps({"points": [[a, b] for a, b, _c in rows], "addresses": [c for _a, _b, c in rows],
                  "item": item.pk}))
"""


def environment(var: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "WANGGE_VAR_DIR": str(var),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AXES_ENABLED": "false",
        "RATELIMIT_ENABLE": "false",
        "DB_CONN_MAX_AGE": "60",
        # Production mode: huey's queue and the cache on Redis (a database of its own).
        "REDIS_URL": os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/7"),
        "DJANGO_SETTINGS_MODULE": "wangge.settings",
    }


def prepare(env: dict[str, str]) -> dict[str, Any]:
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--if-empty", capture=True)
    manage(env, "load_catalogue", capture=True)
    config: dict[str, Any] = json.loads(
        manage(env, "shell", "-c", CONFIG_SQL, capture=True).splitlines()[-1]
    )

    def token(phone: str) -> str:
        return manage(env, "create_api_token", phone, "--name", "faults", capture=True).strip()

    config.update(resident=token(RESIDENT), worker=token(WORKER), hotline=token(HOTLINE))
    return config


class Server:
    """gunicorn (its own process group, so kill -9 takes master and workers) and the worker."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.web = gunicorn(self.env, self.port, own_session=True)
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_healthy(self.url)

    def kill9(self) -> None:
        for proc in (self.web, self.worker):
            if proc is not None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=60)


class LoadClient:
    """Threads that write and log what the server acknowledged (one JSON line per answer)."""

    def __init__(self, url: str, config: dict[str, Any], log: Path, threads: int = 6) -> None:
        self.url, self.config, self.threads = url, config, threads
        self.log = log.open("a", encoding="utf-8")
        self.lock = threading.Lock()
        self.stop_at = 0.0
        self.run = str(int(time.time()))

    def record(self, **row: Any) -> None:
        row["t"] = round(time.time(), 3)
        with self.lock:
            self.log.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.log.flush()

    def _post(
        self, client: httpx.Client, path: str, token: str, body: dict[str, Any], kind: str, key: str
    ) -> httpx.Response | None:
        """POST until the server answers; a lost answer is retried with the same key."""
        while time.time() < self.stop_at + 60:
            try:
                r = client.post(
                    self.url + path,
                    json=body,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=15,
                )
            except httpx.HTTPError as exc:
                self.record(kind="no_answer", op=kind, key=key, error=type(exc).__name__)
                time.sleep(0.3)
                continue
            if r.status_code >= 500:
                json_body = r.headers.get("content-type", "").startswith("application/json")
                self.record(
                    kind="refused",
                    op=kind,
                    key=key,
                    status=r.status_code,
                    json=json_body,
                    detail=r.json().get("detail") if json_body else None,
                )
                time.sleep(0.3)
                continue
            return r
        return None

    def worker_loop(self, n: int) -> None:
        cfg = self.config
        signed: list[int] = []
        with httpx.Client() as client:
            i = 0
            while time.time() < self.stop_at:
                i += 1
                key = f"{self.run}-{n}-{i}"
                lon, lat = cfg["points"][(n * 7 + i) % len(cfg["points"])]
                r = self._post(
                    client,
                    "/api/v1/cases",
                    cfg["resident"],
                    {
                        "description": f"楼道灯坏了（故障演练 {key}）",
                        "location": {"lon": lon, "lat": lat},
                        "external_id": key,
                    },
                    "case",
                    key,
                )
                if r is not None and r.status_code in (200, 201):
                    case_id = r.json()["id"]
                    self.record(kind="case", key=key, id=case_id, status=r.status_code)
                    signed.append(case_id)
                if i % 3 == 0:
                    order_no = f"F{self.run}{n:02d}{i:06d}"
                    r = self._post(
                        client,
                        "/api/v1/hotline/orders",
                        cfg["hotline"],
                        {
                            "order_no": order_no,
                            "content": "小区门口占道经营，堵住出入口（故障演练）",
                            "address": cfg["addresses"][i % len(cfg["addresses"])],
                            "caller_phone": "13937112345",
                        },
                        "order",
                        order_no,
                    )
                    if r is not None and r.status_code in (200, 201):
                        self.record(kind="order", key=order_no, status=r.status_code)
                if i % 4 == 0:
                    key = f"R{self.run}-{n}-{i}"
                    r = self._post(
                        client,
                        "/api/v1/points/redemptions",
                        cfg["resident"],
                        {"item_id": cfg["item"], "idempotency_key": key},
                        "redemption",
                        key,
                    )
                    if r is not None and r.status_code in (200, 201):
                        self.record(kind="redemption", key=key, code=r.json()["code"])
                if i % 2 == 0 and signed:
                    case_id = signed.pop(0)
                    r = self._post(
                        client,
                        f"/api/v1/cases/{case_id}/actions",
                        cfg["worker"],
                        {"action": "sign"},
                        "sign",
                        str(case_id),
                    )
                    if r is not None and r.status_code == 200:
                        self.record(kind="sign", id=case_id)
                    elif r is not None and r.status_code == 409:
                        # Signed by the attempt whose answer was lost: acknowledged by state.
                        self.record(kind="sign_conflict", id=case_id)

    def run_for(self, seconds: float) -> list[threading.Thread]:
        self.stop_at = time.time() + seconds
        threads = [
            threading.Thread(target=self.worker_loop, args=(n,)) for n in range(self.threads)
        ]
        for t in threads:
            t.start()
        return threads


def check(env: dict[str, str], log: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("check.py")), str(log)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result
