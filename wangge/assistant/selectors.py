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
from wangge.assistant.models import KnowledgeItem, MissedQuestion, MissReason


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
        )
        for r in grouped
    ]


def missed_by_frequency(*, limit: int = 200) -> list[MissedRow]:
    """The `limit` most frequent open missed questions."""
    return missed_rows(missed_grouped()[:limit])


def item_options() -> list[tuple[str, str]]:
    """(code, question) of every item, for the editors' "加为相似问法" picker."""
    return list(KnowledgeItem.objects.order_by("code").values_list("code", "question"))
