"""Errors: Chinese pages for people, JSON {"detail": …} for API clients."""

from typing import Any

from django.test import Client


def test_unknown_page_is_a_chinese_404(db: Any) -> None:
    resp = Client().get("/no-such-page/")
    assert resp.status_code == 404
    assert "页面不存在" in resp.content.decode()


def test_unknown_api_path_is_json(db: Any) -> None:
    resp = Client().get("/api/v1/no-such-thing")
    assert resp.status_code == 404
    assert resp.json() == {"detail": "未找到"}


def test_api_bodies_are_plain_utf8(cast: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast["resident"])
    raw = client.get("/api/v1/grids/locate", {"lon": 1, "lat": 1}).content
    assert "该位置不在任何网格内".encode() in raw


def test_a_failed_csrf_check_is_explained_in_chinese(cast: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["resident"])
    resp = client.post("/cases/new/", {"description": "x"})
    assert resp.status_code == 403
    assert "请刷新页面后重试" in resp.content.decode()
