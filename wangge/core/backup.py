"""Backups a district can restore: `wangge backup DIR` and `wangge restore DIR`.

A backup is a directory (or an S3 prefix, `s3://bucket/prefix`) holding

- the database: SQLite copied with SQLite's online backup API, PostgreSQL dumped by `pg_dump` in
  its custom format; both give the database at one instant while the server keeps writing;
- the media (residents' photos, circulars), read through the configured storage, local or S3;
- `secrets.env` (mode 0600): SECRET_KEY, PII_KEY and PII_HASH_KEY. Without PII_KEY every
  encrypted ID number and phone in the dump is noise, and without PII_HASH_KEY nobody is found
  by them any more: a dump without its keys is not a backup;
- `manifest.json`, written last: when, which release, which database, the schema (latest
  migration per app), and every file's size and sha256, the secrets file marked secret.

A restore checks every checksum before it touches anything, refuses a target database that
holds data unless forced (and then keeps a copy of what it replaces), migrates the restored
schema up to this release, copies the media back, and records itself (core.BackupRestore), which
the 城运中心 page shows.
"""

import contextlib
import hashlib
import hmac
import importlib.metadata
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core import pii
from wangge.core.models import BackupRestore

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:  # the s3 extra; without it backups go to directories only
    boto3 = None

FORMAT = 1
MANIFEST = "manifest.json"
SECRETS = "secrets.env"
MEDIA = "media"
SECRET_NAMES = ("SECRET_KEY", "PII_KEY", "PII_HASH_KEY")
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1 << 20
# A value written into an env file bare; anything else is single-quoted, which both `sh` (the
# documented `set -a && . wangge.env`) and systemd's EnvironmentFile read the same way.
_BARE_VALUE = re.compile(r"[A-Za-z0-9_\-+=/.:@%,]*")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")


class BackupError(Exception):
    """A refusal, in words for the operator. Raised before a restore starts writing unless
    the message says otherwise."""


# --- helpers -------------------------------------------------------------------------------


def wangge_version() -> str:
    try:
        return importlib.metadata.version("wangge")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(src: IO[bytes], dest: Path) -> tuple[str, int]:
    """Copy a stream into a new file, fsynced; its sha256 and size come from the same pass."""
    digest, size = hashlib.sha256(), 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("xb") as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size


def _sha256_stored(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _safe_relative(name: str) -> PurePosixPath:
    """A manifest's or a storage's file name, refused if it could climb out of the backup."""
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BackupError(_("备份中有不安全的文件名：%(name)s") % {"name": name})
    return rel


def read_env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines as `sh` and systemd read them: comments, blank lines, `export` and
    one pair of surrounding quotes allowed."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ENV_LINE.match(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        name, value = match.group(1), match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def _env_line(name: str, value: str) -> str:
    if _BARE_VALUE.fullmatch(value):
        return f"{name}={value}"
    if "'" in value or "\n" in value:
        raise BackupError(
            _("%(name)s 含有单引号或换行，无法安全写入环境文件，请手工处理") % {"name": name}
        )
    return f"{name}='{value}'"


def _lookup_hash(key: str, value: str) -> str:
    # pii.lookup_hash under a key given here rather than the running settings' one.
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def secrets_fit_data(secrets: Mapping[str, str], using: str = DEFAULT_DB_ALIAS) -> str | None:
    """Why these keys cannot read the data in the database, or None when they can (or there is
    nothing encrypted to try them on).

    One encrypted value is decrypted with PII_KEY and, where its keyed hash sits beside it
    (`<name>_hash`), hashed again with PII_HASH_KEY. A backup or a restore that pairs the data
    with the wrong keys is found here instead of on the day the ID numbers are needed."""
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        columns = {f.name for f in meta.concrete_fields}
        for name in sorted(columns):
            if not name.endswith("_encrypted"):
                continue
            base = name.removesuffix("_encrypted")
            hashed = f"{base}_hash" if f"{base}_hash" in columns else None
            wanted = [name, hashed] if hashed else [name]
            try:
                row = (
                    model._base_manager.using(using)
                    .exclude(**{name: ""})
                    .values_list(*wanted)
                    .first()
                )
            except DatabaseError:
                continue  # a table this schema does not have yet
            if row is None:
                continue
            try:
                clear = Fernet(secrets["PII_KEY"].encode()).decrypt(row[0].encode()).decode()
            except (InvalidToken, ValueError, TypeError):
                return _(
                    "PII_KEY 解不开数据库中已加密的数据（%(table)s.%(column)s）："
                    "它不是加密这些身份证号和电话的密钥"
                ) % {"table": meta.db_table, "column": name}
            if hashed and row[1] and _lookup_hash(secrets["PII_HASH_KEY"], clear) != row[1]:
                return _(
                    "PII_HASH_KEY 与数据库中的摘要（%(table)s.%(column)s）不符："
                    "按身份证号和电话查找人员将找不到任何人"
                ) % {"table": meta.db_table, "column": hashed}
            return None
    return None


@contextlib.contextmanager
def _secrets_in_effect(secrets: Mapping[str, str]) -> Iterator[None]:
    """The backup's keys as this process's settings, for the migrations a restore runs: a data
    migration that reads or rewrites ID numbers must use the keys the data was written with."""
    saved = {name: getattr(settings, name) for name in SECRET_NAMES}
    for name in SECRET_NAMES:
        setattr(settings, name, secrets[name])
    pii._fernet.cache_clear()
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)
        pii._fernet.cache_clear()


# --- PostgreSQL's own tools ----------------------------------------------------------------


def _pg_tool(name: str) -> str:
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


def _pg_run(args: list[str], settings_dict: Mapping[str, Any]) -> None:
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


def _pg_dump(conn: BaseDatabaseWrapper, dest: Path) -> None:
    # The custom format is one consistent snapshot (pg_dump reads in one repeatable-read
    # transaction), compressed, and pg_restore can pick from it.
    _pg_run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--file={dest}",
            f"--dbname={conn.settings_dict['NAME']}",
        ],
        conn.settings_dict,
    )
    _fsync(dest)


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


def _pg_tables(conn: BaseDatabaseWrapper) -> list[str]:
    return [name for kind, name in _pg_relations(conn) if kind != "S"]


def _pg_empty(conn: BaseDatabaseWrapper) -> None:
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


def _pg_database_exists(conn: BaseDatabaseWrapper) -> bool:
    with conn._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [conn.settings_dict["NAME"]])
        return cursor.fetchone() is not None


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_path(conn: BaseDatabaseWrapper) -> Path | None:
    name = str(conn.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        return None  # the test suite's database
    return Path(name)


def _sqlite_copy(src: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    # In one step (pages=-1) SQLite copies every page inside one read transaction: the copy is
    # the database at one instant, and with WAL the web server and worker go on writing.
    src.backup(dest)


def _sqlite_dump(conn: BaseDatabaseWrapper, dest: Path) -> None:
    conn.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        # Through Django's own connection, so the suite's in-memory database is copied too.
        _sqlite_copy(conn.connection, copy)
        # One self-contained file: no -wal beside it to lose on the way.
        copy.execute("PRAGMA journal_mode=DELETE")
        (check,) = copy.execute("PRAGMA quick_check").fetchone()
    finally:
        copy.close()
    if check != "ok":
        raise BackupError(_("数据库副本未通过 SQLite 的完整性检查：%(r)s") % {"r": check})
    _fsync(dest)


def _sqlite_tables(path: Path) -> list[str]:
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


# --- what is in a backup -------------------------------------------------------------------


def _schema_state(rows: list[tuple[str, str]]) -> dict[str, str]:
    """The latest migration applied per app (names start with their number)."""
    latest: dict[str, str] = {}
    for app, name in rows:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _schema_of(conn: BaseDatabaseWrapper, sqlite_copy: Path | None) -> dict[str, str]:
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


def _storage_names(storage: Storage, top: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(top)
    except FileNotFoundError:
        return  # MEDIA_ROOT not made yet: nothing uploaded
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for name in sorted(dirs):
        yield from _storage_names(storage, f"{top}/{name}" if top else name)


def secrets_from(env_file: Path | None) -> dict[str, str]:
    """The three keys: this process's (its environment), or those of an env file.

    The env file is for a process that was not given the service's environment: settings
    would then fall back to development keys that never encrypted anything."""
    secrets = {name: str(getattr(settings, name)) for name in SECRET_NAMES}
    if env_file is not None:
        try:
            values = read_env_file(env_file)
        except OSError as exc:
            raise BackupError(
                _("无法读取环境文件 %(f)s：%(e)s") % {"f": env_file, "e": exc}
            ) from exc
        missing = [n for n in SECRET_NAMES if not values.get(n)]
        if missing:
            raise BackupError(
                _("环境文件 %(f)s 中没有 %(names)s") % {"f": env_file, "names": "、".join(missing)}
            )
        secrets = {n: values[n] for n in SECRET_NAMES}
    return secrets


def _write_backup(root: Path, secrets: Mapping[str, str], using: str) -> dict[str, Any]:
    created = timezone.now()
    conn = connections[using]
    vendor = conn.vendor
    if vendor not in DUMPS:
        raise BackupError(_("不支持备份 %(v)s 数据库") % {"v": vendor})
    dump = root / DUMPS[vendor]
    if vendor == "sqlite":
        _sqlite_dump(conn, dump)
    else:
        _pg_dump(conn, dump)
    schema = _schema_of(conn, dump if vendor == "sqlite" else None)
    files: dict[str, dict[str, Any]] = {
        DUMPS[vendor]: {"sha256": _sha256_file(dump), "size": dump.stat().st_size}
    }

    # After the database: every file a saved row names was there before the dump began.
    media_bytes = 0
    for name in _storage_names(default_storage):
        rel = f"{MEDIA}/{_safe_relative(name)}"
        with default_storage.open(name, "rb") as src:
            sha, size = _copy_hashing(src, root / rel)
        files[rel] = {"sha256": sha, "size": size}
        media_bytes += size

    text = "".join(f"{_env_line(n, secrets[n])}\n" for n in SECRET_NAMES)
    secrets_path = root / SECRETS
    fd = os.open(secrets_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    files[SECRETS] = {
        "sha256": _sha256_file(secrets_path),
        "size": secrets_path.stat().st_size,
        "secret": True,
    }

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": created.isoformat(),
        "wangge_version": wangge_version(),
        "database": {"vendor": vendor, "file": DUMPS[vendor]},
        "schema": schema,
        "media": {
            "storage": settings.MEDIA_STORAGE,
            "files": sum(1 for r in files if r.startswith(f"{MEDIA}/")),
            "bytes": media_bytes,
        },
        "secrets": {
            "file": SECRETS,
            "secret": True,
            "names": list(SECRET_NAMES),
            "note": "PII_KEY decrypts the ID numbers and phones; PII_HASH_KEY finds people by "
            "them; SECRET_KEY signs sessions and links. Keep this file as you keep the keys.",
        },
        "files": dict(sorted(files.items())),
    }
    manifest_path = root / MANIFEST
    manifest_path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    _fsync(manifest_path)
    return manifest


# --- S3 ------------------------------------------------------------------------------------


def is_s3(location: str) -> bool:
    return location.startswith("s3://")


def _s3(location: str) -> tuple[Any, str, str]:
    """(client, bucket, key prefix ending in / or empty), with the S3_* variables the media
    storage reads (docs/deploy.md); unset keys fall to boto3's own chain (an instance role)."""
    if boto3 is None:
        raise BackupError(_("备份到 S3 需要 s3 扩展：pip install 'wangge[s3]'"))
    bucket, _sep, prefix = location.removeprefix("s3://").partition("/")
    if not bucket:
        raise BackupError(_("S3 位置应写成 s3://存储桶/前缀"))
    prefix = prefix.strip("/")
    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        region_name=os.environ.get("S3_REGION") or None,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or "auto"},
        ),
    )
    return client, bucket, f"{prefix}/" if prefix else ""


def _s3_refuse_used(location: str) -> None:
    client, bucket, prefix = _s3(location)
    if client.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1).get("KeyCount", 0):
        raise BackupError(
            _("%(loc)s 下已有文件：每次备份写入一个新前缀（例如以日期命名）") % {"loc": location}
        )


def _s3_upload(location: str, root: Path, manifest: Mapping[str, Any]) -> None:
    client, bucket, prefix = _s3(location)
    for rel in manifest["files"]:
        client.upload_file(str(root / rel), bucket, prefix + rel)
    # Last: a prefix without its manifest is a backup that did not finish.
    client.upload_file(str(root / MANIFEST), bucket, prefix + MANIFEST)


def _s3_download(location: str, root: Path) -> None:
    client, bucket, prefix = _s3(location)
    try:
        client.download_file(bucket, prefix + MANIFEST, str(root / MANIFEST))
    except ClientError as exc:
        raise BackupError(
            _("%(loc)s 不是完整的备份（没有 %(m)s）") % {"loc": location, "m": MANIFEST}
        ) from exc
    for rel in _load_manifest(root)["files"]:
        dest = root / _safe_relative(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(ClientError):  # a missing file is reported by verify()
            client.download_file(bucket, prefix + rel, str(dest))


# --- backup --------------------------------------------------------------------------------


def backup(
    location: str, *, env_file: Path | None = None, using: str = DEFAULT_DB_ALIAS
) -> dict[str, Any]:
    """Write a backup to a new directory or S3 prefix; its manifest."""
    secrets = secrets_from(env_file)
    problem = secrets_fit_data(secrets, using)
    if problem:
        hint = "" if env_file else _("；用 --env-file 指定服务使用的环境文件")
        raise BackupError(_("密钥与数据不符，未备份：%(p)s%(h)s") % {"p": problem, "h": hint})

    # Only the owner reads a backup: it holds the keys, and the data they open.
    umask = os.umask(0o077)
    try:
        return _backup_to(location, secrets, using)
    finally:
        os.umask(umask)


def _backup_to(location: str, secrets: Mapping[str, str], using: str) -> dict[str, Any]:
    if is_s3(location):
        _s3_refuse_used(location)
        # Assembled in a temporary directory (TMPDIR) first, so that the checksums are of the
        # very bytes sent.
        with tempfile.TemporaryDirectory(prefix="wangge-backup-") as tmp:
            manifest = _write_backup(Path(tmp), secrets, using)
            _s3_upload(location, Path(tmp), manifest)
        return manifest

    target = Path(location)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(
            _("%(dir)s 已存在且不是空目录：每次备份写入一个新目录（例如以日期命名）")
            % {"dir": target}
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed when complete: an interrupted backup never looks
    # like one that finished.
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    partial.mkdir(mode=0o700)
    try:
        manifest = _write_backup(partial, secrets, using)
        if target.exists():
            target.rmdir()
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


# --- restore -------------------------------------------------------------------------------


def _load_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(_("%(dir)s 不是备份（没有 %(m)s）") % {"dir": root, "m": MANIFEST})
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(_("%(m)s 已损坏，无法读取") % {"m": MANIFEST}) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            _("不认识这个备份的格式（%(f)s）：请用生成它的 wangge 版本恢复")
            % {"f": manifest.get("format") if isinstance(manifest, dict) else "?"}
        )
    return manifest


def verify(root: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is there with its size and sha256; refused
    otherwise, before anything is touched."""
    manifest = _load_manifest(root)
    problems = []
    for rel, entry in manifest["files"].items():
        path = root / _safe_relative(rel)
        if not path.is_file():
            problems.append(_("缺少 %(f)s") % {"f": rel})
        elif path.stat().st_size != entry["size"] or _sha256_file(path) != entry["sha256"]:
            problems.append(_("%(f)s 已损坏（校验和不符）") % {"f": rel})
    if SECRETS not in manifest["files"]:
        problems.append(_("缺少 %(f)s") % {"f": SECRETS})
    if problems:
        shown = "；".join(problems[:10])
        if len(problems) > 10:
            shown += _("……共 %(n)d 处") % {"n": len(problems)}
        raise BackupError(_("备份不完整或已损坏，未做任何改动：%(p)s") % {"p": shown})
    return manifest


@contextlib.contextmanager
def opened(location: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A backup's local directory and verified manifest (an S3 one fetched into a temporary
    directory first, removed afterwards)."""
    if not is_s3(location):
        root = Path(location)
        yield root, verify(root)
        return
    with tempfile.TemporaryDirectory(prefix="wangge-restore-") as tmp:
        _s3_download(location, Path(tmp))
        yield Path(tmp), verify(Path(tmp))


def _check_schema(manifest: Mapping[str, Any]) -> None:
    """Refuse a backup from a newer release: migrating back is not something this code knows."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])  # names a squashed migration stands for
    newer = [
        f"{app}.{name}"
        for app, name in manifest.get("schema", {}).items()
        if app in loader.migrated_apps and (app, name) not in known
    ]
    if newer:
        raise BackupError(
            _("备份来自较新的版本（%(v)s，有本版本没有的迁移 %(m)s）：请先把 wangge 升级到该版本")
            % {"v": manifest.get("wangge_version", "?"), "m": "、".join(newer[:5])}
        )


@dataclass
class RestoreReport:
    created_at: datetime
    database: str
    media_copied: int = 0
    media_same: int = 0
    kept_before: Path | None = None
    secrets_written: list[str] = field(default_factory=list)
    secrets_differ: list[str] = field(default_factory=list)
    secrets_location: str = ""
    data_problem: str | None = None


def restore(
    location: str,
    *,
    force: bool = False,
    secrets_to: Path | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> RestoreReport:
    with opened(location) as (root, manifest):
        return _restore(location, root, manifest, force=force, secrets_to=secrets_to, using=using)


def _restore(
    location: str,
    root: Path,
    manifest: Mapping[str, Any],
    *,
    force: bool,
    secrets_to: Path | None,
    using: str,
) -> RestoreReport:
    conn = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != conn.vendor:
        raise BackupError(
            _("这是 %(b)s 数据库的备份，目标是 %(t)s 数据库：只能恢复到同一种数据库")
            % {"b": vendor, "t": conn.vendor}
        )
    _check_schema(manifest)
    secrets = read_env_file(root / SECRETS)
    if any(not secrets.get(n) for n in SECRET_NAMES):
        raise BackupError(_("备份中的 %(f)s 缺少密钥") % {"f": SECRETS})

    # Everything that could refuse is decided before anything is written.
    existing_env: dict[str, str] = {}
    if secrets_to is not None and secrets_to.exists():
        existing_env = read_env_file(secrets_to)
        clashes = [n for n in SECRET_NAMES if existing_env.get(n) not in (None, "", secrets[n])]
        if clashes:
            raise BackupError(
                _(
                    "%(f)s 中已有不同的 %(names)s，未做任何改动：覆盖它，用原密钥加密的数据就"
                    "再也读不出。请确认哪一个才是这份数据的密钥，删去文件中那一行后再运行，"
                    "或把密钥写入另一个文件"
                )
                % {"f": secrets_to, "names": "、".join(clashes)}
            )

    if vendor == "sqlite":
        path = _sqlite_path(conn)
        if path is None:
            raise BackupError(_("恢复目标必须是数据库文件（DATABASE_URL=sqlite:///路径）"))
        tables = _sqlite_tables(path)
        description = str(path)
    else:
        _pg_tool("pg_restore")
        exists = _pg_database_exists(conn)
        tables = _pg_tables(conn) if exists else []
        description = f"PostgreSQL {conn.settings_dict['NAME']}"
    if tables and not force:
        raise BackupError(
            _(
                "目标数据库 %(db)s 不是空的（%(n)d 张表），未做任何改动：恢复只写入不存在的或空的"
                "数据库。确要用备份替换其中的数据，加 --force（原数据会先另存一份）"
            )
            % {"db": description, "n": len(tables)}
        )

    media = {
        rel.removeprefix(f"{MEDIA}/"): entry
        for rel, entry in manifest["files"].items()
        if rel.startswith(f"{MEDIA}/")
    }
    same, differ = set(), []
    for name, entry in media.items():
        if default_storage.exists(name):
            if _sha256_stored(name) == entry["sha256"]:
                same.add(name)
            else:
                differ.append(name)
    if differ and not force:
        raise BackupError(
            _(
                "附件存储中已有 %(n)d 个同名但内容不同的文件（如 %(f)s），未做任何改动；"
                "确要用备份中的替换，加 --force（原文件会先另存一份）"
            )
            % {"n": len(differ), "f": differ[0]}
        )

    report = RestoreReport(
        created_at=datetime.fromisoformat(manifest["created_at"]), database=description
    )
    if tables or differ:
        report.kept_before = _keep_before(conn, vendor, differ)

    # The database.
    dump = root / manifest["database"]["file"]
    if vendor == "sqlite":
        assert path is not None
        conn.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
        dest = sqlite3.connect(path)
        try:
            _sqlite_copy(src, dest)
        finally:
            src.close()
            dest.close()
    else:
        if not exists:
            with conn._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {conn.ops.quote_name(conn.settings_dict['NAME'])}")
        elif tables:
            _pg_empty(conn)
        conn.close()
        # One transaction: a restore that fails leaves the database as empty as it found it.
        _pg_run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={conn.settings_dict['NAME']}",
                str(dump),
            ],
            conn.settings_dict,
        )
    with _secrets_in_effect(secrets):
        call_command("migrate", interactive=False, verbosity=0, database=using)
        report.data_problem = secrets_fit_data(secrets, using)

    # The media, under the names the rows hold.
    for name in sorted(media):
        if name in same:
            report.media_same += 1
            continue
        if name in differ:
            default_storage.delete(name)
        with (root / MEDIA / _safe_relative(name)).open("rb") as f:
            saved = default_storage.save(name, File(f, name=name))
        if saved != name:
            raise BackupError(
                _("附件 %(f)s 被存成了 %(s)s（恢复中途停止：数据库已恢复，附件未全部恢复）")
                % {"f": name, "s": saved}
            )
        report.media_copied += 1

    if secrets_to is not None:
        report.secrets_written = _secrets_write(secrets_to, secrets, existing_env)
    report.secrets_differ = [n for n in SECRET_NAMES if str(getattr(settings, n)) != secrets[n]]
    report.secrets_location = (
        f"{location.rstrip('/')}/{SECRETS}" if is_s3(location) else str(root / SECRETS)
    )

    BackupRestore.objects.using(using).create(
        backup_created_at=report.created_at,
        wangge_version=str(manifest.get("wangge_version", ""))[:40],
        source=location[:500],
    )
    return report


def _keep_before(conn: BaseDatabaseWrapper, vendor: str, media: list[str]) -> Path:
    """A copy of what a forced restore replaces: the database and the media files it
    overwrites, under WANGGE_VAR_DIR."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    keep = Path(settings.VAR_DIR) / f"before-restore-{stamp}"
    keep.mkdir(mode=0o700, parents=True)
    if vendor == "sqlite":
        _sqlite_dump(conn, keep / DUMPS[vendor])
        conn.close()
    else:
        _pg_dump(conn, keep / DUMPS[vendor])
    for name in media:
        with default_storage.open(name, "rb") as src:
            _copy_hashing(src, keep / MEDIA / _safe_relative(name))
    return keep


def _secrets_write(
    path: Path, secrets: Mapping[str, str], existing: Mapping[str, str]
) -> list[str]:
    """Add the backup's keys to an env file: an empty line (`PII_KEY=` copied from
    .env.example) is filled in place, a missing one appended; an equal one is left alone.
    A different one was refused before the restore began."""
    wanted = [n for n in SECRET_NAMES if not existing.get(n)]
    if not wanted:
        return []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    out, placed = [], set()
    for line in lines:
        match = _ENV_LINE.match(line)
        name = match.group(1) if match and not line.lstrip().startswith("#") else None
        if name in wanted and name not in placed:
            out.append(_env_line(name, secrets[name]))
            placed.add(name)
        elif name in wanted:
            continue  # a second empty line for the same key would undo the first
        else:
            out.append(line)
    rest = [n for n in wanted if n not in placed]
    if rest:
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        out.append(_("# wangge restore：备份中的密钥（%(t)s）") % {"t": stamp})
        out.extend(_env_line(n, secrets[n]) for n in rest)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    tmp = path.with_name(f".{path.name}.restore-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
        f.flush()
        os.fsync(f.fileno())
    if path.exists():
        shutil.copystat(path, tmp)  # mode and times
        st = path.stat()
        with contextlib.suppress(PermissionError):
            os.chown(tmp, st.st_uid, st.st_gid)  # root:wangge stays root:wangge
    tmp.replace(path)
    return wanted
