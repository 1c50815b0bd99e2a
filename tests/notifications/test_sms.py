"""Text messages as jobs, through Tencent Cloud SMS's own SDK, against a local gateway.

The gateway is a stdlib HTTP server on 127.0.0.1 that answers as SendSms (API 2021-01-11) does
and records what it accepts. huey runs in immediate mode in tests; a failed attempt goes to its
schedule with the retry's eta, and `run_due` plays the consumer's scheduler: it takes what is
due at a moment and executes it.
"""

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from huey.contrib.djhuey import HUEY

from tests.conftest import free_port
from wangge.accounts.registration import sms_code_request
from wangge.notifications import sms
from wangge.notifications.models import SmsMessage
from wangge.notifications.services import sms_send
from wangge.notifications.tasks import SMS_RETRIES, SMS_RETRY_DELAY

pytest.importorskip("tencentcloud.sms.v20210111", reason="the `sms` extra is not installed")

NOTICE_ID, CODE_ID, APP_ID = "2188001", "2188002", "1400123456"


@dataclass
class Gateway:
    """Answers like Tencent Cloud SMS once `up`; refuses connections before `listen()`; with
    `fail_next` it answers that many requests with HTTP 500 first."""

    port: int
    reply_code: str = "Ok"
    fail_next: int = 0
    accepted: list[dict[str, Any]] = field(default_factory=list)
    failed_hits: int = 0
    headers: list[dict[str, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    def listen(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if gateway.fail_next > 0:
                    gateway.fail_next -= 1
                    gateway.failed_hits += 1
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"upstream unavailable")
                    return
                ok = gateway.reply_code == "Ok"
                if ok:
                    gateway.accepted.append(body)
                    gateway.headers.append(dict(self.headers))
                n = len(gateway.accepted)
                answer = {
                    "Response": {
                        "SendStatusSet": [
                            {
                                "SerialNo": f"5000:{n:020d}" if ok else "",
                                "PhoneNumber": body["PhoneNumberSet"][0],
                                "Fee": 1 if ok else 0,
                                "SessionContext": "",
                                "Code": gateway.reply_code,
                                "Message": "send success" if ok else "incorrect number",
                                "IsoCode": "CN",
                            }
                        ],
                        "RequestId": f"req-{n}",
                    }
                }
                raw = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    gw = Gateway(port=free_port())
    settings.SMS_BACKEND = "wangge.notifications.sms_tencent.TencentCloudBackend"
    settings.SMS_TENCENT_ENDPOINT = f"http://127.0.0.1:{gw.port}"
    settings.SMS_TENCENT_SECRET_ID = "AKIDtest"
    settings.SMS_TENCENT_SECRET_KEY = "test-secret"
    settings.SMS_TENCENT_SDK_APP_ID = APP_ID
    settings.SMS_SIGN_NAME = "原点在线"
    settings.SMS_TEMPLATES = {"notice": NOTICE_ID, "code": CODE_ID}
    settings.SMS_TIMEOUT_SECONDS = 3
    sms.backend.cache_clear()
    HUEY.storage.flush_schedule()
    yield gw
    gw.close()
    HUEY.storage.flush_schedule()
    sms.backend.cache_clear()


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # huey's clock: naive UTC


def run_due(seconds_from_now: float) -> int:
    """The consumer's scheduler at a later moment: run every retry due by then."""
    moment = utc_now() + timedelta(seconds=seconds_from_now)
    due = HUEY.read_schedule(moment)
    for task in due:
        HUEY.execute(task, moment)
    return len(due)


def send_in_a_transaction(capture: Callable[..., Any], action: Callable[[], None]) -> None:
    with capture(execute=True), transaction.atomic():
        action()


def attempts(phone_tail: str) -> list[tuple[int, bool]]:
    return list(
        SmsMessage.objects.filter(phone_masked__endswith=phone_tail)
        .order_by("attempt")
        .values_list("attempt", "ok")
    )


@pytest.mark.django_db
def test_after_an_outage_each_message_reaches_the_gateway_exactly_once(
    gateway: Gateway, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    def act() -> None:
        sms_send(phone="13900001234", body="【网格】超期督办：小区门口摆摊占道，请及时办理。")
        sms_code_request(phone="13900005678")

    # 1. The gateway refuses connections: the action still commits; both first attempts fail.
    send_in_a_transaction(django_capture_on_commit_callbacks, act)
    assert gateway.accepted == []
    assert attempts("1234") == [(1, False)] and attempts("5678") == [(1, False)]
    assert HUEY.scheduled_count() == 2
    # Nothing is retried before its back-off has passed.
    assert run_due(SMS_RETRY_DELAY - 5) == 0

    # 2. It comes back answering 500 to everything for a while.
    gateway.fail_next = 2
    gateway.listen()
    assert run_due(SMS_RETRY_DELAY + 1) == 2
    assert gateway.failed_hits == 2 and gateway.accepted == []
    # The back-off doubles: the third attempt waits 60 s after the second, not 30.
    assert run_due(SMS_RETRY_DELAY * 2 - 5) == 0

    # 3. Up again: each message is delivered once, and nothing is left to retry.
    assert run_due(SMS_RETRY_DELAY * 3 + 1) == 2
    assert run_due(24 * 3600) == 0 and HUEY.scheduled_count() == 0
    assert len(gateway.accepted) == 2
    by_phone = {m["PhoneNumberSet"][0]: m for m in gateway.accepted}
    assert set(by_phone) == {"+8613900001234", "+8613900005678"}
    notice, code = by_phone["+8613900001234"], by_phone["+8613900005678"]
    assert (notice["TemplateId"], notice["SignName"], notice["SmsSdkAppId"]) == (
        NOTICE_ID,
        "原点在线",
        APP_ID,
    )
    assert notice["TemplateParamSet"] == ["超期督办：小区门口摆摊占道，请及时办理。"]
    assert code["TemplateId"] == CODE_ID and code["TemplateParamSet"][0].isdigit()
    # Signed requests, as the real gateway demands.
    assert all(h["X-TC-Action"] == "SendSms" for h in gateway.headers)
    assert all(h["Authorization"].startswith("TC3-HMAC-SHA256") for h in gateway.headers)

    # Every attempt is in the log, the phone masked and the code never in clear.
    assert attempts("1234") == [(1, False), (2, False), (3, True)]
    assert attempts("5678") == [(1, False), (2, False), (3, True)]
    rows = SmsMessage.objects.all()
    assert {r.phone_masked for r in rows} == {"139****1234", "139****5678"}
    assert all(r.backend == "tencentcloud" for r in rows)
    sent_code = code["TemplateParamSet"][0]
    assert not any(sent_code in r.body or sent_code in r.error for r in rows)
    delivered = rows.get(phone_masked="139****1234", ok=True)
    assert delivered.provider_ref.startswith("5000:")
    assert len({r.message_key for r in rows.filter(phone_masked="139****1234")}) == 1
    assert "ClientNetworkError" in rows.get(phone_masked="139****1234", attempt=1).error
    assert "ServerNetworkError" in rows.get(phone_masked="139****1234", attempt=2).error


@pytest.mark.django_db
def test_the_queue_holds_neither_the_number_nor_the_code_in_clear(
    gateway: Gateway, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    send_in_a_transaction(
        django_capture_on_commit_callbacks, lambda: sms_code_request(phone="13900005678")
    )
    (retry,) = HUEY.scheduled()
    payload = json.dumps(retry.args)
    assert "13900005678" not in payload and "验证码" not in payload


@pytest.mark.django_db
def test_a_gateway_that_stays_down_is_given_up_on_and_the_log_says_so(
    gateway: Gateway, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    send_in_a_transaction(
        django_capture_on_commit_callbacks,
        lambda: sms_send(phone="13900001234", body="【网格】督办：请及时办理。"),
    )
    waited = 0.0
    for n in range(SMS_RETRIES):
        waited += SMS_RETRY_DELAY * 2**n
        assert run_due(waited + 1) == 1
    assert HUEY.scheduled_count() == 0
    log = list(SmsMessage.objects.order_by("attempt").values_list("attempt", "ok", "error"))
    assert [a for a, _ok, _e in log] == list(range(1, SMS_RETRIES + 2))
    assert not any(ok for _a, ok, _e in log)
    assert log[-1][2].startswith("不再重试")
    assert gateway.accepted == []


@pytest.mark.django_db
def test_a_refusal_for_good_is_not_retried(
    gateway: Gateway, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    gateway.reply_code = "InvalidParameterValue.IncorrectPhoneNumber"
    gateway.listen()
    send_in_a_transaction(
        django_capture_on_commit_callbacks,
        lambda: sms_send(phone="13900001234", body="【网格】督办：请及时办理。"),
    )
    (row,) = SmsMessage.objects.all()
    assert not row.ok and row.error.startswith("不再重试：通道拒收")
    assert "IncorrectPhoneNumber" in row.error
    assert HUEY.scheduled_count() == 0


@pytest.mark.django_db
def test_a_rolled_back_action_texts_nobody(
    gateway: Gateway, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    gateway.listen()

    def act() -> None:
        sms_send(phone="13900001234", body="【网格】督办：请及时办理。")
        raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        send_in_a_transaction(django_capture_on_commit_callbacks, act)
    assert gateway.accepted == [] and not SmsMessage.objects.exists()


def test_the_backend_refuses_to_start_without_its_settings(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from wangge.notifications.sms_tencent import TencentCloudBackend

    settings.SMS_TENCENT_SECRET_ID = ""
    settings.SMS_TENCENT_SECRET_KEY = "x"
    settings.SMS_TENCENT_SDK_APP_ID = APP_ID
    settings.SMS_SIGN_NAME = "原点在线"
    with pytest.raises(ImproperlyConfigured, match="SMS_TENCENT_SECRET_ID"):
        TencentCloudBackend()


@pytest.mark.django_db
def test_the_sms_log_in_the_admin_shows_each_attempt_masked(
    gateway: Gateway,
    django_capture_on_commit_callbacks: Callable[..., Any],
    superuser_client: Any,
) -> None:
    send_in_a_transaction(
        django_capture_on_commit_callbacks,
        lambda: sms_send(phone="13900001234", body="【网格】督办：请及时办理。"),
    )
    gateway.listen()
    run_due(SMS_RETRY_DELAY + 1)
    page = superuser_client.get("/admin/notifications/smsmessage/").content.decode()
    assert "短信记录" in page and "139****1234" in page
    assert re.findall(r'class="field-attempt">(\d)<', page) == ["2", "1"]  # newest first
    assert "13900001234" not in page and "ClientNetworkError" in page
