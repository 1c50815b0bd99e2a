"""Backups kept under an S3 prefix (`s3://bucket/prefix`): assembled or read in a local
directory, sent or fetched file by file, the manifest last. Apart because it needs the s3
extra (boto3), which an install that backs up to directories does without."""

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from wangge.core.backup.archive import MANIFEST, BackupError, load_manifest, safe_relative

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:  # the s3 extra; without it backups go to directories only
    boto3 = None


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


def s3_refuse_used(location: str) -> None:
    """Refuse an S3 prefix that already holds files: each backup takes a new one."""
    client, bucket, prefix = _s3(location)
    if client.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1).get("KeyCount", 0):
        raise BackupError(
            _("%(loc)s 下已有文件：每次备份写入一个新前缀（例如以日期命名）") % {"loc": location}
        )


def s3_upload(location: str, root: Path, manifest: Mapping[str, Any]) -> None:
    """Send a backup's files to its S3 prefix, the manifest last."""
    client, bucket, prefix = _s3(location)
    for rel in manifest["files"]:
        client.upload_file(str(root / rel), bucket, prefix + rel)
    # Last: a prefix without its manifest is a backup that did not finish.
    client.upload_file(str(root / MANIFEST), bucket, prefix + MANIFEST)


def s3_download(location: str, root: Path) -> None:
    """Fetch a backup from its S3 prefix into `root`, the manifest first."""
    client, bucket, prefix = _s3(location)
    try:
        client.download_file(bucket, prefix + MANIFEST, str(root / MANIFEST))
    except ClientError as exc:
        raise BackupError(
            _("%(loc)s 不是完整的备份（没有 %(m)s）") % {"loc": location, "m": MANIFEST}
        ) from exc
    for rel in load_manifest(root)["files"]:
        dest = root / safe_relative(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(ClientError):  # a missing file is reported by verify()
            client.download_file(bucket, prefix + rel, str(dest))
