"""Staff pages on a phone (Chromium, 390 × 844, zh-CN): the grid worker's form with the address
picker (a person added to the register), the 台账 index, a visit form and a checklist with their
outbox lists, the 组织, 议事厅 and 民意调查 registers, and the dispatcher's desk (a grid worker is
refused it). axe-core finds nothing critical or serious, none of them scrolls sideways, and
nothing behind them fails to load."""

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import ARTIFACTS, sign_in, watch
from tests.conftest import PASSWORD
from tests.residents.conftest import register  # noqa: F401  (the small register)
from wangge.ledgers.checklists import checklists_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_field_pages_of_a_grid_worker_pass_axe(
    live_server: Any,
    people: dict[str, Any],
    report: Any,
    register: dict[str, Any],  # noqa: F811
    new_page: Any,
) -> None:
    report("单元门口的路灯不亮了，晚上看不清台阶")
    checklists_load()
    elder = register["elder"]
    paths = [
        ("dispatcher", "/cases/desk/"),
        ("worker_a", "/residents/persons/new/"),
        ("worker_a", "/ledgers/"),
        ("worker_a", f"/residents/persons/{elder.pk}/visit/"),
        ("worker_a", "/ledgers/hazards/new/?template=ebike"),
        # The register pages whose inputs now say a refusal under themselves.
        ("worker_a", "/ledgers/organisations/"),
        ("worker_a", "/ledgers/topics/"),
        ("worker_a", "/ledgers/surveys/"),
        # A person's page with its 查看 buttons, and the patrol page a worker starts from.
        ("worker_a", f"/residents/persons/{elder.pk}/"),
        ("worker_a", "/patrols/"),
    ]
    base = live_server.url
    problems: list[str] = []
    pages: dict[str, Any] = {}
    findings: dict[str, list[str]] = {}
    for who, path in paths:
        if who not in pages:
            pages[who] = new_page(
                phone=True, geolocation={"longitude": 113.6008, "latitude": 34.7508}
            )
            problems += watch(pages[who])
            sign_in(pages[who], base, people[who].phone, PASSWORD)
        page = pages[who]
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        findings[path] = axe_serious(page)
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            findings[path].append(f"scrolls sideways by {wide} px")
    # The visit form again with no signal: the visit waits in the outbox, its list showing.
    page = pages["worker_a"]
    page.goto(f"{base}/residents/persons/{elder.pk}/visit/")
    page.wait_for_selector("text=已记录位置")
    page.context.set_offline(True)
    page.get_by_label("走访情况").fill("老人精神尚好，能自己做饭")
    page.get_by_role("button", name="保存走访").click()
    expect(page.locator("#outbox-list li")).to_have_count(1)
    findings["visit with the outbox list"] = axe_serious(page)
    page.context.set_offline(False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "staff-a11y.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    assert {p: f for p, f in findings.items() if f} == {}
    assert problems == [], problems
