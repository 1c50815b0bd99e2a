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

* ``archive`` — the names of a backup's files, its manifest, and the check of every file;
* ``databases`` — the database at one instant: SQLite's backup API, `pg_dump` / `pg_restore`;
* ``keys`` — the three keys: read, tried on the data, written into an env file;
* ``s3`` — a backup under an S3 prefix (the s3 extra);
* ``writing`` — `wangge backup`;
* ``restoring`` — `wangge restore`.
"""

from wangge.core.backup.archive import (
    DUMPS,
    FORMAT,
    MANIFEST,
    MEDIA,
    SECRET_NAMES,
    SECRETS,
    BackupError,
    verify,
    wangge_version,
)
from wangge.core.backup.keys import read_env_file, secrets_fit_data, secrets_from
from wangge.core.backup.restoring import RestoreReport, opened, restore
from wangge.core.backup.s3 import is_s3
from wangge.core.backup.writing import backup

__all__ = [
    "DUMPS",
    "FORMAT",
    "MANIFEST",
    "MEDIA",
    "SECRETS",
    "SECRET_NAMES",
    "BackupError",
    "RestoreReport",
    "backup",
    "is_s3",
    "opened",
    "read_env_file",
    "restore",
    "secrets_fit_data",
    "secrets_from",
    "verify",
    "wangge_version",
]
