"""What the grids' imports share: a file refused whole with every problem listed, the report
of one that was written, a GeoJSON document and its features read with the problems said by
place, and a file's values looked up in chunks."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from wangge.core.errors import ValidationFailed


class ImportRejected(ValidationFailed):
    """A file with problems: nothing was written. `problems` lists each one by place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_("导入被拒绝，共 %(n)d 个问题，未写入任何数据") % {"n": len(problems)})
        self.problems = problems


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    # Buildings import: how many addresses use each part (grids.addresses.parts_used).
    parts: dict[str, int] = field(default_factory=dict)


def collection_features(
    data: Any, problems: list[str]
) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """Each feature of a GeoJSON FeatureCollection with its properties, (index, feature,
    properties); what is not a collection, is empty or has a feature without properties is
    said in `problems`."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(_("文件不是 GeoJSON FeatureCollection"))
        return
    raw = data.get("features")
    if not isinstance(raw, list) or not raw:
        problems.append(_("FeatureCollection 中没有要素"))
        return
    for i, feat in enumerate(raw):
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
            where = _("第 %(i)d 个要素") % {"i": i}
            problems.append(_("%(where)s：缺少 properties") % {"where": where})
            continue
        yield i, feat, feat["properties"]


M = TypeVar("M", bound=Model)

# PostgreSQL takes at most 65,535 bound parameters a statement: a district's file holds more
# codes than that, so look-ups by a file's values go in chunks.
LOOKUP_CHUNK = 10_000


def in_chunks(qs: QuerySet[M], field: str, values: Iterable[str | None]) -> Iterator[M]:
    """The rows of `qs` whose `field` is one of `values`, asked a chunk at a time."""
    wanted = sorted({v for v in values if v is not None})
    for i in range(0, len(wanted), LOOKUP_CHUNK):
        yield from qs.filter(**{f"{field}__in": wanted[i : i + LOOKUP_CHUNK]})


def json_document(text: str) -> Any:
    """A GeoJSON file's content, or the refusal that says where it stops being JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [
                _("不是有效的 JSON：第 %(line)d 行第 %(col)d 列：%(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ]
        ) from exc
    return data
