"""The annual assessment of communities: weights that add up to 100, scores from the KPI
selector's figures (hand-computed here), PDF and Excel, the archive and the inbox, on demand."""

import io
from datetime import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cases.test_kpis import TZ
from tests.conftest import COMMUNITY, OTHER_COMMUNITY, STREET
from wangge.cases.selectors import kpis
from wangge.grids.models import GridNode
from wangge.notifications.models import Notification
from wangge.ops import assessment
from wangge.ops.models import AssessmentWeights, Circular
from wangge.ops.services import assessment_generate

NOW = datetime(2027, 1, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
def weights(db: Any) -> AssessmentWeights:
    return AssessmentWeights.objects.create(
        year=2026, completion=30, on_time=30, response=0, resolution=20, satisfaction=20
    )


def test_weights_must_add_up_to_100(db: Any) -> None:
    bad = AssessmentWeights(
        year=2026, completion=30, on_time=30, response=0, resolution=20, satisfaction=19
    )
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert exc.value.messages == ["各项权重之和须为 100，现为 99"]
    with pytest.raises(ValidationError):
        bad.save()
    assert not AssessmentWeights.objects.exists()
    good = AssessmentWeights.objects.create(year=2026)  # the defaults: 20/20/10/25/25
    # The database holds the same rule for a write that skips the model.
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentWeights.objects.filter(pk=good.pk).update(response=50)


def test_admin_refuses_weights_that_do_not_add_up(cast: dict[str, Any]) -> None:
    from django.contrib.auth.models import Permission

    admin = cast["admin"]
    admin.user_permissions.add(*Permission.objects.filter(codename__endswith="assessmentweights"))
    c = Client()
    c.force_login(admin)
    form = {
        "year": "2026",
        "completion": "40",
        "on_time": "20",
        "response": "10",
        "resolution": "25",
        "satisfaction": "25",
        "note": "",
    }
    resp = c.post("/admin/ops/assessmentweights/add/", form)
    assert resp.status_code == 200 and "各项权重之和须为 100，现为 120" in resp.content.decode()
    form["completion"] = "20"
    assert c.post("/admin/ops/assessmentweights/add/", form).status_code == 302
    assert AssessmentWeights.objects.get(year=2026).as_dict()["completion"] == 20


def test_scores_are_the_kpi_selectors_figures_weighed(
    cast: dict[str, Any], fixture_cases: None, weights: AssessmentWeights
) -> None:
    street = GridNode.objects.get(code=STREET)
    fig = assessment.assessment_figures(user=cast["dispatcher"], node=street, year=2026, now=NOW)
    _total, rows = kpis(
        user=cast["dispatcher"],
        parent=street,
        start=datetime(2026, 1, 1, tzinfo=TZ),
        end=datetime(2027, 1, 1, tzinfo=TZ),
        now=NOW,
    )
    by_code = {r.code: r.as_dict() for r in rows}
    for r in fig["rows"]:
        kept = {k: v for k, v in r.items() if k not in ("rank", "street", "score", "measured")}
        assert kept == by_code[r["code"]]
    # By hand (tests/cases/test_kpis.py's cases over 2026): 碧沙岗 has six due (10-20, 11-10,
    # 11-15, 11-20, 11-25, 12-05), four resolved, three on time; three follow-ups, two
    # reached, two solved, one satisfied and one basically satisfied:
    # 30 × 4/6 + 30 × 3/6 + 0 × 2/3 + 20 × 2/3 + 20 × 1.9/3
    # = 30 × 0.6667 + 15 + 20 × 0.6667 + 20 × 0.6333 = 61.00.
    # 互助路: its one case closed on time, reached, solved, satisfied: 100.
    assert [(r["name"], r["rank"], r["score"]) for r in fig["rows"]] == [
        ("互助路社区", 1, 100.0),
        ("碧沙岗社区", 2, 61.0),
    ]
    bsg = fig["rows"][1]
    assert (bsg["due"], bsg["closed"], bsg["closed_on_time"]) == (6, 4, 3)
    assert fig["weights"] == weights.as_dict()
    assert fig["average"] == 80.5
    # Without a row for the year, the defaults apply (20/20/10/25/25): 碧沙岗
    # 20 × 0.6667 + 20 × 0.5 + 10 × 0.6667 + 25 × 0.6667 + 25 × 0.6333 = 62.50.
    weights.delete()
    fig = assessment.assessment_figures(user=cast["dispatcher"], node=street, year=2026, now=NOW)
    assert fig["rows"][1]["score"] == 62.5


def test_pdf_excel_archive_and_inbox(
    cast: dict[str, Any], fixture_cases: None, weights: AssessmentWeights
) -> None:
    street = GridNode.objects.get(code=STREET)
    circular = assessment_generate(node=street, year=2026, now=NOW)
    assert (circular.kind, str(circular.period_start)) == ("annual", "2026-01-01")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(circular.pdf.read())).pages)
    text = text.replace(" ", "")
    assert "林山寨街道2026年度社区考核" in text
    assert "办结率30，按期办结率30，响应率0，解决率20，满意率20" in text
    assert "1互助路社区林山寨街道11100.0%100.0%100.0%100.0%100.0%100.00" in text.replace("\n", "")
    assert "2碧沙岗社区林山寨街道6466.7%50.0%66.7%66.7%63.3%61.00" in text.replace("\n", "")
    ws = load_workbook(io.BytesIO(circular.xlsx.read())).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "林山寨街道2026年度社区考核"
    header = rows.index([*rows[4]])
    assert rows[header][:3] == ["排名", "社区", "所属街道"]
    assert rows[header + 1] == [1, "互助路社区", "林山寨街道", 1, 1, *["100.0%"] * 5, 100]
    assert rows[header + 2] == [
        2,
        "碧沙岗社区",
        "林山寨街道",
        6,
        4,
        "66.7%",
        "50.0%",
        "66.7%",
        "66.7%",
        "63.3%",
        61,
    ]
    note = Notification.objects.get(recipient=cast["dispatcher"])
    assert note.title == "林山寨街道2026年度社区考核"
    # Regenerating replaces the archived one.
    assessment_generate(node=street, year=2026, now=NOW)
    assert Circular.objects.filter(kind="annual").count() == 1
    c = Client()
    c.force_login(cast["dispatcher"])
    page = c.get("/ops/circulars/").content.decode()
    assert "林山寨街道2026年度社区考核" in page and "80.5" in page


def test_on_demand(cast: dict[str, Any], fixture_cases: None) -> None:
    c = Client()
    c.force_login(cast["dispatcher"])
    resp = c.post("/ops/assessments/generate/", {"code": STREET, "year": "2026"}, follow=True)
    assert "已生成：林山寨街道2026年度社区考核" in resp.content.decode()
    assert Circular.objects.filter(kind="annual", node__code=STREET).exists()
    resp = c.post("/ops/assessments/generate/", {"code": STREET, "year": "abc"}, follow=True)
    assert "年度无效" in resp.content.decode()
    assert c.get("/ops/assessments/generate/").status_code == 405
    # A community's staff hold no street; a grid worker neither: the unit does not exist.
    for who in ("community", "worker_a"):
        other = Client()
        other.force_login(cast[who])
        resp = other.post("/ops/assessments/generate/", {"code": STREET, "year": "2026"})
        assert resp.status_code == 404
    call_command("make_circular", "--year", "2026", "--street", STREET)
    assert Circular.objects.filter(kind="annual").count() == 1
    assert {r["code"] for r in Circular.objects.get(kind="annual").figures["rows"]} == {
        COMMUNITY,
        OTHER_COMMUNITY,
    }
