"""Reads of 小原帮办: who may edit the base, the editors' list of missed questions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from wangge.accounts.models import Role, User
from wangge.assistant.models import KnowledgeItem, MissedQuestion, MissReason


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


def missed_grouped() -> QuerySet[Any, Any]:
    """Open missed questions grouped by text, the most frequent first (one row per text)."""
    return (
        MissedQuestion.objects.filter(resolved_item__isnull=True)
        .values("text")
        .annotate(
            times=Count("id"),
            disliked=Count("id", filter=Q(reason=MissReason.DISLIKED)),
            last_at=Max("created_at"),
        )
        .order_by("-times", "-last_at", "text")
    )


def missed_rows(grouped: Iterable[dict[str, Any]]) -> list[MissedRow]:
    return [MissedRow(r["text"], r["times"], r["disliked"], r["last_at"]) for r in grouped]


def missed_by_frequency(*, limit: int = 200) -> list[MissedRow]:
    """The `limit` most frequent open missed questions."""
    return missed_rows(missed_grouped()[:limit])


def item_options() -> list[tuple[str, str]]:
    """(code, question) of every item, for the editors' "加为相似问法" picker."""
    return list(KnowledgeItem.objects.order_by("code").values_list("code", "question"))
