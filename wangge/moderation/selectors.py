from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from wangge.accounts.models import User
from wangge.core.scope import in_scope, path_in_scope
from wangge.moderation.models import ContentCheck, NameHold


def may_review(user: User, check: ContentCheck) -> bool:
    """Grid staff over the place the content is shown, as for the circles' own moderation."""
    return (
        user.is_authenticated
        and user.is_grid_staff
        and (user.is_superuser or bool(check.grid_path))
        and path_in_scope(user, check.grid_path)
    )


def review_queue(user: User) -> QuerySet[ContentCheck]:
    """What waits for a person in the user's subtree, oldest first."""
    if not user.is_grid_staff:
        return ContentCheck.objects.none()
    qs = ContentCheck.objects.filter(status=ContentCheck.Status.REVIEW)
    if not user.is_superuser:
        qs = qs.exclude(grid_path="")
    return in_scope(user, qs, "grid_path").select_related("author").order_by("created_at", "id")


def recently_decided(user: User) -> QuerySet[ContentCheck]:
    qs = ContentCheck.objects.filter(via=ContentCheck.Via.STAFF, decided_at__isnull=False).exclude(
        grid_path=""
    )
    return (
        in_scope(user, qs, "grid_path")
        .select_related("author", "decided_by")
        .order_by("-decided_at", "-id")
    )


def name_held(user_field: str = "author") -> Exists:
    """For an annotation: the user in `user_field` gave a name neighbours may not see yet."""
    return Exists(NameHold.objects.filter(user=OuterRef(user_field)))


def names_held(user_ids: Iterable[int], alias: str = "default") -> set[int]:
    """Of these people, those whose name neighbours may not see yet (read where the caller
    reads the people: a report's replica)."""
    return set(
        NameHold.objects.using(alias)
        .filter(user_id__in=list(user_ids))
        .values_list("user_id", flat=True)
    )


def name_hold_of(user: User) -> NameHold | None:
    return NameHold.objects.filter(user=user).first()
