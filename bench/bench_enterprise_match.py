"""Benchmark 惠企政策 matching: every demo policy against a registry of N enterprises.

    python bench/bench_enterprise_match.py [--enterprises 10000] [--repeat 3]

No database: profiles are generated (industries, sizes, founding dates, revenue bands, headcount,
tags, grid paths and some answers drawn at random) and evaluated with
`wangge.enterprises.criteria.evaluate`, which is what a push run and the policy preview do per
enterprise. Reports evaluations per second, the time one policy takes over the whole registry
(the work `policy_push` does before it writes; verdicts only), and the time one enterprise's
page takes for all twelve policies with every reason in Chinese. The last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")

import django

django.setup()

from django.utils import translation  # noqa: E402

from wangge.demo.enterprises import policies  # noqa: E402
from wangge.enterprises import criteria as crit  # noqa: E402
from wangge.enterprises.models import REVENUE_BOUNDS, Industry, Size  # noqa: E402

STREET = SimpleNamespace(code="410102001", name="林山寨街道", path="410102/410102001/")
EXCLUSIVE = SimpleNamespace(
    code="410102001002901", name="碧沙岗商圈", path="410102/410102001/410102001002/410102001002901/"
)
TAGS = ["高新技术企业", "专精特新", "科技型中小企业", "限上商贸", "楼宇经济", "个转企"]


def profiles(n: int, rng: random.Random) -> list[crit.Profile]:
    questions = [
        q["text"]
        for spec in policies(STREET, EXCLUSIVE)  # type: ignore[arg-type]
        for q in spec["criteria"].get("questions", [])
    ]
    out = []
    for _ in range(n):
        street = f"410102/410102{rng.randint(1, 14):03d}/"
        micro = f"{street}{rng.randint(1, 9):03d}/{rng.randint(1, 6):03d}/{rng.randint(1, 9):03d}/"
        paths = (micro, EXCLUSIVE.path) if rng.random() < 0.1 else (micro,)
        out.append(
            crit.Profile(
                industry=rng.choice(Industry.values),
                size=rng.choice(Size.values),
                founded_on=None
                if rng.random() < 0.05
                else date(2000, 1, 1) + timedelta(days=rng.randint(0, 9400)),
                revenue_band=rng.choice([*REVENUE_BOUNDS, ""]),
                headcount=None if rng.random() < 0.05 else rng.randint(1, 800),
                tags=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
                paths=paths,
                answers={q: rng.random() < 0.5 for q in questions if rng.random() < 0.4},
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    translation.activate("zh-hans")
    rng = random.Random(410102)
    specs = policies(STREET, EXCLUSIVE)  # type: ignore[arg-type]
    regions = {r.code: crit.Region(r.code, r.name, r.path) for r in (STREET, EXCLUSIVE)}
    criteria = [crit.clean(s["criteria"], regions) for s in specs]
    registry = profiles(args.enterprises, rng)

    per_policy: list[float] = []
    statuses: dict[str, int] = {crit.QUALIFIED: 0, crit.PENDING: 0, crit.NOT_QUALIFIED: 0}
    best_all = float("inf")
    for r in range(args.repeat):
        started = time.perf_counter()
        for c in criteria:
            t0 = time.perf_counter()
            for p in registry:
                m = crit.evaluate(c, p, regions, explain=False)
                if r == 0:
                    statuses[m.status] += 1
            per_policy.append(time.perf_counter() - t0)
        best_all = min(best_all, time.perf_counter() - started)
    evaluations = len(criteria) * len(registry)
    # One enterprise's page explains every verdict: timed separately, with reasons.
    sample = registry[:500]
    t0 = time.perf_counter()
    for p in sample:
        for c in criteria:
            crit.evaluate(c, p, regions)
    page = (time.perf_counter() - t0) / len(sample)
    summary = {
        "enterprises": len(registry),
        "policies": len(criteria),
        "evaluations_per_second": round(evaluations / best_all),
        "one_policy_over_registry_ms_median": round(statistics.median(per_policy) * 1000, 1),
        "one_policy_over_registry_ms_max": round(max(per_policy) * 1000, 1),
        "one_enterprise_all_policies_ms": round(page * 1000, 3),
        "verdicts": statuses,
    }
    print(f"{evaluations} evaluations, best pass {best_all:.2f} s")
    for k, v in summary.items():
        print(f"  {k}: {v}")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
