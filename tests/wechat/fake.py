"""A stand-in for WeChat's and 企业微信's server APIs, over real HTTP on 127.0.0.1, answering as
their documentation says (errcode/errmsg on every failure). Tests point WECHAT_API_BASE,
WECOM_API_BASE and WECOM_WEBHOOK_BASE at it, script its next answers and read what it received.

It checks what the documentation asks of each call: the stable token's JSON body, the
subscription message's keyword values by their type (47003 with the field named, as WeChat
does), the 客户联系 token for the customer-group mass message (an application's token gets
48002), a group robot's key (93000)."""

import json
import re
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

MINI_APPID, MINI_SECRET = "wx-mini-appid", "mini-secret-0123456789"
MP_APPID, MP_SECRET = "wx-mp-appid", "mp-secret-0123456789"
CORPID, CORP_SECRET, AGENTID = "ww-corp", "corp-secret-0123456789", "1000002"
CONTACT_SECRET = "contact-secret-0123456789"
ROBOT_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_DAY = r"(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})"
# subscribeMessage.send's rules for keyword values, by type (WeChat's documentation, 订阅消息
# 参数值内容限制说明); a type missing here is not checked.
KEYWORD_RULES: dict[str, re.Pattern[str]] = {
    "thing": re.compile(r"[^\x00-\x1f\U00010000-\U0010ffff]{1,20}"),
    "short_thing": re.compile(r"[^\x00-\x1f\U00010000-\U0010ffff]{1,5}"),
    "phrase": re.compile(f"[{_HAN}]{{1,5}}"),
    "character_string": re.compile(r"[\x21-\x7e]{1,32}"),
    "number": re.compile(r"(?=.{1,32}$)\d+(\.\d+)?"),
    "letter": re.compile(r"[A-Za-z]{1,32}"),
    "time": re.compile(f"({_DAY} )?\\d{{1,2}}:\\d{{2}}(~({_DAY} )?\\d{{1,2}}:\\d{{2}})?"),
    "date": re.compile(f"{_DAY}( \\d{{1,2}}:\\d{{2}})?"),
    "amount": re.compile(r"[¥￥$]?\d{1,10}(\.\d+)?元?"),
    "name": re.compile(f"[{_HAN}A-Za-z·]{{1,10}}|[A-Za-z ]{{1,20}}"),
}


def keyword_error(data: dict[str, Any]) -> str:
    """The first keyword whose value breaks its type's rule ("" when all fit)."""
    for name, item in data.items():
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, str) or not value:
            return f"data.{name}.value is empty"
        rule = KEYWORD_RULES.get(name.rstrip("0123456789"))
        if rule is not None and not rule.fullmatch(value):
            return f"data.{name}.value invalid"
    return ""


class FakeWechat:
    def __init__(self) -> None:
        # wx.login code → (openid, unionid); a code works once, as WeChat's do.
        self.codes: dict[str, tuple[str, str]] = {}
        self.wecom_codes: dict[str, str] = {}
        self.mp_codes: dict[str, tuple[str, str]] = {}
        self.tokens: dict[str, str] = {}  # app → its one valid token
        self.token_fetches: dict[str, int] = defaultdict(int)
        self.subscribe_sent: list[dict[str, Any]] = []
        self.wecom_sent: list[dict[str, Any]] = []
        self.requests: list[str] = []
        # Scripted answers for the next send calls: an errcode, or ("sleep", seconds) to let the
        # client time out after the message was taken.
        self.subscribe_script: list[Any] = []
        self.wecom_script: list[Any] = []
        # Stable tokens: each app's expiry, the forced refreshes, and the stable token calls.
        self.token_expiry: dict[str, float] = {}
        self.forced: dict[str, int] = defaultdict(int)
        # True: a normal stable_token call answers the last token even when it no longer works
        # (only a forced refresh replaces it).
        self.sticky_stable = False
        # 客户联系 mass-message tasks created, and robot messages posted (key, body).
        self.group_tasks: list[dict[str, Any]] = []
        self.group_script: list[Any] = []
        self.robot_keys: set[str] = {ROBOT_KEY}
        self.robot_sent: list[tuple[str, dict[str, Any]]] = []
        self.robot_script: list[Any] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeWechat":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (WeChat answers 42001)."""
        with self.lock:
            self.tokens = {app: "expired-" + t for app, t in self.tokens.items()}

    def _issue(self, app: str) -> dict[str, Any]:
        with self.lock:
            self.token_fetches[app] += 1
            token = f"{app}-token-{self.token_fetches[app]}"
            self.tokens[app] = token
            self.token_expiry[app] = time.time() + 7200
        return {"access_token": token, "expires_in": 7200}

    def _stable_token(self, body: Any) -> dict[str, Any]:
        """getStableAccessToken: POST JSON only; within its life the same token is answered
        (normal mode), a forced refresh replaces it."""
        if not isinstance(body, dict) or body.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        apps = {(MINI_APPID, MINI_SECRET): "mini", (MP_APPID, MP_SECRET): "mp"}
        app = apps.get((body.get("appid"), body.get("secret")))
        if app is None:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if body.get("force_refresh") is True:
            with self.lock:
                self.forced[app] += 1
            return self._issue(app)
        with self.lock:
            token = self.tokens.get(app, "")
            left = int(self.token_expiry.get(app, 0) - time.time())
            valid = bool(token) and not token.startswith("expired-") and left > 300
            if self.sticky_stable and token:
                return {"access_token": token.removeprefix("expired-"), "expires_in": 7000}
        if valid:
            return {"access_token": token, "expires_in": left}
        return self._issue(app)

    def _check_token(self, app: str, token: str) -> dict[str, Any] | None:
        if token != self.tokens.get(app):
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None

    def _scripted(self, script: list[Any]) -> dict[str, Any] | None:
        with self.lock:
            step = script.pop(0) if script else None
        if step is None:
            return None
        if isinstance(step, tuple) and step[0] == "sleep":
            time.sleep(step[1])
            return None
        return {"errcode": step, "errmsg": f"scripted {step}"}

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> dict[str, Any]:
        self.requests.append(path)
        if path == "/sns/jscode2session":
            if query.get("appid") != MINI_APPID or query.get("secret") != MINI_SECRET:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            found = self.codes.pop(query.get("js_code", ""), None)
            if found is None:
                return {"errcode": 40029, "errmsg": "invalid code"}
            openid, unionid = found
            out = {"openid": openid, "session_key": "SESSION-KEY-SECRET"}
            if unionid:
                out["unionid"] = unionid
            return out
        if path == "/sns/oauth2/access_token":
            if query.get("appid") != MP_APPID or query.get("secret") != MP_SECRET:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            found = self.mp_codes.pop(query.get("code", ""), None)
            if found is None:
                return {"errcode": 40029, "errmsg": "invalid code"}
            out = {"access_token": "WEB-ACCESS-TOKEN", "openid": found[0], "scope": "snsapi_base"}
            if found[1]:
                out["unionid"] = found[1]
            return out
        if path == "/cgi-bin/token":
            if query.get("appid") != MINI_APPID or query.get("secret") != MINI_SECRET:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            return self._issue("mini")
        if path == "/cgi-bin/stable_token":
            if method != "POST":
                return {"errcode": 43002, "errmsg": "require POST method"}
            return self._stable_token(body)
        if path == "/cgi-bin/gettoken":
            secrets = {CORP_SECRET: "wecom", CONTACT_SECRET: "contact"}
            app = secrets.get(query.get("corpsecret", ""))
            if query.get("corpid") != CORPID or app is None:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            return {"errcode": 0, "errmsg": "ok", **self._issue(app)}
        if path == "/cgi-bin/externalcontact/add_msg_template":
            return self._add_msg_template(query, body)
        if path == "/cgi-bin/webhook/send":
            return self._webhook(query, body)
        if path == "/cgi-bin/message/subscribe/send":
            bad = self._check_token("mini", query.get("access_token", ""))
            if bad:
                return bad
            wrong = keyword_error((body or {}).get("data") or {})
            if wrong:
                return {"errcode": 47003, "errmsg": f"argument invalid! {wrong}"}
            # WeChat takes the message, then the answer may be lost (a scripted sleep).
            with self.lock:
                step = self.subscribe_script[0] if self.subscribe_script else None
            if not (isinstance(step, tuple) and step[0] == "sleep"):
                failed = self._scripted(self.subscribe_script)
                if failed:
                    return failed
                self.subscribe_sent.append(body)
                return {"errcode": 0, "errmsg": "ok"}
            self.subscribe_sent.append(body)
            self._scripted(self.subscribe_script)
            return {"errcode": 0, "errmsg": "ok"}
        if path == "/cgi-bin/message/send":
            bad = self._check_token("wecom", query.get("access_token", ""))
            if bad:
                return bad
            failed = self._scripted(self.wecom_script)
            if failed:
                return failed
            self.wecom_sent.append(body)
            return {"errcode": 0, "errmsg": "ok", "invaliduser": ""}
        if path == "/cgi-bin/auth/getuserinfo":
            bad = self._check_token("wecom", query.get("access_token", ""))
            if bad:
                return bad
            userid = self.wecom_codes.pop(query.get("code", ""), None)
            if userid is None:
                return {"errcode": 40029, "errmsg": "invalid code"}
            return {"errcode": 0, "errmsg": "ok", "userid": userid}
        return {"errcode": -1, "errmsg": f"no such path {path}"}

    def _add_msg_template(self, query: dict[str, str], body: Any) -> dict[str, Any]:
        """企业群发: only the 客户联系 secret's token (or an app allowed to call it) may."""
        token = query.get("access_token", "")
        if token and token == self.tokens.get("wecom"):
            return {"errcode": 48002, "errmsg": "api forbidden"}
        bad = self._check_token("contact", token)
        if bad:
            return bad
        if not isinstance(body, dict) or body.get("chat_type") != "group" or not body.get("sender"):
            return {"errcode": 40058, "errmsg": "invalid chat_type or sender"}
        if not (body.get("text") or {}).get("content") and not body.get("attachments"):
            return {"errcode": 41048, "errmsg": "no content"}
        failed = self._scripted(self.group_script)
        if failed:
            return failed
        with self.lock:
            self.group_tasks.append(body)
            msgid = f"msgGCAAA{len(self.group_tasks):04d}"
        return {"errcode": 0, "errmsg": "ok", "fail_list": [], "msgid": msgid}

    def _webhook(self, query: dict[str, str], body: Any) -> dict[str, Any]:
        key = query.get("key", "")
        if key not in self.robot_keys:
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        kinds = ("text", "markdown", "news", "image", "file", "template_card")
        if not isinstance(body, dict) or body.get("msgtype") not in kinds:
            return {"errcode": 40008, "errmsg": "invalid message type"}
        failed = self._scripted(self.robot_script)
        if failed:
            return failed
        with self.lock:
            self.robot_sent.append((key, body))
        return {"errcode": 0, "errmsg": "ok"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                data = fake.answer(self.command, url.path, query, body)
                raw = json.dumps(data, ensure_ascii=False).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a scripted timeout)

            do_GET = _serve
            do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler
