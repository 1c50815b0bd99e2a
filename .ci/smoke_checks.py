"""What people do on the production node, through nginx and TLS (run by .ci/production-smoke
with the node's environment loaded, in the node's own virtualenv).

The people are made once, through the services, as an administrator's imports would make them;
everything else goes over HTTPS: signing in, each role's main pages, a resident's report with a
photo, the photo read back by its reporter and its handler and refused to another resident, the
job worker flagging an overdue case.
"""

import io
import logging
import os
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

import django
import httpx
from PIL import Image

SITE = "https://127.0.0.1"
HOST = "wangge.example.cn"
PASSWORD = "smoke-Test-2026-pw"
ADMIN_PHONE, ADMIN_PASSWORD = "13900000000", "change-me-now-7Qx"  # docs/deploy.md, step 4
MICRO = "410302001001001001"
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def client() -> httpx.Client:
    return httpx.Client(
        base_url=SITE,
        headers={"Host": HOST, "Referer": f"https://{HOST}/"},
        verify=False,  # the smoke node's self-signed certificate
        timeout=60,
    )


def wait_until_serving() -> None:
    deadline = time.monotonic() + 120
    with client() as c:
        while True:
            try:
                r = c.get("/healthz")
                if r.status_code == 200:
                    check(r.json()["status"] == "ok", "GET /healthz 200: database and queue ok")
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                check(False, "the site answered /healthz within 120 s")
                sys.exit(1)
            time.sleep(1)


def people() -> dict[str, str]:
    """Phones of the cast; made only on the first run (the upgrade run reuses them)."""
    from wangge.accounts.models import Role, User
    from wangge.accounts.services import role_grant, user_create
    from wangge.grids.models import GridNode

    cast = {
        "resident": ("13911110001", "居民甲", Role.RESIDENT, MICRO),
        "neighbour": ("13911110002", "居民乙", Role.RESIDENT, MICRO),
        "worker": ("13911110003", "网格员丙", Role.GRID_WORKER, MICRO[:15]),
        "dispatcher": ("13911110004", "派单员丁", Role.STREET_DISPATCHER, MICRO[:9]),
    }
    for phone, name, role, code in cast.values():
        if not User.objects.filter(phone=phone).exists():
            user = user_create(phone=phone, name=name, password=PASSWORD)
            role_grant(user=user, role=role, node=GridNode.objects.get(code=code))
    return {k: v[0] for k, v in cast.items()}


def sign_in(phone: str, password: str = PASSWORD) -> httpx.Client:
    c = client()
    page = c.get("/accounts/login/")
    check(page.status_code == 200 and "登录" in page.text, f"{phone}: the login page, in Chinese")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "login form without a CSRF token"
    r = c.post(
        "/accounts/login/",
        data={"username": phone, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"https://{HOST}/accounts/login/"},
    )
    check(r.status_code == 302, f"{phone}: signs in (302 after the form)")
    return c


def pages(c: httpx.Client, who: str, paths: list[str]) -> None:
    for path in paths:
        r = c.get(path, follow_redirects=True)
        shown = r.url.path if r.url.path != path else ""
        ok = r.status_code == 200 and not r.url.path.startswith("/accounts/login/")
        check(ok, f"{who}: GET {path} → {r.status_code} {shown}".rstrip())


def static_assets(c: httpx.Client) -> None:
    page = c.get("/accounts/login/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    check(bool(assets), "the login page links its static files")
    for asset in assets:
        r = c.get(asset)
        hashed = re.search(r"\.[0-9a-f]{12}\.", asset) is not None
        check(r.status_code == 200 and hashed, f"static {asset} → {r.status_code} (hashed name)")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (180, 90, 40)).save(out, format="JPEG")
    return out.getvalue()


# Words alone find nothing for it in the example base: found once the job worker has made the
# items' vectors (the `dense` extra the deploy installs) and 小原 reads the meaning too. Three
# items lie within a hair of it (随迁子女, 小学报名, 户口迁出), so 小原 may offer them as choices
# rather than answer one outright; either way the item meant comes first.
MEANING_QUESTION = "外地户口孩子在中原区上小学"


def assistant_reads_meaning(resident: httpx.Client, admin: httpx.Client) -> None:
    """小原 answers through the API with the words and the meaning: the vectors made by the job
    worker after the import, the model loaded before gunicorn forked its workers."""
    csrf = resident.cookies.get("csrftoken") or ""
    status = ""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        page = admin.get("/admin/assistant/knowledgeitem/")
        found = re.search(r"检索方式：[^<]*", page.text)
        status = found.group(0) if found else f"{page.status_code}"
        if "均已计算向量" in status:
            break
        time.sleep(2)
    check("词语 + 语义" in status and "均已计算向量" in status, f"小原's retriever: {status}")
    # The first is answered outright (its words are the item's own); the second may be offered.
    for question, want, may_offer in (
        ("居住证怎么办理", "HJ001", False),
        (MEANING_QUESTION, "JY003", True),
    ):
        r = resident.post(
            "/api/v1/assistant/ask", json={"question": question}, headers={"X-CSRFToken": csrf}
        )
        body = r.json() if r.status_code == 200 else {}
        matched = (body.get("matched") or {}).get("id")
        offered = [c.get("id") for c in body.get("choices") or []]
        got = matched or (offered[0] if offered and may_offer else None)
        check(
            got == want,
            f"小原 finds {want} for {question[:12]}… → {r.status_code} {matched or offered}",
        )


def report_with_photo(c: httpx.Client) -> dict[str, object]:
    csrf = c.cookies.get("csrftoken") or ""
    r = c.post(
        "/api/v1/cases",
        data={
            "description": "楼道里的灯坏了，晚上上下楼看不见",
            "address": "老城区中州东路青年宫小区2号楼",
            "channel": "resident",
        },
        files=[("photos", ("stairs.jpg", jpeg(), "image/jpeg"))],
        headers={"X-CSRFToken": csrf},
    )
    check(r.status_code == 201, f"the resident reports a case with a photo → {r.status_code}")
    case = r.json()
    detail = c.get(f"/api/v1/cases/{case['id']}").json()
    check(bool(detail.get("photos")), "the case shows its photo")
    # The request kept the photo as sent; the job worker cleans it (core.images), and until then
    # the case shows a placeholder in its place.
    deadline = time.monotonic() + 60
    while not str(detail["photos"][0]["url"]).startswith("/media/"):  # type: ignore[index]
        if time.monotonic() > deadline:
            check(False, "the job worker cleans the photo within 60 s")
            return detail
        time.sleep(1)
        detail = c.get(f"/api/v1/cases/{case['id']}").json()
    check(True, "the job worker cleaned the photo")
    return detail


def photo_access(detail: dict[str, object], who: dict[str, httpx.Client]) -> None:
    url = str(detail["photos"][0]["url"])  # type: ignore[index]
    print(f"     photo at {url}")
    for name in ("resident", "worker"):
        r = who[name].get(url, follow_redirects=True)
        ok = r.status_code == 200 and r.headers.get("content-type", "").startswith("image/")
        check(ok and len(r.content) > 1000, f"{name}: the photo → {r.status_code}")
    r = who["neighbour"].get(url, follow_redirects=True)
    check(r.status_code in (403, 404), f"another resident: the photo → {r.status_code}")
    r = client().get(url, follow_redirects=False)
    check(r.status_code in (302, 403, 404), f"nobody signed in: the photo → {r.status_code}")
    r = client().get("/_protected_media/" + url.rsplit("/", 1)[-1])
    check(r.status_code == 404, f"the internal location from outside → {r.status_code}")


def overdue_gets_red_card(case_id: int) -> None:
    """The job worker's per-minute sweep flags a case that has run past its deadline."""
    from django.utils import timezone

    from wangge.cases.models import Case

    now = timezone.now()
    Case.objects.filter(pk=case_id).update(
        due_at=now - timedelta(minutes=5), warn_at=now - timedelta(hours=1), card=""
    )
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        if Case.objects.get(pk=case_id).card == "red":
            check(True, "the job worker gives the overdue case its red card")
            return
        time.sleep(3)
    check(False, "the job worker gives the overdue case its red card within 150 s")


def secrets_stay_out_of_logs(phones: dict[str, str]) -> None:
    """An Open311 client's api_key in the query string, and the people's phones, never reach
    nginx's or gunicorn's logs."""
    from wangge.accounts.models import User
    from wangge.accounts.services import api_token_create

    _token, key = api_token_create(user=User.objects.get(phone=phones["resident"]), name="open311")
    # The key is wg_<prefix>_<secret>, and the url-safe secret may hold "_" itself: the whole
    # secret, not what follows its last "_" (which can be a character or two, found in any log).
    secret = key.split("_", 2)[2]
    r = client().get("/open311/v2/requests.json", params={"api_key": key})
    check(r.status_code == 200, f"Open311 requests.json with an api_key → {r.status_code}")
    # The key given more than once, under each name a credential goes by, in any case, and
    # with a percent-encoded name (which the application reads as api_key all the same).
    with client() as c:
        for query in (
            f"api_key={key}&access_token={key}",
            f"token={key}&status=open&Token={key}&API_KEY={key}&access_token={key}",
            f"%61pi_key={key}&page=1",
        ):
            r = c.get(f"/open311/v2/requests.json?{query}")
            check(
                r.status_code < 500, f"Open311 with the key {query.count(key)}× → {r.status_code}"
            )
    time.sleep(1)  # let both access logs flush
    logs = {
        "nginx": Path("/var/log/nginx/wangge.access.log"),
        "gunicorn": Path("/run/wangge-smoke/wangge-web.log"),
        "worker": Path("/run/wangge-smoke/wangge-worker.log"),
    }
    for name, log in logs.items():
        text = log.read_text(encoding="utf-8", errors="replace")
        check(key not in text and secret not in text, f"no api_key in the {name} log")
        leaked = [p for p in phones.values() if p in text]
        check(not leaked, f"no phone number in the {name} log {leaked or ''}".rstrip())


def refusals_in_chinese_and_the_connection_kept() -> None:
    """A body past the application's limit is refused in Chinese and the client's connection
    still serves its next request; what nginx refuses itself is in Chinese too."""
    with client() as c:
        r = c.post(
            "/api/v1/cases",
            content=b"{" + b" " * (11 * 1024 * 1024) + b"}",
            headers={"Content-Type": "application/json"},
        )
        check(
            r.status_code == 413
            and r.json() == {"detail": "提交的内容过大，请减少内容或照片后重试"},
            f"an 11 MB body → 413 in Chinese ({r.status_code})",
        )
        r = c.get("/healthz")
        check(r.status_code == 200, f"the same connection's next request → {r.status_code}")
        r = c.get("/api/v1/cases", params={"q": "a" * 9000})
        check(
            r.status_code == 414 and r.json() == {"detail": "请求地址过长，请缩短后重试"},
            f"a 9 KB request line → 414 in Chinese ({r.status_code})",
        )
    with client() as c:
        r = c.post(
            "/api/v1/cases",
            content=b" " * (41 * 1024 * 1024),
            headers={"Content-Type": "application/json"},
        )
        check(
            r.status_code == 413
            and r.json() == {"detail": "提交的内容过大，请减少内容或照片后重试"},
            f"a 41 MB body (past nginx's limit) → 413 in Chinese ({r.status_code})",
        )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    after_restart = "--after-restart" in sys.argv
    wait_until_serving()
    phones = people()

    anonymous = client()
    r = anonymous.get("/", follow_redirects=False)
    check(r.status_code == 302, f"the home page sends a stranger to sign in → {r.status_code}")
    r = httpx.get("http://127.0.0.1/", headers={"Host": HOST}, follow_redirects=False)
    check(r.status_code == 301 and r.headers["location"].startswith("https://"), "http → https")
    static_assets(anonymous)
    r = anonymous.get("/open311/v2/services.json")
    check(r.status_code == 200 and isinstance(r.json(), list), "Open311 services.json → 200")

    who = {name: sign_in(phone) for name, phone in phones.items()}
    started = time.perf_counter()
    r = who["worker"].get("/api/v1/grids/resolve-address", params={"q": "中州东路青年宫小区2号楼"})
    first_resolve_ms = (time.perf_counter() - started) * 1000
    check(r.status_code == 200, f"address lookup → {r.status_code}")
    print(f"     first address lookup after start: {first_resolve_ms:.0f} ms")
    admin = sign_in(ADMIN_PHONE, ADMIN_PASSWORD)
    pages(admin, "administrator", ["/", "/admin/", "/ops/", "/cases/", "/api/v1/docs"])
    pages(who["dispatcher"], "dispatcher", ["/", "/cases/", "/ops/", "/hotline/desk/"])
    pages(who["worker"], "grid worker", ["/", "/cases/queue/", "/residents/", "/patrols/"])
    resident_pages = ["/m/", "/m/report/", "/m/me/", "/m/messages/", "/assistant/"]
    resident_pages += ["/volunteering/", "/points/", "/market/", "/circles/", "/rankings/"]
    pages(who["resident"], "resident", resident_pages)
    assistant_reads_meaning(who["resident"], admin)

    if not after_restart:
        detail = report_with_photo(who["resident"])
        photo_access(detail, who)
        overdue_gets_red_card(int(detail["id"]))  # type: ignore[call-overload]
    refusals_in_chinese_and_the_connection_kept()
    secrets_stay_out_of_logs(phones)

    if failures:
        print(f"{len(failures)} smoke checks failed:", *failures, sep="\n  ")
        sys.exit(1)
    print("production smoke: every check passed")


if __name__ == "__main__":
    main()
