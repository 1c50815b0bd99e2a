"""民意调查 pages: staff write, close and read results (desktop), workers fill door to door
(phone), residents answer online in the 原点在线 shell."""

from collections.abc import Mapping, Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.errors import DomainError, NotFound, ValidationFailed
from wangge.core.paging import paginate
from wangge.grids.models import GridLevel
from wangge.ledgers import surveys
from wangge.ledgers.models import Survey, SurveyResponse
from wangge.ledgers.services import INSPECTION_ROLES, may_take_part
from wangge.ledgers.views import _building_by_pk, _buildings, _node_from, _nodes, _staff, _user


def _answers(request: HttpRequest, survey: Survey) -> Mapping[int, Sequence[str]]:
    return {q.pk: request.POST.getlist(f"q-{q.pk}") for q in survey.questions.all()}


def _form_rows(request: HttpRequest, survey: Survey) -> list[tuple[object, list[str]]]:
    return [(q, request.POST.getlist(f"q-{q.pk}")) for q in survey.questions.all()]


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    error = ""
    p = request.POST
    if request.method == "POST":
        try:
            survey = surveys.survey_create(
                actor=user,
                node=_node_from(user, p.get("node", "")),
                title=p.get("title", ""),
                intro=p.get("intro", ""),
                questions=p.get("questions", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("调查已发布"))
            return redirect("ledgers:survey", survey_id=survey.pk)
    page = paginate(request, surveys.surveys_managed(user).select_related("node"), 30)
    return render(
        request,
        "ledgers/surveys.html",
        {
            "page": page,
            "nodes": _nodes(user, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO),
            "form": p,
            "example": surveys.EXAMPLE_QUESTIONS,
            "error": error,
        },
        status=422 if error else 200,
    )


def _managed(request: HttpRequest, survey_id: int) -> Survey:
    try:
        return surveys.access_managed_survey(_staff(request), survey_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    user = _user(request)
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
def survey_close(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    try:
        surveys.survey_close(actor=_user(request), survey=survey)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("调查已结束"))
    return redirect("ledgers:survey", survey_id=survey.pk)


@login_required
def survey_export(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    resp = HttpResponse(
        surveys.survey_xlsx(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return resp


@login_required
def survey_door(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Door to door on the phone: the household's building and room, then the questions."""
    survey = _managed(request, survey_id)
    user = _user(request)
    error = ""
    p = request.POST
    if request.method == "POST":
        try:
            building = _building_by_pk(user, p.get("building", ""))
            if building is None:
                raise ValidationFailed(_("请选择楼栋"))
            surveys.survey_answer_door(
                actor=user,
                survey=survey,
                building=building,
                room=p.get("room", ""),
                answers=_answers(request, survey),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("已记录该户答卷"))
            return redirect("ledgers:survey-door", survey_id=survey.pk)
    buildings = [b for b in _buildings(user) if b.micro_grid.path.startswith(survey.grid_path)]
    return render(
        request,
        "ledgers/survey_fill.html",
        {
            "survey": survey,
            "rows": _form_rows(request, survey),
            "buildings": buildings,
            "form": p,
            "error": error,
            "door": True,
            "shell": "base.html",
        },
        status=422 if error else 200,
    )


# ---------------------------------------------------------------- residents


@login_required
def resident_surveys(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    found = surveys.surveys_for_resident(user).select_related("node")
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
def resident_survey(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = _user(request)
    survey = surveys.surveys_for_resident(user).select_related("node").filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    error = ""
    done = SurveyResponse.objects.filter(survey=survey, respondent=user).exists()
    if request.method == "POST":
        try:
            surveys.survey_answer_online(
                actor=user, survey=survey, answers=_answers(request, survey)
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("感谢您参与调查"))
            return redirect("ledgers:diaocha-survey", survey_id=survey.pk)
    return render(
        request,
        "ledgers/survey_fill.html",
        {
            "survey": survey,
            "rows": _form_rows(request, survey),
            "error": error,
            "done": done,
            "may_take_part": may_take_part(user, survey),
            "results": None if survey.is_open else surveys.survey_results(survey),
            "shell": "mobile/base.html",
        },
        status=422 if error else 200,
    )
