"""deploy/nginx.conf, run: nginx started here with the project's file on free ports, in a
directory of its own (no upstream behind it, or a closed port: nginx logs and refuses by itself).

Its access log never holds a credential from the query string, however many there are and
however their names are spelt; and what nginx refuses itself (a body past client_max_body_size,
a request line or header past its buffers) is answered in Chinese, as {"detail": …} on /api/,
and with the connection closed. Skipped where nginx is not installed; .ci/production-smoke
drives the installed site the same way.
"""

import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed"),
    pytest.mark.no_database,
]


class Upstream:
    """What the application would be: answers 200 and keeps the Host header of each request."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hosts: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                for line in data.decode("latin-1").split("\r\n")[1:]:
                    name, _c, value = line.partition(":")
                    if name.lower() == "host":
                        self.hosts.append(value.strip())
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


class Site:
    def __init__(self, base: Path, port: int, upstream: "Upstream") -> None:
        self.base = base
        self.port = port
        self.log = base / "access.log"
        self.upstream = upstream

    def send(self, raw: bytes) -> tuple[str, dict[str, str], bytes, bool]:
        """One request over TLS; the status line, headers, body, and whether nginx closed."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with (
            socket.create_connection(("127.0.0.1", self.port), timeout=10) as plain,
            context.wrap_socket(plain, server_hostname="wangge.example.cn") as tls,
        ):
            tls.sendall(raw)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _sep, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.lower(): v.strip() for k, _c, v in (h.partition(":") for h in lines[1:])}
            length = int(headers.get("content-length", "0"))
            while len(body) < length:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                body += chunk
            try:
                closed = tls.recv(1) == b""
            except (OSError, ssl.SSLError):
                closed = True
        return lines[0], headers, body, closed

    def get(self, target: str, extra: str = "") -> tuple[str, dict[str, str], bytes, bool]:
        return self.send(
            f"GET {target} HTTP/1.1\r\nHost: wangge.example.cn\r\n{extra}\r\n".encode("latin-1")
        )


def site_config(base: Path, http_port: int, https_port: int, upstream_port: int) -> str:
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl;")
    text = text.replace("/etc/ssl/wangge/", f"{base}/")
    text = text.replace("/var/log/nginx/wangge.access.log", str(base / "access.log"))
    return text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")


def start_nginx(base: Path, upstream_port: int) -> tuple[subprocess.Popen[bytes], int]:
    """nginx with the project's site on a free HTTPS port in `base`, once it accepts."""
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=wangge.example.cn", "-keyout", str(base / "privkey.pem")),
            *("-out", str(base / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
    )
    https_port = free_port()
    (base / "site.conf").write_text(
        site_config(base, free_port(), https_port, upstream_port), encoding="utf-8"
    )
    temp = "".join(
        f"{kind}_temp_path {base}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (base / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {base}/nginx.pid;\nerror_log {base}/error.log;\nevents {{}}\n"
        + f"http {{\ninclude /etc/nginx/mime.types;\n{temp}access_log off;\n"
        + f"include {base}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    assert NGINX is not None
    command = [NGINX, "-p", str(base), "-c", str(base / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([*command, "-g", "daemon off;"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, https_port


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    upstream = Upstream()
    base = tmp_path_factory.mktemp("nginx")
    server, https_port = start_nginx(base, upstream.port)
    try:
        yield Site(base, https_port, upstream)
    finally:
        upstream.sock.close()
        server.terminate()
        server.wait(timeout=10)


def logged(site: Site) -> str:
    time.sleep(0.2)
    return site.log.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "query",
    [
        "api_key=K1K1K1&access_token=K2K2K2",
        "token=K1K1K1&page=2&Token=K2K2K2&API_KEY=K3K3K3&access_token=K4K4K4&api_key=K5K5K5",
        "status=open&api_key=K1K1K1",
        "%61pi_key=K1K1K1&api%5Fkey=K2K2K2",
        "q=%E6%A5%BC&access_token=K1K1K1&api_key=K2K2K2&token=K3K3K3",
    ],
)
def test_no_credential_from_the_query_reaches_the_access_log(site: Site, query: str) -> None:
    before = site.log.stat().st_size if site.log.exists() else 0
    site.get(f"/open311/v2/requests.json?{query}", "Connection: close\r\n")
    line = logged(site)[before:]
    assert "/open311/v2/requests.json" in line
    assert not re.search(r"K\dK\dK\d", line), line


def test_what_is_not_a_credential_is_still_logged(site: Site) -> None:
    before = site.log.stat().st_size if site.log.exists() else 0
    site.get(
        "/open311/v2/requests.json?status=open&api_key=K1K1K1&page=2&q=%E6%A5%BC",
        "Connection: close\r\n",
    )
    line = logged(site)[before:]
    assert "/open311/v2/requests.json?status=open&api_key=***&page=2&q=%E6%A5%BC " in line


def test_a_body_past_the_limit_is_refused_in_chinese_and_the_connection_closed(
    site: Site,
) -> None:
    status, headers, body, closed = site.send(
        b"POST /api/v1/cases HTTP/1.1\r\nHost: wangge.example.cn\r\n"
        b"Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{"
    )
    assert status.startswith("HTTP/1.1 413")
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body) == {"detail": "提交的内容过大，请减少内容或照片后重试"}
    assert headers.get("connection") == "close" and closed

    status, headers, body, closed = site.send(
        b"POST /m/report/ HTTP/1.1\r\nHost: wangge.example.cn\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 50000000\r\n\r\n"
    )
    assert status.startswith("HTTP/1.1 413")
    assert headers["content-type"].startswith("text/html")
    assert "提交的内容过大" in body.decode()
    assert headers.get("connection") == "close" and closed


def test_a_request_line_too_long_is_refused_in_chinese(site: Site) -> None:
    status, _headers, body, closed = site.get("/api/v1/cases?q=" + "%E6%A5%BC" * 1000)
    assert status.startswith("HTTP/1.1 414")
    assert json.loads(body) == {"detail": "请求地址过长，请缩短后重试"}
    assert closed


def test_a_header_too_large_is_refused_in_chinese(site: Site) -> None:
    cookie = "Cookie: x=" + "a" * 9000 + "\r\n"
    status, headers, body, closed = site.get("/api/v1/cases", cookie)
    assert status.startswith("HTTP/1.1 400")
    assert json.loads(body)["detail"].startswith("请求格式不正确或请求头过大")
    status, headers, body, closed = site.get("/cases/", cookie)
    assert status.startswith("HTTP/1.1 400")
    assert headers["content-type"].startswith("text/html")
    assert "请清除本站 Cookie" in body.decode()
    assert closed


def test_the_application_sees_the_port_the_browser_used(site: Site) -> None:
    """A site served on another port than 443: the Origin a browser sends on sign-in is
    https://wangge.example.cn:8443, and Django's CSRF check compares it with the Host it is
    given. nginx's $host drops the port, and every sign-in was refused."""
    site.send(
        b"GET /accounts/login/ HTTP/1.1\r\nHost: wangge.example.cn:8443\r\n"
        b"Connection: close\r\n\r\n"
    )
    assert site.upstream.hosts[-1] == "wangge.example.cn:8443"


def test_no_node_answering_is_said_in_chinese(tmp_path: Path) -> None:
    """A restart: nothing listens behind nginx for a few seconds. Residents see a Chinese page
    and programs a JSON detail, both with Retry-After, instead of nginx's English 502."""
    import http.client

    server, https_port = start_nginx(tmp_path, free_port())  # nothing listens behind it
    try:
        site = Site(tmp_path, https_port, Upstream())
        status, headers, body, _closed = site.get("/m/", "Connection: close\r\n")
        assert status.startswith("HTTP/1.1 502")
        assert headers["content-type"].startswith("text/html")
        assert "服务正在重启" in body.decode() and headers.get("retry-after") == "5"
        status, headers, body, _closed = site.get("/api/v1/me", "Connection: close\r\n")
        assert status.startswith("HTTP/1.1 502")
        assert json.loads(body)["detail"].startswith("服务正在重启")
        assert http.client.responses[502] not in body.decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
