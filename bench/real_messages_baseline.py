"""A plain scikit-learn baseline on the real labelled messages built by bench/real_messages.py.

    python bench/real_messages_baseline.py [CSV ...] [--seed 0] [--seeds 0 1 2 3 4]
                                           [--fields title+text|text|title]

For each CSV (default: every ``var/real_messages/*.csv``) it makes a deterministic stratified
50/50 split (per label, rows sorted by id, shuffled with ``random.Random(seed)``, the first
half of each label — rounded down — is the training half) and trains, on title+text:

* ``TfidfVectorizer(analyzer='char_wb', ngram_range=(1, 3), sublinear_tf=True)`` and
  ``TfidfVectorizer(analyzer='char', ngram_range=(2, 4), sublinear_tf=True)``, each with
* ``LogisticRegression`` (default C=1, and C=100) and ``CalibratedClassifierCV(LinearSVC())``,

and reports top-1 / top-3 accuracy and macro-F1 on the held-out half, plus per-label top-1
for the best pair. With ``--seeds`` it repeats the split for each seed and reports the mean
and the spread. The last line is a JSON summary.

scikit-learn is not a dependency of the project: install it into the venv first
(``.venv/bin/pip install scikit-learn``). Nothing here touches the network.

Note: ``tipdm2020c.csv`` holds raw messages that are also (segmented) rows of
``tipdm2020c_segmented.csv``; never train on one and test on the other.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "real_messages"

VECTORIZERS = {
    "char_wb(1,3)": {"analyzer": "char_wb", "ngram_range": (1, 3)},
    "char(2,4)": {"analyzer": "char", "ngram_range": (2, 4)},
}


def load(path: Path, fields: str) -> list[tuple[str, str, str]]:
    """(id, input text, label) per row."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            title, text = r.get("title", "") or "", r.get("text", "") or ""
            x = {"title+text": f"{title}\n{text}".strip(), "text": text, "title": title}[fields]
            if x and r["label"]:
                rows.append((r["id"], x, r["label"]))
    return rows


def stratified_half(rows: Sequence[tuple[str, str, str]], seed: int):
    """Deterministic stratified 50/50 split: (train, test)."""
    by_label: dict[str, list[tuple[str, str, str]]] = collections.defaultdict(list)
    for row in rows:
        by_label[row[2]].append(row)
    rng = random.Random(seed)
    train, test = [], []
    for label in sorted(by_label):
        group = sorted(by_label[label])
        rng.shuffle(group)
        k = len(group) // 2
        train += group[:k]
        test += group[k:]
    return train, test


def make_models():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    return {
        "LogReg": lambda: LogisticRegression(max_iter=3000),
        # C=1 over-regularises L2-normalised sublinear tf-idf on a few hundred texts per label
        "LogReg C=100": lambda: LogisticRegression(C=100, max_iter=3000),
        "LinearSVC+cal": lambda: CalibratedClassifierCV(LinearSVC(), cv=5),
    }


def evaluate(train, test, vec_kwargs, make_model) -> dict:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score

    t0 = time.perf_counter()
    vec = TfidfVectorizer(sublinear_tf=True, **vec_kwargs)
    xtr = vec.fit_transform([x for _i, x, _y in train])
    xte = vec.transform([x for _i, x, _y in test])
    ytr = [y for _i, _x, y in train]
    yte = np.array([y for _i, _x, y in test])
    model = make_model().fit(xtr, ytr)
    proba = model.predict_proba(xte)
    classes = np.array(model.classes_)
    order = np.argsort(-proba, axis=1)
    top1 = classes[order[:, 0]]
    top3 = classes[order[:, :3]]
    per_label = {
        label: float(np.mean(top1[yte == label] == label)) for label in sorted(set(yte.tolist()))
    }
    return {
        "top1": float(np.mean(top1 == yte)),
        "top3": float(np.mean((top3 == yte[:, None]).any(axis=1))),
        "macro_f1": float(f1_score(yte, top1, average="macro")),
        "per_label_top1": per_label,
        "features": len(vec.vocabulary_),
        "seconds": time.perf_counter() - t0,
    }


def run(path: Path, seeds: Sequence[int], fields: str) -> dict:
    rows = load(path, fields)
    counts = collections.Counter(y for _i, _x, y in rows)
    print(f"\n== {path.name}: {len(rows)} rows, {len(counts)} labels, input = {fields}")
    models = make_models()
    results: dict[str, list[dict]] = collections.defaultdict(list)
    for seed in seeds:
        train, test = stratified_half(rows, seed)
        for vname, vkw in VECTORIZERS.items():
            for mname, make in models.items():
                results[f"{vname} + {mname}"].append(evaluate(train, test, vkw, make))
    print(f"   split: {len(train)} train / {len(test)} test per seed; seeds {list(seeds)}")
    print(f"   {'model':<30} {'top-1':>14} {'top-3':>14} {'macro-F1':>14} {'s/run':>6}")

    def fmt(values: list[float]) -> str:
        if len(values) == 1:
            return f"{100 * values[0]:.1f}"
        return f"{100 * statistics.mean(values):.1f} ± {100 * statistics.stdev(values):.1f}"

    summary = {}
    for name, runs in results.items():
        t1 = [r["top1"] for r in runs]
        t3 = [r["top3"] for r in runs]
        f1 = [r["macro_f1"] for r in runs]
        secs = statistics.mean(r["seconds"] for r in runs)
        print(f"   {name:<30} {fmt(t1):>14} {fmt(t3):>14} {fmt(f1):>14} {secs:6.1f}")
        summary[name] = {
            "top1": statistics.mean(t1),
            "top3": statistics.mean(t3),
            "macro_f1": statistics.mean(f1),
        }
    best = max(summary, key=lambda k: summary[k]["top1"])
    per = collections.defaultdict(list)
    for r in results[best]:
        for label, acc in r["per_label_top1"].items():
            per[label].append(acc)
    print(f"   per-label top-1 of {best}:")
    for label, n in counts.most_common():
        print(f"     {label:<10} n={n:5d}  {fmt(per[label])}")
    return {"rows": len(rows), "labels": dict(counts), "best": best, "results": summary}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "csv", nargs="*", type=Path, help="CSV files (default: var/real_messages/*.csv)"
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of the single split (default 0)")
    ap.add_argument("--seeds", type=int, nargs="+", help="several seeds: report mean ± sd")
    ap.add_argument("--fields", choices=("title+text", "text", "title"), default="title+text")
    args = ap.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("scikit-learn is missing: .venv/bin/pip install scikit-learn", file=sys.stderr)
        return 2
    paths = args.csv or sorted(DEFAULT_DIR.glob("*.csv"))
    if not paths:
        print(f"no CSVs in {DEFAULT_DIR}: run bench/real_messages.py first", file=sys.stderr)
        return 2
    seeds = args.seeds or [args.seed]
    out = {p.name: run(p, seeds, args.fields) for p in paths}
    print(json.dumps({"seeds": seeds, "fields": args.fields, "datasets": out}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
