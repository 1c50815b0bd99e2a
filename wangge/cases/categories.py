"""The 派单目录 as data: loading the catalogue, and suggesting a category from text."""

import json
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from wangge.cases.models import Category, CategoryAdjustment, Department
from wangge.core.pinyin import Style, lazy_pinyin
from wangge.grids.models import path_prefixes

if TYPE_CHECKING:
    from wangge.cases.classifier import CategoryClassifier

CATALOGUE = Path(__file__).parent / "data" / "categories.json"
# Below this the suggestion is not trusted: the case keeps no category and a person decides.
SUGGEST_THRESHOLD = 0.45

_lock = threading.Lock()
_classifier: "CategoryClassifier | None" = None


def classifier() -> "CategoryClassifier":
    """Trained on first use (about a second), not at import: most processes never need it."""
    global _classifier
    if _classifier is None:
        with _lock:
            if _classifier is None:
                # Imported here, as the classifier module that needs it: jieba's dictionary.
                import jieba

                # jieba announces its dictionary load at DEBUG on its own handler.
                jieba.setLogLevel(logging.WARNING)
                from wangge.cases.classifier import CategoryClassifier

                _classifier = CategoryClassifier.from_json(CATALOGUE)
    return _classifier


_LEAF_TTL = 30.0
_leaves: dict[str, Category] = {}
_leaves_loaded = 0.0


def leaf(code: str) -> Category | None:
    """An active category cases may be filed under (one without sub-categories), by code.

    Kept in memory for 30 s (or until a category is saved in this process): every intake asks.
    The objects are shared; never modify them.
    """
    global _leaves, _leaves_loaded
    if time.monotonic() - _leaves_loaded > _LEAF_TTL:
        rows = list(Category.objects.filter(is_active=True, children__isnull=True))
        _leaves, _leaves_loaded = {c.code: c for c in rows}, time.monotonic()
    return _leaves.get(code)


def invalidate_leaves() -> None:
    global _leaves_loaded, _adjustments_loaded
    _leaves_loaded = 0.0
    _adjustments_loaded = 0.0


# The districts' adjustments of the catalogue, by (unit path, category id): every intake asks,
# so they are kept like the leaves (30 s, or until one is saved in this process).
_adjustments: dict[tuple[str, int], CategoryAdjustment] = {}
_adjustments_loaded = 0.0


def adjustment(category_id: int | None, grid_path: str) -> CategoryAdjustment | None:
    """The adjustment of `category_id` made by the deepest district (or city) above a case at
    `grid_path`; None where the catalogue's own allowance applies."""
    global _adjustments, _adjustments_loaded
    if category_id is None or not grid_path:
        return None
    if time.monotonic() - _adjustments_loaded > _LEAF_TTL:
        rows = CategoryAdjustment.objects.select_related("unit", "department")
        _adjustments = {(a.unit.path, a.category_id): a for a in rows}
        _adjustments_loaded = time.monotonic()
    if not _adjustments:
        return None
    for path in reversed(path_prefixes(grid_path)):
        found = _adjustments.get((path, category_id))
        if found is not None:
            return found
    return None


def suggest(text: str) -> tuple[Category, str] | None:
    """The best active category for a text, with how it was found, or None when unsure."""
    model = classifier()
    best = model.best(text)
    found = [best] if best is not None else []
    if best is not None and best.score >= SUGGEST_THRESHOLD and leaf(best.code) is None:
        # The best names a category no longer in use: the next ones, which the model only
        # ranks when asked (each explained by its strongest words), may stand in for it.
        found = model.suggest(text, limit=3)
    for s in found:
        if s.score < SUGGEST_THRESHOLD:
            break
        category = leaf(s.code)
        if category is not None:
            if s.method == "keyword":
                how = _("关键词“%(k)s”") % {"k": "、".join(s.matched[:3])}
            else:
                how = _("文本模型，置信度 %(s).2f") % {"s": s.score}
            return category, how
    return None


def _department_code(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).upper()[:20] or "DEPT"


@transaction.atomic
def catalogue_load(path: Path = CATALOGUE) -> dict[str, int]:
    """Create or update departments and categories from the catalogue file (by code)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    departments: dict[str, Department] = {}
    for entry in data["categories"]:
        name = entry.get("department")
        if name and name not in departments:
            dept = Department.objects.filter(name=name).first()
            if dept is None:
                code = _department_code(name)
                while Department.objects.filter(code=code).exists():
                    code += "X"
                dept = Department.objects.create(code=code, name=name)
            departments[name] = dept
    by_code = {c.code: c for c in Category.objects.all()}
    created = updated = 0
    # Parents first, so a child always finds its parent.
    for entry in sorted(data["categories"], key=lambda e: e.get("parent") is not None):
        fields = {
            "name": entry["name"],
            "parent": by_code.get(entry["parent"]) if entry.get("parent") else None,
            "tier": entry.get("tier", "general"),
            "urgency": entry.get("urgency", "normal"),
            "sign_amount": entry["sign"]["amount"],
            "sign_unit": entry["sign"]["unit"],
            "contact_amount": entry["contact"]["amount"],
            "contact_unit": entry["contact"]["unit"],
            "resolve_amount": entry["resolve"]["amount"],
            "resolve_unit": entry["resolve"]["unit"],
            "department": departments.get(entry.get("department") or ""),
            "keywords": entry.get("keywords", []),
        }
        category = by_code.get(entry["code"])
        if category is None:
            category = Category.objects.create(code=entry["code"], **fields)
            created += 1
        else:
            for k, v in fields.items():
                setattr(category, k, v)
            category.save()
            updated += 1
        by_code[category.code] = category
    return {"departments": len(departments), "created": created, "updated": updated}
