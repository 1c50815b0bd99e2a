"""docs/architecture.md read as data: its drawing of the floors and its table of what each app may
import. Both the tests (tests/test_architecture_doc.py) and `make lint` read it, so the page a
newcomer reads is the rule the machine checks.

`MayImportContract` is an import-linter contract (registered in pyproject.toml): on a floor that
holds several apps, an app imports another app of its floor only if the table's "May import"
cell of its row names it (`ledgers.selectors.six_things` names ledgers). The layers contract
keeps the floors and sub-floors in order; this one holds each app to its row."""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"

# A line of the drawing: the floor's number (6b is a sub-floor of 6), its apps, then after two
# spaces or more what the floor is for. A line without a number continues the floor above.
FLOOR = re.compile(r"^(?P<n>\d[a-z]?)?\s+(?P<apps>\S.*?)(?:\s{2,}\S.*)?$")
ROW = re.compile(r"^\| `(?P<app>\w+)` \|")
NAMED = re.compile(r"`([a-z_]+)(?:\.[\w.]+)?`")


@dataclass
class Floor:
    """A floor (or sub-floor) of the drawing: `6b`, its apps, and whether they are independent
    (`a | b`: neither imports the other) or may import each other (`a, b`)."""

    number: str
    apps: set[str]
    independent: bool

    @property
    def storey(self) -> str:
        """The whole floor a sub-floor belongs to: 6 for 6b."""
        return self.number[0]


def drawn_floors(text: str | None = None) -> list[Floor]:
    """The floors of the drawing, top first."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    block = text.split("```\n", 2)[1]
    floors: list[Floor] = []
    for line in block.splitlines():
        m = FLOOR.match(line)
        assert m, line
        names = re.sub(r"\s*\(.*?\)", "", m["apps"])
        independent = "|" in names
        apps = {n.strip() for n in re.split(r"[,|]", names)}
        apps.discard("")
        if m["n"]:
            floors.append(Floor(m["n"], apps, independent))
        else:
            floors[-1].apps |= apps
            floors[-1].independent |= independent
    return floors


def may_import(text: str | None = None) -> dict[str, set[str]]:
    """Each app's row of the table: the names its "May import" cell puts in backquotes (the app
    of a dotted name: `ledgers.selectors.six_things` is ledgers)."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    rows: dict[str, set[str]] = {}
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            cell = line.rstrip().rstrip("|").rsplit(" | ", 1)[1]
            rows[m["app"]] = set(NAMED.findall(cell))
    return rows


# The floors whose apps are held to their rows: the domain apps and the interfaces. (Floor 8 is
# the routing and the demo, which name every app.)
HELD_FLOORS = ("6", "7")


def same_floor_allowed(
    text: str | None = None, storeys: tuple[str, ...] = HELD_FLOORS
) -> dict[str, tuple[set[str], set[str]]]:
    """For each app on the floors held to the table: (the other apps of its floor, those of them
    its row names)."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    floors = drawn_floors(text)
    rows = may_import(text)
    by_storey: dict[str, set[str]] = {}
    for floor in floors:
        if floor.storey in storeys:
            by_storey.setdefault(floor.storey, set()).update(floor.apps)
    allowed: dict[str, tuple[set[str], set[str]]] = {}
    for apps in by_storey.values():
        for app in apps:
            others = apps - {app}
            allowed[app] = (others, rows.get(app, set()) & others)
    return allowed


try:
    from grimp import ImportGraph
    from importlinter.application import output
    from importlinter.domain import fields
    from importlinter.domain.contract import Contract, ContractCheck
except ImportError:  # the tests that read the document run without the lint tools
    pass
else:

    class MayImportContract(Contract):
        """An app imports an app of its own floor only where its row of the table says so."""

        type_name = "may_import"

        root = fields.StringField()
        document = fields.StringField()

        def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
            root = str(self.root)  # type: ignore[attr-defined]
            text = (Path.cwd() / str(self.document)).read_text(encoding="utf-8")  # type: ignore[attr-defined]
            present = graph.modules
            broken = []
            for app, (others, allowed) in sorted(same_floor_allowed(text).items()):
                package = f"{root}.{app}"
                if package not in present:
                    continue
                importers = {package} | graph.find_descendants(package)
                for other in sorted(others - allowed):
                    target = f"{root}.{other}"
                    for importer in sorted(importers):
                        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                            if imported != target and not imported.startswith(target + "."):
                                continue
                            lines = sorted(
                                d["line_number"]
                                for d in graph.get_import_details(
                                    importer=importer, imported=imported
                                )
                            )
                            broken.append(
                                {
                                    "app": app,
                                    "other": other,
                                    "importer": importer,
                                    "imported": imported,
                                    "lines": lines,
                                }
                            )
            return ContractCheck(kept=not broken, metadata={"broken": broken})

        def render_broken_contract(self, check: ContractCheck) -> None:
            for b in check.metadata["broken"]:
                lines = ", ".join(f"l.{n}" for n in b["lines"])
                output.print_error(
                    f"{b['app']} may not import {b['other']} (its row of "
                    f"{self.document} does not name it):"  # type: ignore[attr-defined]
                )
                output.print_error(f"-   {b['importer']} -> {b['imported']} ({lines})", bold=False)
                output.new_line()
