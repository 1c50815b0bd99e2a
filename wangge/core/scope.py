"""The one grid-scope filter every selector uses.

Staff roles are granted on a node of the grid tree and see that node's subtree only. Nodes carry
a materialised path ("410102/410102001/410102001002/"), so "in the subtree of X" is a prefix match
on an indexed column, on SQLite and PostgreSQL alike.
"""

from collections.abc import Iterable
from typing import Protocol, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


class ScopedUser(Protocol):
    @property
    def is_authenticated(self) -> bool: ...

    def scope_paths(self) -> tuple[str, ...] | None: ...


def minimal_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths covered by another path in the set (a grant on a street covers its grids)."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def scope_q(paths: tuple[str, ...] | None, path_field: str) -> Q | None:
    """None paths means unrestricted; an empty tuple means nothing at all."""
    if paths is None:
        return None
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def in_scope(user: ScopedUser, queryset: QuerySet[M], path_field: str = "path") -> QuerySet[M]:
    """Rows of `queryset` whose grid path lies in the user's scope; nothing for anonymous users."""
    if not user.is_authenticated:
        return queryset.none()
    q = scope_q(user.scope_paths(), path_field)
    return queryset if q is None else queryset.filter(q)


def path_in_scope(user: ScopedUser, path: str) -> bool:
    if not user.is_authenticated:
        return False
    paths = user.scope_paths()
    return paths is None or any(path.startswith(p) for p in paths)
