"""Benchmark the 派单 category classifier on the catalogue's own examples (no Django needed).

    python bench/bench_classifier.py [--catalogue PATH] [--every 4] [--repeat 3] [--cv]

Holds out every 4th example of each leaf (the split the test suite uses), trains on the rest
plus the names and keywords, and reports on the held-out texts:

* top-1 and top-3 accuracy, overall and per top-level category;
* how often the top answer came from the keyword stage and from the model, and how often
  each of them was right;
* training seconds (jieba's one-off dictionary load is reported separately) and
  suggestions per second (best of ``--repeat`` passes over the held-out texts);
* with ``--cv``, the same accuracy over all ``--every`` folds, which is less noisy than one
  split and is what the classifier's parameters were chosen on.

The last line is a JSON summary for CI trend tracking.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wangge.cases.classifier import (
    DEFAULT_CATALOGUE,
    CategoryClassifier,
    leaf_categories,
    load_categories,
    split_examples,
    tokenize,
)


def score(
    classifier: CategoryClassifier, held_out: Sequence[tuple[str, str]], top_of: Mapping[str, str]
) -> dict[str, Any]:
    """Accuracy overall, per top level and per stage for one trained classifier."""
    per_top: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n, top1, top3
    stage: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # answered, right
    top1 = top3 = 0
    for text, code in held_out:
        ranked = classifier.suggest(text, limit=3)
        first = bool(ranked) and ranked[0].code == code
        within = any(s.code == code for s in ranked)
        top1 += first
        top3 += within
        row = per_top[top_of[code]]
        row[0] += 1
        row[1] += first
        row[2] += within
        method = ranked[0].method if ranked else "none"
        stage[method][0] += 1
        stage[method][1] += first
    n = len(held_out)
    return {
        "n": n,
        "top1": top1 / n if n else math.nan,
        "top3": top3 / n if n else math.nan,
        "per_top": dict(per_top),
        "stage": dict(stage),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE)
    parser.add_argument("--every", type=int, default=4, help="hold out every n-th example")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes, best is kept")
    parser.add_argument("--cv", action="store_true", help="also cross-validate over all folds")
    args = parser.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)

    categories = load_categories(args.catalogue)
    names = {str(c["code"]): str(c["name"]) for c in categories}
    leaves = leaf_categories(categories)
    top_of = {str(c["code"]): str(c["parent"]) for c in leaves}
    n_tops = sum(1 for c in categories if c.get("parent") is None)
    n_examples = sum(len(c.get("examples", ())) for c in leaves)
    print(f"catalogue: {n_tops} top-level, {len(leaves)} leaf categories, {n_examples} examples")

    t = time.perf_counter()
    tokenize("预热")
    jieba_s = time.perf_counter() - t
    print(f"jieba dictionary load (once per process): {jieba_s:.2f}s")

    train, held_out = split_examples(categories, every=args.every)
    t = time.perf_counter()
    classifier = CategoryClassifier(train)
    train_s = time.perf_counter() - t
    print(f"training on {n_examples - len(held_out)} examples: {train_s:.3f}s")

    result = score(classifier, held_out, top_of)
    print(
        f"held out {result['n']} examples (every {args.every}th): "
        f"top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%}"
    )
    for method, (answered, right) in sorted(result["stage"].items()):
        print(
            f"  top answer by {method:<7}: {answered / result['n']:6.1%} of texts, "
            f"right {right / answered:.1%}"
        )
    print("per top-level category (n, top-1, top-3):")
    for top, (n, first, within) in sorted(result["per_top"].items(), key=lambda kv: kv[0]):
        # Pad by display width: each Chinese character takes two columns.
        label = names[top] + " " * (10 - 2 * len(names[top]))
        print(f"  {top:<5} {label} {n:>3}  {first / n:6.1%}  {within / n:6.1%}")

    texts = [text for text, _ in held_out]
    best = math.inf
    for _ in range(max(1, args.repeat)):
        t = time.perf_counter()
        for text in texts:
            classifier.suggest(text)
        best = min(best, time.perf_counter() - t)
    per_s = len(texts) / best
    print(f"suggest: {per_s:,.0f} texts/s ({best / len(texts) * 1e3:.2f} ms each)")

    summary: dict[str, Any] = {
        "tops": n_tops,
        "leaves": len(leaves),
        "examples": n_examples,
        "held_out": result["n"],
        "top1": round(result["top1"], 4),
        "top3": round(result["top3"], 4),
        "keyword_share": round(result["stage"].get("keyword", [0, 0])[0] / result["n"], 4),
        "jieba_load_s": round(jieba_s, 3),
        "train_s": round(train_s, 3),
        "suggest_per_s": round(per_s),
    }
    if args.cv:
        total = first = within = 0
        for held in range(args.every):
            fold_train, fold_held = split_examples(categories, args.every, offset=held)
            fold_result = score(CategoryClassifier(fold_train), fold_held, top_of)
            total += fold_result["n"]
            first += round(fold_result["top1"] * fold_result["n"])
            within += round(fold_result["top3"] * fold_result["n"])
        print(
            f"{args.every}-fold cross-validation over {total} examples: "
            f"top-1 {first / total:.1%}, top-3 {within / total:.1%}"
        )
        summary["cv_top1"] = round(first / total, 4)
        summary["cv_top3"] = round(within / total, 4)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
