"""用户协议 and 隐私政策 for anyone to read, 再次同意 after a new version, and 我的 → 协议与授权
(what was agreed and when, and withdrawal, which closes the account)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from wangge.consent import selectors, services
from wangge.consent.forms import AgreeForm, WithdrawForm
from wangge.consent.models import Consent, LegalDocument
from wangge.core.errors import NotFound, PermissionDenied
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned

resident_login_required = login_required(login_url="mobile:login")


def _safe_next(request: HttpRequest, nxt: str) -> str:
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""


def document(request: HttpRequest, kind: str) -> HttpResponse:
    """The version in force, at a stable address that sign-up, 我的 and the mini-program link."""
    doc = selectors.current_document(kind)
    if doc is None:
        raise NotFound(_("该文件尚未发布"))
    return render(
        request,
        "consent/document.html",
        {"doc": doc, "current": True, "document_kinds": LegalDocument.Kind, "tab": "me"},
    )


def document_version(request: HttpRequest, kind: str, version: int) -> HttpResponse:
    """An earlier version, as it was agreed to: 协议与授权 links each consent to its own."""
    doc = selectors.document_version(kind, version)
    if doc is None:
        raise NotFound(_("没有这个版本"))
    current = selectors.current_document(kind)
    return render(
        request,
        "consent/document.html",
        {
            "doc": doc,
            "current": current is not None and current.pk == doc.pk,
            "document_kinds": LegalDocument.Kind,
            "tab": "me",
        },
    )


@resident_login_required
def agree(request: AuthedRequest) -> HttpResponse:
    """再次同意: the documents changed since this person agreed."""
    form = cleaned(AgreeForm(request.POST if request.method == "POST" else request.GET))
    nxt = _safe_next(request, form["next"]) or "/m/"
    documents = selectors.in_force()
    ctx: dict[str, Any] = {
        "documents": documents,
        "docs": [documents.terms, documents.privacy] if documents else [],
        "agreed": form["agree"],
        "next": nxt,
        "before": selectors.live_consent(request.user),
        "tab": "me",
    }
    if request.method == "POST":
        with Refusal() as refusal:
            services.agreement_check(
                agreed=form["agree"],
                terms_version=form["terms_version"],
                privacy_version=form["privacy_version"],
            )
            services.consent_record(
                user=request.user,
                channel=Consent.Channel.WEB,
                occasion=Consent.Occasion.RENEWAL,
                terms_version=form["terms_version"],
                privacy_version=form["privacy_version"],
            )
            messages.success(request, _("已同意新版用户协议和隐私政策"))
            return redirect(nxt)
        ctx.update(consent_error=refusal.message, agreed=False)
        return render(request, "consent/agree.html", ctx, status=refusal.status)
    return render(request, "consent/agree.html", ctx)


@resident_login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """我的 → 协议与授权: the versions in force, what this person agreed to and when."""
    user = request.user
    documents = selectors.in_force()
    live = selectors.live_consent(user)
    return render(
        request,
        "consent/mine.html",
        {
            "documents": documents,
            "live": live,
            "current": selectors.agrees_to(live, documents) and live is not None,
            "history": paginate(request, selectors.consent_history(user), 20),
            "may_withdraw": user.uses_resident_app,
            "tab": "me",
        },
    )


@resident_login_required
def withdraw(request: AuthedRequest) -> HttpResponse:
    """撤回同意并注销账号: what happens is said first; only a ticked confirmation closes it."""
    user = request.user
    if not user.uses_resident_app:
        raise PermissionDenied(_("工作人员账号的注销请联系系统管理员办理"))
    ctx: dict[str, Any] = {"tab": "me"}
    if request.method == "POST":
        confirmed = cleaned(WithdrawForm(request.POST))["confirm"]
        if not confirmed:
            ctx["error"] = _("请先勾选“我已了解撤回同意后账号将被注销”")
            return render(request, "consent/withdraw.html", ctx, status=422)
        services.consent_withdraw(user=user)
        logout(request)
        return render(request, "consent/withdrawn.html", {"tab": "me"})
    return render(request, "consent/withdraw.html", ctx)
