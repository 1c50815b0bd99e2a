"""A stand-in for WeChat's and 企业微信's server APIs, over real HTTP on 127.0.0.1, answering as
their documentation says (errcode/errmsg on every failure). Tests point WECHAT_API_BASE and
WECOM_API_BASE at it, script its next answers and read what it received."""

import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

MINI_APPID, MINI_SECRET = "wx-mini-appid", "mini-secret-0123456789"
MP_APPID, MP_SECRET = "wx-mp-appid", "mp-secret-0123456789"
CORPID, CORP_SECRET, AGENTID = "ww-corp", "corp-secret-0123456789", "1000002"


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
        return {"access_token": token, "expires_in": 7200}

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
        if path == "/cgi-bin/gettoken":
            if query.get("corpid") != CORPID or query.get("corpsecret") != CORP_SECRET:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            return {"errcode": 0, "errmsg": "ok", **self._issue("wecom")}
        if path == "/cgi-bin/message/subscribe/send":
            bad = self._check_token("mini", query.get("access_token", ""))
            if bad:
                return bad
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
