"""A grid worker's person list over 10,000 persons of their grid, on PostgreSQL.

    python bench/bench_residents.py [--persons 10000] [--repeat 7]

Registers --persons people (households of 1–4, valid encrypted ID numbers, phones, every tenth
in a special group) in the buildings of one 三级网格 of the demo district, through the same
model code the import uses, then times the list page (server side, through Django's test
client) for a grid worker of that grid: the first page, a page in the middle, a name search and
a special-group filter. Reports the median and the worst of --repeat runs after a warm-up.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import ROOT, bench_env, prepare

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "秀兰桂芳建国志强丽华德胜晓燕海涛明玉春梅"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    env = bench_env(tempfile.mkdtemp(prefix="wangge-residents-"))
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    prepare(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from stdnum.cn import ric

    from wangge.accounts.models import Role, User
    from wangge.accounts.services import role_grant, user_create
    from wangge.grids.models import Building, GridLevel, GridNode
    from wangge.residents.models import GroupTag, Household, Move, Person, SpecialGroup
    from wangge.residents.services.people import _new_person

    # The grid with the most buildings, so households spread over real micro-grids.
    grid = max(
        GridNode.objects.filter(level=GridLevel.GRID),
        key=lambda g: Building.objects.filter(micro_grid__path__startswith=g.path).count(),
    )
    buildings = list(
        Building.objects.filter(micro_grid__path__startswith=grid.path).select_related("micro_grid")
    )
    worker = User.objects.filter(phone="13900099999").first() or user_create(
        phone="13900099999", name="压测网格员"
    )
    if not worker.grants.filter(node=grid).exists():
        role_grant(user=worker, role=Role.GRID_WORKER, node=grid)
    have = Person.objects.filter(grid_path__startswith=grid.path).count()
    if have < args.persons:
        started = time.perf_counter()
        with transaction.atomic():
            # The benchmark database is its own: start the grid's register afresh.
            Move.objects.filter(person__grid_path__startswith=grid.path).delete()
            for model in (GroupTag, Person, Household):
                model.objects.filter(grid_path__startswith=grid.path).delete()
            persons: list[Person] = []
            seq = 0
            while len(persons) < args.persons:
                b = buildings[seq % len(buildings)]
                home = Household.objects.create(
                    building=b,
                    room=f"B{seq // len(buildings) + 1}-{seq % 7 + 1}01",
                    kind="huji",
                    grid_path=b.micro_grid.path,
                )
                for k in range(1 + seq % 4):
                    n = len(persons)
                    # Unique by construction: one birth date per thousand, a sequence within.
                    birth = dt.date(1940, 1, 1) + dt.timedelta(days=(n // 1000) * 367)
                    body = f"410102{birth:%Y%m%d}{n % 1000:03d}"
                    persons.append(
                        _new_person(
                            household=home,
                            name=SURNAMES[n % 20] + GIVEN[n % 16] + GIVEN[(n * 7) % 16],
                            id_number=body + ric.calc_check_digit(body + "0"),
                            phone=f"139{n:08d}",
                            relation="head" if k == 0 else "child",
                            residence=("huji", "changzhu", "liudong")[n % 3],
                        )
                    )
                seq += 1
            created = Person.objects.bulk_create(persons[: args.persons], batch_size=2000)
            GroupTag.objects.bulk_create(
                GroupTag(
                    person=p,
                    group=list(SpecialGroup.values)[i % 6],
                    grid_path=p.grid_path,
                    visit_every_days=30,
                )
                for i, p in enumerate(created)
                if i % 10 == 0
            )
            Move.objects.bulk_create(
                Move(
                    person=p, household=p.household, kind="in", on="2026-01-01", recorded_by=worker
                )
                for p in created
            )
        with connection.cursor() as cur:
            cur.execute("ANALYZE residents_person")
            cur.execute("ANALYZE residents_grouptag")
        print(f"registered {len(created)} persons in {time.perf_counter() - started:.1f}s")
    in_grid = Person.objects.filter(grid_path__startswith=grid.path, is_present=True).count()
    client = Client()
    client.force_login(worker)
    pages = in_grid // 50 + 1
    queries = {
        "first page": "",
        "middle page": f"?page={pages // 2}",
        "name search": "?q=" + SURNAMES[3],
        "special group": "?group=living_alone",
    }
    results = {}
    for name, query in queries.items():
        assert client.get(f"/residents/{query}").status_code == 200  # warm-up
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            resp = client.get(f"/residents/{query}")
            times.append(time.perf_counter() - t)
            assert resp.status_code == 200
        results[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
        }
        print(name, results[name])
    print(
        json.dumps(
            {
                "benchmark": "grid worker's person list",
                "database": "postgresql",
                "grid": grid.code,
                "persons_in_grid": in_grid,
                "persons_in_db": Person.objects.count(),
                "target_ms": 300,
                **results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
