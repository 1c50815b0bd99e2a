"""axe-core (tests/browser/vendor/axe-core, its licence beside it) run on the page as it is now."""

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def axe_serious(page: Any) -> list[str]:
    """axe-core's critical and serious violations on the page, one line per rule."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['critical', 'serious'].includes(v.impact))"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`)"
    )
    return list(result)
