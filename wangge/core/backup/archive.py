"""What a backup is on disk: the names of its files, the manifest that lists them with their
sizes and sha256, and the check of every one before a restore touches anything. Apart from
writing and restoring, which both stand on it."""

import hashlib
import importlib.metadata
import json
import os
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SECRETS = "secrets.env"
MEDIA = "media"
SECRET_NAMES = ("SECRET_KEY", "PII_KEY", "PII_HASH_KEY")
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal, in words for the operator. Raised before a restore starts writing unless
    the message says otherwise."""


def wangge_version() -> str:
    try:
        return importlib.metadata.version("wangge")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read a chunk at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashing(src: IO[bytes], dest: Path) -> tuple[str, int]:
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


def sha256_stored(name: str) -> str:
    """The sha256 of a file in the media storage, read a chunk at a time."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync(path: Path) -> None:
    """Flush a written file to the disk, so a backup said to be done is."""
    with path.open("rb") as f:
        os.fsync(f.fileno())


def safe_relative(name: str) -> PurePosixPath:
    """A manifest's or a storage's file name, refused if it could climb out of the backup."""
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BackupError(_("备份中有不安全的文件名：%(name)s") % {"name": name})
    return rel


def load_manifest(root: Path) -> dict[str, Any]:
    """A backup's manifest, refused when missing, unreadable or of another format."""
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
    manifest = load_manifest(root)
    problems = []
    for rel, entry in manifest["files"].items():
        path = root / safe_relative(rel)
        if not path.is_file():
            problems.append(_("缺少 %(f)s") % {"f": rel})
        elif path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            problems.append(_("%(f)s 已损坏（校验和不符）") % {"f": rel})
    if SECRETS not in manifest["files"]:
        problems.append(_("缺少 %(f)s") % {"f": SECRETS})
    if problems:
        shown = "；".join(problems[:10])
        if len(problems) > 10:
            shown += _("……共 %(n)d 处") % {"n": len(problems)}
        raise BackupError(_("备份不完整或已损坏，未做任何改动：%(p)s") % {"p": shown})
    return manifest
