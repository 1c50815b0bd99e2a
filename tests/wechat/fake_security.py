"""The content-security calls of WeChat's fake, as its documentation describes them:
msgSecCheck v2 (`/wxa/msg_sec_check`) answering pass, review or risky (or an errcode, a timeout,
a reply without a verdict), mediaCheckAsync v2 (`/wxa/media_check_async`) answering a trace_id,
and the verdict WeChat pushes later to the mini-program's message-push URL, signed with the push
token (sha1 of the sorted token, timestamp and nonce). Like WeChat, it fetches the photo from
the media_url it was given before judging it."""

import hashlib
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from tests.wechat.fake import MINI_APPID, FakeWechat

PUSH_TOKEN = "push-token-0123456789"
LABELS = {"pass": 100, "review": 21000, "risky": 20001}


class SecurityFakeWechat(FakeWechat):
    def __init__(self) -> None:
        super().__init__()
        # Next answers of msgSecCheck: "pass" | "review" | "risky" | an errcode |
        # ("sleep", seconds) | "malformed" (errcode 0 and no result). Empty: "pass".
        self.text_script: list[Any] = []
        self.text_checked: list[dict[str, Any]] = []
        # Next answers of mediaCheckAsync's call: an errcode, or None for a trace_id.
        self.media_script: list[Any] = []
        self.media_submitted: list[dict[str, Any]] = []
        # Openids that used the mini-program in the last two hours; None: every openid did.
        self.recent_openids: set[str] | None = None
        self.push_url = ""
        self.push_token = PUSH_TOKEN

    def _bad_request(self, body: Any, *fields: str) -> dict[str, Any] | None:
        if not isinstance(body, dict) or any(f not in body for f in fields):
            return {"errcode": 47001, "errmsg": "data format error"}
        if body.get("version") != 2 or body.get("scene") not in (1, 2, 3, 4):
            return {"errcode": 40097, "errmsg": "invalid args"}
        if self.recent_openids is not None and body["openid"] not in self.recent_openids:
            return {"errcode": 61010, "errmsg": "user access expired"}
        return None

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> dict[str, Any]:
        if path == "/wxa/msg_sec_check":
            self.requests.append(path)
            bad = self._check_token("mini", query.get("access_token", "")) or self._bad_request(
                body, "content", "openid"
            )
            if bad:
                return bad
            with self.lock:
                step = self.text_script.pop(0) if self.text_script else "pass"
                self.text_checked.append(body)
            if isinstance(step, int):
                return {"errcode": step, "errmsg": f"scripted {step}"}
            if isinstance(step, tuple):
                time.sleep(step[1])
                step = "pass"
            if step == "malformed":
                return {"errcode": 0, "errmsg": "ok"}
            label = LABELS[step]
            return {
                "errcode": 0,
                "errmsg": "ok",
                "result": {"suggest": step, "label": label},
                "detail": [
                    {"strategy": "content_model", "errcode": 0, "suggest": step, "label": label}
                ],
                "trace_id": f"text-{len(self.text_checked)}",
            }
        if path == "/wxa/media_check_async":
            self.requests.append(path)
            bad = self._check_token("mini", query.get("access_token", "")) or self._bad_request(
                body, "media_url", "media_type", "openid"
            )
            if bad:
                return bad
            with self.lock:
                step = self.media_script.pop(0) if self.media_script else None
                if step is not None:
                    return {"errcode": step, "errmsg": f"scripted {step}"}
                trace_id = f"trace-{len(self.media_submitted) + 1}"
                self.media_submitted.append({**body, "trace_id": trace_id})
            return {"errcode": 0, "errmsg": "ok", "trace_id": trace_id}
        return super().answer(method, path, query, body)

    def fetch_media(self, trace_id: str) -> tuple[int, bytes]:
        """What WeChat gets from the media_url it was given for `trace_id`."""
        [sent] = [m for m in self.media_submitted if m["trace_id"] == trace_id]
        try:
            with urllib.request.urlopen(sent["media_url"], timeout=5) as r:  # noqa: S310
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, b""

    def push(
        self,
        trace_id: str,
        suggest: str = "pass",
        *,
        errcode: int = 0,
        token: str | None = None,
        query: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> tuple[int, str]:
        """Push the verdict of a photo check to push_url as WeChat does; answers the HTTP
        status and text the platform replied. `token`: sign with another token (a forgery)."""
        [sent] = [m for m in self.media_submitted if m["trace_id"] == trace_id] or [{}]
        timestamp, nonce = str(int(time.time())), "nonce-4711"
        signing = sorted([token if token is not None else self.push_token, timestamp, nonce])
        signature = hashlib.sha1("".join(signing).encode()).hexdigest()  # noqa: S324
        params = query if query is not None else {
            "signature": signature, "timestamp": timestamp, "nonce": nonce
        }  # fmt: skip
        label = LABELS.get(suggest, 100)
        event = body if body is not None else {
            "ToUserName": "gh_0123456789ab",
            "FromUserName": sent.get("openid", ""),
            "CreateTime": int(time.time()),
            "MsgType": "event",
            "Event": "wxa_media_check",
            "appid": MINI_APPID,
            "trace_id": trace_id,
            "version": 2,
            "detail": [
                {"strategy": "content_model", "errcode": errcode, "suggest": suggest,
                 "label": label, "prob": 90}
            ],
            "errcode": errcode,
            "errmsg": "ok" if not errcode else "media fetch failed",
            "result": {"suggest": suggest, "label": label},
        }  # fmt: skip
        request = urllib.request.Request(  # noqa: S310 - http to the platform under test
            f"{self.push_url}?{urlencode(params)}",
            data=json.dumps(event, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as r:  # noqa: S310
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
