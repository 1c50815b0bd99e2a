"""The engine's schema: what `install` puts in a PostgreSQL database and `uninstall` takes out
(the shapes and their triggers, the trigram index, the exact keys and their carriers, the
stored forms' table, the change checks' indexes), and the steps the migrations run when a part
of it changes. The SQL is in `sql/`, read by `statements.statement`; here, which files run,
in which order, and where."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from wangge.grids.dbengine.statements import statement

SHAPE_TABLE = "grids_shape"
# Buildings kept for each name key: two tell the resolver that a name is shared (an answer by
# the name alone is none), a third that a district's name is shared with another district.
CARRIERS = 3
# The characters after which an address is cut into words, by `grids_search_words` and by the
# queries' `keys._words` (one list, so the index and the queries cut alike).
PLACE_WORD_CHARS = "省市区县旗镇乡路街巷道村弄条组号院楼栋幢座"

_LOCATE_FUNCTION_SQL = statement("locate_function")
_POSTGIS_SQL = statement("shapes")
_POSTGIS_FILL_SQL = statement("shapes_fill")
_POSTGIS_DROP_SQL = statement("shapes_drop")

_SEARCH_INDEX_SQL = statement("search_index")
_KEYS_DROP_SQL = statement("keys_drop")
_TRIGRAM_SQL = _KEYS_DROP_SQL + statement("search_words").replace(
    "PLACE_WORD_CHARS", PLACE_WORD_CHARS
)
_KEYED_QUERY = statement("keyed_query")
_KEYED_FUNCTION_SQL = statement("keyed_function").replace("KEYED_QUERY_TEXT", _KEYED_QUERY.strip())
_KEYS_TABLES_SQL = statement("keys_tables")
_CARRIER_SYNC_SQL = statement("carrier_sync").replace("CARRIERS", str(CARRIERS))
_CARRIERS_TRIM_SQL = statement("carriers_trim")
_KEYS_TRIGGERS_SQL = statement("keys_triggers").replace("CARRIERS", str(CARRIERS))
_KEYS_SQL = "".join(
    (_KEYS_DROP_SQL, _KEYS_TABLES_SQL, _CARRIER_SYNC_SQL, _KEYS_TRIGGERS_SQL, _KEYED_FUNCTION_SQL)
)

# Every worker asks every RECHECK_SECONDS whether the tree or the buildings changed (see
# `indexes`). One aggregate of the row count and newest `updated_at` read every row (a
# million buildings, and the nodes besides) in each process, every 2 s, which took most of 2
# cores under 16 clients. With an index on `updated_at` the newest is one index page; the count
# is no longer read (changes.sql).
_CHANGES_INDEXES = {
    "grids_building_updated_at": statement("building_updated_at_index"),
    "grids_gridnode_updated_at": statement("gridnode_updated_at_index"),
}
_CHANGES_INDEX_DROP_SQL = statement("changes_indexes_drop")

_FORMS_SQL = statement("forms_table")
_FORMS_DROP_SQL = statement("forms_drop")
_TRIGRAM_DROP_SQL = _KEYS_DROP_SQL + _FORMS_DROP_SQL + statement("search_drop")


def _extension(conn: BaseDatabaseWrapper, name: str) -> bool:
    """Create the extension if the server offers it and we may; False otherwise. In a
    savepoint: a refused CREATE EXTENSION (not a superuser) must not abort the migration."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [name])
        if cursor.fetchone() is None:
            return False
        try:
            with transaction.atomic(using=conn.alias):
                cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
        except Exception:
            return False
    return True


def install(conn: BaseDatabaseWrapper, *, fill: bool) -> dict[str, bool]:
    """Install what the server allows; with `fill`, (re)fill the shape table from the tree.
    Nothing on another database: SQLite has only the memory engine."""
    done = {"postgis": False, "pg_trgm": False}
    if conn.vendor != "postgresql":
        return done
    if _extension(conn, "postgis"):
        with conn.cursor() as cursor:
            cursor.execute(_POSTGIS_SQL)
            cursor.execute(_LOCATE_FUNCTION_SQL)
            if fill:
                cursor.execute(_POSTGIS_FILL_SQL)
        done["postgis"] = True
    if _extension(conn, "pg_trgm"):
        with conn.cursor() as cursor:
            cursor.execute(_TRIGRAM_SQL)
            cursor.execute(_SEARCH_INDEX_SQL)
            cursor.execute(_KEYS_SQL)
            cursor.execute(_FORMS_SQL)
        done["pg_trgm"] = True
    _changes_indexes(conn)
    return done


def _changes_indexes(conn: BaseDatabaseWrapper) -> None:
    """The change checks' indexes, those missing only: PostgreSQL refuses CREATE INDEX (even
    IF NOT EXISTS) on a table with pending trigger events, as in a transaction that has just
    written the tree (a rebuild after an import, in one transaction)."""
    with conn.cursor() as cursor:
        for name, sql in _CHANGES_INDEXES.items():
            cursor.execute("SELECT to_regclass(%s) IS NULL", [name])
            row = cursor.fetchone()
            if row is not None and row[0]:
                cursor.execute(sql)


def _holds(conn: BaseDatabaseWrapper, condition: str) -> bool:
    """Whether `condition`, one boolean expression, holds on a PostgreSQL database (never on
    another: SQLite has only the memory engine)."""
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {condition}")
        row = cursor.fetchone()
    return row is not None and bool(row[0])


def reindex(conn: BaseDatabaseWrapper) -> None:
    """The engine's indexes made as `install` makes them now, where its schema is installed
    (a migration's step when an index changes): the buildings' search index again, and the
    indexes the change checks read."""
    if _holds(conn, "to_regclass('grids_building_search_trgm') IS NOT NULL"):
        with conn.cursor() as cursor:
            cursor.execute(_SEARCH_INDEX_SQL)
        _changes_indexes(conn)


def install_keys(conn: BaseDatabaseWrapper) -> None:
    """The buildings' exact keys, where the trigram part of the schema is installed and they
    are not (a migration's step)."""
    if _holds(
        conn,
        "to_regclass('grids_building_search_trgm') IS NOT NULL "
        "AND to_regclass('grids_building_search_keys') IS NULL",
    ):
        with conn.cursor() as cursor:
            cursor.execute(_KEYS_SQL)


def install_forms(conn: BaseDatabaseWrapper) -> None:
    """The buildings' stored forms' table, where the trigram part of the schema is installed
    (a migration's step; the worker fills it)."""
    if _holds(conn, "to_regclass('grids_building_search_trgm') IS NOT NULL"):
        with conn.cursor() as cursor:
            cursor.execute(_FORMS_SQL)


def keys_installed(conn: BaseDatabaseWrapper) -> bool:
    """Whether the engine's keys are installed on this database (a migration's step that
    changes their lookups runs only there)."""
    return _holds(conn, "to_regclass('grids_building_search_keys') IS NOT NULL")


def keyed_function(conn: BaseDatabaseWrapper) -> None:
    """The keys' lookups made again as `install` makes them now, where the keys are installed
    (a migration's step when they change)."""
    if keys_installed(conn):
        with conn.cursor() as cursor:
            cursor.execute(_KEYED_FUNCTION_SQL)


def carrier_function(conn: BaseDatabaseWrapper) -> None:
    """The carriers' trigger function made again as `install` makes it now, and the carriers a
    name holds beyond CARRIERS let go (an older function could leave more), where the keys are
    installed (a migration's step when it changes). The triggers stay: CREATE OR REPLACE keeps
    the function they call."""
    if keys_installed(conn):
        with conn.cursor() as cursor:
            cursor.execute(_CARRIER_SYNC_SQL)
            cursor.execute(_CARRIERS_TRIM_SQL, [CARRIERS])


def locate_function(conn: BaseDatabaseWrapper) -> None:
    """The point's lookup made again as `install` makes it now, where the shapes are installed
    (a migration's step when it changes)."""
    if _holds(conn, f"to_regclass('{SHAPE_TABLE}') IS NOT NULL"):
        with conn.cursor() as cursor:
            cursor.execute(_LOCATE_FUNCTION_SQL)


def uninstall(conn: BaseDatabaseWrapper) -> None:
    """Drop our tables, triggers, functions and index; the extensions stay (others may use
    them)."""
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [SHAPE_TABLE])
        row = cursor.fetchone()
        if row is not None and row[0] is not None:
            cursor.execute(_POSTGIS_DROP_SQL)
        cursor.execute(_TRIGRAM_DROP_SQL)
        cursor.execute(_CHANGES_INDEX_DROP_SQL)


def installed() -> dict[str, bool]:
    """Which parts of the engine this database holds."""
    if connection.vendor != "postgresql":
        return {"postgis": False, "pg_trgm": False}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL, to_regclass('grids_building_search_trgm') "
            "IS NOT NULL",
            [SHAPE_TABLE],
        )
        row = cursor.fetchone()
    assert row is not None
    return {"postgis": bool(row[0]), "pg_trgm": bool(row[1])}


_checked: list[bool] = []


def require_installed() -> None:
    """Refuse to serve in database mode without the engine's schema: a clear message at the
    warm start and on first use instead of an SQL error in a resident's report. Once found,
    a process does not ask again."""
    if _checked:
        return
    missing = [name for name, ok in installed().items() if not ok]
    if missing:
        raise ImproperlyConfigured(
            f"GRID_ENGINE=database needs {' and '.join(missing)} in this database: install "
            "them (make postgis-deps) and run `manage.py grid_engine_rebuild`"
        )
    _checked.append(True)
