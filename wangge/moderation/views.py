"""The operator's review queue, and the two addresses WeChat calls: the message push (the
verdicts of mediaCheckAsync) and the signed link it fetches a photo from."""

import logging

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError as PydanticError

from wangge.core.errors import PermissionDenied
from wangge.core.media import is_pending, serve
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, cleaned, flash_refusal
from wangge.moderation import medialinks, selectors, services
from wangge.moderation.forms import DecideForm, PushQueryForm
from wangge.moderation.models import ContentCheck
from wangge.moderation.push import signature_valid
from wangge.moderation.schemas import PushEvent

logger = logging.getLogger(__name__)


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以审核内容"))
    return render(
        request,
        "moderation/queue.html",
        {
            "queue": paginate(request, selectors.review_queue(user), 20),
            "decided": paginate(request, selectors.recently_decided(user), 20, param="done"),
        },
    )


@login_required
@require_POST
def decide(request: AuthedRequest, check_id: int) -> HttpResponse:
    with flash_refusal(request):
        d = cleaned(DecideForm(request.POST))
        services.check_decide(
            actor=request.user,
            check_id=check_id,
            passed=d["decision"] == "pass",
            reason=d["reason"] or "",
        )
        messages.success(request, _("已处理"))
    return redirect("moderation:queue")


def _photo_file(check: ContentCheck) -> str:
    row = apps.get_model(check.photo_model)._default_manager.filter(pk=check.photo_id).first()
    name = row.image.name if row is not None else ""
    if not name or is_pending(name):
        raise Http404
    return str(name)


@login_required
@require_GET
def photo(request: AuthedRequest, check_id: int) -> HttpResponseBase:
    """The photo an operator judges (held content is shown to nobody else)."""
    check = ContentCheck.objects.filter(pk=check_id, photo_id__isnull=False).first()
    if check is None or not selectors.may_review(request.user, check):
        raise Http404
    return serve(_photo_file(check))


@require_GET
def media(request: HttpRequest, token: str) -> HttpResponseBase:
    """Where WeChat fetches a photo for mediaCheckAsync: a signed link that expires."""
    check = medialinks.check_for(token)
    if check is None or not check.is_open:
        raise Http404
    return serve(_photo_file(check))


def _refuse(message: str, status: int = 403) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_push(request: HttpRequest) -> HttpResponse:
    """The mini-program's 消息推送 URL. GET: WeChat checks the URL (echostr back). POST: an
    event; `wxa_media_check` carries a photo's verdict. Only JSON plaintext mode is taken."""
    q = cleaned(PushQueryForm(request.GET))
    if not signature_valid(signature=q["signature"], timestamp=q["timestamp"], nonce=q["nonce"]):
        logger.warning("wechat push refused: bad signature")
        return _refuse(_("签名无效"))
    if request.method == "GET":
        return HttpResponse(q["echostr"], content_type="text/plain")
    if q["encrypt_type"] and q["encrypt_type"] != "raw":
        return _refuse(_("未配置消息加密：请在小程序后台「消息推送」选择明文模式和 JSON 格式"), 400)
    try:
        event = PushEvent.model_validate_json(request.body or b"{}")
    except PydanticError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            return _refuse(_("消息不是 JSON：请在小程序后台「消息推送」选择 JSON 格式"), 400)
        return _refuse(_("消息格式无法识别"), 400)
    if event.encrypted:
        return _refuse(_("未配置消息加密：请在小程序后台「消息推送」选择明文模式和 JSON 格式"), 400)
    if event.media_check:
        services.media_pushed(
            trace_id=str(event.trace_id)[:64], result=event.result, errcode=event.errcode
        )
    return HttpResponse("success", content_type="text/plain")
