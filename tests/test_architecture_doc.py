"""docs/architecture.md says what the import contracts hold: its drawing of the floors (and
sub-floors) is read back and compared with the layers contract in pyproject.toml, every app of
the project stands on a floor of both, and the table's "May import" column is itself a contract
(tests/architecture.py) that `lint-imports` runs. A floor added to one and not the other fails
here, and so does an import between two apps of one floor that the table does not allow."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.architecture import ROOT, drawn_floors, may_import, same_floor_allowed

pytestmark = pytest.mark.no_database

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contract_floors() -> list[tuple[set[str], bool]]:
    """The layers contract's floors, top first: their apps and whether they are independent."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    floors = []
    for layer in layers["layers"]:
        independent = "|" in layer
        names = layer.replace("|", ":").split(":")
        floors.append(({n.strip().strip("()").removeprefix("wangge.") for n in names}, independent))
    return floors


def test_the_drawing_is_the_layers_contract() -> None:
    drawn = [(f.apps, f.independent and len(f.apps) > 1) for f in drawn_floors()]
    held = [(apps, independent and len(apps) > 1) for apps, independent in contract_floors()]
    assert drawn == held


def test_every_app_stands_on_a_floor() -> None:
    apps = {p.parent.name for p in (ROOT / "wangge").glob("*/apps.py") if p.parent.name != "wangge"}
    on_floors = set().union(*(apps for apps, _ in contract_floors()))
    assert apps - on_floors == set()
    assert "nav" in on_floors


def test_every_app_of_floors_6_and_7_has_a_row() -> None:
    assert set(same_floor_allowed()) - set(may_import()) == set()


def test_a_row_names_only_apps_of_lower_sub_floors() -> None:
    """The table and the layers say the same: what a row allows on its own floor stands on a
    sub-floor below the app (else the layers contract would refuse what the table allows)."""
    floors = drawn_floors()
    height = {app: len(floors) - i for i, f in enumerate(floors) for app in f.apps}
    for app, (_others, allowed) in same_floor_allowed().items():
        assert {a for a in allowed if height[a] >= height[app]} == set(), app


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's code, contracts and page, apart (no static files or translations)."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(
        ROOT / "wangge",
        root / "wangge",
        ignore=shutil.ignore_patterns("static", "locale", "templates", "__pycache__"),
    )
    (root / "tests").mkdir()
    for name in ("__init__.py", "architecture.py"):
        shutil.copy(ROOT / "tests" / name, root / "tests" / name)
    (root / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "architecture.md", root / "docs" / "architecture.md")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(root)},
    )


LAYERS_BROKEN = "Floors of docs/architecture.md BROKEN"


@pytest.mark.parametrize(
    ("module", "imported", "said"),
    [
        # points (6a) and volunteering (6b): 6a stands below and knows nothing above it.
        ("points/rules.py", "wangge.volunteering.models", LAYERS_BROKEN),
        # notices and patrols share sub-floor 6a and do not know each other.
        ("patrols/services.py", "wangge.notices.models", LAYERS_BROKEN),
        # residents (6e) stands above party (6c), but its row names only ledgers and points of
        # its floor.
        ("residents/selectors.py", "wangge.party.models", "residents may not import party"),
        # ops and mobile share floor 7 and do not know each other.
        ("ops/views.py", "wangge.mobile.forms", LAYERS_BROKEN),
    ],
)
def test_lint_imports_refuses_an_import_between_apps_of_one_floor_the_table_does_not_allow(
    copy: Path, module: str, imported: str, said: str
) -> None:
    target = copy / "wangge" / module
    kept = target.read_text(encoding="utf-8")
    try:
        target.write_text(kept + f"\nimport {imported}  # noqa\n", encoding="utf-8")
        result = lint_imports(copy)
    finally:
        target.write_text(kept, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    out = " ".join(result.stdout.split())
    assert said in out
    assert imported in out


def test_the_copy_itself_passes(copy: Path) -> None:
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
