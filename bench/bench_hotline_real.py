"""12345 orders as they really arrive: real citizen messages with their real labels, through the
product's own path.

    python bench/bench_hotline_real.py var/real_messages/tipdm2020c.csv [--demo] [--limit N]

In a fresh database (SQLite in a temporary folder, or DATABASE_URL): a catalogue whose families
are the data's labels is loaded with `load_catalogue --file` (one leaf per label, no keywords or
examples: nothing of the messages goes into it); half of the messages (a seeded stratified
split) are imported with `import_history` and `classifier_train` is run; the other half is sent
one by one through `POST /api/v1/hotline/orders` without a category, and each case is read back
with `GET /api/v1/cases/{id}`. Before the import, the same orders are sent once on the cold
catalogue, for the cold-start figures.

Reported: top-1 in the right family (the case's category, or its first suggestion when the
model left it to the desk), top-3 (`category_suggestions`), wrong-family picks (a category set
on the case, in another family) as a share of all orders, the share picked; with `--demo` the
demo district of `seed_demo` is loaded first, and the orders (all about places of another
province) that reached a street's desk are counted: the bar is none.

The messages are not in this repository (bench/real_messages.py says where they come from and
builds the CSV): the product learns only from a district's own history; outside sets serve
measurements like this one.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def split(
    rows: list[dict[str, str]], seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Half of each label to learn from, half to send: seeded, so runs compare."""
    by_label: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_label[row["label"]].append(row)
    train: list[dict[str, str]] = []
    test: list[dict[str, str]] = []
    rng = random.Random(seed)
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        half = len(members) // 2
        train += members[:half]
        test += members[half:]
    rng.shuffle(test)
    return train, test


def catalogue(labels: list[str], folder: Path) -> tuple[Path, dict[str, str]]:
    """One family per label with one leaf under it; returns the file and label → leaf code."""
    entries: list[dict[str, Any]] = []
    codes: dict[str, str] = {}
    deadline = {
        "sign": {"amount": 2, "unit": "working_hours"},
        "contact": {"amount": 24, "unit": "calendar_hours"},
        "resolve": {"amount": 7, "unit": "working_days"},
    }
    for index, label in enumerate(labels, start=1):
        family = f"R{index:02d}"
        entries.append({"code": family, "name": label, "parent": None, **deadline})
        entries.append({"code": f"{family}-01", "name": label, "parent": family, **deadline})
        codes[label] = f"{family}-01"
    path = folder / "catalogue.json"
    path.write_text(json.dumps({"version": 1, "categories": entries}, ensure_ascii=False))
    return path, codes


def history_file(rows: list[dict[str, str]], codes: dict[str, str], folder: Path) -> Path:
    path = folder / "history.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["工单编号", "受理时间", "工单标题", "诉求内容", "事发地址", "分类", "办结时间"]
        )
        for n, row in enumerate(rows, start=1):
            day = f"2025-{(n % 12) + 1}-{(n % 27) + 1} 9:{n % 60:02d}:00"
            writer.writerow(
                [f"H{n:06d}", day, row["title"], row["text"], "", codes[row["label"]], day]
            )
    return path


def stored(case_id: int) -> dict[str, Any]:
    """The case as the API would answer it, read from the database: without an imported grid
    tree a case waits for the instance's administrators, whom this bench does not play."""
    from wangge.cases.models import Case

    case = Case.objects.select_related("category").get(pk=case_id)
    return {
        "category": {"code": case.category.code} if case.category else None,
        "category_suggestions": case.category_suggestions,
    }


def send(client: Any, token: str, rows: list[dict[str, str]], prefix: str) -> list[dict[str, Any]]:
    answers = []
    for n, row in enumerate(rows, start=1):
        body = {
            "order_no": f"{prefix}{n:06d}",
            "content": (row["text"] or row["title"])[:4000],
            "title": row["title"][:100],
        }
        resp = client.post(
            "/api/v1/hotline/orders",
            data=json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        if resp.status_code == 422 and "title" in resp.content.decode():
            body.pop("title")
            resp = client.post(
                "/api/v1/hotline/orders",
                data=json.dumps(body, ensure_ascii=False),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        assert resp.status_code in (200, 201), resp.content[:300]
        got = client.get(
            f"/api/v1/cases/{resp.json()['case_id']}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        answers.append(got.json() if got.status_code == 200 else stored(resp.json()["case_id"]))
    return answers


def measure(
    answers: list[dict[str, Any]], rows: list[dict[str, str]], family: dict[str, str]
) -> dict[str, Any]:
    """Figures in families: `family` maps a leaf code to its label."""
    n = len(rows)
    top1 = top3 = picked = wrong = 0
    for case, row in zip(answers, rows, strict=True):
        label = row["label"]
        suggestions = [s["code"] for s in case.get("category_suggestions") or []]
        chosen = case["category"]["code"] if case.get("category") else None
        first = chosen or (suggestions[0] if suggestions else None)
        top1 += first is not None and family.get(first) == label
        top3 += any(family.get(c) == label for c in suggestions[:3]) or (
            chosen is not None and family.get(chosen) == label
        )
        if chosen is not None:
            picked += 1
            wrong += family.get(chosen) != label
    return {
        "n": n,
        "top1_family": round(top1 / n, 4),
        "top3_family": round(top3 / n, 4),
        "picked": round(picked / n, 4),
        "wrong_family_picks": round(wrong / n, 4),
        "wrong_among_picks": round(wrong / picked, 4) if picked else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--limit", type=int, default=0, help="send only this many test orders")
    parser.add_argument("--demo", action="store_true", help="load seed_demo's district first")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start pass")
    args = parser.parse_args()

    rows = [r for r in csv.DictReader(args.csv.open(encoding="utf-8")) if r["text"].strip()]
    train, test = split(rows, args.seed)
    if args.limit:
        test = test[: args.limit]

    work = Path(tempfile.mkdtemp(prefix="wangge-real-"))
    os.environ["WANGGE_VAR_DIR"] = str(work)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from wangge.accounts.models import Role
    from wangge.accounts.services import api_token_create, role_grant, user_create
    from wangge.cases.models import Case
    from wangge.grids.models import GridLevel, GridNode

    call_command("migrate", verbosity=0)
    if args.demo:
        call_command("seed_demo", verbosity=0)
    labels = sorted({r["label"] for r in rows})
    path, codes = catalogue(labels, work)
    call_command("load_catalogue", file=path, verbosity=0)
    family = {code: label for label, code in codes.items()}

    root = GridNode.objects.filter(parent__isnull=True).first()
    admin = user_create(phone="13800000000", name="测评", password=secrets.token_urlsafe())
    if root is not None:
        role_grant(user=admin, role=Role.ADMIN, node=root, granted_by=None)
    else:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    _token, key = api_token_create(user=admin, name="bench")
    client = Client(HTTP_HOST="localhost")
    report: dict[str, Any] = {"source": args.csv.name, "train": len(train), "test": len(test)}

    if not args.no_cold:
        started = time.monotonic()
        cold = send(client, key, test, "COLD")
        report["cold"] = measure(cold, test, family)
        report["cold"]["seconds"] = round(time.monotonic() - started, 1)

    started = time.monotonic()
    out = Path(work / "import.txt")
    with out.open("w") as f:
        call_command("import_history", str(history_file(train, codes, work)), stdout=f)
    report["import_seconds"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    call_command("classifier_train", stdout=(work / "train.txt").open("w"))
    report["train_seconds"] = round(time.monotonic() - started, 1)
    report["train_message"] = (work / "train.txt").read_text().strip()
    time.sleep(0)
    from wangge.cases import learning

    learning.forget()
    started = time.monotonic()
    answers = send(client, key, test, "REAL")
    report["trained"] = measure(answers, test, family)
    report["trained"]["seconds"] = round(time.monotonic() - started, 1)
    if args.demo:
        streets = set(GridNode.objects.filter(level=GridLevel.STREET).values_list("pk", flat=True))
        on_street = Case.objects.filter(
            external_id__startswith="REAL", street_id__in=streets, is_history=False
        )
        report["on_a_street_desk"] = on_street.count()
        report["out_of_area_marked"] = Case.objects.filter(
            external_id__startswith="REAL", out_of_area=True
        ).count()
        report["street_examples"] = [(c.title[:30], c.routing_reason[:120]) for c in on_street[:10]]
    report["labels"] = dict(Counter(r["label"] for r in rows))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
