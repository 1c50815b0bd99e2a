"""Backups a district can trust (wangge.core.backup, `wangge backup` / `wangge restore`).

A backup taken from the running suite's database is restored, by the command in a process of its
own, into a database and a media directory that do not exist yet; another process of that
restored install, given only the keys the restore wrote out, then serves the same pages, the same
photos and the same decrypted ID numbers, and its 城运中心 page names the backup's date. On SQLite
and on PostgreSQL (each run of the suite tests its own database). A damaged backup, a non-empty
target, keys that do not open the data and a key file that would be overwritten are refused
before anything is written.
"""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.cases.conftest import IN_A1
from tests.conftest import DISTRICT
from tests.core.backup_pages import snapshot
from tests.core.test_images import upload
from tests.residents.conftest import register  # noqa: F401  (the fixture)
from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.core import backup, pii
from wangge.core.models import BackupRestore

ROOT = Path(__file__).resolve().parents[2]
# pg_dump and the restored install's processes read only what is committed. SQLite's backup API
# would wait forever on the suite's in-memory database while the test's transaction holds it;
# on PostgreSQL a backup of the cast alone (rolled back, so pg_dump sees none of it) is enough
# for the refusals, and spares each test the flush of every table.
pytestmark = pytest.mark.django_db(transaction=connection.vendor == "sqlite")
committed = pytest.mark.django_db(transaction=True)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="this run is PostgreSQL's")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (DATABASE_URL=postgres://…)"
)


@pytest.fixture
def keys(settings: Any) -> Iterator[dict[str, str]]:
    """Keys of this test's own, so a restored install that reads the ID numbers can only have
    got them from the backup."""
    chosen = {
        "SECRET_KEY": f"backup-test-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
        "PII_KEY": Fernet.generate_key().decode(),
        "PII_HASH_KEY": uuid.uuid4().hex,
    }
    for name, value in chosen.items():
        setattr(settings, name, value)
    pii._fernet.cache_clear()
    yield chosen
    pii._fernet.cache_clear()


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL_REDIRECT = ""
    return tmp_path / "media"


@pytest.fixture
def source(
    keys: dict[str, str],
    media_root: Path,
    register: dict[str, Any],  # noqa: F811  (the fixture)
    people: dict[str, User],
) -> dict[str, Any]:
    """Two registered residents with ID numbers and phones, and a case reported with a photo."""
    c = Client()
    c.force_login(people["resident"])
    photo = upload(Image.new("RGB", (1200, 900), (200, 60, 20)), "JPEG")
    resp = c.post(
        "/cases/new/",
        {"description": "楼下有人摆摊占道", "category": "CSGL-01", "lon": IN_A1[0], "lat": IN_A1[1],
         "urgency": "normal", "photos": [photo]},
    )  # fmt: skip
    assert resp.status_code == 302, resp.content.decode()
    assert Case.objects.count() == 1
    return {
        "args": {
            "community": people["community"].phone,
            "resident": people["resident"].phone,
            "admin": people["admin"].phone,
            "district": DISTRICT,
        }
    }


# --- the restored install: processes of its own ----------------------------------------------


def target_url(name: str) -> str:
    """A new database beside the suite's, of the suite's kind."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def target(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An install with no database and no media yet (the PostgreSQL database dropped after)."""
    if connection.vendor == "sqlite":
        name = str(tmp_path / "restored" / "wangge.sqlite3")
    else:
        name = f"bk_restore_{uuid.uuid4().hex[:12]}"
    yield {"url": target_url(name), "dir": tmp_path / "restored", "name": name}
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def install_env(target: dict[str, Any], **extra: str) -> dict[str, str]:
    drop = {*backup.SECRET_NAMES, "DATABASE_URL", "MEDIA_ROOT", "MEDIA_STORAGE", "REDIS_URL"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and not k.startswith(("DJANGO_", "WANGGE_", "PYTEST_", "S3_"))
    }
    env.update(
        DATABASE_URL=target["url"],
        MEDIA_ROOT=str(target["dir"] / "media"),
        WANGGE_VAR_DIR=str(target["dir"] / "var"),
        **extra,
    )
    return env


def wangge(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def served(target: dict[str, Any], args: dict[str, Any], env_file: Path) -> dict[str, Any]:
    """The restored install's snapshot, in a process that has the keys of `env_file` only."""
    env = install_env(target, BACKUP_PAGES_ARGS=json.dumps(args))
    env.update(backup.read_env_file(env_file))
    result = wangge(env, "shell", "-c", "from tests.core.backup_pages import main; main()")
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def restored_serves_the_same(source: dict[str, Any], target: dict[str, Any], tmp: Path) -> None:
    before = snapshot(**source["args"])
    assert len(before["id_numbers"]) == 2 and len(before["photos"]) == 2
    assert all(status == 200 for status, _sha in before["photos"].values())
    assert all(p["status"] == 200 for p in before["pages"].values())
    assert len(before["pages"]["/residents/"]["masked"]) == 4  # two ID numbers, two phones

    call_command("backup", str(tmp / "b"))
    manifest = json.loads((tmp / "b" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["schema"]["core"] == "0003_backup_restore"
    assert manifest["secrets"]["secret"] is True and manifest["files"]["secrets.env"]["secret"]
    assert (tmp / "b" / "secrets.env").stat().st_mode & 0o777 == 0o600
    assert {r for r in manifest["files"] if r.startswith("media/")} == {
        f"media/{name}" for name in before["photos"]
    }
    assert all(len(e["sha256"]) == 64 and e["size"] > 0 for e in manifest["files"].values())

    env_file = tmp / "wangge.env"
    result = wangge(install_env(target), "restore", str(tmp / "b"), "--secrets-to", str(env_file))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "已恢复" in result.stdout
    assert env_file.stat().st_mode & 0o777 == 0o600
    assert backup.read_env_file(env_file) == source["keys"]

    after = served(target, source["args"], env_file)
    assert after["id_numbers"] == before["id_numbers"]
    assert after["pages"] == before["pages"]
    assert after["photos"] == before["photos"]
    assert after["ops"] == before["ops"] == 200
    created = timezone.localtime(datetime.fromisoformat(manifest["created_at"]))
    assert before["restored"] == []
    assert after["restored"] == [created.strftime("%Y-%m-%d %H:%M")]


@on_sqlite
@committed
def test_a_sqlite_backup_restored_into_a_new_file_serves_the_same_pages_and_id_numbers(
    source: dict[str, Any], keys: dict[str, str], target: dict[str, Any], tmp_path: Path
) -> None:
    assert not Path(target["name"]).exists()
    restored_serves_the_same({**source, "keys": keys}, target, tmp_path)


@on_postgresql
@committed
def test_a_postgresql_backup_restored_into_a_new_database_serves_the_same_pages_and_id_numbers(
    source: dict[str, Any], keys: dict[str, str], target: dict[str, Any], tmp_path: Path
) -> None:
    restored_serves_the_same({**source, "keys": keys}, target, tmp_path)


# --- refusals ----------------------------------------------------------------------------


@pytest.fixture
def small_backup(cast: dict[str, User], media_root: Path, tmp_path: Path) -> Path:
    """A backup of the cast and one stored file."""
    (media_root / "cases" / "1").mkdir(parents=True)
    (media_root / "cases" / "1" / "report-x.jpg").write_bytes(b"\xff\xd8 a photo")
    call_command("backup", str(tmp_path / "b"))
    return tmp_path / "b"


def test_a_non_empty_database_is_refused_unless_forced(
    small_backup: Path, target: dict[str, Any]
) -> None:
    env = install_env(target)
    assert wangge(env, "restore", str(small_backup)).returncode == 0
    # What the install holds since the restore would be lost: refused, and nothing touched.
    again = wangge(env, "restore", str(small_backup))
    assert again.returncode != 0
    assert "不是空的" in again.stderr and "--force" in again.stderr
    assert "未做任何改动" in again.stderr

    forced = wangge(env, "restore", "--force", str(small_backup))
    assert forced.returncode == 0, forced.stderr[-3000:]
    kept = list((target["dir"] / "var").glob("before-restore-*/database.*"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0
    assert (target["dir"] / "media" / "cases" / "1" / "report-x.jpg").read_bytes() == (
        small_backup / "media" / "cases" / "1" / "report-x.jpg"
    ).read_bytes()


@pytest.mark.parametrize("damage", ["media", "database", "missing", "manifest"])
def test_a_damaged_backup_is_refused_before_anything_is_touched(
    small_backup: Path, damage: str
) -> None:
    photo = small_backup / "media" / "cases" / "1" / "report-x.jpg"
    database = small_backup / f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}"
    if damage == "media":
        photo.write_bytes(b"\xff\xd8 a photX")  # same size, one byte changed
        expected = "media/cases/1/report-x.jpg 已损坏"
    elif damage == "database":
        with database.open("r+b") as f:
            f.truncate(database.stat().st_size // 2)
        expected = f"{database.name} 已损坏"
    elif damage == "missing":
        photo.unlink()
        expected = "缺少 media/cases/1/report-x.jpg"
    else:
        (small_backup / "manifest.json").write_text("{")
        expected = "manifest.json 已损坏"
    users = User.objects.count()
    # The target is the suite's own database, full: the checksums are refused first.
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(small_backup), "--force")
    assert User.objects.count() == users
    assert not BackupRestore.objects.exists()


def test_a_backup_from_a_newer_release_is_refused(small_backup: Path) -> None:
    manifest = json.loads((small_backup / "manifest.json").read_text())
    manifest["schema"]["core"] = "9999_from_the_future"
    (small_backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=r"较新的版本.*core\.9999_from_the_future"):
        call_command("restore", str(small_backup), "--force")


def test_a_different_key_in_the_env_file_is_never_overwritten(
    small_backup: Path, tmp_path: Path
) -> None:
    env_file = tmp_path / "wangge.env"
    text = f"WANGGE_ENV=production\nPII_KEY={Fernet.generate_key().decode()}\n"
    env_file.write_text(text)
    with pytest.raises(CommandError, match="已有不同的 PII_KEY"):
        call_command("restore", str(small_backup), "--force", "--secrets-to", str(env_file))
    assert env_file.read_text() == text
    assert not BackupRestore.objects.exists()


def test_keys_that_cannot_open_the_data_are_refused_at_backup(
    source: dict[str, Any], tmp_path: Path
) -> None:
    """A service run with its env file, a backup run without it: the development keys would be
    saved beside data they never encrypted."""
    wrong = tmp_path / "other.env"
    wrong.write_text(f"SECRET_KEY=x\nPII_KEY={Fernet.generate_key().decode()}\nPII_HASH_KEY=y\n")
    with pytest.raises(CommandError, match="PII_KEY 解不开"):
        call_command("backup", str(tmp_path / "b"), "--env-file", str(wrong))
    assert not (tmp_path / "b").exists()
    assert not list(tmp_path.glob(".b.partial-*"))


def test_a_backup_goes_to_a_new_directory_only(small_backup: Path) -> None:
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(small_backup))


def test_a_backup_to_s3_comes_back_verified(
    small_backup: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    moto = pytest.importorskip("moto", reason="moto comes with the dev extra")
    boto3 = pytest.importorskip("boto3", reason="the s3 extra is not installed")
    for name in ("S3_ENDPOINT_URL", "S3_ADDRESSING_STYLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "backup-test")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "backup-test-secret")
    monkeypatch.setenv("S3_REGION", "us-east-1")
    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="wangge-backups")
        call_command("backup", "s3://wangge-backups/daily/1")
        with backup.opened("s3://wangge-backups/daily/1") as (root, manifest):
            # Checked on the way back; the same files as the directory's backup of the same
            # data (the dump aside: PostgreSQL's carries its time).
            first = json.loads((small_backup / "manifest.json").read_text())["files"]
            dump = manifest["database"]["file"]
            assert manifest["files"].keys() == first.keys()
            assert {k: v for k, v in manifest["files"].items() if k != dump} == {
                k: v for k, v in first.items() if k != dump
            }
            assert (root / "secrets.env").read_text() == (small_backup / "secrets.env").read_text()
        with pytest.raises(CommandError, match="已有文件"):
            call_command("backup", "s3://wangge-backups/daily/1")


def test_photos_kept_in_s3_are_backed_up_from_the_bucket(
    cast: dict[str, User], tmp_path: Path, settings: Any, monkeypatch: Any
) -> None:
    moto = pytest.importorskip("moto", reason="moto comes with the dev extra")
    boto3 = pytest.importorskip("boto3", reason="the s3 extra is not installed")
    pytest.importorskip("storages", reason="the s3 extra is not installed")
    for name in ("S3_ENDPOINT_URL", "S3_ADDRESSING_STYLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "backup-test")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "backup-test-secret")
    monkeypatch.setenv("S3_REGION", "us-east-1")
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="wangge-media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "wangge-media", "region_name": "us-east-1"},
            },
        }
        assert default_storage.save("cases/7/report-a.jpg", ContentFile(b"jpeg")) == (
            "cases/7/report-a.jpg"
        )
        call_command("backup", str(tmp_path / "b"))
    copied = tmp_path / "b" / "media" / "cases" / "7" / "report-a.jpg"
    assert copied.read_bytes() == b"jpeg"
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["files"]["media/cases/7/report-a.jpg"]["size"] == 4


def test_the_ops_page_names_the_backup_a_restore_came_from(cast: dict[str, User]) -> None:
    c = Client()
    c.force_login(cast["admin"])
    assert "数据恢复自" not in c.get(f"/ops/unit/{DISTRICT}/").content.decode()
    BackupRestore.objects.create(
        backup_created_at=timezone.make_aware(datetime(2026, 3, 1, 2, 30)),
        source="/srv/backups/wangge/2026-03-01",
    )
    assert "数据恢复自 2026-03-01 02:30 的备份" in c.get(f"/ops/unit/{DISTRICT}/").content.decode()
