"""`make lint` refuses a request input read by hand in a view, an API router, a context
processor, an admin module or a protocol's parameters (wangge/core/input_check.py), whatever
the spelling and wherever the value was carried; the project as it stands passes.

The tables below are the check's own examples, as a lint rule carries its good and bad lines:
each bad snippet must be refused, each good one must pass."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wangge.core import input_check

pytestmark = pytest.mark.no_database

ROOT = Path(__file__).resolve().parents[2]


def run_check(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wangge.core.input_check", str(package)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def found(source: str) -> list[tuple[int, str]]:
    return input_check.source_problems(textwrap.dedent(source))


BAD = {
    # each spelling, straight off the request
    "POST.get": """
        def view(request):
            summary = request.POST.get("summary", "")
    """,
    "POST[]": """
        def view(request):
            nxt = request.POST["next"]
    """,
    "POST.getlist": """
        def view(request):
            ticked = request.POST.getlist("q-1")
    """,
    "GET.get": """
        def view(request):
            kind = request.GET.get("kind", "")
    """,
    "GET[]": """
        def view(request):
            code = request.GET["node"]
    """,
    "GET.getlist": """
        def view(request):
            statuses = request.GET.getlist("status")
    """,
    "GET.get compared": """
        def view(request):
            open_only = request.GET.get("open") == "1"
    """,
    "POST.items": """
        def view(request):
            data = {k: v for k, v in request.POST.items() if v != ""}
    """,
    "POST.dict": """
        def view(request):
            data = validate_body(PhotoKeyIn, request.POST.dict())
    """,
    "in GET": """
        def view(request):
            if "full" in request.GET:
                pass
    """,
    "iterating POST": """
        def view(request):
            for key in request.POST:
                pass
    """,
    "self.request.GET": """
        class Page(View):
            def get(self, *args):
                return self.request.GET.get("q")
    """,
    "int of GET": """
        def view(request):
            n = int(request.GET["n"])
    """,
    "float of an alias": """
        def view(request):
            p = request.POST
            lon = float(p.get("lon") or 0)
    """,
    "int of a header": """
        def view(request):
            n = int(request.headers.get("X-Count", "0"))
    """,
    # through an alias
    "alias .get": """
        def view(request):
            p = request.POST
            action = p.get("action", "")
    """,
    "alias []": """
        def view(request):
            p = request.POST
            unit = p["unit"]
    """,
    "alias of GET": """
        def view(request):
            data = request.GET
            return data.get("q", "").strip()
    """,
    "alias of an alias": """
        def view(request):
            p = request.POST
            q = p
            return q.get("x")
    """,
    "alias by tuple unpacking": """
        def view(request):
            g, p = request.GET, request.POST
            return p.get("x")
    """,
    "alias with or": """
        def view(request):
            params = request.POST or request.GET
            return params.get("x")
    """,
    "alias chosen by method": """
        def view(request):
            params = request.POST if request.method == "POST" else request.GET
            full = params.get("full_phone") == "1"
    """,
    "alias by walrus": """
        def view(request):
            if (g := request.GET):
                return g["x"]
    """,
    "alias annotated": """
        def view(request):
            g: QueryDict = request.GET
            return g.get("x")
    """,
    "alias read in a closure": """
        def view(request):
            p = request.POST

            def work():
                return p.get("hazard", "")

            return run_once(work)
    """,
    "alias in a comprehension": """
        def view(request, items):
            p = request.POST
            return [(item, p.get(f"item-{item.pk}", "")) for item in items]
    """,
    # a helper that receives it
    "helper given GET": """
        def _kind(params):
            return params.get("kind", "")

        def view(request):
            return _kind(request.GET)
    """,
    "helper given an alias by keyword": """
        def _building(user, *, data):
            return data["building"]

        def view(request):
            p = request.POST
            return _building(request.user, data=p)
    """,
    "helper passing it on to a helper": """
        def _inner(d):
            return d.getlist("x")

        def _outer(d):
            return _inner(d)

        def view(request):
            return _outer(request.GET)
    """,
    "helper given it among its *args": """
        def _first(*params):
            return params[0].get("x")

        def view(request):
            return _first(request.GET)
    """,
    "helper taking a QueryDict": """
        def _building_from(user, p: QueryDict):
            return building_for_input(user, code=p.get("building", ""))
    """,
    "helper of another module": """
        def view(request):
            data = forms.enterprise_input(request.POST)
    """,
    "helper of another module given an alias": """
        def view(request):
            p = request.POST
            return inspection_from_form(actor=request.user, data=p)
    """,
    "form given it as other than its data": """
        def view(request):
            form = SomeForm(initial=request.GET)
    """,
    # a QueryDict built and read by hand
    "QueryDict read": """
        def view(request):
            back = QueryDict(request.POST["back"])
    """,
    "QueryDict built and read": """
        def view(text):
            return QueryDict(text).get("page")
    """,
    "QueryDict kept and read": """
        def view(text):
            params = QueryDict(text)
            return params.getlist("status")
    """,
    # the body
    "json.loads of the body": """
        def view(request):
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                return JsonResponse({"detail": "轨迹数据格式不正确"}, status=422)
    """,
    "json.loads of a kept body": """
        def view(request):
            raw = request.body
            return loads(raw)
    """,
    "a schema given the form body as JSON text": """
        def view(request):
            return FindingIn.model_validate_json(request.POST["payload"])
    """,
    "body handed on": """
        def view(request):
            return parse_event(request.body)
    """,
    # a copy for a link is still the query string
    "copy then read": """
        def view(request):
            query = request.GET.copy()
            return query.get("page")
    """,
    "copy popped for its value": """
        def view(request):
            query = request.GET.copy()
            page = query.pop("page", None)
    """,
    "popped off the request": """
        def view(request):
            request.GET.pop("page", None)
    """,
}

GOOD = {
    "form of POST or None": """
        def view(request):
            form = SomeForm(request.POST or None)
    """,
    "form with data=GET": """
        def view(request):
            form = SomeForm(data=request.GET)
    """,
    "form of a module, with the files": """
        def view(request):
            form = forms.ReportForm(request.POST or None, request.FILES or None, staff=True)
    """,
    "form of POST or GET": """
        def view(request):
            d = cleaned(AgreeForm(request.POST if request.method == "POST" else request.GET))
    """,
    "form of an alias": """
        def view(request):
            p = request.POST
            d = cleaned(PersonForm(p))
    """,
    "form set": """
        def view(request):
            rows = ItemFormSet(request.POST, prefix="items")
    """,
    "the case lists' filter": """
        def view(request):
            listed = CaseListFilter(request.GET, default_status=QUEUE)
    """,
    "helper handing a QueryDict to a form": """
        def _case_filter(params: QueryDict):
            listed = CaseListFilter(params)
            return listed.case_filter()

        def view(request):
            params = request.POST if request.method == "POST" else request.GET
            return _case_filter(params)
    """,
    "query string carried into a link": """
        def view(request):
            return redirect(f"{reverse('residents:list')}?{request.GET.urlencode()}")
    """,
    "copy shaped into a link": """
        def view(request, page):
            following = request.GET.copy()
            following["page"] = str(page + 1)
            following.pop("api_key", None)
            del following["token"]
            return following.urlencode()
    """,
    "anything sent at all": """
        def view(request):
            if not request.GET or form.is_valid():
                pass
            if request.POST:
                pass
            return bool(request.POST or request.FILES)
    """,
    "typed values drawn back": """
        def view(request):
            p = request.POST
            return render(request, "ledgers/facilities.html", {"form": p, "values": request.POST})
    """,
    "signature over the raw body": """
        def view(request):
            if not callback.verify(request.body, secret, signature):
                raise SignatureInvalid
    """,
    "files, headers, meta": """
        def view(request):
            photos = clean_images(request.FILES.getlist("photos"))
            key = request.headers.get("Idempotency-Key", "")
            ip = request.META.get("REMOTE_ADDR")
    """,
    "a body read through the schema helpers": """
        def view(request):
            data, photos = read_body(request)
            return validate_body(VisitIn, data)
    """,
    "a schema reading the body": """
        def view(request):
            event = PushEvent.model_validate_json(request.body or b"{}")
    """,
    "a ninja schema": """
        @router.get("")
        def list_patrols(request, query: Query[PageQuery]):
            return api_page(request, rows, query.page, query.page_size)
    """,
    "other things named alike": """
        def view(request, topic):
            p = {"x": 1}
            body = topic.body
            kind = Kind.POST
            return p.get("x"), body.strip()
    """,
    "a name reused after the request": """
        def view(request):
            params = {"page": 1}
            return params.get("page")
    """,
}


@pytest.mark.parametrize("source", BAD.values(), ids=BAD.keys())
def test_a_read_by_hand_is_refused(source: str) -> None:
    assert found(source), "not refused"


@pytest.mark.parametrize("source", GOOD.values(), ids=GOOD.keys())
def test_a_read_through_a_form_passes(source: str) -> None:
    assert found(source) == []


def test_the_refusal_names_the_line_and_the_alias() -> None:
    problems = found(
        """
        def view(request):
            p = request.POST
            return p.get("action", "")
        """
    )
    assert problems == [(4, "p (= request.POST).get(…) by hand")]


def test_the_project_reads_every_request_input_through_a_form() -> None:
    result = run_check(ROOT / "wangge")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("patrols/views.py", 'summary = request.POST.get("summary", "")'),
        ("ledgers/survey_views.py", 'ticked = request.POST.getlist("q-1")'),
        ("mobile/context_processors.py", 'nxt = request.POST["next"]'),
        ("grids/api.py", 'lon = float(request.GET["lon"])'),
        ("points/views.py", 'n = int(request.POST.get("n") or 0)'),
        ("open311/params.py", 'key = request.POST.get("api_key")'),
        ("cases/admin.py", 'source = request.POST["source"]'),
        ("ops/views.py", 'p = request.GET\n    big = p.get("screen")'),
    ],
)
def test_a_read_by_hand_fails_the_check(tmp_path: Path, module: str, line: str) -> None:
    package = tmp_path / "wangge"
    shutil.copytree(
        ROOT / "wangge", package, ignore=shutil.ignore_patterns("static", "locale", "*.pyc")
    )
    target = package / module
    target.write_text(
        target.read_text(encoding="utf-8") + f"\n\ndef added(request):\n    {line}\n",
        encoding="utf-8",
    )
    result = run_check(package)
    assert result.returncode == 1
    assert f"wangge/{module}:" in result.stdout
    assert "read it through a form" in result.stdout


def test_forms_and_other_modules_may_read_a_query_dict() -> None:
    modules = {p.name for p in input_check.facing_modules(ROOT / "wangge")}
    assert {
        "views.py",
        "api.py",
        "context_processors.py",
        "account_views.py",
        "admin.py",
        "params.py",
    } <= modules
    assert "forms.py" not in modules
