"""Registration in 原点在线: phone + text-message code, real name, then where one lives."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts import registration
from wangge.accounts.models import ResidenceClaim, User
from wangge.consent import selectors as consent_selectors
from wangge.consent import services as consent_services
from wangge.consent.models import Consent
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.paging import paginate
from wangge.core.scope import in_scope
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal
from wangge.grids.models import Building
from wangge.grids.selectors import resolve_address
from wangge.mobile.forms import AddressForm, ClaimDecideForm, SmsLoginForm, VerifyForm
from wangge.mobile.signin import resident_login_required, safe_next
from wangge.moderation import services as moderation
from wangge.notices.selectors import home_node

BACKEND = "wangge.accounts.backends.PhoneBackend"


def shows_demo_code() -> bool:
    """A demo has no SMS gateway, so the page shows the code it "sent" (as the README says).
    Never in production, even if DEMO_MODE was left on there: the code is the only proof that
    the phone is the person's."""
    return settings.DEMO_MODE and not settings.PRODUCTION


def sms_login(request: AuthedRequest) -> HttpResponse:
    """The first screen of the app when signed out: sign in or sign up with a text-message code."""
    nxt = safe_next(request)
    d = cleaned(SmsLoginForm(request.POST))
    ctx: dict[str, Any] = {
        "phone": d["phone"],
        "sent": False,
        "next": nxt,
        "documents": consent_selectors.in_force(),
        "agreed": d["agree"],
    }
    if request.method == "POST":
        ip = request.META.get("REMOTE_ADDR")
        shown = {"terms_version": d["terms_version"], "privacy_version": d["privacy_version"]}
        with Refusal() as refusal:
            # Before the phone is used at all: no code is sent, no account made, without it.
            consent_services.agreement_check(agreed=d["agree"], **shown)
            if d["action"] == "send":
                code = registration.sms_code_request(phone=ctx["phone"], ip=ip)
                ctx["sent"] = True
                if shows_demo_code():
                    ctx["demo_code"] = code
            else:
                user, new = registration.sms_code_login(phone=ctx["phone"], code=d["code"])
                if not consent_selectors.has_current_consent(user):
                    consent_services.consent_record(
                        user=user,
                        channel=Consent.Channel.WEB,
                        occasion=Consent.Occasion.SIGN_IN,
                        **shown,
                    )
                login(request, user, backend=BACKEND)
                if new or not user.real_name_verified_at:
                    return redirect("mobile:verify")
                return redirect(nxt or "mobile:home")
        if refusal:
            ctx["error"] = refusal.message
            ctx["sent"] = d["action"] != "send"
            if refusal.field == "agree":
                # Refused for the box alone: what was typed stays, the code too.
                ctx.update(consent_error=refusal.message, agreed=False, error="", code=d["code"])
    return render(request, "mobile/login.html", ctx)


@resident_login_required
def verify(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    d = cleaned(VerifyForm(request.POST))
    ctx: dict[str, Any] = {
        "name": d["name"] if request.method == "POST" else user.name,
        "documents": consent_selectors.in_force(),
        "agreed": d["agree"],
    }
    if request.method == "POST":
        shown = {"terms_version": d["terms_version"], "privacy_version": d["privacy_version"]}
        # The ID number is not echoed back on a refusal: it stays on the phone, not in the page.
        with Refusal() as refusal:
            consent_services.agreement_check(agreed=d["agree"], **shown)
            # Both or neither: an ID number is never kept without the consent it was given under.
            with transaction.atomic():
                registration.real_name_verify(user=user, name=ctx["name"], id_number=d["id_number"])
                consent_services.consent_record(
                    user=user,
                    channel=Consent.Channel.WEB,
                    occasion=Consent.Occasion.REAL_NAME,
                    **shown,
                )
                # Neighbours see the name (圈子, 显示全名) only once content security passes it.
                moderation.name_submit(user=user, name=user.name)
            messages.success(request, _("实名认证已完成"))
            return redirect("mobile:address")
        ctx["error"] = refusal.message
        if refusal.field == "agree":
            ctx.update(consent_error=refusal.message, agreed=False, error="")
    return render(request, "mobile/verify.html", ctx)


@resident_login_required
def address(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    d = cleaned(AddressForm(request.POST))
    q = d["q"] or cleaned(AddressForm(request.GET))["q"]
    ctx: dict[str, Any] = {
        "q": q,
        "room": d["room"],
        "claims": user.residence_claims.select_related("building")[:5],
        # A resident with a home already is moving: told what comes along.
        "moving": home_node(user) is not None,
    }
    if q:
        match = resolve_address(q=q)
        ids = [c.building_id for c in match.resolution.candidates]
        if match.building is not None:
            ids = [match.building.pk, *[i for i in ids if i != match.building.pk]]
        by_id = Building.objects.in_bulk(ids)
        ctx["buildings"] = [by_id[i] for i in ids if i in by_id]
    picked = d["building"]
    # A claim binds the resident's home: only ever to the building they ticked (nothing is ticked
    # for them), and only when they asked to submit; a new search never files one.
    claiming = request.method == "POST" and not d["search"] and (d["claim"] or bool(picked))
    ctx["picked"] = picked
    if claiming:
        building = (
            Building.objects.select_related("micro_grid").filter(pk=picked).first()
            if picked.isdigit()
            else None
        )
        with Refusal() as refusal:
            if building is None:
                raise ValidationFailed(
                    _("请先点选您住的楼栋，再提交给网格员确认。"), field="building"
                )
            registration.residence_claim(user=user, building=building, room=ctx["room"])
            messages.success(request, _("已提交，网格员确认后即可看到本网格的公告和服务"))
            return redirect("mobile:me")
        ctx["error"] = refusal.message
        ctx["error_at_building"] = refusal.field == "building"
        return render(request, "mobile/address.html", ctx, status=refusal.status)
    return render(request, "mobile/address.html", ctx)


@resident_login_required
def claims(request: AuthedRequest) -> HttpResponse:
    """For grid staff: residents waiting to be confirmed at a building in their grid."""
    user: User = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以确认住址"))
    rows = in_scope(
        user, ResidenceClaim.objects.filter(status=ResidenceClaim.Status.PENDING), "grid_path"
    )
    page = paginate(request, rows.select_related("user", "building").order_by("created_at"), 20)
    return render(request, "mobile/claims.html", {"page": page})


@resident_login_required
@require_POST
def claim_decide(request: AuthedRequest, claim_id: int) -> HttpResponse:
    user: User = request.user
    with flash_refusal(request):
        d = cleaned(ClaimDecideForm(request.POST))
        registration.residence_decide(
            actor=user, claim_id=claim_id, confirm=d["confirm"], note=d["note"]
        )
        messages.success(request, _("已处理"))
    return redirect("mobile:claims")
