"""`python -m wangge.core.input_check [root]`: every request input has one reader, a form.

Views, API routers, context processors, the admin's own views (`admin.py`) and the readers of
a protocol's parameters (`params.py`) read what a request carries through a Django form (pages)
or a ninja schema (the API), so an unreadable value is refused in Chinese like a service's
refusal, what was typed is drawn back, and one parameter means one thing wherever it is read.

The check follows the data, not one spelling. What a request carries is `request.GET`,
`request.POST`, `request.body` and any `QueryDict(…)` built by hand; a name assigned from one
of them (`p = request.POST`, `params = request.POST if … else request.GET`, `a, b = …`,
`data = request.GET or None`) carries it too, and so does a parameter annotated `QueryDict` or
handed one by a function of the same module. Any read of these is refused: `.get(…)`,
`.getlist(…)`, `.items()` or any other method, `[…]`, `… in`, iterating, `json.loads(…)`,
`int(…)`/`float(…)`, or handing it to a function that is not a form to read it there.

What stays allowed, each because it reads no value (keep the list this short):

- the data of a form: the first argument or `data=` of a class named `…Form` or `…FormSet`
  (`SomeForm(request.POST or None)`, `SomeForm(data=request.GET)`), or of the one form named
  otherwise, `CaseListFilter`; and the body given to a schema,
  `SomeSchema.model_validate_json(request.body)`;
- `.urlencode()` and `.copy()`: a link that keeps a list's other parameters carries them on as
  typed; and on such a copy, setting or dropping a parameter (`q["page"] = …`, `del q[…]`,
  `q.pop("page", None)` whose value is not used) shapes the link without reading it;
- asking whether anything was sent at all (`if request.POST`, `not request.GET`, `bool(…)`);
- a value of a template's context (`{"form": request.POST}`): the typed values handed back to
  the page to draw into its fields, after the form has read them;
- the few callables in ALLOWED_CALLEES, each with its reason.

`make lint` runs it; tests/core/test_input_check.py holds the examples it must refuse and pass.
"""

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

# The modules that face a request: pages, API routers, context processors, the admin's own
# views, a protocol's parameters (Open311's).
FACING = ("views.py", "api.py", "context_processors.py", "admin.py", "params.py")

HINT = "read it through a form (the app's forms.py) or, in the API, a ninja schema"

# A form whose name does not end in Form: the case lists' one reader (cases/listing.py), named
# for the lists it filters.
FORMS_BY_OTHER_NAMES = frozenset({"CaseListFilter"})

# Callables that may be handed what a request carries, and why none of them parses it.
ALLOWED_CALLEES = {
    # The 12345 platform signs the exact bytes of its body: the signature is checked over them
    # before anything reads them (the schema does, after).
    "callback.verify": "a signature over the body's exact bytes",
    # The video platform signs its timestamp and the body's exact bytes, checked likewise.
    "signing.signature_of": "a signature over the body's exact bytes",
}

# Methods of a copied query string that shape a link rather than read a value.
_LINK_METHODS = frozenset({"urlencode", "copy"})


def facing_modules(package: Path) -> Iterator[Path]:
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if path.name in FACING or path.name.endswith("_views.py"):
            yield path


def _root(what: str) -> str:
    """`request.POST` of `p (= request.POST)`: what an alias stands for."""
    return what.split(" (= ", 1)[1][:-1] if " (= " in what else what


def _is_request(node: ast.AST) -> bool:
    """`request`, `req`, `self.request`: what a view is handed."""
    if isinstance(node, ast.Name):
        return node.id == "req" or node.id.endswith("request")
    return isinstance(node, ast.Attribute) and node.attr == "request"


def _dotted(node: ast.AST) -> str:
    """`forms.PersonForm` for `forms.PersonForm`, `` for anything not a plain name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _is_form(func: ast.AST) -> bool:
    name = _dotted(func).rsplit(".", 1)[-1]
    return name.endswith(("Form", "FormSet", "Formset")) or name in FORMS_BY_OTHER_NAMES


def _annotated_query_dict(annotation: ast.AST | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return "QueryDict" in annotation.value
    return any(
        (isinstance(n, ast.Name) and n.id == "QueryDict")
        or (isinstance(n, ast.Attribute) and n.attr == "QueryDict")
        for n in ast.walk(annotation)
    )


Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def _own_nodes(scope: Scope) -> Iterator[ast.AST]:
    """The nodes of a scope's own code, not of the functions and classes defined in it (their
    default values and decorators are the scope's)."""
    body: list[ast.AST] = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            children: list[ast.AST] = [*node.decorator_list, *node.args.defaults]
            children += [d for d in node.args.kw_defaults if d is not None]
        elif isinstance(node, ast.Lambda):
            children = [*node.args.defaults]
        elif isinstance(node, ast.ClassDef):
            # A class body runs in the scope around it; its methods are scopes of their own.
            children = [*node.decorator_list, *node.bases, *node.body]
        else:
            children = list(ast.iter_child_nodes(node))
        stack.extend(reversed(children))


@dataclass
class _Module:
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    # function name → its definitions in the module (a helper handed an input reads it there)
    functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = field(default_factory=dict)
    # scope → name → what it carries ("request.POST")
    tainted: dict[ast.AST, dict[str, str]] = field(default_factory=dict)
    # function → parameter → what it was handed
    params: dict[ast.AST, dict[str, str]] = field(default_factory=dict)
    enclosing: dict[ast.AST, ast.AST] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.setdefault(node.name, []).append(node)
        self.scopes: list[Scope] = [self.tree]
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                self.scopes.append(node)
                self.enclosing[node] = self._scope_of(node)
                self.params[node] = {}
                args = node.args
                for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                    if _annotated_query_dict(arg.annotation):
                        self.params[node][arg.arg] = "QueryDict"

    def _scope_of(self, node: ast.AST) -> Scope:
        parent = self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return parent
            parent = self.parents.get(parent)
        return self.tree

    # ---------------------------------------------------------------- what carries input

    def carried(self, node: ast.AST, names: dict[str, str]) -> str:
        """What the expression carries of a request's input ("request.GET"), or ""."""
        if isinstance(node, ast.Attribute):
            if node.attr in ("GET", "POST") and _is_request(node.value):
                return f"request.{node.attr}"
            if node.attr == "body" and _is_request(node.value):
                return "request.body"
            return ""
        if isinstance(node, ast.Call):
            if _dotted(node.func).rsplit(".", 1)[-1] == "QueryDict":
                return "QueryDict(…)"
            func = node.func
            # a copy of the query string is the query string still (made for a link)
            if isinstance(func, ast.Attribute) and func.attr == "copy":
                inner = self.carried(func.value, names)
                return f"{inner}.copy()" if inner else ""
            return ""
        if isinstance(node, ast.Name):
            return names.get(node.id, "")
        if isinstance(node, ast.BoolOp):
            return next((c for v in node.values if (c := self.carried(v, names))), "")
        if isinstance(node, ast.IfExp):
            return self.carried(node.body, names) or self.carried(node.orelse, names)
        if isinstance(node, ast.NamedExpr):
            return self.carried(node.value, names)
        return ""

    def _bind(self, target: ast.AST, value: ast.AST, names: dict[str, str]) -> bool:
        changed = False
        if isinstance(target, ast.Name):
            what = self.carried(value, names)
            if what and target.id not in names:
                names[target.id] = f"{target.id} (= {_root(what)})"
                changed = True
        elif isinstance(target, ast.Tuple | ast.List):
            if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts):
                for t, v in zip(target.elts, value.elts, strict=True):
                    changed |= self._bind(t, v, names)
            else:
                for t in target.elts:
                    changed |= self._bind(t, value, names)
        elif isinstance(target, ast.Starred):
            changed |= self._bind(target.value, value, names)
        return changed

    def _names(self, scope: Scope) -> dict[str, str]:
        names = self.tainted.setdefault(scope, {})
        if scope is not self.tree:
            outer = self.tainted.get(self.enclosing[scope], {})
            own = self._own_params(scope)
            for name, what in outer.items():
                if name not in own:
                    names.setdefault(name, what)
            for name, what in self.params[scope].items():
                names.setdefault(name, f"{name} (= {what})")
        return names

    @staticmethod
    def _own_params(scope: Scope) -> set[str]:
        if isinstance(scope, ast.Module):
            return set()
        args = scope.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        return {a.arg for a in every}

    def _hand_to_helpers(self, call: ast.Call, names: dict[str, str]) -> bool:
        """A function of this module handed an input: its parameter carries it."""
        if not isinstance(call.func, ast.Name):
            return False
        changed = False
        for helper in self.functions.get(call.func.id, []):
            args = helper.args
            positional = [*args.posonlyargs, *args.args]
            by_name = {a.arg for a in [*positional, *args.kwonlyargs]}
            for i, arg in enumerate(call.args):
                what = self.carried(arg, names)
                if not what:
                    continue
                if i < len(positional):
                    changed |= self._taint_param(helper, positional[i].arg, what)
                elif args.vararg is not None:  # `*args`: its items carry it
                    changed |= self._taint_param(helper, args.vararg.arg, what)
            for kw in call.keywords:
                what = self.carried(kw.value, names)
                if not what:
                    continue
                if kw.arg in by_name:
                    changed |= self._taint_param(helper, kw.arg, what)
                elif args.kwarg is not None:  # `**kwargs`: its values carry it
                    changed |= self._taint_param(helper, args.kwarg.arg, what)
        return changed

    def _taint_param(self, helper: ast.AST, name: str, what: str) -> bool:
        if name in self.params[helper]:
            return False
        self.params[helper][name] = _root(what)
        return True

    def follow(self) -> None:
        """Names and parameters that carry input, until nothing more is learnt."""
        changed = True
        while changed:
            changed = False
            for scope in self.scopes:
                names = self._names(scope)
                for node in _own_nodes(scope):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            changed |= self._bind(target, node.value, names)
                    elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value:
                        changed |= self._bind(node.target, node.value, names)
                    elif isinstance(node, ast.Call):
                        changed |= self._hand_to_helpers(node, names)

    # ---------------------------------------------------------------- how it is used

    def _parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def use(self, node: ast.AST, what: str) -> str:
        """What a use of an input reads, or "" when it reads nothing (see the module's list)."""
        parent = self._parent(node)
        if isinstance(parent, ast.BoolOp | ast.IfExp | ast.NamedExpr) and node is not getattr(
            parent, "test", None
        ):
            return ""  # the larger expression carries it, and is judged as a whole
        if isinstance(parent, ast.Attribute):
            call = self._parent(parent)
            called = isinstance(call, ast.Call) and call.func is parent
            if called and parent.attr in _LINK_METHODS:
                return ""
            dropped = call is not None and isinstance(self._parent(call), ast.Expr)
            if called and parent.attr == "pop" and dropped:
                return "" if ".copy()" in what else f"{what}.pop(…) by hand"
            return f"{what}.{parent.attr}{'(…)' if called else ''} by hand"
        if isinstance(parent, ast.Subscript) and parent.value is node:
            if isinstance(parent.ctx, ast.Store | ast.Del) and ".copy()" in what:
                return ""
            return f"{what}[…] by hand"
        if isinstance(parent, ast.Compare):
            return f"`… in {what}` by hand"
        if isinstance(parent, ast.For | ast.comprehension) and parent.iter is node:
            return f"iterating {what} by hand"
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return ""
        if isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert) and (
            parent.test is node
        ):
            return ""
        if isinstance(parent, ast.Dict) and node in parent.values:
            return ""
        if isinstance(parent, ast.keyword):
            call = self._parent(parent)
            assert isinstance(call, ast.Call)
            return self._handed(call, node, what, keyword=parent.arg)
        if isinstance(parent, ast.Call) and node in parent.args:
            return self._handed(parent, node, what, keyword=None)
        if isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is node:
            return ""  # the name carries it on
        if isinstance(parent, ast.Tuple | ast.List) and isinstance(
            self._parent(parent), ast.Assign
        ):
            return ""
        if isinstance(parent, ast.Expr):
            return ""
        return f"{what} read by hand"

    def _handed(self, call: ast.Call, node: ast.AST, what: str, *, keyword: str | None) -> str:
        callee = _dotted(call.func)
        short = callee.rsplit(".", 1)[-1]
        if _is_form(call.func):
            first = keyword is None and call.args and call.args[0] is node
            if first or keyword == "data":
                return ""
            return f"{what} given to {short}() as other than its data"
        if short == "model_validate_json" and "request.body" in what:
            return ""  # a schema reads the body, and refuses it in its own words
        if callee in ALLOWED_CALLEES:
            return ""
        if short == "bool":
            return ""
        if short in ("loads", "load") and "json" in callee:
            return f"json.loads({what}) by hand"
        if short in ("int", "float"):
            return f"{short}() of {what} by hand"
        if isinstance(call.func, ast.Name) and call.func.id in self.functions:
            return ""  # the helper's own reads are judged in it
        return f"{what} handed to {short or 'a call'}() to read by hand"

    def problems(self) -> Iterator[tuple[int, str]]:
        self.follow()
        for scope in self.scopes:
            names = self.tainted.get(scope, {})
            for node in _own_nodes(scope):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("float", "int")
                    and any(_reads_request(a) and not self.carried(a, names) for a in node.args)
                ):
                    # a header or a cookie made a number by hand
                    yield node.lineno, f"{node.func.id}() of a request's value by hand"
                    continue
                if not isinstance(node, ast.expr):
                    continue
                what = self.carried(node, names)
                if not what:
                    continue
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    continue
                said = self.use(node, what)
                if said:
                    yield node.lineno, said


def _reads_request(node: ast.AST) -> bool:
    """Any `request.…` inside the expression (a header or cookie turned into a number)."""
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "request"
        for n in ast.walk(node)
    )


def source_problems(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """Each read by hand in a module's source: (line, what is read)."""
    tree = ast.parse(source, filename=filename)
    return sorted(set(_Module(tree).problems()))


def problems(path: Path) -> list[tuple[int, str]]:
    return source_problems(path.read_text(encoding="utf-8"), filename=str(path))


def main(argv: list[str]) -> int:
    package = Path(argv[0]).resolve() if argv else PACKAGE
    found = 0
    for path in facing_modules(package):
        for line, what in problems(path):
            found += 1
            where = path.relative_to(package.parent)
            print(f"{where}:{line}: {what}; {HINT}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
