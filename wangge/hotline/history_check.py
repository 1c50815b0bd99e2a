"""Checking a 历史工单 file (wangge.hotline.history) before anything is written: every row read,
every problem listed by the line the operator sees, the orders already in the database told
apart from the new ones."""

import functools
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_contact_phone
from wangge.cases.models import (
    Case,
    Category,
    Channel,
    Satisfaction,
)
from wangge.cases.services import MAX_DESCRIPTION, MAX_TITLE, clip
from wangge.core.dates import OutOfWindow
from wangge.core.masking import mask_phone
from wangge.grids.services import ImportRejected
from wangge.hotline.history_file import Table, header_name, parse_time, text
from wangge.hotline.models import HotlineOrder
from wangge.hotline.services import ORDER_NO, ORDER_TYPES

# The columns every platform export has, and those it may have, each under the names platforms
# give it. A column is found by its header, wherever it stands.
REQUIRED = ("工单编号", "受理时间", "诉求内容", "事发地址", "分类", "办结时间")
OPTIONAL: dict[str, tuple[str, ...]] = {
    "承办单位": ("承办单位",),
    "满意度": ("满意度",),
    "诉求人": ("诉求人",),
    "诉求人电话": ("诉求人电话", "来电号码"),
    "工单标题": ("工单标题",),
    "诉求类型": ("诉求类型",),
}
SATISFACTION_WORDS = {
    "满意": Satisfaction.SATISFIED,
    "基本满意": Satisfaction.BASIC,
    "不满意": Satisfaction.DISSATISFIED,
}
# Platforms export phones already masked (138****5678): nothing left to protect or to call.
_MASKED_PHONE = re.compile(r"^\d{3,4}\*{3,}\d{2,4}$")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@dataclass
class HistoryRow:
    """One order of the file, checked."""

    line: int
    order_no: str
    received_at: datetime
    closed_at: datetime
    content: str
    address: str
    category: Category
    satisfaction: str
    unit: str
    caller_name: str
    caller_phone: str  # normalised, to be stored encrypted; "" when none
    caller_phone_masked: str  # the file gave it masked already: only this can be kept
    title: str
    order_type: str
    fingerprint: str


# --- checking --------------------------------------------------------------------------------


def _leaves() -> tuple[dict[str, Category], dict[str, list[Category]]]:
    """The catalogue's active leaves by code and by name: what a row's 分类 may name."""
    by_code: dict[str, Category] = {}
    by_name: dict[str, list[Category]] = {}
    for c in Category.objects.filter(is_active=True, children__isnull=True):
        by_code[c.code] = c
        by_name.setdefault(c.name, []).append(c)
    return by_code, by_name


def _title(given: str, content: str) -> str:
    if given:
        return clip(given, MAX_TITLE)
    first = _SENTENCE_END.split(content.strip(), maxsplit=1)[0].strip()
    return clip(first or content.strip(), 31)


def local_time(moment: datetime) -> datetime:
    # The district's zone, read once: timezone.localtime asks the active zone of the thread
    # (an asgiref Local) on every call, a visible share of an import's time.
    return moment.astimezone(_zone())


@functools.cache
def _zone() -> tzinfo:
    return timezone.get_default_timezone()


@functools.lru_cache(maxsize=65536)
def _contact_phone(value: str) -> str:
    """`normalize_contact_phone`, once per number: a district's regular callers ring often."""
    return normalize_contact_phone(value)


def _fingerprint(values: Sequence[Any]) -> str:
    return hashlib.sha256(json.dumps(list(values), ensure_ascii=False).encode()).hexdigest()


class _Checker:
    """Checks the rows of one file against the catalogue and the clock."""

    def __init__(self, header: list[str]) -> None:
        self.problems: list[tuple[int, str]] = []
        self.index: dict[str, int] = {}
        self.by_code, self.by_name = _leaves()
        self.now = timezone.now()
        names = [header_name(h) for h in header]
        seen: dict[str, int] = {}
        for i, name in enumerate(names):
            if not name:
                continue
            if name in seen:
                self.problems.append((1, _("列“%(c)s”出现了两次") % {"c": name}))
            seen.setdefault(name, i)
        for column in REQUIRED:
            if column in seen:
                self.index[column] = seen[column]
        for column, aliases in OPTIONAL.items():
            found = [a for a in aliases if a in seen]
            if len(found) > 1:
                self.problems.append(
                    (1, _("列%(cols)s只能有一个") % {"cols": "、".join(f"“{a}”" for a in found)})
                )
            if found:
                self.index[column] = seen[found[0]]
        missing = [c for c in REQUIRED if c not in self.index]
        if missing:
            self.problems.append((1, _("缺少列：%(cols)s") % {"cols": "、".join(missing)}))

    def cell(self, cells: list[Any], column: str) -> Any:
        i = self.index.get(column)
        return cells[i] if i is not None and i < len(cells) else None

    def row(self, line: int, cells: list[Any]) -> HistoryRow | None:
        errs: list[str] = []
        order_no = text(self.cell(cells, "工单编号"))
        if not order_no:
            errs.append(_("工单编号为空"))
        elif not ORDER_NO.match(order_no):
            errs.append(_("工单编号“%(n)s”须为 1–64 位字母、数字、“-”或“_”") % {"n": order_no[:70]})
        content = text(self.cell(cells, "诉求内容"))
        if not content:
            errs.append(_("诉求内容为空"))
        elif len(content) > MAX_DESCRIPTION:
            errs.append(_("诉求内容超过 %(n)d 字") % {"n": MAX_DESCRIPTION})
        if "\x00" in content or "\x00" in order_no:
            errs.append(_("内容中含有空字符（\\x00）"))
        received = self._time(cells, "受理时间", errs)
        closed = self._time(cells, "办结时间", errs)
        if received is not None and closed is not None:
            # A date without a time is the first moment of that day not before acceptance.
            closed_at = closed[0] if closed[1] else max(closed[0], received[0])
            if closed_at < received[0]:
                errs.append(_("办结时间早于受理时间"))
        category = self._category(text(self.cell(cells, "分类")), errs)
        word = text(self.cell(cells, "满意度"))
        satisfaction = SATISFACTION_WORDS.get(word, "") if word else ""
        if word and not satisfaction:
            errs.append(
                _("未知满意度“%(s)s”（须为满意、基本满意、不满意或留空）") % {"s": word[:20]}
            )
        order_type = text(self.cell(cells, "诉求类型"))
        if order_type and order_type not in ORDER_TYPES:
            errs.append(
                _("未知诉求类型“%(t)s”（须为%(types)s之一或留空）")
                % {"t": order_type[:20], "types": "、".join(ORDER_TYPES)}
            )
        phone, masked_phone = self._phone(text(self.cell(cells, "诉求人电话")), errs)
        if errs:
            self.problems.extend((line, e) for e in errs)
            return None
        assert received is not None and closed is not None and category is not None
        address = text(self.cell(cells, "事发地址"))[:200]
        unit = text(self.cell(cells, "承办单位"))[:100]
        caller_name = text(self.cell(cells, "诉求人"))[:50]
        title = text(self.cell(cells, "工单标题"))
        fingerprint = _fingerprint(
            [
                order_no,
                received[0].isoformat(),
                content,
                address,
                category.code,
                closed_at.isoformat(),
                unit,
                satisfaction,
                caller_name,
                phone or masked_phone,
                title,
                order_type,
            ]
        )
        return HistoryRow(
            line=line,
            order_no=order_no,
            received_at=received[0],
            closed_at=closed_at,
            content=content,
            address=address,
            category=category,
            satisfaction=satisfaction,
            unit=unit,
            caller_name=caller_name,
            caller_phone=phone,
            caller_phone_masked=masked_phone,
            title=_title(title, content),
            order_type=order_type,
            fingerprint=fingerprint,
        )

    def _time(self, cells: list[Any], column: str, errs: list[str]) -> tuple[datetime, bool] | None:
        value = self.cell(cells, column)
        if value is None or text(value) == "":
            errs.append(_("%(c)s为空") % {"c": column})
            return None
        try:
            parsed = parse_time(value)
        except OutOfWindow as exc:
            errs.append(f"{column}“{text(value)[:40]}”：{exc.message}")
            return None
        if parsed is None:
            errs.append(
                _("%(c)s“%(v)s”无法识别（如 2020-1-6 7:13:58、2020/01/06 07:13 或 2020-01-06）")
                % {"c": column, "v": text(value)[:40]}
            )
            return None
        if parsed[0] > self.now:
            errs.append(_("%(c)s“%(v)s”晚于当前时间") % {"c": column, "v": text(value)[:40]})
            return None
        return parsed

    def _category(self, value: str, errs: list[str]) -> Category | None:
        if not value:
            errs.append(_("分类为空"))
            return None
        found = self.by_code.get(value)
        if found is not None:
            return found
        named = self.by_name.get(value, [])
        if len(named) == 1:
            return named[0]
        if named:
            errs.append(
                _("分类名称“%(c)s”对应多个分类（%(codes)s），请填写分类编码")
                % {"c": value, "codes": "、".join(c.code for c in named)}
            )
        else:
            errs.append(
                _("未知分类“%(c)s”（须为派单目录中启用的末级分类的编码或名称）") % {"c": value[:60]}
            )
        return None

    def _phone(self, value: str, errs: list[str]) -> tuple[str, str]:
        if not value or not any(ch.isdigit() for ch in value):
            return "", ""  # empty, or 无/匿名: no number given
        if _MASKED_PHONE.match(value.replace(" ", "").replace("-", "")):
            return "", value.replace(" ", "").replace("-", "")[:16]
        try:
            return _contact_phone(value), ""
        except Exception:  # Django's ValidationError: the number is no phone
            errs.append(
                _("诉求人电话“%(p)s”不是有效的手机或固定电话号码") % {"p": mask_phone(value)}
            )
            return "", ""


def check_rows(table: Table) -> tuple[list[HistoryRow], list[tuple[int, str]], int, int]:
    """The file's valid rows, its problems (line, text), how many data rows it has, and how
    many rows repeat an earlier one word for word (the same order exported twice)."""
    checker = _Checker(table.header)
    if any(line == 1 for line, _p in checker.problems):
        return [], checker.problems, 0, 0
    rows: list[HistoryRow] = []
    first: dict[str, HistoryRow] = {}
    repeats = read = 0
    for line, cells in table.records:
        if all(text(c) == "" for c in cells):
            continue  # a blank row (Excel keeps some at the end)
        read += 1
        row = checker.row(line, cells)
        if row is None:
            continue
        earlier = first.get(row.order_no)
        if earlier is None:
            first[row.order_no] = row
            rows.append(row)
        elif earlier.fingerprint == row.fingerprint:
            repeats += 1
        else:
            checker.problems.append(
                (
                    line,
                    _("工单编号“%(n)s”与第 %(j)d 行重复且内容不同")
                    % {"n": row.order_no, "j": earlier.line},
                )
            )
    if read == 0:
        checker.problems.append((1, _("文件中没有数据行")))
    return rows, checker.problems, read, repeats


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def split_existing(rows: list[HistoryRow]) -> tuple[list[HistoryRow], int, list[tuple[int, str]]]:
    """(rows not in the database yet, how many are there already, problems).

    An order already imported with the same content is skipped; one received live (the API or
    the desk) is skipped when its text is the one in the file, since the live case is the
    better record. The same number with other content is a problem: the platform reused a
    number, or the file is not what was imported before."""
    new: list[HistoryRow] = []
    skipped = 0
    problems: list[tuple[int, str]] = []
    for chunk in chunks(rows, 1000):
        numbers = [r.order_no for r in chunk]
        cases = {
            external_id: (is_history, content_hash, description)
            for external_id, is_history, content_hash, description in Case.objects.filter(
                channel=Channel.HOTLINE, external_id__in=numbers
            ).values_list("external_id", "is_history", "content_hash", "description")
        }
        orders = set(
            HotlineOrder.objects.filter(order_no__in=numbers).values_list("order_no", flat=True)
        )
        for r in chunk:
            found = cases.get(r.order_no)
            if found is None and r.order_no not in orders:
                new.append(r)
                continue
            if found is not None:
                is_history, content_hash, description = found
                same = content_hash == r.fingerprint if is_history else description == r.content
                if same:
                    skipped += 1
                    continue
            problems.append(
                (r.line, _("工单编号“%(n)s”已存在且内容不同") % {"n": r.order_no}),
            )
    return new, skipped, problems


def refuse(problems: list[tuple[int, str]]) -> ImportRejected:
    return ImportRejected(
        [
            _("第 %(line)d 行：%(err)s") % {"line": line, "err": e}
            for line, e in sorted(problems, key=lambda p: p[0])
        ]
    )
