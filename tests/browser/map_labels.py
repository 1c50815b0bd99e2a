"""What a person sees of a map's names: the labels shown, and whether any two of them, or a
label and a marker, cover each other (js/own_base.js places them; these check the page)."""

from typing import Any

# Boxes in page pixels of the visible labels and markers of the map `within` (a selector).
_BOXES = """(within) => {
  const map = document.querySelector(within);
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const shown = (el) => !el.hidden && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  return {
    labels: [...map.querySelectorAll(".map-label, .leaflet-tooltip")]
      .filter(shown).map((el) => [el.textContent, box(el)]),
    markers: [...map.querySelectorAll(
      ".leaflet-marker-pane > .leaflet-marker-icon, .leaflet-marks-pane path, "
      + ".leaflet-marks-pane > .leaflet-marker-icon"
    )].filter(shown).map((el) => [el.getAttribute("class") || "", box(el)]),
  };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def map_boxes(page: Any, within: str) -> dict[str, list[Any]]:
    return page.evaluate(_BOXES, within)


def overlaps(page: Any, within: str) -> list[str]:
    """Every pair of visible labels that overlap, and every label over a marker."""
    boxes = map_boxes(page, within)
    labels, markers = boxes["labels"], boxes["markers"]
    found = [
        f"{a[0]} × {b[0]}"
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if _overlap(a[1], b[1])
    ]
    found += [f"{a[0]} × marker {m[0]}" for a in labels for m in markers if _overlap(a[1], m[1])]
    return found


def on_top(page: Any, selector: str) -> bool:
    """Whether the element `selector` is what a tap at its centre hits (nothing drawn over it)."""
    return page.evaluate(
        """(sel) => {
          const el = document.querySelector(sel);
          if (!el) return false;
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return Boolean(hit) && (hit === el || el.contains(hit));
        }""",
        selector,
    )
