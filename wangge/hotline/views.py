"""Pages of the 12345 adapter: deliveries that need a person, and the call-taker desk."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.accounts.models import User
from wangge.cases.models import Status
from wangge.core.errors import Conflict
from wangge.core.masking import mask_phone
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, flash_refusal
from wangge.hotline import selectors, services
from wangge.hotline.forms import LOOKUP, MERGE, DeskForm, DeskPlaceForm, DeskStepForm


def _operator(request: AuthedRequest) -> User:
    if not selectors.is_hotline_operator(request.user):
        raise DjangoPermissionDenied
    return request.user


@login_required
def deliveries(request: AuthedRequest) -> HttpResponse:
    user = _operator(request)
    page = paginate(request, selectors.deliveries_needing_attention(user), 30)
    return render(request, "hotline/deliveries.html", {"page": page})


@login_required
@require_POST
def delivery_retry(request: AuthedRequest, delivery_id: int) -> HttpResponse:
    user = _operator(request)
    # Not found and refused answer their pages; a delivery already pushed again is said here.
    with flash_refusal(request, Conflict):
        delivery = services.delivery_retry(delivery_id=delivery_id, actor=user)
        messages.success(
            request,
            _("已重新推送工单 %(no)s 的“%(kind)s”回传")
            % {"no": delivery.order_no, "kind": delivery.get_kind_display()},
        )
    return redirect("hotline:deliveries")


def _lookups(user: User, form: DeskForm) -> dict[str, Any]:
    """What the desk shows beside the form: the caller's history and similar open cases."""
    data = getattr(form, "cleaned_data", {})
    found: dict[str, Any] = {}
    phone = data.get("caller_phone")
    if phone:
        found["history"] = selectors.caller_history(user, phone)
        found["masked_phone"] = mask_phone(phone)
    if data.get("address") and data.get("content"):
        found["similar"] = selectors.similar_open_cases(
            user, address=data["address"], content=data["content"]
        )
    # Beside the address, as the script says it while typing (for a browser without it).
    found["place_note"] = selectors.desk_place(
        user, address=data.get("address") or "", content=data.get("content") or ""
    )
    return found


@login_required
@require_GET
def desk_place(request: AuthedRequest) -> JsonResponse:
    """The line beside the desk form's address as the operator types: where the intake will
    put a call that describes a place without a building (empty otherwise)."""
    user = _operator(request)
    form = DeskPlaceForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"place": ""})
    d = form.cleaned_data
    return JsonResponse(
        {"place": selectors.desk_place(user, address=d["address"], content=d["content"])}
    )


@login_required
def desk(request: AuthedRequest) -> HttpResponse:
    user = _operator(request)
    streets = selectors.desk_streets(user)
    if request.method != "POST":
        # A street's own dispatcher takes calls for that street; an admin picks one per call.
        initial = {"street": streets[0].code} if len(streets) == 1 else {}
        form = DeskForm(streets=streets, initial=initial)
        return render(request, "hotline/desk.html", {"form": form})
    action = DeskStepForm(request.POST).step()
    form = DeskForm(request.POST, streets=streets, action=action)
    if form.is_valid() and action != LOOKUP:
        with Refusal(form, fields=()):
            receipt = services.desk_call_take(
                order=form.to_order(),
                actor=user,
                merge_into=form.cleaned_data["merge_into"] if action == MERGE else None,
            )
            case = receipt.case
            if action == MERGE:
                text = _("来电已登记为事件 %(n)s，并合并到事件 %(p)s") % {
                    "n": case.number,
                    "p": case.parent.number if case.parent else "",
                }
            elif receipt.created:
                text = _("已创建事件 %(n)s（工单 %(o)s），状态：%(s)s") % {
                    "n": case.number,
                    "o": receipt.order.order_no,
                    "s": Status(case.status).label,
                }
            else:
                text = _("工单 %(o)s 已登记过，对应事件 %(n)s") % {
                    "o": receipt.order.order_no,
                    "n": case.number,
                }
            messages.success(request, text)
            return redirect("hotline:desk")
    return render(
        request,
        "hotline/desk.html",
        {"form": form, "checked": True, **_lookups(user, form)},
    )
