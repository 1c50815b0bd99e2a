"""A problem to fix told from a question by meaning, beside the words of `complaints`.

The complaint words catch what is said in them (漏水了, 没人修, 太吵了); residents say as much
without them (楼道里一股燃气味, 工地晚上十二点还在打桩, 僵尸车占到车位两年了), and a how-to
ending (这个归哪个管, 你们管不管) vetoes the word rule. Sentence vectors see that such a report
sits nearer reports of problems than any item of the base. But a vector also carries how a
thing is said: a Cantonese or Sichuanese question is nearer Cantonese complaints than the base's
written phrasings. So a question is set against two lists of examples, residents' reports of
problems (`complaint_examples.txt`) and residents' questions about services in the same mix
of styles (`service_question_examples.txt`), both in the package's data and edited like the
synonyms: it is a complaint when its nearest reports are nearer than both the base's best item
and its nearest questions, by `margin`.

The examples' vectors are made by the embedding job with the items' and stored with their
encoder and the texts' hash (`ExampleVectors`); until they are, only the words decide.
The margin is the setting `ASSISTANT_COMPLAINT_MARGIN`; its default was chosen on the
development bases (docs/benchmarks.md, bench/bench_kb_decide.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

DATA: Final = Path(__file__).resolve().parent.parent / "data"
# kind → the file its examples are read from.
FILES: Final = {
    "complaint": DATA / "complaint_examples.txt",
    "question": DATA / "service_question_examples.txt",
}
# A question's nearness to a list is the mean of its cosines to the list's nearest few: one
# example alone can be near by chance (a shared noun, the same dialect).
NEAREST: Final = 3


def read_examples(kind: str) -> list[str]:
    """The examples of `kind`, one a line; blank lines and `#` comments skipped. A list that
    is missing or empty has none (complaints are then told by their words alone)."""
    try:
        lines = FILES[kind].read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _nearness(examples: np.ndarray, vector: np.ndarray) -> float:
    if not len(examples):
        return -1.0
    cos = examples @ vector
    take = min(NEAREST, len(cos))
    return float(np.partition(cos, len(cos) - take)[-take:].mean())


@dataclass(frozen=True)
class Examples:
    """The two lists' vectors (rows L2-normalised, of one encoder) and the margin."""

    complaints: np.ndarray
    questions: np.ndarray
    margin: float

    def complaint_lead(self, vector: np.ndarray, best_item: float) -> float:
        """How much nearer the question is to the reports of problems than to the base's
        best item or to the questions about services (above `margin`: a complaint)."""
        return _nearness(self.complaints, vector) - max(
            best_item, _nearness(self.questions, vector)
        )

    def is_complaint(self, vector: np.ndarray, best_item: float) -> bool:
        return self.complaint_lead(vector, best_item) >= self.margin
