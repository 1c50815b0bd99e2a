"""历史工单导入: a district's past 12345 orders, as the platform exports them (CSV or XLSX), made
into closed cases that teach the category model and count in their own months' figures.

A file is read whole and checked before anything is written: every problem is listed by the
line the operator sees (the header is line 1), and a file with any problem is refused whole.
Then the new rows are written in batches, each batch in a transaction of its own (a batch is a
few bulk INSERTs, not a query per row), so an import that stops half-way leaves whole batches
that a second run skips: the import is idempotent on the order number (工单编号).

What a history case is, and why:

* Closed (结案) when it arrives, `is_history`, filed by the platform's dispatcher's category
  (`CategorySource.HISTORY`, one of the sources the category model learns from). It never passes
  through intake: no route, no dispatch, no inbox row, no text, no `case_changed` signal (so no
  points and no ledger), and its `HotlineOrder` expects no reply, so no 回传 is ever queued
  for it, even if someone acts on the case later.
* Its deadlines are the ones it would have had: counted by `sla.compute` from the acceptance
  time on the holiday calendar, so the case counts in the month its deadline fell in, and
  按期办结 is judged against that. A year whose official arrangement is not loaded is loaded
  first from `chinese-calendar` when the package knows it (unless the caller says not to): on
  plain weekdays, a case accepted in the fortnight before 春节 or 国庆 gets a deadline three to
  five working days early and is counted late when it was not, which would make those months'
  按期办结率 wrong. A year nobody knows (before 2004, or past the package) is counted on plain
  weekdays and the case is marked `deadline_provisional`, the same mark a live case carries.
  Storing no due date instead would drop those cases from every due-based figure, and a month
  with no cases due reads as a month with no work.
* Its number is drawn as every case's (`records.case_number`): the day it was filed, that is
  the day the hotline accepted it, and its id. The 12345 order number stays on it as
  `external_id`; a prefix of its own would only be one more numbering for the desk to learn.
* Placed by the address resolution intake uses (`routing.locate_place`) when a grid tree
  exists, so the case counts in its street; never routed or dispatched. A row whose place is
  unknown (or a database with no tree) still makes the case: the text and its category are
  what the category model learns from.
"""

import getpass
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases import holidays, kpi_counts, routing, sla
from wangge.cases.actions import Event
from wangge.cases.models import (
    CalendarYear,
    Case,
    CaseEvent,
    CategorySource,
    Channel,
    Status,
)
from wangge.cases.services.records import case_number
from wangge.cases.timeline import event_row
from wangge.core import inserts
from wangge.core.masking import mask_phone
from wangge.grids import indexes
from wangge.grids import selectors as grid_selectors
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import ancestor
from wangge.hotline.history_check import (
    HistoryRow,
    check_rows,
    chunks,
    local_time,
    refuse,
    split_existing,
)
from wangge.hotline.history_file import read_table
from wangge.hotline.models import HotlineOrder

# Rows a transaction: large enough that the per-statement cost vanishes, small enough that a
# stopped import loses little and SQLite's writers wait at most a second or two.
BATCH = 2000


@dataclass
class HistoryReport:
    """What an import did (or, with `dry_run`, would do)."""

    file: str
    encoding: str
    rows: int = 0  # data rows read (blank rows not counted)
    to_import: int = 0  # new orders found (what a dry run would write)
    imported: int = 0
    skipped_existing: int = 0  # already imported, or received live with the same text
    skipped_repeats: int = 0  # the same order again further down the file
    placed: int = 0  # on a micro-grid (or an exclusive grid)
    place_tried: bool = False
    by_category: Counter[str] = field(default_factory=Counter)  # "code 名称" → imported
    provisional: int = 0  # deadlines counted on plain weekdays: no arrangement known
    provisional_years: set[int] = field(default_factory=set)
    calendar_loaded: list[int] = field(default_factory=list)  # years loaded from the package
    months: set[str] = field(default_factory=set)  # YYYY-MM of the new cases' deadlines
    kpi: dict[str, Any] = field(default_factory=dict)
    dry_run: bool = False


# --- the calendar ----------------------------------------------------------------------------


def _years_spanned(rows: Iterable[HistoryRow]) -> set[int]:
    """The years the rows' deadlines can reach: a deadline set in late December falls in
    January (a quarter is more than any allowance of the catalogue)."""
    years: set[int] = set()
    for r in rows:
        accepted = local_time(r.received_at)
        years.add(accepted.year)
        years.add((accepted + timedelta(days=90)).year)
    return years


def calendar_years_fill(years: set[int]) -> tuple[list[int], list[int]]:
    """Load each of `years` whose arrangement is not loaded from `chinese-calendar`, when the
    package knows it (a year already loaded, from the package or an administrator's file, is
    never replaced). Returns (years loaded, years still unknown)."""
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    known = set(holidays.package_years())
    added, unknown = [], []
    for year in sorted(years - loaded):
        arrangement = holidays.from_package(year) if year in known else None
        if arrangement is None:
            unknown.append(year)
            continue
        holidays.calendar_year_load(arrangement=arrangement)
        added.append(year)
    if added:
        sla.invalidate_calendar()
    return added, unknown


# --- placing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    micro_grid: GridNode | None
    exclusive_grid: GridNode | None
    building_id: int | None
    lon: float | None
    lat: float | None
    address: str | None
    grid_path: str
    community: GridNode | None
    street: GridNode | None
    reasons: tuple[str, ...]


class _Placer:
    """Where each row's case lies, by the address resolution intake uses. A district's history
    names the same courtyards thousands of times: a place an address decides by itself is
    found once and kept for every row that repeats the address."""

    def __init__(self, enabled: bool) -> None:
        roots = indexes.node_table().roots
        # Nowhere known: the top of the tree holds it, as intake's triage does.
        self.root_path = roots[0].path if len(roots) == 1 else ""
        self.enabled = enabled and GridNode.objects.filter(level=GridLevel.MICRO).exists()
        self._by_address: dict[str, _Where] = {}

    def where(self, row: HistoryRow) -> _Where:
        if not self.enabled:
            return _Where(None, None, None, None, None, None, self.root_path, None, None, ())
        kept = self._by_address.get(row.address) if row.address else None
        if kept is not None:
            return kept
        # Without an address intake reads the place from the text: so does this.
        place = routing.locate_place(
            lon=None, lat=None, crs="wgs84", address=row.address, text=row.content
        )
        found = self._from(place)
        if row.address and self._address_decides(row.address, place):
            self._by_address[row.address] = found
        return found

    @staticmethod
    def _address_decides(address: str, place: routing.Place) -> bool:
        """Whether the address alone made `place`, whatever the text around it. The text is
        read only to choose among the buildings an address leaves open (locate_place): a place
        with no building is the address's own triage, and a building is the address's own when
        the address alone names it."""
        if place.building_id is None:
            return True
        named = grid_selectors.resolve_address(q=address).building
        return named is not None and named.pk == place.building_id

    def _from(self, place: routing.Place) -> _Where:
        anchor = place.anchor or place.triage_node
        return _Where(
            micro_grid=place.micro_grid,
            exclusive_grid=place.exclusive_grid,
            building_id=place.building_id,
            lon=place.lon,
            lat=place.lat,
            address=place.address[:200] if place.address is not None else None,
            grid_path=anchor.path if anchor else self.root_path,
            community=ancestor(anchor, GridLevel.COMMUNITY) if anchor else None,
            street=ancestor(anchor, GridLevel.STREET) if anchor else None,
            reasons=tuple(place.reasons),
        )


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Importer:
    """Who imports, from which file: what every new case's timeline row says."""

    file: str
    digest: str
    actor_label: str


def _case(row: HistoryRow, where: _Where) -> Case:
    category = row.category
    reason = _("历史工单导入，不派单")
    if where.reasons:
        reason = f"{reason}；{'；'.join(where.reasons)}"
    case = inserts.new(
        Case,
        title=row.title,
        description=row.content,
        channel=Channel.HOTLINE,
        external_id=row.order_no,
        content_hash=row.fingerprint,
        request_type=row.order_type,
        category=category,
        category_source=CategorySource.HISTORY,
        tier=category.tier,
        urgency=category.urgency,
        is_history=True,
        reporter_name=row.caller_name,
        address=where.address if where.address is not None else row.address,
        lon=where.lon,
        lat=where.lat,
        building_id=where.building_id,
        micro_grid=where.micro_grid,
        exclusive_grid=where.exclusive_grid,
        grid_path=where.grid_path,
        community=where.community,
        street=where.street,
        routing_reason=reason,
        status=Status.CLOSED,
        dispatched_at=row.received_at,
        resolved_at=row.closed_at,
        closed_at=row.closed_at,
        satisfaction=row.satisfaction,
    )
    # Encrypted, hashed and masked by the model, as every case's.
    case.reporter_phone = row.caller_phone
    if row.caller_phone_masked:
        case.reporter_phone_masked = row.caller_phone_masked
    deadlines = sla.compute(row.received_at, category, case.urgency, case.grid_path)
    case.sign_due_at, case.contact_due_at = deadlines.sign_due_at, deadlines.contact_due_at
    case.due_at, case.warn_at = deadlines.due_at, deadlines.warn_at
    case.deadline_provisional = deadlines.provisional
    case.closed_on_time = row.closed_at <= deadlines.due_at
    if row.satisfaction:
        # The platform's 回访 reached the caller, who rated it: a follow-up of the period it
        # closed in. Whether the problem was solved the export does not say, so it stays unknown.
        case.followup_at = row.closed_at
        case.followup_contacted = True
    return case


def _event(case: Case, row: HistoryRow, importer: Importer) -> CaseEvent:
    fmt = "%Y-%m-%d %H:%M"
    note = _(
        "历史工单导入：12345 工单 %(no)s，来自文件 %(file)s 第 %(line)d 行；"
        "受理于 %(received)s，办结于 %(closed)s"
    ) % {
        "no": row.order_no,
        "file": importer.file,
        "line": row.line,
        "received": local_time(row.received_at).strftime(fmt),
        "closed": local_time(row.closed_at).strftime(fmt),
    }
    if row.unit:
        note += _("；承办单位：%(unit)s") % {"unit": row.unit}
    return event_row(
        case,
        action=Event.INTAKE,
        # Nobody took the call here: an actor would count the case among what they reported.
        actor=None,
        from_status="",
        to_status=Status.CLOSED,
        note=note,
        data={
            "history_import": {
                "file": importer.file,
                "sha256": importer.digest,
                "line": row.line,
                "by": importer.actor_label,
            }
        },
        actor_label=importer.actor_label,
    )


def _order(case: Case, row: HistoryRow, importer: Importer) -> HotlineOrder:
    payload = {
        "order_no": row.order_no,
        "received_at": row.received_at.isoformat(),
        "closed_at": row.closed_at.isoformat(),
        "content": row.content,
        "address": row.address,
        "category": row.category.code,
        "unit": row.unit,
        "satisfaction": row.satisfaction,
        "caller_name": row.caller_name,
        "caller_phone": mask_phone(row.caller_phone) or row.caller_phone_masked,
        "title": row.title,
        "order_type": row.order_type,
        "file": importer.file,
        "line": row.line,
    }
    return HotlineOrder(
        order_no=row.order_no,
        received_at=row.received_at,
        payload=payload,
        case=case,
        source=HotlineOrder.Source.HISTORY,
        # The platform closed it long ago: nothing about it ever goes back.
        reply_expected=False,
    )


# Values a statement: under SQLite's limit on parameters (32,766) and PostgreSQL's (65,535).
_PARAMS_PER_STATEMENT = 16_000


def _insert(
    objs: Sequence[Model], created_at: Sequence[datetime] | None = None, *, with_ids: bool = False
) -> None:
    """INSERT `objs` (all of one model) a few hundred rows a statement and set their ids from
    RETURNING, as `bulk_create` would; `created_at`, when given, is written instead of the
    moment of writing that auto_now_add stamps; `with_ids`: the rows carry ids drawn already.

    Django's bulk_create prepares each value through its compiler and, on SQLite, writes 16
    rows a statement (it assumes the old limit of 999 parameters): most of an import's time.
    The row's values are prepared here as `inserts.Columns` prepares the intake's, by each
    field, and RETURNING (SQLite 3.35 and PostgreSQL) gives the ids in one go."""
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    cols = inserts.columns(model)
    stamp = [f.name for f in cols.fields].index("created_at") if created_at else -1
    names = f"{cols.pk_column}, {cols.names}" if with_ids else cols.names
    row_sql = f"(%s, {cols.row_placeholders[1:]}" if with_ids else cols.row_placeholders
    per = max(1, _PARAMS_PER_STATEMENT // (len(cols.fields) + 1))
    for start in range(0, len(objs), per):
        chunk = objs[start : start + per]
        params: list[Any] = []
        for i, obj in enumerate(chunk):
            values = cols.values(obj, connection)
            if created_at:
                stamp_field, moment = cols.fields[stamp], created_at[start + i]
                setattr(obj, stamp_field.attname, moment)
                values[stamp] = stamp_field.get_db_prep_save(moment, connection)
            if with_ids:
                params.append(obj.pk)
            params.extend(values)
        # Only placeholders and names from the model go into the text.
        sql = (
            f"INSERT INTO {cols.table} ({names}) "  # noqa: S608
            f"VALUES {', '.join([row_sql] * len(chunk))} RETURNING {cols.pk_column}"
        )
        # The ids are drawn in the order of the VALUES rows: sorted, they are the rows'.
        ids = sorted(pk for (pk,) in _fetch_all(connection, sql, params))
        for obj, pk in zip(chunk, ids, strict=True):
            inserts.saved(obj, pk, alias)


def _draw_ids(model: type[Model], n: int) -> list[int] | None:
    """`n` new ids from the table's sequence, in order, on PostgreSQL (None elsewhere): the
    rows go in with their numbers made of them, instead of an UPDATE a row after (which took
    as long as the INSERT itself)."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return None
    pk = model._meta.pk
    assert pk is not None
    sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
    drawn = _fetch_all(connection, sql, [model._meta.db_table, str(pk.column), n])
    return sorted(i for (i,) in drawn)


def _fetch_all(connection: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    if connection.vendor == "postgresql":
        # Bound on the server as the intake's statements are (`inserts.fetch_all`).
        return inserts.fetch_all(connection, sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _number(cases: Sequence[Case]) -> None:
    """Each new case's number, which is made of its id (one statement a row, sent together)."""
    connection = connections[router.db_for_write(Case)]
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(Case._meta.db_table)} SET {qn('number')} = %s "  # noqa: S608
        f"WHERE {qn('id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(c.number, c.pk) for c in cases])


def _write_batch(
    rows: Sequence[HistoryRow],
    placer: _Placer,
    importer: Importer,
    report: HistoryReport,
    covered: set[int],
) -> None:
    cases = [_case(r, placer.where(r)) for r in rows]
    pairs = list(zip(cases, rows, strict=True))
    # Filed when the hotline accepted it, not when it was imported.
    filed = [r.received_at for r in rows]
    with transaction.atomic():
        ids = _draw_ids(Case, len(cases))
        if ids is not None:
            for (case, row), pk in zip(pairs, ids, strict=True):
                case.pk, case.number = pk, case_number(row.received_at, pk)
            _insert(cases, created_at=filed, with_ids=True)
        else:
            # SQLite has no sequence to draw from: the ids come back from the INSERT, and the
            # numbers made of them follow (an UPDATE a row costs SQLite next to nothing).
            _insert(cases, created_at=filed)
            for case, row in pairs:
                case.number = case_number(row.received_at, case.pk)
            _number(cases)
        _insert([_event(c, r, importer) for c, r in pairs])
        _insert([_order(c, r, importer) for c, r in pairs])
    for case, row in pairs:
        report.imported += 1
        report.by_category[f"{row.category.code} {row.category.name}"] += 1
        if case.micro_grid_id or case.exclusive_grid_id:
            report.placed += 1
        assert case.due_at is not None
        due = local_time(case.due_at).date()
        report.months.add(f"{due:%Y-%m}")
        if case.deadline_provisional:
            report.provisional += 1
            first = local_time(row.received_at).year
            report.provisional_years.update(
                y for y in range(first, due.year + 1) if y not in covered
            )


def actor_label(user: User | None) -> str:
    """Who imports, as the timeline names them: the person given, else the system account
    that ran the command."""
    if user is not None:
        return _("%(name)s（历史工单导入）") % {"name": user.name}
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = ""
    if account:
        return _("命令行导入（系统账户 %(a)s）") % {"a": account}
    return _("命令行导入")


def history_import(
    *,
    path: Path,
    actor: User | None = None,
    place: bool = True,
    fill_calendar: bool = True,
    dry_run: bool = False,
    batch_size: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> HistoryReport:
    """Import a 12345 platform's export of past orders as closed history cases.

    Refused whole (ImportRejected, every problem by line) when any row has a problem; nothing
    is written then. Rows already imported are skipped, so a second run changes nothing.
    `place`: place each case by its address when a grid tree exists. `fill_calendar`: load the
    holiday arrangement of the years the orders span from `chinese-calendar` where it is not
    loaded. `dry_run`: check and count only. `progress(done, total)` after each batch."""
    table = read_table(path)
    report = HistoryReport(file=path.name, encoding=table.encoding, dry_run=dry_run)
    rows, problems, report.rows, report.skipped_repeats = check_rows(table)
    if problems:
        raise refuse(problems)
    rows, report.skipped_existing, problems = split_existing(rows)
    if problems:
        raise refuse(problems)
    report.to_import = len(rows)
    if dry_run or not rows:
        return report
    years = _years_spanned(rows)
    if fill_calendar:
        report.calendar_loaded, _unknown = calendar_years_fill(years)
    covered = set(CalendarYear.objects.values_list("year", flat=True))
    importer = Importer(
        file=path.name,
        digest=table.digest,
        actor_label=actor_label(actor),
    )
    placer = _Placer(place)
    report.place_tried = placer.enabled
    # Oldest first: the ids, and so the numbers, follow the order the hotline took the calls.
    rows.sort(key=lambda r: (r.received_at, r.line))
    for done, batch in enumerate(chunks(rows, batch_size), start=1):
        _write_batch(batch, placer, importer, report, covered)
        if progress is not None:
            progress(min(done * batch_size, len(rows)), len(rows))
    return report


def history_counted(report: HistoryReport) -> None:
    """After the rows are in and the tables analysed (the command does both): the months the
    new cases count in counted again now, not at the worker's next run (a district's history
    changes more than 40 streets: that is a full pass)."""
    report.kpi = kpi_counts.refresh()
