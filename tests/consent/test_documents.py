"""用户协议 and 隐私政策: the first versions are there from the start, anyone reads the version in
force at a stable address, the operator publishes a new version in the back office, and a
published version is never rewritten."""

from typing import Any

import pytest
from django.test import Client

from wangge.consent.models import LegalDocument
from wangge.consent.selectors import in_force

pytestmark = pytest.mark.django_db


def test_the_first_versions_are_in_force_from_the_start() -> None:
    documents = in_force()
    assert documents is not None
    assert (documents.terms.version, documents.privacy.version) == (1, 1)
    assert "个人信息保护法" in documents.privacy.body
    assert "撤回同意" in documents.privacy.body


@pytest.mark.parametrize(
    ("path", "title", "heading"),
    [
        ("/m/legal/terms/", "原点在线用户服务协议", "一、账号"),
        ("/m/legal/privacy/", "原点在线个人信息保护政策", "一、我们收集哪些信息"),
    ],
)
def test_anyone_reads_the_version_in_force(path: str, title: str, heading: str) -> None:
    page = Client().get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<h2>{title}</h2>" in html
    assert "第 1 版" in html
    assert f"<h3>{heading}</h3>" in html
    assert "此版本已被新版本替代" not in html


def test_the_operator_publishes_a_new_version_and_the_old_one_stays_readable(
    superuser_client: Client,
) -> None:
    add = superuser_client.get("/admin/consent/legaldocument/add/?kind=privacy")
    assert add.status_code == 200
    # The form starts from the text in force, so the operator edits rather than retypes it.
    assert "一、我们收集哪些信息" in add.content.decode()
    resp = superuser_client.post(
        "/admin/consent/legaldocument/add/",
        {
            "kind": "privacy",
            "title": "原点在线个人信息保护政策",
            "body": "一、我们收集哪些信息\n\n手机号、姓名和身份证号。",
            "changes": "写明身份证号的用途",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    current = Client().get("/m/legal/privacy/").content.decode()
    assert "第 2 版" in current and "手机号、姓名和身份证号。" in current
    old = Client().get("/m/legal/privacy/v1/").content.decode()
    assert "第 1 版" in old and "此版本已被新版本替代" in old
    assert LegalDocument.objects.get(kind="privacy", version=2).published_by is not None


def test_a_published_version_is_never_rewritten(superuser_client: Client) -> None:
    doc = LegalDocument.objects.get(kind="terms", version=1)
    before = doc.body
    superuser_client.post(
        f"/admin/consent/legaldocument/{doc.pk}/change/",
        {"kind": "terms", "title": "改过的标题", "body": "改过的正文", "changes": ""},
    )
    doc.refresh_from_db()
    assert (doc.title, doc.body) == ("原点在线用户服务协议", before)
    deleting = superuser_client.post(f"/admin/consent/legaldocument/{doc.pk}/delete/")
    assert deleting.status_code == 403


def test_an_unknown_document_or_version_is_a_chinese_404() -> None:
    assert Client().get("/m/legal/terms/v9/").status_code == 404
    resp = Client().get("/m/legal/rules/v1/")
    assert resp.status_code == 404 and "没有这个版本" in resp.content.decode()


def test_me_links_to_the_agreements_page(cast: dict[str, Any]) -> None:
    c = Client()
    c.force_login(cast["resident"])
    assert 'href="/m/legal/mine/"' in c.get("/m/me/").content.decode()
