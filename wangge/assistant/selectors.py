"""Reads of 小原帮办: who may edit the base, the editors' list of missed questions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.assistant import index
from wangge.assistant.models import Conversation, KnowledgeItem, MissedQuestion, MissReason, Outcome
from wangge.assistant.retrieval import ALTERNATIVES, MAX_CHOICES, Candidate, Reply


def retriever_status() -> str:
    """Which retriever answers residents now, in the editors' words (shown in the admin)."""
    retriever = index.retriever()
    model = index.encoder()
    if model is None:
        return _("检索方式：仅按词语匹配（未安装语义模型）")
    dense = retriever.dense
    covered = dense.covered if dense is not None else 0
    values = {"key": model.key, "n": covered, "total": len(retriever)}
    if covered < len(retriever):
        return (
            _("检索方式：词语 + 语义（%(key)s）；向量计算中，已完成 %(n)d / %(total)d 个条目")
            % values
        )
    if not retriever.calibration.knows(model.key):
        return _("检索方式：词语 + 语义（%(key)s）；判定阈值学习中，暂按词语判定") % values
    if retriever.examples is None:
        told = _("例句向量计算中，反映问题暂按词语识别")
    else:
        told = _("反映问题按词语和语义识别")
    return _("检索方式：词语 + 语义（%(key)s）；%(total)d 个条目均已计算向量；") % values + told


def can_edit_kb(user: User) -> bool:
    """The base is district-wide content: district admins and street dispatchers keep it."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.has_role(Role.ADMIN, Role.STREET_DISPATCHER))


@dataclass(frozen=True)
class MissedRow:
    text: str
    times: int
    disliked: int
    last_at: datetime
    unsure: int = 0
    likely_code: str | None = None
    likely_question: str | None = None
    handed_off: int = 0


def missed_grouped() -> QuerySet[Any, Any]:
    """Open missed questions under the item each is likely about (items in code order, the
    questions no item is near last), one row per text, the most asked first."""
    return (
        MissedQuestion.objects.filter(resolved_item__isnull=True)
        .values("likely_item__code", "likely_item__question", "text")
        .annotate(
            times=Count("id"),
            disliked=Count("id", filter=Q(reason=MissReason.DISLIKED)),
            unsure=Count("id", filter=Q(reason=MissReason.UNSURE)),
            handed_off=Count("id", filter=Q(reason=MissReason.HANDED_OFF)),
            last_at=Max("created_at"),
        )
        .order_by(F("likely_item__code").asc(nulls_last=True), "-times", "-last_at", "text")
    )


def missed_rows(grouped: Iterable[dict[str, Any]]) -> list[MissedRow]:
    return [
        MissedRow(
            r["text"],
            r["times"],
            r["disliked"],
            r["last_at"],
            r["unsure"],
            r["likely_item__code"],
            r["likely_item__question"],
            r["handed_off"],
        )
        for r in grouped
    ]


def missed_by_frequency(*, limit: int = 200) -> list[MissedRow]:
    """The `limit` most frequent open missed questions."""
    return missed_rows(missed_grouped()[:limit])


def item_options() -> list[tuple[str, str]]:
    """(code, question) of every item, for the editors' "加为相似问法" picker."""
    return list(KnowledgeItem.objects.order_by("code").values_list("code", "question"))


@dataclass(frozen=True)
class Beside:
    """What the API shows beside an answer, choices or hand-off (see `beside`)."""

    alternatives: list[Candidate]
    complaint: bool


def beside(reply: Reply | None, *, answered: str | None, offered: Iterable[str]) -> Beside:
    """您是不是想问 beside what 小原 showed from `reply`: under an answer (`answered`) the next two
    items of the ranking; when nothing was answered or offered (an abstention or a hand-off)
    the nearest three, for a resident who can still find it by a tap; none beside choices,
    which are the options already. And whether the question told a problem for a person to
    fix rather than asked about a service. None (a tap, answered with the item tapped): none."""
    if reply is None:
        return Beside([], False)
    return Beside(_alternatives(reply, answered, set(offered)), reply.complaint)


def _alternatives(reply: Reply, answered: str | None, shown: set[str]) -> list[Candidate]:
    if shown and answered is None:
        return []
    if answered is not None and reply.answer_id != answered:
        # Answered otherwise than the ranking's first (a remembered question): the ranking's
        # own first is then the likeliest other meaning.
        pool = (*reply.ranked, *reply.alternatives)
    else:
        pool = (*reply.alternatives, *reply.ranked)
    shown.add(answered or "")
    out: list[Candidate] = []
    for candidate in pool:
        if candidate.id not in shown:
            shown.add(candidate.id)
            out.append(candidate)
    return out[: ALTERNATIVES if answered is not None else MAX_CHOICES]


@dataclass(frozen=True)
class Tap:
    """A resident's tap on an item 小原 showed (a choice or an alternative): the item they
    meant by what they asked."""

    question: str
    shown: str | None
    picked: str


def taps(conversation: Conversation) -> list[Tap]:
    """The conversation's taps, each with the question it answered and what 小原 had answered
    it with (None: choices, an abstention or a hand-off), oldest first."""
    out: list[Tap] = []
    asked = None
    turns = conversation.turns.select_related("item").order_by("id")
    for turn in turns:
        if turn.outcome != Outcome.CHOSEN:
            asked = turn
        elif asked is not None and turn.item is not None:
            shown = asked.item.code if asked.item is not None else None
            out.append(Tap(asked.question, shown, turn.item.code))
    return out
