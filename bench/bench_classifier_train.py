"""The category model's cost: training on a district's history, and one prediction.

    python bench/bench_classifier_train.py SOURCE.csv [--orders 100000] [--predict 2000]

Training: what `classifier_train` runs (the texts read once, `textmodel.fit` on the training
slice, then on all the history once kept; the held-out evaluation aside) on N orders made by
drawing real messages (SOURCE.csv, columns title, text, label; bench/real_messages.py builds
one) and cutting each at a random sentence
boundary and joining it with another of the same label, so that 100,000 orders are not 1,600
repeated. Prediction: CPU time (process time) of `TextModel.score` plus the three suggestions,
per message, over real messages as they are, from the model mapped from files as a worker
serves it.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wangge.cases import textmodel

SENTENCE = re.compile(r"(?<=[。！？；])")


def orders(rows: list[dict[str, str]], n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = {}
    for row in rows:
        by_label.setdefault(row["label"], []).append(f"{row['title']} {row['text']}")
    labels = sorted(by_label)
    texts, out_labels = [], []
    for _ in range(n):
        label = rng.choice(labels)
        a, b = rng.choice(by_label[label]), rng.choice(by_label[label])
        pa, pb = [p for p in SENTENCE.split(a) if p], [p for p in SENTENCE.split(b) if p]
        cut_a, cut_b = rng.randint(1, len(pa)), rng.randint(0, len(pb))
        texts.append("".join(pa[:cut_a] + pb[cut_b:])[:4000])
        out_labels.append(label)
    return texts, out_labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--predict", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = list(csv.DictReader(args.csv.open(encoding="utf-8")))
    texts, labels = orders(rows, args.orders, args.seed)
    lengths = sorted(len(t) for t in texts)
    print(
        f"orders {len(texts)}, length median {statistics.median(lengths)}, "
        f"p95 {lengths[int(len(lengths) * 0.95)]}"
    )

    # As classifier_train does: every text read once, a fit on four fifths (the training
    # slice), then a fit on everything (the refit put in use).
    started, cpu = time.monotonic(), time.process_time()
    prepared = textmodel.Prepared.of(texts)
    print(f"read: {time.monotonic() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")
    slice_rows = [i for i in range(len(texts)) if i % 5]
    for name, part, part_labels in (
        ("fit on the training slice", prepared.take(slice_rows), [labels[i] for i in slice_rows]),
        ("fit on everything", prepared, labels),
    ):
        step, step_cpu = time.monotonic(), time.process_time()
        arrays = textmodel.fit(part, part_labels, {})
        print(
            f"{name}: {time.monotonic() - step:.1f} s wall, "
            f"{time.process_time() - step_cpu:.1f} s CPU"
        )
    print(
        f"training in all: {time.monotonic() - started:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU; "
        f"{len(arrays['idf'])} n-grams, {len(arrays['classes'])} classes, "
        f"{len(textmodel.to_bytes(arrays)) / 1e6:.1f} MB stored"
    )

    folder = Path(tempfile.mkdtemp()) / "v1"
    textmodel.unpack(textmodel.to_bytes(arrays), folder)
    model = textmodel.TextModel.open(folder)
    sample = [f"{r['title']} {r['text']}" for r in rows[: args.predict]]
    for text in sample[:50]:  # pages mapped in
        model.score(text)
    costs = []
    for text in sample:
        cpu = time.process_time()
        scored = model.score(text)
        top = np.argsort(-scored.probabilities)[:3]
        for index in top:
            model.words(scored, int(index))
        costs.append(time.process_time() - cpu)
    costs.sort()
    print(
        f"predict ({len(costs)} real messages, with words): "
        f"p50 {costs[len(costs) // 2] * 1000:.2f} ms, "
        f"p95 {costs[int(len(costs) * 0.95)] * 1000:.2f} ms, "
        f"max {costs[-1] * 1000:.2f} ms CPU"
    )


if __name__ == "__main__":
    main()
