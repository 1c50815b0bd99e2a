"""Writing a backup (`wangge backup`): the database, then the media, then the keys, into a new
directory (renamed into place when complete) or S3 prefix, the manifest last."""

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.backup.archive import (
    DUMPS,
    FORMAT,
    MANIFEST,
    MEDIA,
    SECRET_NAMES,
    SECRETS,
    BackupError,
    copy_hashing,
    fsync,
    safe_relative,
    sha256_file,
    wangge_version,
)
from wangge.core.backup.databases import pg_dump, schema_of, sqlite_dump
from wangge.core.backup.keys import env_line, secrets_fit_data, secrets_from
from wangge.core.backup.s3 import is_s3, s3_refuse_used, s3_upload


def _storage_names(storage: Storage, top: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(top)
    except FileNotFoundError:
        return  # MEDIA_ROOT not made yet: nothing uploaded
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for name in sorted(dirs):
        yield from _storage_names(storage, f"{top}/{name}" if top else name)


def _write_backup(root: Path, secrets: Mapping[str, str], using: str) -> dict[str, Any]:
    created = timezone.now()
    conn = connections[using]
    vendor = conn.vendor
    if vendor not in DUMPS:
        raise BackupError(_("不支持备份 %(v)s 数据库") % {"v": vendor})
    dump = root / DUMPS[vendor]
    if vendor == "sqlite":
        sqlite_dump(conn, dump)
    else:
        pg_dump(conn, dump)
    schema = schema_of(conn, dump if vendor == "sqlite" else None)
    files: dict[str, dict[str, Any]] = {
        DUMPS[vendor]: {"sha256": sha256_file(dump), "size": dump.stat().st_size}
    }

    # After the database: every file a saved row names was there before the dump began.
    media_bytes = 0
    for name in _storage_names(default_storage):
        rel = f"{MEDIA}/{safe_relative(name)}"
        with default_storage.open(name, "rb") as src:
            sha, size = copy_hashing(src, root / rel)
        files[rel] = {"sha256": sha, "size": size}
        media_bytes += size

    text = "".join(f"{env_line(n, secrets[n])}\n" for n in SECRET_NAMES)
    secrets_path = root / SECRETS
    fd = os.open(secrets_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    files[SECRETS] = {
        "sha256": sha256_file(secrets_path),
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
    fsync(manifest_path)
    return manifest


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
        s3_refuse_used(location)
        # Assembled in a temporary directory (TMPDIR) first, so that the checksums are of the
        # very bytes sent.
        with tempfile.TemporaryDirectory(prefix="wangge-backup-") as tmp:
            manifest = _write_backup(Path(tmp), secrets, using)
            s3_upload(location, Path(tmp), manifest)
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
