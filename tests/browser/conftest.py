"""Chromium through Playwright: Debian's /usr/bin/chromium, zh-CN, never a downloaded browser."""

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_finished, request_started

from tests.browser.axe import axe_serious
from tests.browser.resident_pages import MEASURE
from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class _InFlight:
    """Requests the live server is still working on.

    Closing a browser context does not stop a request the server has already begun (a service
    worker's replay, a page's last fetch). On SQLite the live server's connections share the
    test's in-memory database, whose tables they lock whole, so the database flush between tests
    must wait until that request is finished, or it fails and leaves rows behind for the next
    test.
    """

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    # The live server answers each request on its own thread; the test client (which sends the
    # same signals, and not always both) runs on the main thread and is not counted.
    def started(self, **_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count += 1

    def finished(self, **_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count = max(0, self.count - 1)

    def wait_idle(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            if self.count == 0:
                quiet_since = quiet_since or time.monotonic()
                # A request whose bytes have arrived may not have started yet: stay quiet a moment.
                if time.monotonic() - quiet_since >= 0.3:
                    return
            else:
                quiet_since = None
            time.sleep(0.05)
        raise AssertionError(f"the live server is still busy with {self.count} request(s)")


IN_FLIGHT = _InFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="browser-tests-in-flight-start")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="browser-tests-in-flight-finish")


def close_contexts(contexts: list[Any]) -> None:
    for ctx in contexts:
        ctx.close()
    IN_FLIGHT.wait_idle()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is missing: run `make browser-deps` "
            "(apt-get install chromium fonts-wqy-microhei)"
        )
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    yield pg
    close_contexts([context])


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    yield pg
    close_contexts([context])


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def opened(page: Any, base: str, path: str, *, phone: bool, name: str) -> dict[str, Any]:
    """A page as first opened: answered 200 and settled, axe-core's serious findings and, on a
    phone, controls under 44 × 44 and how far it scrolls sideways; a screenshot named after
    `name` and the path. What it returns is what is wrong (empty when nothing is)."""
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status == 200, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    found: dict[str, Any] = {"axe": axe_serious(page)}
    if phone:
        found["taps"] = page.evaluate(MEASURE, [0, 44])["taps"]
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        found["wide"] = wide if wide > 0 else 0
    shot(page, name + path.replace("/", "-").rstrip("-") + ("-phone" if phone else "-desk"))
    return {k: v for k, v in found.items() if v}


def watch(page: Any) -> list[str]:
    """Console errors and failed requests, as they happen: the page's own, and the browser's
    (its /favicon.ico) and the service worker's, which only the context sees."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.text} {m.location.get('url', '')}") if m.type == "error" else None
        ),
    )
    page.context.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    # A fetch cut short by leaving the page is not a failure; anything else is.
    page.context.on(
        "requestfailed",
        lambda r: (
            problems.append(f"{r.failure} {r.url}")
            if "ERR_ABORTED" not in (r.failure or "")
            else None
        ),
    )
    return problems


def sign_in(page: Any, base: str, phone: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    # Staff land on the desk, residents in the app (原点在线).
    page.wait_for_url(lambda url: url in (f"{base}/", f"{base}/m/"))


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """Pages for several people in one test, each in its own context (own cookies)."""
    contexts: list[Any] = []

    def make(*, phone: bool = False, geolocation: dict[str, float] | None = None) -> Any:
        options: dict[str, Any] = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
        if phone:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 900})
        if geolocation:
            options.update(geolocation=geolocation, permissions=["geolocation"])
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    close_contexts(contexts)
