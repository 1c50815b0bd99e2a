"""docs/architecture.md says what the import contracts hold: its drawing of the floors is read
back and compared with the layers contract in pyproject.toml, and every app of the project
stands on a floor of both. A floor added to one and not the other fails here."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = re.compile(r"^(?P<n>\d)?\s+(?P<apps>\S.*?)(?:\s{2,}\S.*)?$")


def drawn_floors() -> list[set[str]]:
    """The floors of the drawing, top first: the names of the first column of each line, a line
    without a number continuing the floor above it."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("```\n", 2)[1]
    floors: list[set[str]] = []
    for line in block.splitlines():
        m = FLOOR.match(line)
        assert m, line
        names = {re.sub(r"\s*\(.*?\)", "", n).strip() for n in m["apps"].split(",")}
        names.discard("")
        if m["n"]:
            floors.append(names)
        else:
            floors[-1] |= names
    return floors


def contract_floors() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [
        {name.strip().removeprefix("wangge.") for name in layer.replace("\\\n", " ").split(":")}
        for layer in layers["layers"]
    ]


def test_the_drawing_is_the_layers_contract() -> None:
    assert drawn_floors() == contract_floors()


def test_every_app_stands_on_a_floor() -> None:
    apps = {p.parent.name for p in (ROOT / "wangge").glob("*/apps.py") if p.parent.name != "wangge"}
    on_floors = set().union(*contract_floors())
    assert apps - on_floors == set()
