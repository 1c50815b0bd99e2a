"""Build ``former_divisions.csv`` from the ``result.csv`` of yescallop/areacodes (CC0).

    cd wangge/grids/data && python build_former_divisions.py result.csv > former_divisions.csv

Each county-level unit no longer in use (abolished, merged, renamed) is followed through the
record that took its area over, and that one's, until units in use today: the codes its former
area lies in now. A unit in use that gave part of its area away after the change (``新代码``
``120113[2020]``) adds the code that took the part, so a former district is wholly one of ours
only when none of it went elsewhere.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict

_NEW_CODE = re.compile(r"(\d{6})(?:\[(\d{4})\])?")


def _int(value: str) -> int:
    return int(value) if value else 9999


def main(path: str) -> None:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_code[row["代码"]].append(row)

    def record(code: str, year: int) -> dict[str, str] | None:
        """The record of ``code`` in use in ``year`` (codes are used again over the years)."""
        for row in by_code.get(code, ()):
            if _int(row["启用时间"]) <= year < _int(row["变更/弃用时间"]):
                return row
        return None

    def current(row: dict[str, str], since: int, depth: int = 0) -> set[str] | None:
        """The codes in use today that hold ``row``'s area from ``since`` on; None when the
        chain cannot be followed (a code the data does not hold)."""
        if depth > 20:
            return None
        found: set[str] = set()
        if row["状态"] == "在用":
            found.add(row["代码"])
            for code, year in _NEW_CODE.findall(row["新代码"]):
                if year and int(year) >= since:
                    # Part of it went to this one afterwards: wherever that lies now.
                    nxt = record(code, int(year))
                    more = None if nxt is None else current(nxt, int(year), depth + 1)
                    if more is None:
                        return None
                    found |= more
            return found
        until = _int(row["变更/弃用时间"])
        for code, year in _NEW_CODE.findall(row["新代码"]):
            when = int(year) if year else until
            if code == row["代码"] and row["状态"] == "变更":
                nxt = record(code, until)
            else:
                nxt = record(code, when)
            if nxt is None or nxt is row:
                return None
            more = current(nxt, when, depth + 1)
            if more is None:
                return None
            found |= more
        return found or None

    names_in_use = {row["名称"] for row in rows if row["状态"] == "在用"}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["name", "code", "city", "until", "now"])
    lines = []
    for row in rows:
        if row["级别"] != "县级" or row["状态"] == "在用" or row["名称"] in names_in_use:
            continue
        now = current(row, _int(row["变更/弃用时间"]))
        if not now:
            continue
        city = row["二级行政区"] if row["二级行政区"] not in ("", "直辖") else row["一级行政区"]
        lines.append([row["名称"], row["代码"], city, row["变更/弃用时间"], ";".join(sorted(now))])
    for line in sorted(lines, key=lambda item: (item[1], item[3])):
        out.writerow(line)


if __name__ == "__main__":
    main(sys.argv[1])
