"""Server time of the main resident and worker pages on the demo district (SQLite).

    python bench/bench_pages.py [--repeat 20]

Seeds the demo district into a temporary database, adds a realistic amount of resident content
(notices, circle posts, listings, service places), then requests each page through Django's test
client as the demo resident (and the demo grid worker) and prints the median and p95 in ms.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    var = tempfile.mkdtemp(prefix="wangge-pages-")
    env = {
        **os.environ,
        "WANGGE_VAR_DIR": var,
        "DATABASE_URL": f"sqlite:///{var}/pages.sqlite3",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver",
    }
    for cmd in (["migrate", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *cmd], cwd=ROOT, env=env, check=True, capture_output=True
        )
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from decimal import Decimal

    from django.test import Client

    from wangge.accounts.models import User
    from wangge.circles.services import post_create
    from wangge.market.services import listing_post
    from wangge.notices.models import ServicePlace
    from wangge.notices.selectors import home_node
    from wangge.notices.services import notice_publish

    resident = User.objects.get(phone="13800000014")
    worker = User.objects.get(phone="13800000005")
    dispatcher = User.objects.get(phone="13800000002")
    home = home_node(resident)
    assert home is not None
    community = home.parent.parent if home.parent and home.parent.parent else home
    for i in range(60):
        notice_publish(actor=dispatcher, node=community, title=f"社区通知 {i}", body="内容" * 50)
        post_create(author=resident, circle="residents", text=f"邻里动态 {i}：周末一起打扫楼道")
        listing_post(owner=resident, kind="offer", title=f"闲置物品 {i}", price=Decimal(i % 3))
    for i in range(40):
        ServicePlace.objects.create(
            kind="grid_home",
            name=f"网格家园 {i}",
            address="伊河路",
            lon=113.55 + i * 0.003,
            lat=34.70 + i * 0.002,
            node=community,
        )
    pages = {
        "resident": [
            "/m/",
            "/m/notices/",
            "/circles/",
            "/market/",
            "/m/nearby/",
            "/cases/mine/",
            "/m/me/",
            "/m/report/",
        ],
        "worker": ["/cases/queue/", "/grids/map/410102001002001/"],
    }
    results = {}
    for who, urls in pages.items():
        client = Client()
        client.force_login(resident if who == "resident" else worker)
        for url in urls:
            client.get(url)  # warm: indexes, templates
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                resp = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200, (url, resp.status_code)
            times.sort()
            results[url] = {
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            }
            r = results[url]
            print(f"{url:36} median {r['median_ms']:6.1f} ms   p95 {r['p95_ms']:6.1f} ms")
    print(
        json.dumps(
            {
                "benchmark": "page server time (demo district, SQLite)",
                "target_ms": 200,
                "pages": results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
