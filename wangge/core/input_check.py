"""`python -m wangge.core.input_check [root]`: every page input is read through a form.

Views, API routers, context processors, the admin's own views (`admin.py`) and the readers of
a protocol's parameters (`params.py`) read what a request carries through a Django form
(or a ninja schema), so an unreadable value is refused in Chinese like a service's refusal and
what was typed is drawn back. This check refuses, in those modules, the reads that bypass one:
`request.POST.get(…)`, `request.POST.getlist(…)`, `request.POST[…]`, and `float(…)` / `int(…)`
of anything read off the request. `make lint` runs it."""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

# The modules that face a request: pages, API routers, context processors, the admin's own
# views, a protocol's parameters (Open311's).
FACING = ("views.py", "api.py", "context_processors.py", "admin.py", "params.py")


def facing_modules(package: Path) -> Iterator[Path]:
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if path.name in FACING or path.name.endswith("_views.py"):
            yield path


def _reads_post(node: ast.AST) -> bool:
    """`<something>.POST` (the request's form body)."""
    return isinstance(node, ast.Attribute) and node.attr == "POST"


def _reads_request(node: ast.AST) -> bool:
    """Any `request.…` inside the expression."""
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "request"
        for n in ast.walk(node)
    )


def problems(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("get", "getlist")
                and _reads_post(func.value)
            ):
                yield node.lineno, f"request.POST.{func.attr}(…) by hand"
            elif (
                isinstance(func, ast.Name)
                and func.id in ("float", "int")
                and any(_reads_request(a) for a in node.args)
            ):
                yield node.lineno, f"{func.id}() of a request's value by hand"
        elif isinstance(node, ast.Subscript) and _reads_post(node.value):
            yield node.lineno, "request.POST[…] by hand"


def main(argv: list[str]) -> int:
    package = Path(argv[0]).resolve() if argv else PACKAGE
    found = 0
    for path in facing_modules(package):
        for line, what in problems(path):
            found += 1
            where = path.relative_to(package.parent)
            print(f"{where}:{line}: {what}; read it through a form (the app's forms.py)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
