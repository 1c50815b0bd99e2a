"""N generated cases of the city over three years, written with COPY (bench/bench_city.py cases).

Rows are valid for the real cases_case table and consistent with the KPI definitions
(wangge/cases/selectors.py `kpis`, DOMAIN.md §3): each case stands at a building of a micro-grid
(grid_path, micro_grid, community, street, building, lon/lat, address), was created between
END − 3 years and END, dispatched minutes later, with its resolve deadline (due_at) and warning
time from its tier and urgency; cases older than three weeks are nearly all closed (办结 → 核查 →
回访 → 结案, on time or late), younger ones are spread over the open states; voided ones count
nowhere. Numbers are made as the service makes them (day of filing + id).

The plain indexes of cases_case are dropped before the COPY and built again after it (their
definitions are kept in the table bench_city_saved_indexes until they are), then ANALYZE. The
COPY runs with the foreign keys' row triggers off (`triggers_off`: only theirs), and each key is
then checked over the whole table in the same transaction (`check_foreign_keys`).
Deterministic: the same N and seed give the same rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

END = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 20:00 in the city
START = END - timedelta(days=3 * 365)
DAY = 86_400

COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "number",
    "title",
    "description",
    "channel",
    "external_id",
    "content_hash",
    "request_type",
    "tier",
    "urgency",
    "reporter_name",
    "is_anonymous_public",
    "lon",
    "lat",
    "crs_given",
    "address",
    "grid_path",
    "routing_reason",
    "status",
    "handling_level",
    "sign_due_at",
    "contact_due_at",
    "due_at",
    "warn_at",
    "card",
    "supervised",
    "suspended_at",
    "extension_requested_until",
    "extension_count",
    "dispatched_at",
    "signed_at",
    "contacted_at",
    "resolved_at",
    "verified_at",
    "closed_at",
    "closed_on_time",
    "resolution",
    "self_handled",
    "rework_count",
    "reopen_count",
    "was_overdue",
    "followup_at",
    "followup_contacted",
    "followup_solved",
    "satisfaction",
    "followup_note",
    "assignee_id",
    "building_id",
    "community_id",
    "exclusive_grid_id",
    "handling_node_id",
    "micro_grid_id",
    "parent_id",
    "reporter_id",
    "street_id",
    "category_id",
    "requested_due_at",
    "is_public",
    "reporter_phone_encrypted",
    "reporter_phone_hash",
    "reporter_phone_masked",
    "deadline_provisional",
    "reporter_phone_tail_hash",
]

CHANNELS = (
    ["hotline"] * 45
    + ["patrol"] * 25
    + ["resident"] * 10
    + ["snapshot"] * 10
    + ["assistant"] * 4
    + ["video"] * 3
    + ["enterprise"] * 2
    + ["higher"]
)
PROBLEMS = [
    "小区门口有人摆摊卖菜，堵住出入口",
    "楼道里有人飞线给电动车充电",
    "暖气片不热，家里只有十几度",
    "路灯坏了好几天，晚上看不见",
    "楼上装修噪音太大，中午也不停",
    "垃圾桶满了没人清运",
    "井盖松动，车过有响声",
    "小区消防通道被私家车占用",
    "下水道堵塞，污水漫到路面",
    "共享单车乱停乱放堵住人行道",
    "树枝挡住路灯和监控",
    "楼道墙皮脱落",
    "积水严重无法通行",
    "广场舞音响太吵",
    "违章搭建占用公共绿地",
    "餐馆油烟直排扰民",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TZ8 = 8 * 3600


class Clock:
    """Fast 'YYYY-MM-DD HH:MM:SS+00' text for epoch seconds (COPY reads it as timestamptz)."""

    def __init__(self) -> None:
        self.days: dict[int, str] = {}

    def __call__(self, t: int | None) -> str:
        if t is None:
            return r"\N"
        d, s = divmod(t, DAY)
        day = self.days.get(d)
        if day is None:
            day = self.days[d] = datetime.fromtimestamp(d * DAY, UTC).strftime("%Y-%m-%d")
        h, s = divmod(s, 3600)
        m, s = divmod(s, 60)
        return f"{day} {h:02d}:{m:02d}:{s:02d}+00"

    def local_day(self, t: int) -> str:
        return datetime.fromtimestamp(t + TZ8, UTC).strftime("%Y%m%d")


def _b(v: bool | None) -> str:
    return r"\N" if v is None else ("t" if v else "f")


def _n(v: object) -> str:
    return r"\N" if v is None else str(v)


def places() -> list[tuple[int, int, int, int, int, str, float, float, str, int]]:
    """(micro id, grid id, community id, street id, building id, address, lon, lat, path,
    district index) of every building; micro-grids without buildings stand at their centre."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT m.id, g.id, c.id, s.id, b.id, coalesce(b.address, m.name),
                   coalesce(b.lon, m.centroid_lon), coalesce(b.lat, m.centroid_lat), m.path
            FROM grids_gridnode m
            JOIN grids_gridnode g ON g.id = m.parent_id
            JOIN grids_gridnode c ON c.id = g.parent_id
            JOIN grids_gridnode s ON s.id = c.parent_id
            LEFT JOIN grids_building b ON b.micro_grid_id = m.id
            WHERE m.level = 'micro'
            ORDER BY m.path, b.code
            """
        )
        return cur.fetchall()


def save_and_drop_indexes() -> None:
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_city_saved_indexes (name text PRIMARY KEY, def text)"
        )
        cur.execute(
            """
            INSERT INTO bench_city_saved_indexes
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = 'cases_case'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ON CONFLICT DO NOTHING
            """
        )
        cur.execute("SELECT name FROM bench_city_saved_indexes")
        for (name,) in cur.fetchall():
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore_indexes() -> None:
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_city_saved_indexes (name text PRIMARY KEY, def text)"
        )
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SELECT name, def FROM bench_city_saved_indexes ORDER BY name")
        for name, sql in cur.fetchall():
            t = time.perf_counter()
            cur.execute(
                sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1).replace(
                    "CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1
                )
            )
            cur.execute("DELETE FROM bench_city_saved_indexes WHERE name = %s", [name])
            print(f"  index {name}: {time.perf_counter() - t:.1f}s", flush=True)


def lines(
    n: int, where: list, categories: list, *, seed: int = 7, end: datetime = END
) -> Iterator[str]:
    """The COPY text lines of cases 1 … n (tab-separated, \\N for NULL)."""
    rng = random.Random(seed)
    ts = Clock()
    e = int(end.timestamp())
    s0 = e - 3 * 365 * DAY
    span = e - s0
    # created times in increasing order (ids follow filing order, as in production)
    step = span / n
    random_ = rng.random
    choice = rng.choice
    for i in range(1, n + 1):
        created = s0 + int((i - 1 + random_()) * step)
        age = e - created
        p = where[int(random_() * len(where))]
        micro, grid, community, street, building, address, lon, lat, path = p
        cat_id, cat_name = categories[int(random_() * len(categories))]
        channel = choice(CHANNELS)
        r = random_()
        urgency = "emergency" if r < 0.02 else ("urgent" if r < 0.08 else "normal")
        tier = "difficult" if r > 0.98 else ("complex" if r > 0.88 else "general")
        allowed = (
            2 * 3600
            if urgency == "emergency"
            else DAY
            if urgency == "urgent"
            else (21 if tier != "general" else 9) * DAY
        )
        r = random_()
        if age > 21 * DAY:
            status = (
                "closed"
                if r < 0.965
                else "voided"
                if r < 0.985
                else "suspended"
                if r < 0.99
                else "verified"
            )
        else:
            status = (
                "closed"
                if r < 0.35
                else "verified"
                if r < 0.45
                else "resolved"
                if r < 0.55
                else "signed"
                if r < 0.77
                else "dispatched"
                if r < 0.88
                else "pending"
                if r < 0.93
                else "returned"
                if r < 0.96
                else "suspended"
                if r < 0.98
                else "voided"
            )
        dispatched = None if status == "pending" else created + 60 + int(random_() * 900)
        due = None if dispatched is None else dispatched + allowed
        warn = None if due is None else dispatched + int(allowed * 0.75)
        sign_due = None if dispatched is None else dispatched + 2 * 3600
        contact_due = None if dispatched is None else dispatched + DAY
        signed = (
            None
            if status in ("pending", "dispatched", "voided") or dispatched is None
            else dispatched + int(random_() * 5400)
        )
        contacted = None if signed is None else signed + int(random_() * 6 * 3600)
        resolved = verified = closed = followup = None
        on_time = f_contacted = f_solved = None
        satisfaction = ""
        if status in ("resolved", "verified", "closed"):
            took = int(allowed * (0.05 + random_() * (1.3 if random_() < 0.08 else 0.9)))
            resolved = min(dispatched + took, e - 60)
            on_time = resolved <= due
            if status != "resolved":
                verified = min(resolved + int(random_() * DAY), e - 30)
            if status == "closed":
                closed = followup = min(verified + int(random_() * 3 * DAY), e - 1)
                f_contacted = random_() < 0.95
                if f_contacted:
                    f_solved = random_() < 0.88
                    r = random_()
                    satisfaction = (
                        "satisfied" if r < 0.8 else "basic" if r < 0.93 else "dissatisfied"
                    )
        open_ = status in (
            "pending",
            "dispatched",
            "signed",
            "suspended",
            "resolved",
            "returned",
        )
        overdue_now = open_ and due is not None and due < e and status != "resolved"
        was_overdue = overdue_now or (on_time is False)
        card = (
            "red"
            if overdue_now
            else "yellow"
            if open_ and warn is not None and warn < e and status != "resolved"
            else ""
        )
        rework = 1 if random_() < 0.04 else 0
        extension = 1 if random_() < 0.03 else 0
        level_r = random_()
        if level_r < 0.7:
            level, handling = "grid", grid
        elif level_r < 0.9:
            level, handling = "community", community
        else:
            level, handling = "street", street
        if status == "pending":
            level, handling = "", None
        self_handled = channel == "patrol" and random_() < 0.6 and status == "closed"
        suspended = created + 10 * DAY if status == "suspended" else None
        updated = max(
            x
            for x in (created, dispatched, signed, resolved, verified, closed, suspended)
            if x is not None
        )
        problem = PROBLEMS[i % len(PROBLEMS)]
        title = f"{cat_name}：{problem[:12]}"
        row = (
            str(i),
            ts(created),
            ts(updated),
            ts.local_day(created) + f"{i:06d}",
            title,
            f"{address}附近，{problem}。",
            channel,
            f"ZZ{ts.local_day(created)}{i:08d}" if channel == "hotline" else r"\N",
            "",
            "",
            tier,
            urgency,
            f"{SURNAMES[i % 20]}先生" if i % 3 else "匿名",
            "t",
            f"{lon:.6f}",
            f"{lat:.6f}",
            "",
            address,
            path,
            "坐标落在微网格内",
            status,
            level,
            ts(sign_due),
            ts(contact_due),
            ts(due),
            ts(warn),
            card,
            _b(random_() < 0.01),
            ts(suspended),
            r"\N",
            str(extension),
            ts(dispatched),
            ts(signed),
            ts(contacted),
            ts(resolved),
            ts(verified),
            ts(closed),
            _b(on_time),
            "已处理完毕" if resolved else "",
            _b(self_handled),
            str(rework),
            "0",
            _b(was_overdue),
            ts(followup),
            _b(f_contacted),
            _b(f_solved),
            satisfaction,
            "",
            r"\N",
            _n(building),
            str(community),
            r"\N",
            _n(handling),
            str(micro),
            r"\N",
            r"\N",
            str(street),
            _n(cat_id),
            r"\N",
            "f",
            "",
            "",
            "",
            "f",
            "",
        )
        yield "\t".join(row)


def triggers_off(cur: Any) -> None:
    """Turn the row triggers off for this transaction, once sure that the only ones an insert
    fires are the foreign keys' (`check_foreign_keys` does their work): a trigger of the
    product's own on cases_case would be skipped without a word, and the bench's figures
    would then be of another table than production's."""
    cur.execute(
        """
        SELECT tgname FROM pg_trigger
        WHERE tgrelid = 'cases_case'::regclass AND NOT tgisinternal AND tgtype & 4 <> 0
        """  # 4: TRIGGER_TYPE_INSERT
    )
    own = [name for (name,) in cur.fetchall()]
    if own:
        raise RuntimeError(f"cases_case has insert triggers the COPY would skip: {own}")
    cur.execute("SET LOCAL session_replication_role = replica")


def check_foreign_keys(cur: Any) -> None:
    """Every foreign key of cases_case holds for every row, as the triggers turned off for the
    COPY would have checked: one anti-join per key (a hash join over the table), raising on
    the first key a row breaks, which rolls the COPY back. A key of several columns is not
    checked here: it raises, rather than pass unchecked."""
    cur.execute(
        """
        SELECT a.attname, c.confrelid::regclass::text, r.attname, cardinality(c.conkey)
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
        WHERE c.conrelid = 'cases_case'::regclass AND c.contype = 'f'
        """
    )
    keys = cur.fetchall()
    if any(columns != 1 for *_, columns in keys):
        raise RuntimeError("cases_case has a foreign key of several columns: check it here")
    for column, table, target, _columns in keys:
        cur.execute(
            f"SELECT count(*) FROM cases_case x WHERE x.{column} IS NOT NULL "  # noqa: S608
            f"AND NOT EXISTS (SELECT FROM {table} y WHERE y.{target} = x.{column})"
        )
        broken = cur.fetchone()[0]
        if broken:
            raise RuntimeError(f"{broken} cases name a {column} that {table} does not hold")


def fill(n: int, *, seed: int = 7, end: datetime = END) -> None:
    t0 = time.perf_counter()
    restore_indexes()  # an earlier run stopped halfway
    where = places()
    categories = []
    with connection.cursor() as cur:
        cur.execute("SELECT id, name FROM cases_category WHERE parent_id IS NOT NULL ORDER BY code")
        categories = cur.fetchall() or [(None, "其他")]
        cur.execute("TRUNCATE cases_case CASCADE")
    save_and_drop_indexes()
    print(
        f"{len(where)} places, {len(categories)} categories; truncated, indexes dropped "
        f"({time.perf_counter() - t0:.1f}s)",
        flush=True,
    )
    t = time.perf_counter()
    cols = ", ".join(COLUMNS)
    written = 0
    with transaction.atomic(), connection.cursor() as cur:
        # The foreign keys' triggers queue one check per row and key until the commit (10
        # keys: 100 M lookups and gigabytes of queue for 10 M cases, most of the load's time);
        # off for this transaction, and each key checked after the COPY by one join instead.
        triggers_off(cur)
        with cur.copy(f"COPY cases_case ({cols}) FROM STDIN") as copy:
            buf: list[str] = []
            for line in lines(n, where, categories, seed=seed, end=end):
                buf.append(line)
                if len(buf) == 20_000:
                    copy.write("\n".join(buf) + "\n")
                    written += len(buf)
                    buf.clear()
                    if written % 1_000_000 == 0:
                        print(f"  {written} rows, {time.perf_counter() - t:.0f}s", flush=True)
            if buf:
                copy.write("\n".join(buf) + "\n")
        print(f"COPY of {n} rows: {time.perf_counter() - t:.1f}s", flush=True)
        t = time.perf_counter()
        check_foreign_keys(cur)
        print(f"foreign keys checked: {time.perf_counter() - t:.1f}s", flush=True)
        cur.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [n])
    t = time.perf_counter()
    restore_indexes()
    print(f"indexes built again: {time.perf_counter() - t:.1f}s", flush=True)
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_case")
    print(
        f"ANALYZE: {time.perf_counter() - t:.1f}s; all {time.perf_counter() - t0:.1f}s", flush=True
    )
