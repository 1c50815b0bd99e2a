"""No template compares a value with a model choice's raw value (docs/architecture.md, "no
template compares a status string"). A template that writes `{% if case.status == "pending" %}`
raises nothing once the value is renamed: it quietly shows the wrong thing. It asks the record
(`case.is_open`) or compares with the choices class the view passes (`outcomes.PENDING`).

The values are the project's own: every TextChoices and IntegerChoices class its apps' models
modules hold or nest in a model, found through the app registry, so a new class is covered the
day it is written."""

import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.template.base import Lexer, TokenType

from wangge.cases.models import Status
from wangge.moderation.models import ContentCheck, Scene

pytestmark = pytest.mark.no_database

PACKAGE = Path(__file__).resolve().parent.parent / "wangge"

# (template, what is compared) → why its literal is not a model's value, though it spells one.
NOT_A_CHOICE = {
    ("cases/templates/cases/_actions.html", "field.name"): "a form field's name",
    ("cases/templates/cases/kpi.html", "kind"): "the page's period, read from its query string",
    ("cases/templates/cases/report.html", "field.name"): "a form field's name",
    ("hotline/templates/hotline/desk.html", "field.name"): "a form field's name",
    ("market/templates/market/browse.html", "scope"): "the browse form's own choice of area",
    ("residents/templates/residents/disputes.html", "show"): "the list's open/all switch",
    ("templates/home.html", "link.key"): "a menu entry's key (wangge.nav)",
    ("templates/includes/_topnav_link.html", "link.key"): "a menu entry's key (wangge.nav)",
}

COMPARISONS = ("==", "!=", "in")
LITERAL = re.compile(r"""^(?:_\()?(["'])(.*)\1\)?$""", re.S)
NUMBER = re.compile(r"^-?\d+$")


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    compared: str
    literal: str
    owners: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.template}:{self.line}: {self.compared} is compared with {self.literal!r}, "
            f"a value of {', '.join(self.owners)}"
        )


@dataclass(frozen=True)
class ChoiceValues:
    text: dict[str, set[str]]  # value → the classes that hold it
    # field name → its integer values and their classes: a bare 1 or 2 is a loop counter far
    # more often than a choice, so an integer counts only where it meets a field of that name.
    integer_fields: dict[str, dict[int, set[str]]]


def _choices_classes() -> Iterator[type[models.Choices]]:
    seen: set[type] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("wangge.") or config.models_module is None:
            continue
        holders: list[object] = [config.models_module, *config.get_models()]
        for holder in holders:
            for value in vars(holder).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, models.Choices)
                    and value.__module__.startswith("wangge.")
                    and value not in seen
                ):
                    seen.add(value)
                    yield value


def choice_values() -> ChoiceValues:
    text: dict[str, set[str]] = {}
    integers: list[dict[int, str]] = []  # each IntegerChoices class: value → its name
    for cls in _choices_classes():
        name = f"{cls.__module__}.{cls.__qualname__}"
        if issubclass(cls, models.IntegerChoices):
            integers.append({int(v): name for v in cls.values})
        else:
            for v in cls.values:
                if v:  # a blank choice ("" = none) is what `{% if not x %}` asks
                    text.setdefault(str(v), set()).add(name)
    integer_fields: dict[str, dict[int, set[str]]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("wangge."):
            continue
        for field in model._meta.get_fields():
            flat = getattr(field, "flatchoices", None) or []
            values = {v for v, _label in flat if isinstance(v, int) and not isinstance(v, bool)}
            for names in integers:
                if values and values <= set(names):
                    held = integer_fields.setdefault(field.name, {})
                    for v in values:
                        held.setdefault(v, set()).add(names[v])
    return ChoiceValues(text=text, integer_fields=integer_fields)


def _literal(bit: str) -> str | None:
    m = LITERAL.match(bit)
    return m.group(2) if m else None


def _operands(bits: list[str]) -> Iterator[tuple[str, str, str]]:
    """(left, operator, right) of each comparison in an `if`/`elif` tag's bits."""
    for i, bit in enumerate(bits):
        if bit not in COMPARISONS or i == 0 or i + 1 >= len(bits):
            continue
        left = i - 1
        if bit == "in" and bits[left] == "not":
            left -= 1
        if left >= 1:
            yield bits[left], bit, bits[i + 1]


def _literal_words(literal: str, operator: str, literal_is_right: bool) -> list[str]:
    # `x in "pending signed"` tests x against each word of the string: each word is a literal.
    if operator == "in" and literal_is_right:
        return list(dict.fromkeys([*(w for w in re.split(r"[^\w]+", literal) if w), literal]))
    return [literal]


def _hits(compared: str, literal: str, values: ChoiceValues, quoted: bool) -> tuple[str, ...]:
    owners: set[str] = set()
    if quoted:
        owners |= values.text.get(literal, set())
    if NUMBER.match(literal):
        field = compared.split("|")[0].rsplit(".", 1)[-1]
        owners |= values.integer_fields.get(field, {}).get(int(literal), set())
    return tuple(sorted(owners))


def check_template(name: str, source: str, values: ChoiceValues) -> list[Finding]:
    found = []
    skipping = ""
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if skipping:
            if bits and bits[0] == skipping:
                skipping = ""
            continue
        if bits and bits[0] in ("comment", "verbatim"):
            skipping = "end" + bits[0]
            continue
        if not bits or bits[0] not in ("if", "elif"):
            continue
        for left, operator, right in _operands(bits):
            for compared, other, literal_is_right in ((left, right, True), (right, left, False)):
                text = _literal(other)
                quoted = text is not None
                if text is None and NUMBER.match(other):
                    text = other
                if text is None or _literal(compared) is not None or NUMBER.match(compared):
                    continue
                for word in _literal_words(text, operator, literal_is_right):
                    owners = _hits(compared, word, values, quoted)
                    if owners:
                        found.append(Finding(name, token.lineno or 0, compared, word, owners))
    return found


def _templates() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and "templates" in p.relative_to(PACKAGE).parts[:-1] and p.suffix != ".py"
    )


def _findings() -> list[Finding]:
    values = choice_values()
    found = []
    for path in _templates():
        name = path.relative_to(PACKAGE).as_posix()
        found += check_template(name, path.read_text(encoding="utf-8"), values)
    return found


def test_no_template_compares_with_a_choice_value() -> None:
    found = [f for f in _findings() if (f.template, f.compared) not in NOT_A_CHOICE]
    assert [str(f) for f in found] == []


def test_every_exception_is_still_needed() -> None:
    used = {(f.template, f.compared) for f in _findings()}
    assert sorted(set(NOT_A_CHOICE) - used) == []


def test_the_scan_reads_the_templates_of_every_app() -> None:
    folders = {p.relative_to(PACKAGE).parts[0] for p in _templates()}
    assert {"cases", "residents", "ops", "mobile", "templates"} <= folders


def test_the_values_come_from_the_models_choices_classes() -> None:
    values = choice_values()
    assert "wangge.cases.models.Status" in values.text[Status.PENDING]
    assert "wangge.moderation.models.ContentCheck.Status" in values.text[ContentCheck.Status.REVIEW]
    assert values.integer_fields["scene"][Scene.FORUM] == {"wangge.moderation.models.Scene"}


BAD = f"""{{% load i18n %}}
{{% if case.status == "{Status.PENDING}" %}}a{{% endif %}}
{{% if case.status != '{Status.SIGNED}' %}}b{{% endif %}}
{{% if x %}}{{% elif "{Status.CLOSED}" == case.status %}}c{{% endif %}}
{{% if case.status in "{Status.RESOLVED} {Status.VERIFIED}" %}}d{{% endif %}}
{{% if case.status not in '{Status.MERGED}' and y %}}e{{% endif %}}
{{% if check.scene == {Scene.FORUM.value} %}}f{{% endif %}}
{{% if case.status == _("{Status.VOIDED}") %}}g{{% endif %}}
"""

GOOD = f"""{{% load i18n %}}
{{% if case.status == statuses.PENDING %}}a{{% endif %}}
{{% if case.is_open and field.name == "note" %}}b{{% endif %}}
{{% if forloop.counter == {Scene.FORUM.value} %}}c{{% endif %}}
{{% if n|stringformat:"{Status.PENDING}" in given %}}d{{% endif %}}
{{{{ case.status|default:"{Status.PENDING}" }}}} {{% translate "{Status.PENDING}" %}}
{{% comment %}}{{% if case.status == "{Status.PENDING}" %}}{{% endcomment %}}
{{% verbatim %}}{{% if case.status == "{Status.PENDING}" %}}{{% endverbatim %}}
"""


def test_the_checker_finds_each_form_of_a_literal_comparison() -> None:
    found = check_template("seeded.html", BAD, choice_values())
    assert [(f.line, f.compared, f.literal) for f in found] == [
        (2, "case.status", Status.PENDING),
        (3, "case.status", Status.SIGNED),
        (4, "case.status", Status.CLOSED),
        (5, "case.status", Status.RESOLVED),
        (5, "case.status", Status.VERIFIED),
        (6, "case.status", Status.MERGED),
        (7, "check.scene", str(Scene.FORUM.value)),
        (8, "case.status", Status.VOIDED),
    ]
    assert "wangge.cases.models.Status" in found[0].owners


def test_the_checker_passes_what_does_not_compare_a_choice_value() -> None:
    assert check_template("seeded.html", GOOD, choice_values()) == []
