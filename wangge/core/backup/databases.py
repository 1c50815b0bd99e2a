"""The database at one instant, with each engine's own means: SQLite's online backup API,
PostgreSQL's `pg_dump` and `pg_restore`; and what a restore asks of a target first (is it
there, which tables does it hold) and the schema a copy is of."""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from wangge.core.backup.archive import BackupError, fsync

# --- PostgreSQL's own tools ----------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client tool, refused with how to install it when missing."""
    exe = shutil.which(name)
    if exe is None:
        raise BackupError(
            _(
                "找不到 %(tool)s：PostgreSQL 数据库的备份与恢复使用 PostgreSQL 的客户端工具，"
                "请安装与数据库服务器同一大版本（或更新）的客户端后再运行，"
                "例如 Debian：apt-get install postgresql-client。"
                "(%(tool)s not found: install the PostgreSQL client tools.)"
            )
            % {"tool": name}
        )
    return exe


def _pg_env(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """The connection of DATABASE_URL as libpq's variables, so no password is on a command line
    (where `ps` shows it)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(option):
            env[f"PG{option.upper()}"] = str(options[option])
    return env


def pg_run(args: list[str], settings_dict: Mapping[str, Any]) -> None:
    """Run a PostgreSQL client tool with the connection's settings; refused with its errors."""
    tool = Path(args[0]).name
    # The arguments are ours and the tool is the one on PATH; no shell is involved.
    result = subprocess.run(  # noqa: S603
        args, env=_pg_env(settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败（退出码 %(code)d）：%(err)s")
            % {"tool": tool, "code": result.returncode, "err": result.stderr.strip()[-2000:]}
        )


def pg_dump(conn: BaseDatabaseWrapper, dest: Path) -> None:
    """The PostgreSQL database dumped into `dest` in `pg_dump`'s custom format."""
    # The custom format is one consistent snapshot (pg_dump reads in one repeatable-read
    # transaction), compressed, and pg_restore can pick from it.
    pg_run(
        [
            pg_tool("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--file={dest}",
            f"--dbname={conn.settings_dict['NAME']}",
        ],
        conn.settings_dict,
    )
    fsync(dest)


# The schema's own objects: in the connection's search path, and no extension's (the superuser
# created PostGIS's and pg_trgm's, and spatial_ref_sys is no data of ours).
_PG_RELATIONS = """
    SELECT c.relkind, c.oid::regclass::text FROM pg_class c
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND c.relnamespace IN (
        SELECT oid FROM pg_namespace WHERE nspname = ANY (current_schemas(false)))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 2
"""
_PG_FUNCTIONS = """
    SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace IN (
        SELECT oid FROM pg_namespace WHERE nspname = ANY (current_schemas(false)))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""


def _pg_relations(conn: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    with conn.cursor() as cursor:
        cursor.execute(_PG_RELATIONS)
        return [(kind, name) for kind, name in cursor.fetchall()]


def pg_tables(conn: BaseDatabaseWrapper) -> list[str]:
    """Our own tables and views in the PostgreSQL database (sequences left out)."""
    return [name for kind, name in _pg_relations(conn) if kind != "S"]


def pg_empty(conn: BaseDatabaseWrapper) -> None:
    """Drop our own tables, views, sequences and functions (a forced restore), leaving the
    extensions, which the application's role could not create again."""
    words = {"v": "VIEW", "m": "MATERIALIZED VIEW", "r": "TABLE", "p": "TABLE", "S": "SEQUENCE"}
    order = "vmrpS"  # views before the tables they read; sequences a table owned go with it
    relations = sorted(_pg_relations(conn), key=lambda r: order.index(r[0]))
    with conn.cursor() as cursor:
        for kind, name in relations:
            # The names come from the catalogue, already quoted by ::regclass.
            cursor.execute(f"DROP {words[kind]} IF EXISTS {name} CASCADE")
        cursor.execute(_PG_FUNCTIONS)
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")


def pg_database_exists(conn: BaseDatabaseWrapper) -> bool:
    """Whether the connection's PostgreSQL database has been created."""
    with conn._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [conn.settings_dict["NAME"]])
        return cursor.fetchone() is not None


# --- SQLite --------------------------------------------------------------------------------


def sqlite_path(conn: BaseDatabaseWrapper) -> Path | None:
    """The SQLite database's file, or None for an in-memory database."""
    name = str(conn.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        return None  # the test suite's database
    return Path(name)


def sqlite_copy_into(src: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    """Copy one SQLite database into another at one instant."""
    # In one step (pages=-1) SQLite copies every page inside one read transaction: the copy is
    # the database at one instant, and with WAL the web server and worker go on writing.
    src.backup(dest)


def sqlite_dump(conn: BaseDatabaseWrapper, dest: Path) -> None:
    """The SQLite database copied into `dest`, one file, checked by SQLite before it is kept."""
    conn.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        # Through Django's own connection, so the suite's in-memory database is copied too.
        sqlite_copy_into(conn.connection, copy)
        # One self-contained file: no -wal beside it to lose on the way.
        copy.execute("PRAGMA journal_mode=DELETE")
        (check,) = copy.execute("PRAGMA quick_check").fetchone()
    finally:
        copy.close()
    if check != "ok":
        raise BackupError(_("数据库副本未通过 SQLite 的完整性检查：%(r)s") % {"r": check})
    fsync(dest)


def sqlite_tables(path: Path) -> list[str]:
    """The tables and views of a SQLite file, read without changing it (none without a file)."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    # Read-only: looking must not create or change the target.
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    finally:
        db.close()
    return [r[0] for r in rows]


# --- which schema a copy is of ------------------------------------------------------------


def _schema_state(rows: list[tuple[str, str]]) -> dict[str, str]:
    """The latest migration applied per app (names start with their number)."""
    latest: dict[str, str] = {}
    for app, name in rows:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def schema_of(conn: BaseDatabaseWrapper, sqlite_copy: Path | None) -> dict[str, str]:
    """The latest migration per app of the database, or of a SQLite copy of it when given."""
    query = "SELECT app, name FROM django_migrations"
    if sqlite_copy is not None:
        # Read from the copy itself, so it is the schema of the data saved.
        db = sqlite3.connect(sqlite_copy)
        try:
            return _schema_state([(a, n) for a, n in db.execute(query).fetchall()])
        finally:
            db.close()
    with conn.cursor() as cursor:
        cursor.execute(query)
        return _schema_state([(a, n) for a, n in cursor.fetchall()])
