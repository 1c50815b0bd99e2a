"""The benches under bench/ run as shipped: every name they import from the project still exists.

The benches run against large databases, so the suite does not run them; but the commonest way a
bench stops running is a name moved by a refactoring (a module split into a package), and that
is checked here without a database.
"""

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def project_imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(BENCH.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wangge"):
                assert node.module is not None
                found += [(path.name, node.module, alias.name) for alias in node.names]
            elif isinstance(node, ast.Import):
                found += [
                    (path.name, alias.name, "")
                    for alias in node.names
                    if alias.name.startswith("wangge")
                ]
    return found


def test_the_benches_import_something_from_the_project() -> None:
    assert len(project_imports()) > 20  # the walk sees the benches' imports at all


@pytest.mark.parametrize(("bench", "module", "name"), project_imports())
def test_every_name_a_bench_imports_exists(bench: str, module: str, name: str) -> None:
    imported = importlib.import_module(module)
    if name and not hasattr(imported, name):
        # `from package import submodule` is fine too.
        importlib.import_module(f"{module}.{name}")
