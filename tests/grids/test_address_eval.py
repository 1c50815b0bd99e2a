"""`wangge address_eval`: the metrics it prints, and the command on imported files."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from wangge.grids.address_eval import (
    OVERALL,
    EvalFileError,
    EvalQuery,
    Outcome,
    by_kind,
    metrics,
    read_queries,
)

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
ZHONGYUAN = DATA / "zhongyuan_sample"


def outcome(expected: str | None, answer: str | None, *candidates: str, kind: str = "k") -> Outcome:
    return Outcome(EvalQuery("q", expected, kind), answer, tuple(candidates))


def test_metrics_count_right_answers_misroutes_and_refusals() -> None:
    m = metrics(
        [
            outcome("A", "A", "A", "B"),  # right
            outcome("A", None, "B", "A"),  # refused, right one second
            outcome("A", "B", "B", "C", "D", "A"),  # misrouted, right one fourth
            outcome(None, None),  # rightly refused
            outcome(None, "C", "C"),  # misrouted a must-refuse
        ]
    )
    assert (m.queries, m.positives, m.must_refuse) == (5, 3, 2)
    assert m.accuracy == pytest.approx(1 / 3)
    assert m.hit3 == pytest.approx(2 / 3)
    assert m.mrr == pytest.approx((1 + 1 / 2 + 1 / 4) / 3)
    assert m.misroutes == 2
    assert m.refusals == 2
    assert m.refusal_precision == pytest.approx(1 / 2)
    assert m.refusal_recall == pytest.approx(1 / 2)


def place(micro: str | None, grid: str | None, *, building: str | None = None) -> Outcome:
    query = EvalQuery("q", None, "place", micro_grid=micro)
    return Outcome(query, building, (), answer_grid=grid, placed=building is None)


def test_places_count_by_their_micro_grid_and_any_answer_to_a_refusal_is_a_misroute() -> None:
    m = metrics(
        [
            place("G1", "G1"),  # the place, in its grid
            place("G1", "G1", building="B7"),  # a building in that grid counts too
            place("G1", "G2"),  # another grid: misrouted
            place("G1", None),  # refused a place: not a misroute, not right
            place(None, "G3"),  # a place answered where nothing should be
        ]
    )
    assert (m.queries, m.positives, m.places, m.must_refuse) == (5, 0, 4, 1)
    assert m.place_accuracy == pytest.approx(2 / 4)
    assert m.misroutes == 2
    assert m.refusals == 1
    assert m.refusal_recall == 0.0


def test_a_place_answered_for_a_building_is_judged_by_the_buildings_grid() -> None:
    query = EvalQuery("q", "B1", "k")
    same = Outcome(query, None, (), answer_grid="G1", placed=True, expected_grid="G1")
    other = Outcome(query, None, (), answer_grid="G2", placed=True, expected_grid="G1")
    assert not same.misrouted and other.misrouted
    assert metrics([same, other]).accuracy == 0.0


def test_by_kind_keeps_kinds_apart_and_adds_the_total() -> None:
    table = by_kind([outcome("A", "A", kind="full"), outcome(None, None, kind="vague")])
    assert list(table) == ["full", "vague", OVERALL]
    assert table["full"].refusal_recall is None  # nothing there had to be refused
    assert table["vague"].accuracy is None
    assert table[OVERALL].queries == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "没有查询"),
        ('{"query": "伊河路百花里3号楼"}', "缺少 expected"),
        ('{"expected": null}', "缺少 query"),
        ("不是 JSON", "不是 JSON"),
        ('{"query": "伊河路", "expected": 3}', "楼栋编码或 null"),
    ],
)
def test_bad_query_files_are_rejected_with_the_line(text: str, message: str) -> None:
    with pytest.raises(EvalFileError, match=message):
        read_queries(text)


def test_command_imports_the_files_and_prints_per_kind(db: Any, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"query": "郑州市中原区伊河路百花里三号楼", "expected": "ZY103", "kind": "full"}\n'
        '{"query": "伊河路百花里9号楼", "expected": null, "kind": "refuse"}\n',
        encoding="utf-8",
    )
    out = StringIO()
    call_command(
        "address_eval",
        str(queries),
        "--grids",
        str(ZHONGYUAN / "grids.geojson"),
        "--buildings",
        str(ZHONGYUAN / "buildings.csv"),
        stdout=out,
    )
    lines = {line.split()[0]: line.split() for line in out.getvalue().splitlines() if line}
    assert lines["full"][1:4] == ["1", "1", "1.000"]  # n, positives, accuracy
    assert lines["refuse"][-2:] == ["1.000", "1.000"]  # refusal precision and recall
    assert lines[OVERALL][6] == "0"  # misroutes


def test_command_refuses_a_set_whose_buildings_are_not_imported(db: Any, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"query": "伊河路百花里3号楼", "expected": "NOPE1"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="NOPE1"):
        call_command("address_eval", str(queries), stdout=StringIO())


def registry(tmp_path: Path, *extra_rows: str) -> tuple[Path, list[str]]:
    """The 中原区 sample's buildings with `extra_rows` added, as the files to import."""
    rows = (ZHONGYUAN / "buildings.csv").read_text(encoding="utf-8").rstrip("\n").splitlines()
    csv = tmp_path / "buildings.csv"
    csv.write_text("\n".join([*rows, *extra_rows]) + "\n", encoding="utf-8")
    return csv, ["--grids", str(ZHONGYUAN / "grids.geojson"), "--buildings", str(csv)]


def test_registry_reads_every_building_back_and_lists_twins_and_shared_aliases(
    db: Any, tmp_path: Path
) -> None:
    # A second row with ZY103's address: nothing written can tell the two apart.
    _csv, files = registry(
        tmp_path, "中原区伊河路百花里3号楼,113.604500,34.750600,ZY103B,,410102001002002001"
    )
    out = StringIO()
    call_command("address_eval", "--registry", *files, stdout=out)
    text = out.getvalue()
    buildings = len((ZHONGYUAN / "buildings.csv").read_text(encoding="utf-8").splitlines())
    # Every building but the two twins comes back to itself from its own address.
    assert f"楼栋 {buildings} 栋：按自身地址解析正确 {buildings - 2} 栋" in text
    assert "[重复] ZY103 地址“中原区伊河路百花里3号楼”：与 ZY103B 的地址完全相同" in text
    assert "[重复] ZY103B" in text
    assert "[共用别名] ZY101 别名“百花里小区”：别名由 ZY102、" in text
    assert "无法解析" not in text


def test_registry_fails_the_command_for_an_entry_that_resolves_elsewhere(
    db: Any, tmp_path: Path
) -> None:
    # An alias that is another building's address: read back, neither is told apart.
    _csv, files = registry(
        tmp_path,
        "中原区伊河路百花里9号楼,113.604500,34.750600,ZY109,伊河路百花里3号楼,410102001002002001",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="有 2 条地址或别名解析不回本楼"):
        call_command("address_eval", "--registry", *files, stdout=out)
    failed = [line for line in out.getvalue().splitlines() if line.startswith("[无法解析]")]
    assert len(failed) == 2, failed
    assert any(line.startswith("[无法解析] ZY109 别名“伊河路百花里3号楼”") for line in failed)
    assert any(line.startswith("[无法解析] ZY103 地址") for line in failed)


def test_registry_of_a_lane_city_resolves_every_building_on_its_own_text(
    db: Any,
) -> None:
    lanes = DATA / "lane_city"
    out = StringIO()
    call_command(
        "address_eval",
        "--registry",
        "--grids",
        str(lanes / "grids.geojson"),
        "--buildings",
        str(lanes / "buildings.csv"),
        stdout=out,
    )
    buildings = len((lanes / "buildings.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert f"楼栋 {buildings} 栋：按自身地址解析正确 {buildings} 栋（100.0%）" in out.getvalue()


def test_the_command_needs_a_set_or_the_registry(db: Any) -> None:
    with pytest.raises(CommandError, match="--registry"):
        call_command("address_eval", stdout=StringIO())
