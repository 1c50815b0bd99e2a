"""Restoring a backup (`wangge restore`): every refusal decided before anything is written,
then the database, its migrations under the backup's keys, the media and the keys' env file,
and a record of the restore (core.BackupRestore)."""

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.backup.archive import (
    DUMPS,
    MEDIA,
    SECRET_NAMES,
    SECRETS,
    BackupError,
    copy_hashing,
    safe_relative,
    sha256_stored,
    verify,
)
from wangge.core.backup.databases import (
    pg_database_exists,
    pg_dump,
    pg_empty,
    pg_run,
    pg_tables,
    pg_tool,
    sqlite_copy_into,
    sqlite_dump,
    sqlite_path,
    sqlite_tables,
)
from wangge.core.backup.keys import (
    read_env_file,
    secrets_fit_data,
    secrets_in_effect,
    secrets_write,
)
from wangge.core.backup.s3 import is_s3, s3_download
from wangge.core.models import BackupRestore


@contextlib.contextmanager
def opened(location: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A backup's local directory and verified manifest (an S3 one fetched into a temporary
    directory first, removed afterwards)."""
    if not is_s3(location):
        root = Path(location)
        yield root, verify(root)
        return
    with tempfile.TemporaryDirectory(prefix="wangge-restore-") as tmp:
        s3_download(location, Path(tmp))
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
        path = sqlite_path(conn)
        if path is None:
            raise BackupError(_("恢复目标必须是数据库文件（DATABASE_URL=sqlite:///路径）"))
        tables = sqlite_tables(path)
        description = str(path)
    else:
        pg_tool("pg_restore")
        exists = pg_database_exists(conn)
        tables = pg_tables(conn) if exists else []
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
            if sha256_stored(name) == entry["sha256"]:
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
            sqlite_copy_into(src, dest)
        finally:
            src.close()
            dest.close()
    else:
        if not exists:
            with conn._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {conn.ops.quote_name(conn.settings_dict['NAME'])}")
        elif tables:
            pg_empty(conn)
        conn.close()
        # One transaction: a restore that fails leaves the database as empty as it found it.
        pg_run(
            [
                pg_tool("pg_restore"),
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
    with secrets_in_effect(secrets):
        call_command("migrate", interactive=False, verbosity=0, database=using)
        report.data_problem = secrets_fit_data(secrets, using)

    # The media, under the names the rows hold.
    for name in sorted(media):
        if name in same:
            report.media_same += 1
            continue
        if name in differ:
            default_storage.delete(name)
        with (root / MEDIA / safe_relative(name)).open("rb") as f:
            saved = default_storage.save(name, File(f, name=name))
        if saved != name:
            raise BackupError(
                _("附件 %(f)s 被存成了 %(s)s（恢复中途停止：数据库已恢复，附件未全部恢复）")
                % {"f": name, "s": saved}
            )
        report.media_copied += 1

    if secrets_to is not None:
        report.secrets_written = secrets_write(secrets_to, secrets, existing_env)
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
        sqlite_dump(conn, keep / DUMPS[vendor])
        conn.close()
    else:
        pg_dump(conn, keep / DUMPS[vendor])
    for name in media:
        with default_storage.open(name, "rb") as src:
            copy_hashing(src, keep / MEDIA / safe_relative(name))
    return keep
