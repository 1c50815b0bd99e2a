"""What an install shows, reduced to what must survive a backup and restore (tests/core/
test_backup.py): pages as their people see them, the stored photos' bytes and the decrypted ID
numbers. Free of pytest, so a restored install can run it in its own process:

    python manage.py shell -c 'from tests.core.backup_pages import main; main()'
"""

import hashlib
import json
import re
from typing import Any

from django.test import Client

from wangge.accounts.models import User
from wangge.cases.models import Case, CaseAttachment
from wangge.residents.models import Person

# Masked ID numbers and phones as lists show them (410102********0022, 136****5678).
_MASKED = re.compile(r"\d{3,6}\*{4,}[\dX]{2,4}")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_MEDIA = re.compile(r'/media/[^"\s<>]+')
_RESTORED = re.compile(r"数据恢复自 (\d{4}-\d\d-\d\d \d\d:\d\d) 的备份")


def _page(client: Client, url: str, names: list[str]) -> dict[str, Any]:
    resp = client.get(url)
    text = resp.content.decode() if not resp.streaming else ""
    return {
        "status": resp.status_code,
        "title": [t.strip() for t in _TITLE.findall(text)],
        "h1": [re.sub(r"<[^>]+>|\s+", "", h) for h in _H1.findall(text)],
        "masked": sorted(set(_MASKED.findall(text))),
        "names": sorted(n for n in names if n in text),
        "media": sorted(set(_MEDIA.findall(text))),
    }


def _as(phone: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(phone=phone))
    return client


def snapshot(*, community: str, resident: str, admin: str, district: str) -> dict[str, Any]:
    """Users are named by phone: the ids are the same after a restore, but a phone says who."""
    names = sorted(Person.objects.values_list("name", flat=True))
    staff, owner, boss = _as(community), _as(resident), _as(admin)
    pages = {"/residents/": _page(staff, "/residents/", names)}
    for pk in Person.objects.order_by("pk").values_list("pk", flat=True):
        url = f"/residents/persons/{pk}/"
        pages[url] = _page(staff, url, names)
    for pk in Case.objects.order_by("pk").values_list("pk", flat=True):
        url = f"/cases/{pk}/"
        pages[url] = _page(owner, url, names)
    ops = boss.get(f"/ops/unit/{district}/")
    photos = {}
    for att in CaseAttachment.objects.order_by("pk"):
        for name in (att.image.name, att.thumb.name):
            resp = owner.get(f"/media/{name}")
            photos[name] = [resp.status_code, hashlib.sha256(resp.getvalue()).hexdigest()]
    restored = _RESTORED.findall(ops.content.decode())
    return {
        "pages": pages,
        "ops": ops.status_code,
        "restored": restored,
        "photos": photos,
        "id_numbers": {str(p.pk): p.id_number for p in Person.objects.order_by("pk")},
    }


def main() -> None:
    """For `manage.py shell -c`: the snapshot as one JSON line, the arguments from the
    environment the test gives the process."""
    import os

    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, as under pytest
    args = json.loads(os.environ["BACKUP_PAGES_ARGS"])
    print(json.dumps(snapshot(**args), ensure_ascii=False))
