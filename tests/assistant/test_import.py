"""wangge import_kb: JSONL and Excel, update by id, --replace, bad lines by number."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.assistant.conftest import SEED
from wangge.assistant import index
from wangge.assistant.kbfile import read_rows, write_xlsx
from wangge.assistant.models import KnowledgeItem

# Items a 中原区 resident asks about that the seed must cover.
MUST_COVER = (
    "居住证", "社保卡", "医保报销", "老年优待证", "高龄津贴", "残疾人证", "生育登记", "入学报名",
    "公积金", "个体工商户营业执照", "不动产登记", "低保", "临时救助", "电动自行车", "户口",
    "身份证",
)  # fmt: skip


def item(code: str, question: str = "测试问题？", **extra: Any) -> dict[str, Any]:
    row = {"id": code, "question": question, "similar": ["问法一", "问法二", "问法三"]}
    row["answer"] = "测试答案，以当地最新规定为准。"
    row.update(extra)
    return row


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_seed_is_a_real_base(db: Any) -> None:
    rows = [row for _n, row in read_rows(SEED)]
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(len(r["similar"]) >= 3 for r in rows)
    assert all(r["answer"] and r["place"] for r in rows)
    text = json.dumps(rows, ensure_ascii=False)
    assert [w for w in MUST_COVER if w not in text] == []
    out = StringIO()
    call_command("import_kb", str(SEED), stdout=out)
    assert f"新增 {len(rows)} 条" in out.getvalue()
    residence = KnowledgeItem.objects.get(code="HJ001")
    assert residence.question == "居住证怎么办理？"
    assert ("所需材料", residence.materials) in residence.guide()


def test_reimport_updates_by_id(db: Any, tmp_path: Path) -> None:
    call_command("import_kb", str(write_jsonl(tmp_path / "a.jsonl", [item("X1"), item("X2")])))
    changed = item("X1", "改过的问题？", similar=["新问法一", "新问法二", "新问法三"])
    out = StringIO()
    call_command("import_kb", str(write_jsonl(tmp_path / "b.jsonl", [changed])), stdout=out)
    assert "新增 0 条，更新 1 条，删除 0 条" in out.getvalue()
    x1 = KnowledgeItem.objects.get(code="X1")
    assert (x1.question, x1.similar[0]) == ("改过的问题？", "新问法一")
    assert KnowledgeItem.objects.filter(code="X2").exists()  # untouched without --replace


def test_replace_drops_items_the_file_lacks(db: Any, tmp_path: Path) -> None:
    call_command("import_kb", str(write_jsonl(tmp_path / "a.jsonl", [item("X1"), item("X2")])))
    out = StringIO()
    call_command(
        "import_kb", str(write_jsonl(tmp_path / "b.jsonl", [item("X3")])), "--replace", stdout=out
    )
    assert "删除 2 条" in out.getvalue()
    assert list(KnowledgeItem.objects.values_list("code", flat=True)) == ["X3"]


def test_bad_lines_are_reported_by_number_and_nothing_is_written(db: Any, tmp_path: Path) -> None:
    rows = [
        item("OK1"),
        "{not json",
        {"id": "B3", "similar": ["a"], "answer": "x"},
        item("B4", similar="一；二；三", valid_from="2026-05-01", valid_to="2026-01-01"),
        item("OK1"),
        item("B6", similar=[1, 2]),
    ]
    err = StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_kb", str(write_jsonl(tmp_path / "bad.jsonl", rows)), stderr=err)
    problems = err.getvalue()
    assert "第 2 行：不是一个对象" in problems
    assert "第 3 行：缺少 question" in problems
    assert "第 4 行：valid_to 早于 valid_from" in problems
    assert "第 5 行：id OK1 与第 1 行重复" in problems
    assert "第 6 行：similar 必须是字符串列表" in problems
    assert not KnowledgeItem.objects.exists()


def test_excel_with_the_same_columns(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "kb.xlsx"
    write_xlsx(path, [item("XL1", "电动车怎么上牌？", place="交警登记点", valid_to="2030-12-31")])
    call_command("import_kb", str(path))
    xl1 = KnowledgeItem.objects.get(code="XL1")
    assert xl1.similar == ["问法一", "问法二", "问法三"]
    assert (xl1.place, str(xl1.valid_to)) == ("交警登记点", "2030-12-31")
    write_xlsx(path, [item("XL1", "")])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_kb", str(path), stderr=err)
    assert "第 2 行：缺少 question" in err.getvalue()  # row 1 is the header


def test_every_import_learns_and_stores_the_bars_of_the_base(
    kb: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from wangge.assistant.models import KbCalibration
    from wangge.assistant.services import kb_import as again

    seed_bars = KbCalibration.objects.get()
    assert seed_bars.items == 150 and seed_bars.values["learnt"] is True
    assert 0 < seed_bars.values["choice"] <= seed_bars.values["answer"] < 1
    assert index.retriever().calibration.answer == seed_bars.values["answer"]
    unseen = Path(__file__).resolve().parents[2] / "bench" / "data" / "unseen_kb" / "kb.jsonl"
    with django_capture_on_commit_callbacks(execute=True):
        again(rows=read_rows(unseen), replace=True)
    unseen_bars = KbCalibration.objects.get()  # the old base's bars are gone
    assert unseen_bars.items == 66 and unseen_bars.fingerprint != seed_bars.fingerprint
    assert unseen_bars.values["answer"] != seed_bars.values["answer"]
    assert index.retriever().calibration.answer == unseen_bars.values["answer"]


def test_the_import_leaves_calibration_to_a_job_after_commit(
    kb: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Calibrating a large base takes minutes: the import (an admin's request) only queues it,
    and until the job has run the index decides with the bars last stored."""
    from wangge.assistant.models import KbCalibration
    from wangge.assistant.services import kb_import as again

    seed_bars = KbCalibration.objects.get()
    unseen = Path(__file__).resolve().parents[2] / "bench" / "data" / "unseen_kb" / "kb.jsonl"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again(rows=read_rows(unseen), replace=True)
        # Not committed yet: no bars learnt, the seed's still stored and used by the new index.
        assert KbCalibration.objects.get() == seed_bars
    assert len(KnowledgeItem.objects.all()) == 66
    assert any(getattr(c, "__name__", "") == "kb_embed_later" for c in callbacks)
    for callback in callbacks:
        callback()
    learnt = KbCalibration.objects.get()
    assert learnt.items == 66 and learnt.values["answer"] != seed_bars.values["answer"]
    assert index.retriever().calibration.answer == learnt.values["answer"]


def test_an_index_on_uncalibrated_content_uses_the_last_bars_and_queues_the_job(
    kb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wangge.assistant.models import KbCalibration

    seed_bars = KbCalibration.objects.get()
    queued: list[bool] = []
    monkeypatch.setattr(index, "kb_calibrate_later", lambda: queued.append(True))
    # An item whose validity window closes: the content the bars were learnt on has changed.
    KnowledgeItem.objects.filter(code="HJ001").update(valid_to="2000-01-01")
    index.invalidate()
    retriever = index.retriever()
    assert queued == [True] and len(retriever) == 149
    assert retriever.calibration.answer == seed_bars.values["answer"]
    assert KbCalibration.objects.get() == seed_bars
