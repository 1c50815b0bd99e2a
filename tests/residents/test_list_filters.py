"""The registers' pages read their query strings and actions through forms: a value that
exists filters, one that does not is said (422) with the page's default list, an export is
refused rather than made of the wrong people, and an unknown action is named."""

from typing import Any

from django.test import Client

from tests.conftest import GRID_A
from tests.residents.test_disputes import register_dispute
from wangge.residents.models import Dispute


def _worker(people: Any) -> Client:
    client = Client()
    client.force_login(people["worker_a"])
    return client


def test_the_person_list_says_a_filter_it_cannot_read(people: Any, register: Any) -> None:
    client = _worker(people)
    lone = client.get("/residents/?group=living_alone")
    assert lone.status_code == 200 and "张桂芳" in lone.content.decode()
    unknown = client.get("/residents/?group=hermit")
    assert unknown.status_code == 422
    assert "没有“hermit”这类特殊人群，已显示全部" in unknown.content.decode()
    assert "张桂芳" in unknown.content.decode()


def test_an_export_of_a_filter_it_cannot_read_is_refused(people: Any, register: Any) -> None:
    client = _worker(people)
    refused = client.get("/residents/export/?residence=tent")
    assert refused.status_code == 422
    assert "没有“tent”这种居住类型" in refused.content.decode()
    assert client.get("/residents/export/?residence=huji").status_code == 200


def test_the_dispute_pages_say_what_they_cannot_read(people: Any) -> None:
    dispute = register_dispute(people["worker_a"])
    client = _worker(people)
    assert client.get("/residents/disputes/?show=all").status_code == 200
    shown = client.get("/residents/disputes/?show=some")
    assert shown.status_code == 422
    assert "已显示未清零" in shown.content.decode()
    assert "约双方到社区调解室" in shown.content.decode()
    month = client.get(f"/residents/disputes/screening/{GRID_A}/?month=2026-13")
    assert month.status_code == 422 and "月份格式不正确" in month.content.decode()
    assert client.get(f"/residents/disputes/screening/{GRID_A}/?month=2026-11").status_code == 200
    url = f"/residents/disputes/{dispute.pk}/"
    unknown = client.post(url, {"action": "forget"})
    assert unknown.status_code == 422 and "未知操作" in unknown.content.decode()
    mediated = client.post(
        url, {"action": "mediate", "notes": "座谈", "agreement": "赔偿修缮", "resolved": "1"}
    )
    assert mediated.status_code == 302
    assert Dispute.objects.get().mediations.count() == 1


def test_a_wish_status_it_cannot_read_is_said(people: Any) -> None:
    client = _worker(people)
    unknown = client.get("/residents/wishes/?status=lost")
    assert unknown.status_code == 422
    assert "没有“lost”这种心愿状态" in unknown.content.decode()
