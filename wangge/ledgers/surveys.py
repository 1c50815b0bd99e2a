"""民意调查: questionnaires written as plain text, answered online by residents or door to door by
workers (one answer per resident, one per household, held by the database), results counted
per question and exported to Excel."""

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core import xlsx
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.ledgers.models import (
    RATING_SCALE,
    Answer,
    Question,
    QuestionKind,
    Survey,
    SurveyResponse,
)
from wangge.ledgers.services import (
    INSPECTION_ROLES,
    REGISTER_ROLES,
    _require,
    _require_node,
    may_take_part,
)

MAX_QUESTIONS = 30
AWARENESS_MARK = "知晓率"
KIND_MARKS = {
    "单选": QuestionKind.SINGLE,
    # A single choice that also measures 知晓率: its first option is the "yes" (ops.reach).
    AWARENESS_MARK: QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "填空": QuestionKind.TEXT,
    "评分": QuestionKind.RATING,
}

# The questionnaire shown as an example on the staff form (and used by the demo).
EXAMPLE_QUESTIONS = """【单选】您对小区环境卫生是否满意？
满意
基本满意
不满意

【多选】您最希望社区增加哪些服务？
老年食堂
托育
便民维修
文体活动

【评分】请为网格员的服务打分

【填空】您还有什么意见和建议？（选答）"""


@dataclass(frozen=True)
class QuestionDraft:
    kind: str
    text: str
    options: tuple[str, ...] = ()
    required: bool = True
    counts_awareness: bool = False


def parse_questions(source: str) -> list[QuestionDraft]:
    """Questions as staff type them: blocks separated by a blank line; the first line is
    "【单选】题目" (单选, 多选, 填空, 评分, or 知晓率: a single choice whose first option counts
    as knowing; a trailing "（选答）" makes it optional), the options of a choice question
    follow one per line."""
    drafts: list[QuestionDraft] = []
    blocks = [b for b in source.replace("\r\n", "\n").split("\n\n") if b.strip()]
    if not blocks:
        raise ValidationFailed(_("请至少填写一道题目"), field="questions")
    if len(blocks) > MAX_QUESTIONS:
        raise ValidationFailed(
            _("一份问卷最多 %(n)d 道题") % {"n": MAX_QUESTIONS}, field="questions"
        )
    for number, block in enumerate(blocks, start=1):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        head = lines[0]
        kind = None
        awareness = head.startswith(f"【{AWARENESS_MARK}】")
        for mark, value in KIND_MARKS.items():
            if head.startswith(f"【{mark}】"):
                kind, head = value, head[len(mark) + 2 :].strip()
                break
        if kind is None:
            raise ValidationFailed(
                _("第 %(n)d 题请以【单选】【多选】【填空】【评分】或【知晓率】开头")
                % {"n": number},
                field="questions",
            )
        required = True
        if head.endswith("（选答）"):
            required, head = False, head[: -len("（选答）")].strip()
        if not head:
            raise ValidationFailed(_("第 %(n)d 题缺少题目") % {"n": number}, field="questions")
        options = tuple(lines[1:])
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(options) < 2:
                raise ValidationFailed(
                    _("第 %(n)d 题至少需要两个选项") % {"n": number}, field="questions"
                )
            if len(set(options)) != len(options):
                raise ValidationFailed(
                    _("第 %(n)d 题有重复的选项") % {"n": number}, field="questions"
                )
        elif options:
            raise ValidationFailed(
                _("第 %(n)d 题（填空或评分）不需要选项") % {"n": number}, field="questions"
            )
        drafts.append(
            QuestionDraft(
                kind=kind,
                text=head[:200],
                options=options,
                required=required,
                counts_awareness=awareness,
            )
        )
    return drafts


@transaction.atomic
def survey_create(*, actor: User, node: GridNode, title: str, intro: str, questions: str) -> Survey:
    _require(actor, REGISTER_ROLES, _("您无权发起调查"))
    _require_node(actor, node.path)
    if node.level not in (GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO):
        raise ValidationFailed(_("调查须面向社区、网格或微网格"), field="node")
    title = title.strip()
    if not title:
        raise ValidationFailed(_("请填写调查标题"), field="title")
    drafts = parse_questions(questions)
    survey = Survey.objects.create(
        node=node, grid_path=node.path, title=title, intro=intro.strip(), created_by=actor
    )
    Question.objects.bulk_create(
        Question(
            survey=survey,
            position=i,
            kind=d.kind,
            text=d.text,
            options=list(d.options),
            required=d.required,
            counts_awareness=d.counts_awareness,
        )
        for i, d in enumerate(drafts, start=1)
    )
    return survey


@transaction.atomic
def survey_close(*, actor: User, survey: Survey) -> Survey:
    _require(actor, REGISTER_ROLES, _("您无权结束调查"))
    _require_node(actor, survey.grid_path)
    changed = Survey.objects.filter(pk=survey.pk, status=Survey.Status.OPEN).update(
        status=Survey.Status.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("该调查已结束"))
    return Survey.objects.get(pk=survey.pk)


def _clean_answers(
    survey: Survey, raw: Mapping[int, Sequence[str]]
) -> list[tuple[Question, list[int], str, int | None]]:
    """raw: question id → the submitted values (option indexes, a text, a rating)."""
    cleaned = []
    for q in survey.questions.all():
        values = [v.strip() for v in raw.get(q.pk, ()) if v.strip()]
        if not values:
            if q.required:
                raise ValidationFailed(
                    _("请回答第 %(n)d 题：%(t)s") % {"n": q.position, "t": q.text},
                    field=f"q-{q.pk}",
                )
            continue
        choices: list[int] = []
        text, rating = "", None
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            try:
                choices = sorted({int(v) for v in values})
            except ValueError:
                raise ValidationFailed(
                    _("第 %(n)d 题的选项无效") % {"n": q.position}, field=f"q-{q.pk}"
                ) from None
            if any(not 0 <= c < len(q.options) for c in choices) or (
                q.kind == QuestionKind.SINGLE and len(choices) != 1
            ):
                raise ValidationFailed(
                    _("第 %(n)d 题的选项无效") % {"n": q.position}, field=f"q-{q.pk}"
                )
        elif q.kind == QuestionKind.RATING:
            try:
                rating = int(values[0])
            except ValueError:
                rating = 0
            if rating not in RATING_SCALE:
                raise ValidationFailed(
                    _("第 %(n)d 题请打 1 到 5 分") % {"n": q.position}, field=f"q-{q.pk}"
                )
        else:
            text = values[0]
            if len(text) > 500:
                raise ValidationFailed(
                    _("第 %(n)d 题请控制在 500 字以内") % {"n": q.position}, field=f"q-{q.pk}"
                )
        cleaned.append((q, choices, text, rating))
    return cleaned


def _save(
    response: SurveyResponse, cleaned: list[tuple[Question, list[int], str, int | None]]
) -> None:
    Answer.objects.bulk_create(
        Answer(response=response, question=q, choices=c, text=t, rating=r) for q, c, t, r in cleaned
    )


def survey_answer_online(
    *, actor: User, survey: Survey, answers: Mapping[int, Sequence[str]]
) -> SurveyResponse:
    """A resident's own answers: once per survey (the database decides between two racing
    submissions)."""
    survey = Survey.objects.get(pk=survey.pk)  # its status now, not when the page was drawn
    if not may_take_part(actor, survey):
        raise PermissionDenied(_("只有本网格的居民可以参加该调查"))
    if not survey.is_open:
        raise Conflict(_("该调查已结束"))
    cleaned = _clean_answers(survey, answers)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, channel=SurveyResponse.Channel.ONLINE, respondent=actor
            )
            _save(response, cleaned)
    except IntegrityError as exc:
        raise Conflict(_("您已参加过该调查")) from exc
    return response


def survey_answer_door(
    *,
    actor: User,
    survey: Survey,
    building: Building,
    room: str,
    answers: Mapping[int, Sequence[str]],
) -> SurveyResponse:
    """Answers a worker takes down at a household's door: once per household."""
    _require(actor, INSPECTION_ROLES, _("只有网格员、网格长和社区工作者可以入户调查"))
    if not (
        path_in_scope(actor, building.micro_grid.path)
        and building.micro_grid.path.startswith(survey.grid_path)
    ):
        raise PermissionDenied(_("该楼栋不在调查范围或您的管辖范围内"))
    survey = Survey.objects.get(pk=survey.pk)
    if not survey.is_open:
        raise Conflict(_("该调查已结束"))
    room = room.strip()
    if not room:
        raise ValidationFailed(_("请填写房号"), field="room")
    cleaned = _clean_answers(survey, answers)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                channel=SurveyResponse.Channel.DOOR,
                collected_by=actor,
                building=building,
                room=room[:20],
            )
            _save(response, cleaned)
    except IntegrityError as exc:
        raise Conflict(_("该户已完成本次调查")) from exc
    return response


# ---------------------------------------------------------------- results (the lists and the
# survey one may open are in selectors.py)


def survey_results(survey: Survey) -> dict[str, Any]:
    """Per question: option counts and shares, the rating distribution and mean, or the texts."""
    questions = list(survey.questions.all())
    answers = list(
        Answer.objects.filter(response__survey=survey).values(
            "question_id", "choices", "text", "rating"
        )
    )
    counted = dict(survey.responses.order_by().values_list("channel").annotate(n=Count("id")))
    by_channel = {c: counted.get(c, 0) for c in SurveyResponse.Channel.values}
    total = sum(by_channel.values())
    rows = []
    for q in questions:
        mine = [a for a in answers if a["question_id"] == q.pk]
        row: dict[str, Any] = {"question": q, "answered": len(mine)}
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = [0] * len(q.options)
            for a in mine:
                for c in a["choices"]:
                    if 0 <= c < len(counts):
                        counts[c] += 1
            row["options"] = [
                (label, n, round(n * 100 / len(mine)) if mine else 0)
                for label, n in zip(q.options, counts, strict=True)
            ]
        elif q.kind == QuestionKind.RATING:
            ratings = [a["rating"] for a in mine if a["rating"]]
            row["options"] = [
                (
                    _("%(n)d 分") % {"n": s},
                    ratings.count(s),
                    round(ratings.count(s) * 100 / len(ratings)) if ratings else 0,
                )
                for s in RATING_SCALE
            ]
            row["mean"] = round(sum(ratings) / len(ratings), 2) if ratings else None
        else:
            row["texts"] = [a["text"] for a in mine if a["text"]]
        rows.append(row)
    return {"total": total, "by_channel": by_channel, "rows": rows}


def survey_xlsx(survey: Survey) -> bytes:
    """Results and every answer sheet, without the names of those who answered."""
    results = survey_results(survey)
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("结果")
    ws.append([survey.title])
    ws["A1"].font = xlsx.font(bold=True, size=14)
    ws.append([_("答卷数"), results["total"]])
    for row in results["rows"]:
        q = row["question"]
        ws.append([])
        ws.append([f"{q.position}. {q.text}（{q.get_kind_display()}）", _("人数"), _("占比")])
        ws.cell(ws.max_row, 1).font = xlsx.font(bold=True)
        for label, n, pct in row.get("options", []):
            ws.append([label, n, f"{pct}%"])
        if row.get("mean") is not None:
            ws.append([_("平均分"), row["mean"]])
        for text in row.get("texts", []):
            ws.append([text])
    sheet = wb.create_sheet(_("答卷"))
    questions = list(survey.questions.all())
    sheet.append(
        [_("序号"), _("方式"), _("时间"), _("楼栋"), _("房号")]
        + [f"{q.position}. {q.text}" for q in questions]
    )
    for c in sheet[1]:
        c.font = xlsx.font(bold=True)
    responses = survey.responses.select_related("building").prefetch_related("answers")
    for i, r in enumerate(responses, start=1):
        got = {a.question_id: a for a in r.answers.all()}
        cells: list[Any] = [
            i,
            r.get_channel_display(),
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            r.building.address if r.building else "",
            r.room,
        ]
        for q in questions:
            a = got.get(q.pk)
            if a is None:
                cells.append("")
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                cells.append("、".join(q.options[c] for c in a.choices if 0 <= c < len(q.options)))
            elif q.kind == QuestionKind.RATING:
                cells.append(a.rating)
            else:
                cells.append(a.text)
        sheet.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
