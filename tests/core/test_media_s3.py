"""MEDIA_STORAGE=s3 against a real S3-compatible server (moto's, started on 127.0.0.1 in its own
process): photos land in the bucket as private objects, and /media/ answers those allowed to see
the case with a redirect to a short-lived presigned URL that returns the bytes."""

import io
import os
import runpy
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from django.test import Client
from PIL import Image

from tests.conftest import MICRO_A2, free_port
from tests.core.test_images import upload
from tests.core.test_production import manage, production_env
from wangge.accounts.models import Role, User
from wangge.cases.models import CaseAttachment

# S3 storage comes with the s3 extra (django-storages); the bare build (.ci/run) skips this.
pytest.importorskip("storages", reason="the s3 extra is not installed")

SETTINGS = Path(__file__).resolve().parents[2] / "wangge" / "settings.py"
KEY_ID, SECRET = "wangge-test", "wangge-test-secret"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
    port = free_port()
    proc = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, request: Any) -> Any:
    """A fresh bucket, and the storage settings that wangge/settings.py itself builds from the
    documented environment variables."""
    name = f"wangge-{request.node.name[-20:].lower().replace('_', '-')}-{time.monotonic_ns()}"
    env = {
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_ACCESS_KEY_ID": KEY_ID,
        "S3_SECRET_ACCESS_KEY": SECRET,
        "S3_REGION": "us-east-1",
        "S3_ADDRESSING_STYLE": "path",
    }
    with mock.patch.dict(os.environ, env):
        built = runpy.run_path(str(SETTINGS))
    settings.STORAGES = built["STORAGES"]
    settings.S3_URL_EXPIRE = built["S3_URL_EXPIRE"]
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    return client, name


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_reported_photo_lives_in_the_bucket_and_reaches_only_those_who_may_see_the_case(
    bucket: tuple[Any, str], people: dict[str, User], make_user: Any, tree: Any
) -> None:
    s3, name = bucket
    photo = upload(Image.new("RGB", (2400, 1600), (30, 90, 160)), "JPEG")
    resp = client_for(people["resident"]).post(
        "/api/v1/cases",
        {"description": "楼下有人摆摊占道", "category": "CSGL-01",
         "location": '{"lon": 113.6005, "lat": 34.7505}', "photos": [photo]},
    )  # fmt: skip
    assert resp.status_code == 201, resp.content
    att = CaseAttachment.objects.get()
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"]}
    assert keys == {att.image.name, att.thumb.name}
    stored = s3.get_object(Bucket=name, Key=att.image.name)["Body"].read()
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (2000, 1333)
    # Private: only the owner's grant, nothing for AllUsers or AuthenticatedUsers.
    grants = s3.get_object_acl(Bucket=name, Key=att.image.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("URI" not in g["Grantee"] for g in grants)

    detail = client_for(people["resident"]).get(f"/api/v1/cases/{resp.json()['id']}").json()
    url = detail["photos"][0]["url"]
    assert url == f"/media/{att.image.name}"
    for who in ("resident", "worker_a"):
        redirect = client_for(people[who]).get(url)
        assert redirect.status_code == 302, who
        assert redirect["Cache-Control"] == "private, max-age=150"
        location = redirect["Location"]
        parts = urlsplit(location)
        query = parse_qs(parts.query)
        assert f"{parts.scheme}://{parts.netloc}" == s3.meta.endpoint_url
        assert parts.path == f"/{name}/{att.image.name}"
        assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
        fetched = httpx.get(location, timeout=10)
        assert fetched.status_code == 200 and fetched.content == stored

    neighbour = make_user(Role.RESIDENT, tree[MICRO_A2], name="邻居甲")
    for who in (neighbour, people["worker_b"]):
        refused = client_for(who).get(url)
        assert refused.status_code == 404 and not refused.has_header("Location")
    assert Client().get(url).status_code == 404


def test_s3_without_its_bucket_or_keys_refuses_to_start(tmp_path: Path) -> None:
    env = production_env(tmp_path, MEDIA_STORAGE="s3", S3_ACCESS_KEY_ID="k")
    result = manage(env, "check")
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs S3_BUCKET, S3_SECRET_ACCESS_KEY" in result.stderr
