"""What the resolver answers: a resolution with its ranked candidates (no logic, no imports of
the resolver, so parsing, indexing and extraction can all speak it)."""

from __future__ import annotations

from dataclasses import dataclass

# The share of its score a building keeps when it is listed but must not be the answer (a
# landmark named before 对面, a building number the place lacks …).
LISTED_NOT_ANSWERED = 0.5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A building that might be meant; ``score`` is its match similarity in [0, 1]."""

    building_id: int
    address: str
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    """Outcome of ``AddressIndex.resolve``.

    ``confidence`` is the best candidate's score discounted by how close the runners-up are;
    ``building_id``/``address`` are set only when it reaches ``CONFIDENCE_THRESHOLD``.
    ``candidates`` (at most ``MAX_CANDIDATES``, best first, ties by building id) are filled
    for refusals too, so that a dispatcher can pick by hand.
    """

    building_id: int | None
    address: str | None
    confidence: float
    candidates: list[Candidate]
    # The landmark a relative phrase named (…对面, …旁边): the place meant is near it, not it,
    # so whoever holds the buildings' positions lists its neighbours (grids.resolving).
    near: int | None = None
    # Whether `candidates` holds every building that scored at all: a full list may hide
    # more doors of the same name, a short one does not.
    listed_all: bool = False

    @property
    def resolved(self) -> bool:
        return self.building_id is not None
