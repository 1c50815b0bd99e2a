"""`make lint` refuses a page input read by hand in a view, an API router, a context processor,
an admin module or a protocol's parameters (wangge/core/input_check.py); the project as it
stands passes."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wangge.core import input_check

ROOT = Path(__file__).resolve().parents[2]


def run_check(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wangge.core.input_check", str(package)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_project_reads_every_page_input_through_a_form() -> None:
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
