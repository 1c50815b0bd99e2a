"""民意调查 pages: staff write, close and read results (desktop), workers fill door to door
(phone), residents answer online in the 原点在线 shell."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.errors import ValidationFailed
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, download, flash_refusal
from wangge.grids.models import GridLevel
from wangge.ledgers import selectors, surveys
from wangge.ledgers.forms import SURVEY_FIELDS, SurveyAnswersForm, SurveyForm
from wangge.ledgers.models import QuestionKind, Survey, SurveyResponse
from wangge.ledgers.services import INSPECTION_ROLES, may_take_part
from wangge.ledgers.views import _building_by_pk, _buildings, _node_from, _nodes, _staff


def _answers(request: AuthedRequest, survey: Survey, *, door: bool = False) -> SurveyAnswersForm:
    """The household's answers read through their form (raises the first unreadable one)."""
    form = SurveyAnswersForm(request.POST, questions=survey.questions.all(), door=door)
    cleaned(form)
    return form


def _form_rows(
    request: AuthedRequest, survey: Survey, refusal: Refusal
) -> list[tuple[object, list[str], str]]:
    """Each question with what was ticked or typed, and the reason it was refused if it was."""
    questions = list(survey.questions.all())
    typed = SurveyAnswersForm(request.POST, questions=questions)
    cleaned(typed)  # what was sent under each question, as a list: none is refused here
    return [(q, typed.answers()[q.pk], refusal.at(f"q-{q.pk}")) for q in questions]


def _above_questions(refusal: Refusal, *fields: str) -> dict[str, str]:
    """A reason that is not about one question: at the building or room, else on top."""
    if refusal.field.startswith("q-"):
        return {}
    return refusal.by_field(*fields)


@login_required
def survey_list(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    p = request.POST
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(SurveyForm(p))
            survey = surveys.survey_create(
                actor=user,
                node=_node_from(user, d["node"]),
                title=d["title"],
                intro=d["intro"],
                questions=d["questions"],
            )
            messages.success(request, _("调查已发布"))
            return redirect("ledgers:survey", survey_id=survey.pk)
    page = paginate(request, selectors.surveys_managed(user).select_related("node"), 30)
    return render(
        request,
        "ledgers/surveys.html",
        {
            "page": page,
            "nodes": _nodes(user, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO),
            "form": p,
            "example": surveys.EXAMPLE_QUESTIONS,
            "errors": refusal.by_field(*SURVEY_FIELDS),
        },
        status=refusal.status,
    )


def _managed(request: AuthedRequest, survey_id: int) -> Survey:
    return selectors.access_managed_survey(_staff(request), survey_id)


@login_required
def survey_detail(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    user = request.user
    return render(
        request,
        "ledgers/survey.html",
        {
            "survey": survey,
            "results": surveys.survey_results(survey),
            "may_fill": user.is_superuser or user.has_role(*INSPECTION_ROLES),
        },
    )


@login_required
@require_POST
def survey_close(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    with flash_refusal(request):
        surveys.survey_close(actor=request.user, survey=survey)
        messages.success(request, _("调查已结束"))
    return redirect("ledgers:survey", survey_id=survey.pk)


@login_required
def survey_export(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    return download(surveys.survey_xlsx(survey), f"survey-{survey.pk}.xlsx", kind="xlsx")


@login_required
def survey_door(request: AuthedRequest, survey_id: int) -> HttpResponse:
    """Door to door on the phone: the household's building and room, then the questions."""
    survey = _managed(request, survey_id)
    user = request.user
    p = request.POST
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            form = _answers(request, survey, door=True)
            building = _building_by_pk(user, form.cleaned_data["building"])
            if building is None:
                raise ValidationFailed(_("请选择楼栋"), field="building")
            surveys.survey_answer_door(
                actor=user,
                survey=survey,
                building=building,
                room=form.cleaned_data["room"],
                answers=form.answers(),
            )
            messages.success(request, _("已记录该户答卷"))
            return redirect("ledgers:survey-door", survey_id=survey.pk)
    buildings = [b for b in _buildings(user) if b.micro_grid.path.startswith(survey.grid_path)]
    return render(
        request,
        "ledgers/survey_fill.html",
        {
            "survey": survey,
            "rows": _form_rows(request, survey, refusal),
            "question_kinds": QuestionKind,
            "buildings": buildings,
            "form": p,
            "errors": _above_questions(refusal, "building", "room"),
            "door": True,
            "shell": "base.html",
        },
        status=refusal.status,
    )


# ---------------------------------------------------------------- residents


@login_required
def resident_surveys(request: AuthedRequest) -> HttpResponse:
    user = request.user
    found = selectors.surveys_for_resident(user).select_related("node")
    answered = set(
        SurveyResponse.objects.filter(respondent=user, survey__in=found).values_list(
            "survey_id", flat=True
        )
    )
    page = paginate(request, found.filter(status=Survey.Status.OPEN), 20)
    return render(
        request,
        "ledgers/diaocha.html",
        {
            "page": page,
            "rows": [(s, s.pk in answered) for s in page],
            "closed": paginate(
                request,
                found.filter(status=Survey.Status.CLOSED).order_by("-closed_at", "-pk"),
                20,
                param="closed_page",
            ),
        },
    )


@login_required
def resident_survey(request: AuthedRequest, survey_id: int) -> HttpResponse:
    user = request.user
    survey = (
        selectors.surveys_for_resident(user).select_related("node").filter(pk=survey_id).first()
    )
    if survey is None:
        raise Http404
    done = SurveyResponse.objects.filter(survey=survey, respondent=user).exists()
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            surveys.survey_answer_online(
                actor=user, survey=survey, answers=_answers(request, survey).answers()
            )
            messages.success(request, _("感谢您参与调查"))
            return redirect("ledgers:diaocha-survey", survey_id=survey.pk)
    return render(
        request,
        "ledgers/survey_fill.html",
        {
            "survey": survey,
            "rows": _form_rows(request, survey, refusal),
            "question_kinds": QuestionKind,
            "errors": _above_questions(refusal),
            "done": done,
            "may_take_part": may_take_part(user, survey),
            "results": None if survey.is_open else surveys.survey_results(survey),
            "shell": "mobile/base.html",
        },
        status=refusal.status,
    )
