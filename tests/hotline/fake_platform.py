"""A city's 12345 platform, as far as the exchange with a 承办单位 goes: a stand-in for the tests.

Written from what a platform exchanges (../shared/hotline/REFERENCE.md: orderNum, callTime,
callerName, isSecret, isVisit, handleDays, urgeOrderNum, visitIsSolved, delayDays …) and from
the integrator's mapping in docs/hotline.md — deliberately not from the adapter's code, which it
imports nothing of. It plays both halves:

- **The platform's own API**, on a real HTTP port on 127.0.0.1: it receives the 承办单位's
  messages (受理, 办结回复 with photos, 退单, 延期申请, 阶段性回复, 退回平台, 结案), checks each
  one's HMAC-SHA256 signature with the key it shares with us, and answers the way a platform
  documents: 200 (a repeat of a message it already has: 200 again, recorded once), 401 a bad
  signature, 404 an order it never issued, 409 the same message id with other content, and
  500 or a slow answer when a test tells it to.
- **Its integration client**, sending orders and its own messages (催办, 回访, 撤单, 补充诉求,
  附件, 延期批复) to our API in its own field names, mapped to ours as docs/hotline.md says,
  signed with the same key, with the API token.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import Client

SIGNATURE = "X-Wangge-Signature"
MESSAGE_ID = "X-Wangge-Delivery"
API = "/api/v1/hotline"


def sign(body: bytes, key: str) -> str:
    """HMAC-SHA256 of the exact bytes, hex, as `sha256=<hex>` (docs/hotline.md, 签名)."""
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class PlatformOrder:
    """An order as the platform holds it, in its own names (REFERENCE.md, 工单)."""

    orderNum: str
    majorContent: str
    callTime: str = "2026-11-23 09:15:00"  # local time, as the platform writes it
    callerName: str = "李桂兰"
    callerPhone: str = "13937112345"
    appealType: str = "投诉"  # 诉求类型
    title: str = ""
    address: str = "中原区伊河路百花里3号楼"
    questionCode: str = "CSGL-01"
    questionName: str = "占道经营"
    pilotLight: str = "一般"  # 紧急程度
    handleDays: float | None = None
    handleUnit: str = ""  # 工作日 / 自然日
    deadlineDate: str | None = None  # 办理截止时间, local
    organizationCode: str = ""  # 承办单位
    isSecret: bool = False
    isVisit: bool = True
    dispatchAdvice: str = ""
    # (file name, MIME type, bytes): photos and the call recording (callRecordFileId's file)
    files: list[tuple[str, str, bytes]] = field(default_factory=list)


def _local(value: str | None) -> str | None:
    """The platform's local "YYYY-MM-DD HH:MM:SS" as ISO 8601 in Beijing time."""
    if not value:
        return None
    return value.replace(" ", "T") + "+08:00"


def _files(files: list[tuple[str, str, bytes]]) -> list[dict[str, str]]:
    return [
        {"file_name": n, "mime_type": m, "content": base64.b64encode(b).decode()}
        for n, m, b in files
    ]


def order_body(o: PlatformOrder) -> dict[str, Any]:
    """docs/hotline.md's mapping of an order: the platform's names to ours."""
    body: dict[str, Any] = {
        "order_no": o.orderNum,
        "received_at": _local(o.callTime),
        "caller_name": o.callerName,
        "caller_phone": o.callerPhone,
        "order_type": o.appealType,
        "title": o.title,
        "content": o.majorContent,
        "address": o.address,
        "category": o.questionCode,
        "category_name": o.questionName,
        "urgency": o.pilotLight,
        "handle_days": o.handleDays,
        "handle_unit": o.handleUnit,
        "deadline": _local(o.deadlineDate),
        "street": o.organizationCode,
        "is_secret": "是" if o.isSecret else "否",  # platforms write yes/no in words too
        "needs_reply": o.isVisit,
        "dispatch_advice": o.dispatchAdvice,
        "attachments": _files(o.files),
    }
    return {k: v for k, v in body.items() if v not in (None, "", [])}


# The platform's messages after an order, by its names → our endpoint and fields.
MESSAGES: dict[str, tuple[str, dict[str, str]]] = {
    "urge": (
        "urges",
        {"isSupervise": "is_supervise", "urgeOrderNum": "urge_order_num", "text": "text"},
    ),
    "visit": (
        "visits",
        {
            "contacted": "contacted",
            "visitIsSolved": "visit_is_solved",
            "satisfaction": "satisfaction",
            "isRehandle": "is_rehandle",
            "visitContent": "text",
            "rehandleDays": "handle_days",
        },
    ),
    "cancel": ("cancellations", {"reason": "reason"}),
    "supplement": ("supplements", {"content": "text", "repeatOrderNum": "duplicate_order_no"}),
    "attachments": ("attachments", {"files": "attachments", "remark": "text"}),
    "delay_reply": (
        "extension-replies",
        {"result": "result", "newDeadline": "deadline", "opinion": "opinion"},
    ),
}


@dataclass
class Received:
    """One of the 承办单位's messages, as the platform filed it."""

    order_no: str
    message_id: str
    kind: str
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def platform_fields(self) -> dict[str, Any]:
        """What the platform's own tables take from it (REFERENCE.md, exchanges after intake)."""
        b = self.body
        if self.kind == "extension":
            return {
                "delayDays": b["delay_days"],
                "delayDeadlineDate": b["delay_deadline"],
                "delayReason": b["reason"],
            }
        if self.kind == "resolved":
            return {
                "result": b["reply"],
                "handler": b["operator"],
                "photos": [base64.b64decode(p["content"]) for p in b["photos"]],
            }
        if self.kind in ("returned", "referred"):
            return {"returnReason": b["reason"], "targetUnit": b.get("target_unit", "")}
        if self.kind == "progress":
            return {"replyContent": b["reply"], "time": b["occurred_at"]}
        return {"time": b["occurred_at"], "handler": b["operator"]}


@dataclass
class FakePlatform:
    key: str  # the HMAC key shared with the 承办单位
    token: str  # the API token the 承办单位 gave the platform
    url: str = ""  # where it receives; set when it starts
    orders: dict[str, PlatformOrder] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    # Every POST, answered or not: (status it answered, message id).
    answered: list[tuple[int, str]] = field(default_factory=list)
    fail_next: int = 0
    fail_status: int = 500
    delay: float = 0.0  # seconds before answering
    lock: threading.Lock = field(default_factory=threading.Lock)
    client: Client = field(default_factory=Client)
    _seen: dict[tuple[str, str], bytes] = field(default_factory=dict)
    _sent: int = 0

    @property
    def kinds(self) -> list[str]:
        return [r.kind for r in self.received]

    def of_kind(self, kind: str) -> list[Received]:
        return [r for r in self.received if r.kind == kind]

    # --- receiving -----------------------------------------------------------------------

    def answer(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"code": self.fail_status, "msg": "系统繁忙"}
            given = headers.get(SIGNATURE, "")
            if not hmac.compare_digest(sign(body, self.key), given):
                return 401, {"code": 401, "msg": "签名错误"}
            try:
                data = json.loads(body)
            except ValueError:
                return 400, {"code": 400, "msg": "报文格式错误"}
            order_no = str(data.get("order_no") or "")
            if order_no not in self.orders:
                return 404, {"code": 404, "msg": f"工单 {order_no} 不存在"}
            message_id = headers.get(MESSAGE_ID, "")
            seen = self._seen.get((order_no, message_id))
            if seen is not None:
                if seen != body:
                    return 409, {"code": 409, "msg": "消息编号重复且内容不同"}
                return 200, {"code": 0, "msg": "重复消息，已接收"}
            self._seen[(order_no, message_id)] = body
            self.received.append(
                Received(order_no, message_id, str(data.get("kind")), data, dict(headers))
            )
            return 200, {"code": 0, "msg": "成功"}

    # --- sending -------------------------------------------------------------------------

    def _post(self, path: str, body: dict[str, Any], *, signed: bool = True) -> Any:
        raw = json.dumps(body, ensure_ascii=False).encode()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        if signed:
            headers["HTTP_X_WANGGE_SIGNATURE"] = sign(raw, self.key)
        return self.client.post(f"{API}/{path}", raw, content_type="application/json", **headers)

    def issue(self, order: PlatformOrder, *, signed: bool = True) -> Any:
        """派单: the platform hands an order to the 承办单位 (again, if it already did)."""
        self.orders[order.orderNum] = order
        return self._post("orders", order_body(order), signed=signed)

    def send(self, kind: str, order_no: str, message_id: str | None = None, **fields: Any) -> Any:
        """One of the platform's messages about an order, in its own names (MESSAGES)."""
        path, names = MESSAGES[kind]
        if message_id is None:
            self._sent += 1
            message_id = f"M{self._sent:06d}"
        body: dict[str, Any] = {"order_no": order_no, "message_id": message_id}
        for name, value in fields.items():
            if name == "files":
                value = _files(value)
            body[names[name]] = value
        return self._post(path, body)


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        platform = self.server.platform
        status, answer = platform.answer(dict(self.headers.items()), body)
        with platform.lock:
            platform.answered.append((status, self.headers.get(MESSAGE_ID, "")))
        data = json.dumps(answer, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller gave up waiting (a slow answer): as a real server sees it

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    platform: FakePlatform


@contextmanager
def running(platform: FakePlatform) -> Iterator[FakePlatform]:
    """The platform listening on a free port of 127.0.0.1, in a thread, until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.platform = platform
    platform.url = f"http://127.0.0.1:{server.server_address[1]}/12345/api/feedback"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
