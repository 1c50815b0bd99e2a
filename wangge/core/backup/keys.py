"""The three keys a backup carries (SECRET_KEY, PII_KEY, PII_HASH_KEY): read from the process
or an env file, tried on the data before they are trusted, put in effect for a restore's
migrations, and written into the service's env file afterwards."""

import contextlib
import hashlib
import hmac
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core import pii
from wangge.core.backup.archive import SECRET_NAMES, BackupError

# A value written into an env file bare; anything else is single-quoted, which both `sh` (the
# documented `set -a && . wangge.env`) and systemd's EnvironmentFile read the same way.
_BARE_VALUE = re.compile(r"[A-Za-z0-9_\-+=/.:@%,]*")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")


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


def env_line(name: str, value: str) -> str:
    """A `NAME=value` line an env file holds, quoted for `sh` and systemd when it must be."""
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
def secrets_in_effect(secrets: Mapping[str, str]) -> Iterator[None]:
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


def secrets_write(path: Path, secrets: Mapping[str, str], existing: Mapping[str, str]) -> list[str]:
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
            out.append(env_line(name, secrets[name]))
            placed.add(name)
        elif name in wanted:
            continue  # a second empty line for the same key would undo the first
        else:
            out.append(line)
    rest = [n for n in wanted if n not in placed]
    if rest:
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        out.append(_("# wangge restore：备份中的密钥（%(t)s）") % {"t": stamp})
        out.extend(env_line(n, secrets[n]) for n in rest)
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
