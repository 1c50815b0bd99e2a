"""民意调查: questionnaires typed as text, answered online (once per resident) or door to door
(once per household), results per question, Excel export; other grids see nothing."""

import io
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook

from tests.concurrency import POSTGRES_ONLY, run_parallel
from tests.conftest import GRID_A, GRID_B, MICRO_B1
from wangge.accounts.models import Role, User
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.grids.models import Building, GridNode
from wangge.ledgers.models import Survey, SurveyResponse
from wangge.ledgers.surveys import (
    parse_questions,
    survey_answer_door,
    survey_answer_online,
    survey_close,
    survey_create,
    survey_results,
)

QUESTIONS = """【单选】您对小区环境卫生是否满意？
满意
基本满意
不满意

【多选】您最希望社区增加哪些服务？
老年食堂
托育
便民维修

【评分】请为网格员的服务打分

【填空】您还有什么意见和建议？（选答）"""


@pytest.fixture
def survey(people: dict[str, User]) -> Survey:
    return survey_create(
        actor=people["worker_a"],
        node=GridNode.objects.get(code=GRID_A),
        title="百花里居民满意度调查",
        intro="请如实填写",
        questions=QUESTIONS,
    )


def q(survey: Survey, position: int) -> int:
    return survey.questions.get(position=position).pk


def test_questions_are_parsed_or_refused_by_number() -> None:
    drafts = parse_questions(QUESTIONS)
    assert [d.kind for d in drafts] == ["single", "multiple", "rating", "text"]
    assert drafts[0].options == ("满意", "基本满意", "不满意")
    assert drafts[3].required is False and drafts[3].text == "您还有什么意见和建议？"
    with pytest.raises(ValidationFailed, match="第 2 题请以"):
        parse_questions("【填空】姓名\n\n你好吗")
    with pytest.raises(ValidationFailed, match="第 1 题至少需要两个选项"):
        parse_questions("【单选】是否同意\n同意")
    with pytest.raises(ValidationFailed, match="不需要选项"):
        parse_questions("【评分】打分\n1")


def test_online_once_per_resident(people: dict[str, User], survey: Survey) -> None:
    resident = people["resident"]
    answers = {q(survey, 1): ["1"], q(survey, 2): ["0", "2"], q(survey, 3): ["4"]}
    survey_answer_online(actor=resident, survey=survey, answers=answers)
    with pytest.raises(Conflict, match="已参加过"):
        survey_answer_online(actor=resident, survey=survey, answers=answers)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, channel="online", respondent=resident)
    results = survey_results(survey)
    assert results["total"] == 1
    single, multiple, rating, text = results["rows"]
    assert single["options"] == [("满意", 0, 0), ("基本满意", 1, 100), ("不满意", 0, 0)]
    assert [n for _label, n, _pct in multiple["options"]] == [1, 0, 1]
    assert rating["mean"] == 4.0 and text["texts"] == []


def test_bad_answers_are_refused_whole(people: dict[str, User], survey: Survey) -> None:
    resident = people["resident"]
    base = {q(survey, 1): ["0"], q(survey, 2): ["0"], q(survey, 3): ["5"]}
    for broken, message in (
        ({q(survey, 1): []}, "请回答第 1 题"),
        ({q(survey, 1): ["0", "1"]}, "第 1 题的选项无效"),
        ({q(survey, 2): ["7"]}, "第 2 题的选项无效"),
        ({q(survey, 3): ["6"]}, "请打 1 到 5 分"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            survey_answer_online(actor=resident, survey=survey, answers=base | broken)
    assert not SurveyResponse.objects.exists()


def test_door_to_door_once_per_household(people: dict[str, User], survey: Survey) -> None:
    worker = people["worker_a"]
    bh3, tb5 = Building.objects.get(code="BH3"), Building.objects.get(code="TB5")
    answers = {
        q(survey, 1): ["0"],
        q(survey, 2): ["1"],
        q(survey, 3): ["5"],
        q(survey, 4): ["希望多装路灯"],
    }
    survey_answer_door(actor=worker, survey=survey, building=bh3, room="2-301", answers=answers)
    with pytest.raises(Conflict, match="该户已完成"):
        survey_answer_door(actor=worker, survey=survey, building=bh3, room="2-301", answers=answers)
    with pytest.raises(PermissionDenied):
        survey_answer_door(actor=worker, survey=survey, building=tb5, room="1-101", answers=answers)
    with pytest.raises(PermissionDenied):
        survey_answer_door(
            actor=people["resident"], survey=survey, building=bh3, room="2-302", answers=answers
        )
    assert survey_results(survey)["rows"][3]["texts"] == ["希望多装路灯"]


def test_only_residents_of_the_grid_and_only_while_open(
    people: dict[str, User], make_user: Any, survey: Survey
) -> None:
    neighbour_b = make_user(Role.RESIDENT, GridNode.objects.get(code=MICRO_B1), name="郑红")
    answers = {q(survey, 1): ["0"], q(survey, 2): ["0"], q(survey, 3): ["3"]}
    with pytest.raises(PermissionDenied):
        survey_answer_online(actor=neighbour_b, survey=survey, answers=answers)
    with pytest.raises(PermissionDenied):
        survey_create(
            actor=people["worker_a"],
            node=GridNode.objects.get(code=GRID_B),
            title="x",
            intro="",
            questions=QUESTIONS,
        )
    with pytest.raises(PermissionDenied):
        survey_close(actor=people["worker_b"], survey=survey)
    survey_close(actor=people["worker_a"], survey=survey)
    with pytest.raises(Conflict, match="已结束"):
        survey_answer_online(actor=people["resident"], survey=survey, answers=answers)


def test_pages_and_export(people: dict[str, User], make_user: Any, survey: Survey) -> None:
    resident = Client()
    resident.force_login(people["resident"])
    assert "民意调查" in resident.get("/m/me/").content.decode()
    assert "百花里居民满意度调查" in resident.get("/ledgers/diaocha/").content.decode()
    url = f"/ledgers/diaocha/{survey.pk}/"
    resp = resident.post(url, {f"q-{q(survey, 1)}": "2", f"q-{q(survey, 4)}": "垃圾清运不及时"})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "请回答第 2 题" in body and "垃圾清运不及时" in body  # what was written is kept
    # Said under the question it is about, which points at it.
    assert f'id="q-{q(survey, 2)}-error"' in body
    assert f'aria-describedby="q-{q(survey, 2)}-error"' in body
    resp = resident.post(
        url,
        {
            f"q-{q(survey, 1)}": "2",
            f"q-{q(survey, 2)}": ["0", "1"],
            f"q-{q(survey, 3)}": "2",
            f"q-{q(survey, 4)}": "垃圾清运不及时",
        },
        follow=True,
    )
    assert "感谢您参与调查" in resp.content.decode() and 'id="survey-done"' in resp.content.decode()
    worker = Client()
    worker.force_login(people["worker_a"])
    page = worker.get(f"/ledgers/surveys/{survey.pk}/").content.decode()
    assert "调查结果（共 1 份答卷）" in page and "垃圾清运不及时" in page and "王秀兰" not in page
    door = worker.post(
        f"/ledgers/surveys/{survey.pk}/door/",
        {
            "building": Building.objects.get(code="BH3").pk,
            "room": "2-301",
            f"q-{q(survey, 1)}": "0",
            f"q-{q(survey, 2)}": "2",
            f"q-{q(survey, 3)}": "5",
        },
    )
    assert door.status_code == 302
    assert "在线 1 份，入户 1 份" in worker.get(f"/ledgers/surveys/{survey.pk}/").content.decode()
    xlsx = worker.get(f"/ledgers/surveys/{survey.pk}/results.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    sheet = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert len(sheet) == 3 and sheet[1][1] == "居民在线填写" and sheet[2][4] == "2-301"
    assert sheet[1][5] == "不满意" and sheet[1][6] == "老年食堂、托育"
    assert "王秀兰" not in str(sheet)
    # Another grid: nothing.
    other = Client()
    other.force_login(people["worker_b"])
    for path in ("", "door/", "results.xlsx"):
        assert other.get(f"/ledgers/surveys/{survey.pk}/{path}").status_code == 404
    assert other.post(f"/ledgers/surveys/{survey.pk}/close/").status_code == 404
    neighbour_b = make_user(Role.RESIDENT, GridNode.objects.get(code=MICRO_B1), name="郑红")
    other_resident = Client()
    other_resident.force_login(neighbour_b)
    assert other_resident.get(url).status_code == 404
    assert resident.get(f"/ledgers/surveys/{survey.pk}/").status_code == 404
    assert SurveyResponse.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_parallel_submissions_of_one_resident_count_once(cast: dict[str, User]) -> None:
    survey = survey_create(
        actor=cast["worker_a"],
        node=GridNode.objects.get(code=GRID_A),
        title="停车意见征集",
        intro="",
        questions="【单选】是否支持划线停车\n支持\n反对",
    )
    question = survey.questions.get().pk
    results = run_parallel(
        10,
        lambda n: survey_answer_online(
            actor=cast["resident"], survey=survey, answers={question: [str(n % 2)]}
        ),
    )
    assert len([r for r in results if isinstance(r, SurveyResponse)]) == 1
    assert len([r for r in results if isinstance(r, Conflict)]) == 9
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_staff_list_and_door_form(people: dict[str, User], survey: Survey) -> None:
    staff = Client()
    staff.force_login(people["community"])
    listing = staff.get("/ledgers/surveys/").content.decode()
    assert "百花里居民满意度调查" in listing and "进行中" in listing and "碧沙岗第1网格" in listing
    assert "已结束" not in listing
    # Door to door: only the buildings of the survey's grid, though the staff member holds both.
    door = staff.get(f"/ledgers/surveys/{survey.pk}/door/").content.decode()
    assert "中原区伊河路百花里3号楼" in door and "中原区桐柏路123号院5号楼" not in door
    assert "您对小区环境卫生是否满意？" in door and "老年食堂" in door
    survey_close(actor=people["community"], survey=survey)
    assert "已结束" in staff.get("/ledgers/surveys/").content.decode()
    other = Client()
    other.force_login(people["worker_b"])
    assert "百花里居民满意度调查" not in other.get("/ledgers/surveys/").content.decode()
