"""Row locks take only the rows they mean (docs/architecture.md, "Lock order").

On PostgreSQL, `SELECT … FOR UPDATE` without `OF` locks the rows of every table in the query:
`SignUp.objects.select_for_update().select_related("task", "user")` locks the sign-up, its task
and the person at once, out of the order every other write keeps, and certifying hours
deadlocked with cancelling the task that way. So a `select_for_update` whose query joins — by
`select_related` or a filter across a relation — names `of=`."""

import ast
import importlib
from pathlib import Path

from django.db import models

from wangge.volunteering.models import SignUp, Task

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wangge"
FILTERS = {"filter", "exclude", "get", "get_or_create", "update_or_create"}


def _chain(node: ast.expr) -> tuple[ast.expr, list[ast.Call]]:
    """`Model.objects.a().b(x).c()` → (the `Model.objects` root, [a(), b(x), c()])."""
    calls: list[ast.Call] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append(node)
        node = node.func.value
    return node, calls[::-1]


def _joins(model: type[models.Model], lookup: str) -> bool:
    parts = lookup.split("__")
    try:
        field = model._meta.get_field(parts[0])
    except Exception:
        return False
    if not field.is_relation or len(parts) < 2:
        return False
    # `task__in`, `user__isnull`: a lookup on the key itself, no join.
    return field.get_lookup(parts[1]) is None and parts[1] not in ("pk", "id")


def unnamed_joined_locks(source: str, namespace: dict[str, object]) -> list[int]:
    """Lines of `select_for_update()` calls without `of=` in a query that joins."""
    found = []
    seen: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or id(node) in seen:
            continue
        root, calls = _chain(node)
        seen.update(id(c) for c in calls)
        locks = [
            c
            for c in calls
            if isinstance(c.func, ast.Attribute)
            and c.func.attr == "select_for_update"
            and not any(k.arg == "of" for k in c.keywords)
        ]
        if not locks:
            continue
        model = None
        if isinstance(root, ast.Attribute) and isinstance(root.value, ast.Name):
            candidate = namespace.get(root.value.id)
            if isinstance(candidate, type) and issubclass(candidate, models.Model):
                model = candidate
        joined = False
        for c in calls:
            name = c.func.attr if isinstance(c.func, ast.Attribute) else ""
            if name == "select_related":
                joined = True
            elif name in FILTERS and model is not None:
                joined |= any(k.arg is not None and _joins(model, k.arg) for k in c.keywords)
        if joined:
            found.extend(lock.lineno for lock in locks)
    return found


# Packages of an extra a module needs (the bare build has none): wangge.core.redis_outage.
OPTIONAL_EXTRAS = {"redis"}


def test_every_lock_on_a_joined_query_names_its_table() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text()
        if "select_for_update" not in source or "migrations" in path.parts:
            continue
        rel = path.relative_to(ROOT)
        try:
            module = importlib.import_module(".".join(rel.with_suffix("").parts))
        except ModuleNotFoundError as exc:
            if exc.name in OPTIONAL_EXTRAS:
                continue  # checked by the runs that install the extra
            raise
        offenders += [f"{rel}:{line}" for line in unnamed_joined_locks(source, vars(module))]
    assert offenders == [], "select_for_update on a joined query without of=: " + ", ".join(
        offenders
    )


def test_the_check_sees_what_it_looks_for() -> None:
    namespace: dict[str, object] = {"SignUp": SignUp, "Task": Task}
    bad = (
        "a = SignUp.objects.select_for_update().select_related('task').get(pk=1)\n"
        "b = SignUp.objects.select_for_update().filter(task__status='ongoing').first()\n"
    )
    good = (
        "c = SignUp.objects.select_for_update(of=('self',)).select_related('task').get(pk=1)\n"
        "d = SignUp.objects.select_for_update().filter(task_id=1, status__in=['x']).first()\n"
        "e = Task.objects.select_for_update().get(pk=1)\n"
    )
    assert unnamed_joined_locks(bad, namespace) == [1, 2]
    assert unnamed_joined_locks(good, namespace) == []
