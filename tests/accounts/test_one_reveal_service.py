"""One service reveals personal data: `accounts.services.personal_data_reveal` checks the role
for the field and writes the audit row; every app's reveal checks its record's scope and calls
it. Nothing else writes a reveal's row or calls the role check by hand, except the exports
listed here (many numbers, one row naming the export)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "wangge"
SERVICE = PACKAGE / "accounts" / "services.py"
EXPORTS = {
    # 事件清单 with full phones: one row for the export, not one value.
    PACKAGE / "ops" / "services.py",
}


def _calls(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name == "audit_reveal":
            found.append(("audit_reveal", node.lineno))
        if (
            name == "create"
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == "PersonalDataAccess"
        ):
            found.append(("PersonalDataAccess.objects.create", node.lineno))
    return found


def test_only_the_reveal_service_checks_the_role_and_writes_the_row() -> None:
    by_hand = [
        f"{path.relative_to(PACKAGE.parent)}:{line} {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != SERVICE and path not in EXPORTS and "migrations" not in path.parts
        for what, line in _calls(path)
    ]
    assert by_hand == []


def test_every_app_reveal_goes_through_the_service() -> None:
    reveals = {
        PACKAGE / "residents" / "services" / "people.py",
        PACKAGE / "enterprises" / "services.py",
        PACKAGE / "cases" / "services" / "gate.py",
    }
    for path in reveals:
        assert "personal_data_reveal(" in path.read_text(encoding="utf-8"), path
