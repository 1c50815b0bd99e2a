"""The case page (事件详情) and what is done from it: the staff's working page with a form for
each action the person may take now (and the states a queued outbox action leads to), the
resident's page of plain steps, the desk's category choice, taking the case off 身边事, and the
reporter's phone revealed to dial. Apart from the lists and the desk (cases.views), which show
many cases at once: this is one case, its actions and its timeline."""

from copy import copy
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.cases import batch, selectors, services
from wangge.cases.forms import (
    ACTION_FIELDS,
    DEFAULT_FIELDS,
    ActionAskedForm,
    ActionForm,
    ActionLists,
    CategoryChoiceForm,
    NoteForm,
    action_lists,
)
from wangge.cases.models import Case, CaseEvent
from wangge.cases.workflow import ACTION_LABELS, TRANSITIONS, allowed_actions, is_desk_of
from wangge.core.errors import NotFound
from wangge.core.images import clean_images
from wangge.core.scope import path_in_scope
from wangge.core.web import AuthedRequest, Refusal, answers_json, cleaned, flash_refusal, revealed


def _node_choices(user: User, case: Case) -> list[tuple[str, str]]:
    return [
        (n.code, f"{'　' * max(n.depth - 1, 0)}{n.name}")
        for n in selectors.dispatch_targets(user, case)
    ]


# The case page puts the step a handler takes next first: 签收, then 办结, then the rest in the
# workflow's order.
FIRST_ACTIONS = ("sign", "dept_sign", "resolve", "contact")


def _auto_id(action: str) -> str:
    # One form per action on the page: each needs its own ids (the labels point at them).
    return f"{action if action in ACTION_LABELS else 'action'}-%s"


def _action_order(action: str) -> int:
    return FIRST_ACTIONS.index(action) if action in FIRST_ACTIONS else len(FIRST_ACTIONS)


# The handler's actions that go through the phone's outbox (cases/_outbox.html binds them).
OUTBOX_ACTIONS = ("sign", "contact", "resolve", "return", "escalate", "request_extension")
# Those after which the case is no longer this worker's to act on: nothing more is offered.
HANDS_OVER = ("return", "escalate")


def _leads_to(action: str) -> str:
    """The state a queued outbox action shows the page in until it is delivered ("" when it
    leaves the page as it is): the status it moves the case to, or the action itself when the
    case leaves the worker's hands."""
    if action not in OUTBOX_ACTIONS:
        return ""
    if action in HANDS_OVER:
        return action
    target = TRANSITIONS[action][1]
    return str(target) if target else ""


def _action_forms(
    case: Case,
    allowed: list[str],
    choices: list[tuple[str, str]],
    lists: ActionLists,
    failed: ActionForm | None = None,
) -> list[dict[str, Any]]:
    forms = []
    for action in sorted(allowed, key=_action_order):
        form = (
            failed
            if failed is not None and failed.data.get("action") == action
            else ActionForm(
                initial={"action": action},
                node_choices=choices,
                lists=lists,
                auto_id=_auto_id(action),
            )
        )
        fields = ACTION_FIELDS.get(action, DEFAULT_FIELDS)
        if form is failed:
            failed.mark_errors(fields)
        forms.append(
            {
                "action": action,
                "label": ACTION_LABELS.get(action, action),
                "form": form,
                "fields": [form[f] for f in fields],
                "leads_to": _leads_to(action),
            }
        )
    return forms


def _queued_states(
    case: Case, user: User, allowed: list[str], lists: ActionLists
) -> list[dict[str, Any]]:
    """The case's actions as they will be once each outbox action the worker may queue has gone
    (签收 → the forms of a signed case, with 办结; 办结 → none), drawn now so that a page opened
    without signal shows the state the queued action leads to and takes the next one."""
    states: list[dict[str, Any]] = []
    seen = {str(case.status)}
    todo = [(case, a) for a in allowed if a in OUTBOX_ACTIONS]
    while todo:
        before, action = todo.pop(0)
        key = _leads_to(action)
        if not key or key in seen:
            continue
        seen.add(key)
        if action in HANDS_OVER:
            label = ACTION_LABELS.get(action, action)
            states.append({"key": key, "status_text": _("已%(a)s") % {"a": label}, "forms": []})
            continue
        ahead = copy(before)
        ahead.status = key
        next_allowed = allowed_actions(ahead, user)
        states.append(
            {
                "key": key,
                "status_text": services.plain_status(ahead),
                "forms": _action_forms(ahead, next_allowed, [], lists),
            }
        )
        todo.extend((ahead, a) for a in next_allowed if a in OUTBOX_ACTIONS)
    return states


def _detail_context(
    request: AuthedRequest, case: Case, failed: ActionForm | None = None
) -> dict[str, Any]:
    user = request.user
    allowed = allowed_actions(case, user)
    choices = _node_choices(user, case) if {"dispatch", "transfer"} & set(allowed) else []
    lists = action_lists(case.grid_path)
    forms = _action_forms(case, allowed, choices, lists, failed)
    orphan_errors = (
        list(failed.non_field_errors())
        if failed is not None and failed.data.get("action") not in allowed
        else []
    )
    return {
        "case": case,
        "status_text": services.plain_status(case),
        "forms": forms,
        "queued_states": _queued_states(case, user, allowed, lists),
        "action_errors": orphan_errors,
        "events": list(selectors.timeline(case)),
        "photos": list(case.attachments.all()),
        "assistances": list(case.assistances.select_related("department")),
        "duplicates": selectors.likely_duplicates(user, case, limit=3)
        if "merge" in allowed
        else [],
        "now": timezone.now(),
        "category_panel": _category_panel(case, user, lists.categories),
        # The map draws the micro-grid's outline only for those whose scope holds it: asking
        # the grid API for someone else's grid (a department's handler) is a 404 behind the map.
        "grid_outline": _outline_code(user, case),
    }


def _category_panel(
    case: Case, user: User, choices: list[tuple[str, str]]
) -> dict[str, Any] | None:
    """The desk's category choice (cases/_category_panel.html), for the desk of an open case."""
    if case.is_history or not case.is_open or not is_desk_of(case, user):
        return None
    return {
        "current": case.category,
        "external": case.external_category,
        "suggestions": [
            {
                "code": s["code"],
                "name": s["name"],
                "percent": round(float(s["probability"]) * 100),
                "words": s.get("words") or [],
            }
            for s in (case.category_suggestions or [])[:3]
        ],
        "choices": [c for c in choices if c[0]],
    }


@login_required
@require_POST
def category_set(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The desk takes a suggested category, or names the right one (不是这类)."""
    form = CategoryChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择一个在用的事件分类"))
        return redirect("cases:detail", case_id=case_id)
    case = services.case_category_set(
        case_id=case_id, actor=request.user, code=form.cleaned_data["category"]
    )
    messages.success(
        request, _("已确认分类：%(name)s") % {"name": case.category.name if case.category else ""}
    )
    return redirect("cases:detail", case_id=case.pk)


def _outline_code(user: User, case: Case) -> str:
    """The micro-grid whose outline the case map draws: only one the grid API will serve this
    person (a department handler sees the case, not the grid)."""
    grid = case.micro_grid
    if grid is None or not user.is_grid_staff or not path_in_scope(user, grid.path):
        return ""
    return grid.code


@login_required
def detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    try:
        case = selectors.access_case(request.user, case_id)
    except NotFound:
        return _handed_away(request, case_id)
    return _render_detail(request, case)


def _handed_away(request: AuthedRequest, case_id: int) -> HttpResponse:
    """A case this person may no longer see because the last thing done to it was their own
    hand-over: on a weak network the reply to their 转办 is lost, they send it again or open
    the page again, and are told that it went through (and where), not that the case does not
    exist. Anyone else, or a case someone has touched since, gets the plain 404."""
    user = request.user
    last = None if user.uses_resident_app else selectors.own_hand_over(user, case_id)
    if last is None:
        raise NotFound(_("事件不存在或无权查看"))
    where = str(last.data.get("district") or "") if isinstance(last.data, dict) else ""
    label = ACTION_LABELS.get(last.action, last.action)
    if where:
        text = _("事件 #%(id)s 已%(a)s至%(where)s，现由对方办理") % {
            "id": case_id,
            "a": label,
            "where": where,
        }
    else:
        text = _("事件 #%(id)s 已%(a)s，现由对方办理") % {"id": case_id, "a": label}
    messages.info(request, text)
    return redirect("cases:index")


def _render_detail(
    request: AuthedRequest, case: Case, failed: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    """Staff see the working page; a resident sees their case in plain words in the app."""
    ctx = _detail_context(request, case, failed=failed)
    if request.user.uses_resident_app:
        ctx["mine"] = selectors.resident_case_view(case)
        ctx["actions"] = CaseEvent.Action
        ctx["tab"] = "me"
        return render(request, "cases/resident_detail.html", ctx, status=status)
    return render(request, "cases/detail.html", ctx, status=status)


@login_required
@require_POST
def act(request: AuthedRequest, case_id: int) -> HttpResponse:
    user = request.user
    try:
        case = selectors.access_case(user, case_id)
    except NotFound:
        # The same action sent again after its reply was lost: it went through the first time.
        return _handed_away(request, case_id)
    asked = cleaned(ActionAskedForm(request.POST))
    form = ActionForm(
        request.POST,
        request.FILES,
        node_choices=_node_choices(user, case),
        lists=action_lists(case.grid_path),
        auto_id=_auto_id(asked["action"]),
    )
    if form.is_valid():
        d = form.cleaned_data
        if d["action"] == "merge" and not asked["confirm"]:
            # 合并 takes the case out of the count for good: both cases are shown side by side
            # (with what makes them look like different matters) before anything is merged.
            preview = batch.merge_preview(actor=user, case_ids=[case.pk], parent=d["parent"])
            return render(
                request,
                "cases/desk_merge_confirm.html",
                {
                    "preview": preview,
                    "ids": [],
                    "note": d["note"],
                    "case_page": case,
                    "cancel": reverse("cases:detail", kwargs={"case_id": case.pk}),
                },
            )
        params = {
            k: v
            for k, v in d.items()
            if k not in ("action", "note", "photos") and v not in ("", None, [])
        }
        # A refusal sits at the input it is about when the action's form shows that input.
        with Refusal(form, fields=ACTION_FIELDS.get(d["action"], DEFAULT_FIELDS)):
            photos = clean_images(request.FILES.getlist("photos"))
            case = services.case_act(
                case_id=case.pk,
                actor=user,
                action=d["action"],
                note=d["note"],
                params=params,
                photos=photos,
            )
            messages.success(
                request, _("已%(a)s") % {"a": ACTION_LABELS.get(d["action"], d["action"])}
            )
            if services.can_view_now(case, user):
                return redirect("cases:detail", case_id=case.pk)
            return redirect("cases:index")
    case.refresh_from_db()
    return _render_detail(request, case, failed=form, status=422)


@login_required
@require_POST
def unpublish(request: AuthedRequest, case_id: int) -> HttpResponse:
    with flash_refusal(request):
        d = cleaned(NoteForm(request.POST))
        services.case_unpublish(case_id=case_id, actor=request.user, note=d["note"])
        messages.success(request, _("已从身边事撤下"))
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
@answers_json
def reveal_phone(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The worker taps “拨打电话”: the full number for the dialler, written to the audit log."""
    user = request.user
    case = selectors.access_case(user, case_id)
    reveal = partial(services.reveal_reporter_phone, case=case, actor=user)
    return revealed(request, reveal, purpose=_("联系诉求人"), key="phone")
