"""What the retriever answers: an item, choices or nothing, and the rows it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

MAX_CHOICES: Final = 3
# Items shown under an answer as 您是不是想问: the next two of the ranking. When 小原 gives
# no answer and no choices (it abstains or hands off), its nearest items are shown instead,
# up to MAX_CHOICES, beside the way to a person.
ALTERNATIVES: Final = 2


@dataclass(frozen=True)
class Doc:
    id: str
    question: str
    similar: tuple[str, ...] = ()
    answer: str = ""


@dataclass(frozen=True)
class Candidate:
    id: str
    question: str
    score: float


@dataclass(frozen=True)
class Reply:
    """What the retriever decided. `ranked` holds the answer (first) or the choices, in order;
    it is empty when the retriever abstains."""

    answer_id: str | None
    choices: tuple[Candidate, ...]
    confidence: float
    handoff: bool
    complaint: bool
    ranked: tuple[Candidate, ...] = field(default=())
    # Answered or offered without being sure (the words and the meaning disagreed, or only
    # choices could be given): the editors' review list shows these beside the misses.
    unsure: bool = False
    # The item nearest the question even when nothing was shown: what an editor is offered.
    nearest: str | None = None
    # 您是不是想问: under an answer, the next items of the ranking; when nothing was answered
    # or offered, the nearest ones. Never an answer: a resident taps one to be answered with it.
    alternatives: tuple[Candidate, ...] = ()

    @property
    def abstained(self) -> bool:
        return self.answer_id is None and not self.choices
