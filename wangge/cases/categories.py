"""The 派单目录 as data: loading the catalogue, and suggesting a category from text."""

import json
import time
from pathlib import Path
from typing import Any

from django.db import transaction

from wangge.cases import learning
from wangge.cases.models import Category, CategoryAdjustment, Department
from wangge.core.pinyin import Style, lazy_pinyin
from wangge.grids.models import path_prefixes

CATALOGUE = Path(__file__).parent / "data" / "categories.json"
SUGGEST_THRESHOLD = learning.CATALOGUE_THRESHOLD


_LEAF_TTL = 30.0
_leaves: dict[str, Category] = {}
_leaves_loaded = 0.0


_external: dict[tuple[str, str], Category] = {}
_families: dict[str, str] = {}


def leaves() -> dict[str, Category]:
    """The active categories cases may be filed under (those without sub-categories), by code.

    Kept in memory for 30 s (or until a category is saved in this process): every intake asks.
    The objects are shared; never modify them.
    """
    global _leaves, _leaves_loaded, _external, _families
    if time.monotonic() - _leaves_loaded > _LEAF_TTL:
        rows = list(Category.objects.filter(is_active=True, children__isnull=True))
        external = {
            (str(system), str(code).strip()): c
            for c in rows
            for system, codes in (c.external_codes or {}).items()
            for code in (codes if isinstance(codes, list) else [codes])
        }
        by_code = {c.code: c for c in rows}
        # Read with the leaves, so the two never disagree: the model ranks families by them.
        families = learning.family_table(by_code, Category.objects.all())
        _leaves, _external, _families = by_code, external, families
        _leaves_loaded = time.monotonic()
    return _leaves


def leaf(code: str) -> Category | None:
    """An active leaf category by code (see `leaves`)."""
    return leaves().get(code)


def leaf_by_external(system: str, code: str) -> Category | None:
    """The active leaf that lists `code` among its codes in another `system` ("12345",
    "GB/T 30428.2"): the other system's catalogue entry it is filed under."""
    leaves()
    return _external.get((system, code.strip()))


def invalidate_leaves() -> None:
    """Read the catalogue again on the next call (a category saved in this process): its
    leaves, the districts' adjustments and the catalogue's model."""
    global _leaves_loaded, _adjustments_loaded
    _leaves_loaded = 0.0
    _adjustments_loaded = 0.0
    learning.forget()


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


def suggest_for_case(text: str) -> "learning.Guess":
    """What the category model in use says of a case's text: the leaf to file it under (or
    None: the desk decides), how, and its three best leaves."""
    active = leaves()
    return learning.engine().guess(text, active, _families)


def suggest(text: str) -> tuple[Category, str] | None:
    """The leaf the model files a text under, with how it was found, or None when unsure."""
    guess = suggest_for_case(text)
    return (guess.pick, guess.how) if guess.pick is not None else None


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
            "examples": entry.get("examples", []),
            "external_codes": entry.get("external_codes", {}),
            "not_grid_matter": bool(entry.get("not_grid_matter", False)),
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
