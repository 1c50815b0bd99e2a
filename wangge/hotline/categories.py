"""The 12345 platform's own category on an order: which leaf of our catalogue it decides.

A platform classifies every order in its own three-level catalogue. Where the operator has
mapped a platform code onto one of our leaves (PlatformCategory), or a leaf of ours carries the
code among its external codes, the code decides the category: the platform's dispatcher already
read the order. Anything else is kept on the case as the platform sent it, shown to the
dispatcher, and the category model suggests.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from wangge.cases import categories
from wangge.cases.models import Case, Category, CategorySource, Channel
from wangge.hotline.models import PlatformCategory

# The key of a leaf's external codes that a 12345 platform's codes are listed under.
PLATFORM_KEY = "12345"
# History suggests a mapping only where most of a code's orders ended under one leaf.
SUGGEST_SHARE = 0.6
SUGGEST_MIN_ORDERS = 5


@dataclass(frozen=True)
class PlatformChoice:
    category_code: str  # our leaf, or "" when the code decides nothing
    source: str  # CategorySource of a decided leaf
    external: str  # what the platform sent, kept on the case when it decides nothing


def _label(code: str, name: str) -> str:
    return " ".join(p for p in (code, name) if p)[:120]


def platform_category(code: str, name: str = "") -> PlatformChoice:
    """Our leaf for the platform's category `code` (and its `name`), or the text to keep.

    Our own leaf codes and unique leaf names are accepted as they are (a platform configured
    with our catalogue, or the desk)."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code and not name:
        return PlatformChoice("", "", "")
    for value in (code, name):
        if value and categories.leaf(value) is not None:
            return PlatformChoice(value, CategorySource.PLATFORM, "")
    # Kept on the case whatever it decides: the dispatcher reads what the platform said.
    external = _label(code, name)
    if code:
        mapped = (
            PlatformCategory.objects.filter(code=code, category__isnull=False)
            .select_related("category")
            .first()
        )
        if mapped is not None and mapped.category is not None:
            leaf = categories.leaf(mapped.category.code)
            if leaf is not None:
                return PlatformChoice(leaf.code, CategorySource.PLATFORM, external)
        listed = categories.leaf_by_external(PLATFORM_KEY, code)
        if listed is not None:
            return PlatformChoice(listed.code, CategorySource.PLATFORM, external)
    if name and not code:
        by_name = list(
            Category.objects.filter(name=name, is_active=True, children__isnull=True).values_list(
                "code", flat=True
            )[:2]
        )
        if len(by_name) == 1:
            return PlatformChoice(by_name[0], CategorySource.PLATFORM, external)
    return PlatformChoice("", "", external)


def platform_category_seen(code: str, name: str = "") -> None:
    """Count an order of a platform code, so the operator sees which codes arrive unmapped."""
    code = (code or "").strip()[:60]
    if not code or categories.leaf(code) is not None:
        return
    updated = PlatformCategory.objects.filter(code=code).update(seen=F("seen") + 1)
    if not updated:
        PlatformCategory.objects.get_or_create(
            code=code,
            defaults={"name": (name or "").strip()[:120], "source": "history", "seen": 1},
        )


@transaction.atomic
def platform_categories_suggest() -> int:
    """Suggest a leaf for every platform code from the district's history: the leaf most of
    its orders ended under, chosen by a person (a dispatcher, or the history imported).

    Returns how many codes got a suggestion. It decides nothing: the operator maps."""
    counts: dict[str, Counter[int]] = {}
    rows = (
        Case.objects.filter(
            channel=Channel.HOTLINE,
            category__isnull=False,
            # A person's choice only: a mapped code's cases would suggest their own mapping.
            category_source__in=(CategorySource.STAFF, CategorySource.HISTORY),
        )
        .exclude(external_category="")
        .values_list("external_category", "category_id")
    )
    for external, category_id in rows.iterator(chunk_size=2000):
        code = external.split(" ", 1)[0]
        counts.setdefault(code, Counter())[category_id] += 1
    suggested = 0
    for mapping in PlatformCategory.objects.select_for_update():
        counter = counts.get(mapping.code)
        total = sum(counter.values()) if counter else 0
        if not counter or total < SUGGEST_MIN_ORDERS:
            continue
        category_id, n = counter.most_common(1)[0]
        if n / total < SUGGEST_SHARE:
            continue
        mapping.suggested_id, mapping.suggested_share = category_id, round(n / total, 3)
        mapping.save(update_fields=["suggested", "suggested_share", "updated_at"])
        suggested += 1
    return suggested
