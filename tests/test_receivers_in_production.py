"""Signal receivers still listen in production.

A receiver connected weakly lives only as long as something else holds it. With DEBUG on,
Django's check of the receiver's signature caches the function and so keeps it alive; with DEBUG
off nothing does, and a function defined inside AppConfig.ready is gone when ready returns: the
signal is sent to no one. The test process runs with DEBUG on, so each behaviour is checked here
in a fresh process started with production settings (WANGGE_ENV=production, DEBUG off before
django.setup()), which collects garbage before the signal is sent.

The process works on its own SQLite file, its tables made from the models as pytest-django's
--nomigrations makes them (a few seconds, where running every migration takes half a minute).
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from tests.core.test_production import production_env

ROOT = Path(__file__).resolve().parent.parent

PREAMBLE = """
import gc, json, os
import django

django.setup()

from django.conf import settings

assert settings.PRODUCTION and not settings.DEBUG


class _NoMigrations:
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None


settings.MIGRATION_MODULES = _NoMigrations()
from django.core.management import call_command

call_command("migrate", run_syncdb=True, verbosity=0)

from tests.conftest import COMMUNITY, GRID_A, STREET, tree_features
from wangge.accounts.models import Role
from wangge.accounts.services import role_grant, user_create
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import

grids_import({"type": "FeatureCollection", "features": tree_features()})
node = {n.code: n for n in GridNode.objects.all()}
"""


def run_in_production(tmp_path: Path, scenario: str) -> Any:
    """Run `scenario` after PREAMBLE in a production process; it prints one JSON line last."""
    code = PREAMBLE + textwrap.dedent(scenario)
    env = production_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="wangge.settings",
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    for name in ("REDIS_URL", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_person_on_the_register_who_registers_later_is_linked_and_the_worker_told(
    tmp_path: Path,
) -> None:
    seen = run_in_production(
        tmp_path,
        """
        from stdnum.cn import ric

        from wangge.accounts.services import user_set_real_name
        from wangge.grids.models import Building
        from wangge.grids.services import buildings_import
        from wangge.notifications.models import Notification
        from wangge.residents.models import Person, ResidenceKind
        from wangge.residents.services import household_create, person_register

        worker = user_create(phone="13900000001", name="周敏", password="x" * 12)
        role_grant(user=worker, role=Role.GRID_WORKER, node=node[GRID_A])
        community = user_create(phone="13900000002", name="孙丽华", password="x" * 12)
        role_grant(user=community, role=Role.COMMUNITY_STAFF, node=node[COMMUNITY])
        buildings_import("address,lon,lat,code\\n中原区伊河路百花里3号楼,113.6008,34.7508,BH3\\n")
        body = "41010219400312002"
        id_number = body + ric.calc_check_digit(body + "0")
        home = household_create(
            actor=community, building=Building.objects.get(code="BH3"), room="2-301",
            kind=ResidenceKind.HUJI,
        )
        elder = person_register(
            actor=community, household=home, name="张桂芳", id_number=id_number, relation="head",
            residence=ResidenceKind.HUJI,
        )
        newcomer = user_create(phone="13911112222", name="", password="x" * 12)

        gc.collect()
        user_set_real_name(user=newcomer, name="张桂芳", id_number=id_number)

        elder.refresh_from_db()
        print(json.dumps({
            "linked": elder.account_id == newcomer.pk,
            "notices": list(
                Notification.objects.filter(recipient=worker).values_list("title", flat=True)
            ),
        }, ensure_ascii=False))
        """,
    )
    assert seen == {"linked": True, "notices": ["张*芳已注册并完成实名认证"]}


def test_a_deactivated_users_api_token_stops_working_at_once(tmp_path: Path) -> None:
    seen = run_in_production(
        tmp_path,
        """
        from django.test import Client

        from wangge.accounts.services import api_token_create

        user = user_create(phone="13900000003", name="钱卫东", password="x" * 12)
        role_grant(user=user, role=Role.STREET_DISPATCHER, node=node[STREET])
        _token, key = api_token_create(user=user, name="12345 热线")
        client = Client(HTTP_HOST="wangge.example.cn", HTTP_AUTHORIZATION=f"Bearer {key}")

        def locate():
            resp = client.get("/api/v1/grids/locate?lon=113.6005&lat=34.7505", secure=True)
            return resp.status_code, resp.json()

        before = locate()  # the person behind the key is now in the token cache
        gc.collect()
        user.is_active = False
        user.save()

        # A role revoked reaches the cached person (and their grants) at once too.
        from wangge.accounts.models import RoleGrant
        from wangge.accounts.services import api_token_authenticate

        worker = user_create(phone="13900000004", name="周敏", password="x" * 12)
        role_grant(user=worker, role=Role.GRID_WORKER, node=node[GRID_A])
        _token, worker_key = api_token_create(user=worker, name="巡查 App")
        worked = api_token_authenticate(worker_key).has_role(Role.GRID_WORKER)  # now cached
        gc.collect()
        RoleGrant.objects.filter(user=worker).delete()
        works = api_token_authenticate(worker_key).has_role(Role.GRID_WORKER)
        print(json.dumps({"before": before[0], "after": locate(), "role": [worked, works]},
                         ensure_ascii=False))
        """,
    )
    assert seen["before"] == 200
    assert seen["after"] == [401, {"detail": "未登录或令牌无效"}]
    assert seen["role"] == [True, False]
