"""鹰眼 pages for staff: a camera's live view (and the pictures taken from it), the alerts
waiting for a person, one alert with every snapshot. Each live view is in the access audit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import PersonalDataAccess
from wangge.accounts.services import personal_data_reveal
from wangge.cases import categories
from wangge.cases.models import Status
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.idempotency import request_key, run_once
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, answers_json, flash_refusal
from wangge.video import forms, selectors, services
from wangge.video.models import AlertState, CameraHold

MAX_FRAME_BYTES = 4 * 1024 * 1024


def _staff(request: AuthedRequest) -> None:
    if not request.user.is_grid_staff:
        raise PermissionDenied(_("仅网格工作人员可查看监控"))


def _leaves() -> list[tuple[str, str]]:
    return sorted((c.code, c.name) for c in categories.leaves().values())


@login_required
def camera(request: AuthedRequest, camera_id: int) -> HttpResponse:
    _staff(request)
    cam = selectors.access_camera(request.user, camera_id)
    stream, refused = "", ""
    if cam.stream_url:
        # Watching a camera is seeing people: revealed, and recorded, like an ID number.
        try:
            stream = personal_data_reveal(
                actor=request.user,
                field=PersonalDataAccess.Field.VIDEO,
                value=cam.stream_url,
                purpose=_("查看实时监控"),
                ip=request.META.get("REMOTE_ADDR"),
                label=_("摄像头 %(code)s %(name)s") % {"code": cam.code, "name": cam.facility.name},
            )
        except PermissionDenied as exc:
            refused = exc.message
    alerts = list(cam.alerts.select_related("case", "event_type").order_by("-last_at")[:10])
    reviewable = [a for a in alerts if a.case is not None and a.case.status == Status.RESOLVED]
    flv = cam.stream_url.split("?", 1)[0].endswith(".flv")
    return render(
        request,
        "video/camera.html",
        {
            "camera": cam,
            "stream": stream,
            "stream_refused": refused,
            "online": selectors.is_online(cam),
            "stream_kind": "flv" if flv else "hls",
            "alerts": alerts,
            "reviewable": reviewable,
            "leaves": _leaves(),
            "words": _player_words(),
            "holds": CameraHold.choices,
        },
    )


def _player_words() -> dict[str, str]:
    """What the player's script says, translated here."""
    return {
        "playing": _("实时画面播放中"),
        "failed": _("视频连接失败，请稍后重试"),
        "tap": _("请点击播放"),
        "noFlv": _("此浏览器无法播放 FLV 视频"),
        "noPlayer": _("此浏览器无法播放该视频"),
        "notLoaded": _("画面尚未加载，无法截图"),
        "uploading": _("正在上传截图……"),
        "openCase": _("打开案件"),
        "offline": _("网络不通，截图未上传，请重试"),
    }


def _frame(form: forms.SnapshotForm) -> bytes:
    upload = form.cleaned_data["image"]
    if upload.size is None or upload.size > MAX_FRAME_BYTES:
        raise ValidationFailed(_("截图过大"), field="image")
    data: bytes = upload.read()
    return data


@login_required
@require_POST
@answers_json
def snapshot(request: AuthedRequest, camera_id: int) -> HttpResponse:
    """A frame taken from the player: 截图立案, or the 复核 picture of a resolved case."""
    _staff(request)
    cam = selectors.access_camera(request.user, camera_id)
    form = forms.SnapshotForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationFailed(_("没有收到截图") if "image" in form.errors else _("请求参数不正确"))
    d = form.cleaned_data
    image = _frame(form)

    def work() -> tuple[int, dict[str, str]]:
        if d["purpose"] == "review":
            if not d["case"]:
                raise ValidationFailed(_("请选择要复核的案件"), field="case")
            services.snapshot_review(
                camera_id=cam.pk, actor=request.user, image=image, case_id=d["case"]
            )
            return 201, {"detail": _("复核截图已保存")}
        case = services.snapshot_case(
            camera_id=cam.pk,
            actor=request.user,
            image=image,
            description=d["description"],
            category_code=d["category"],
        )
        return 201, {
            "detail": _("已立案：%(n)s") % {"n": case.number},
            "case_number": case.number or "",
            "url": reverse("cases:detail", args=[case.pk]),
        }

    # A phone on a weak signal sends the same frame again when no answer came: one case.
    status, body = run_once(
        actor_id=request.user.pk,
        key=request_key(request),
        scope=f"video-frame:{cam.pk}",
        work=work,
    )
    return JsonResponse(body, status=status)


@login_required
def alerts(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    return render(
        request,
        "video/alerts.html",
        {
            "page": paginate(request, selectors.alerts_pending(request.user), 30),
            "leaves": _leaves(),
        },
    )


@login_required
def alert(request: AuthedRequest, alert_id: int) -> HttpResponse:
    _staff(request)
    found = selectors.access_alert(request.user, alert_id)
    return render(
        request,
        "video/alert.html",
        {
            "alert": found,
            "page": paginate(request, selectors.events_of(found), 24),
            "leaves": _leaves(),
            "pending": found.state == AlertState.PENDING,
        },
    )


@login_required
@require_POST
def alert_decide(request: AuthedRequest, alert_id: int) -> HttpResponse:
    _staff(request)
    found = selectors.access_alert(request.user, alert_id)
    back = redirect("video:alert", alert_id=found.pk)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择属实立案或误报"))
        return back
    d = form.cleaned_data
    with flash_refusal(request):
        if d["decision"] == "dismiss":
            services.alert_dismiss(alert_id=found.pk, actor=request.user)
            messages.success(request, _("已标为误报"))
            return redirect("video:alerts")
        case = services.alert_confirm(
            alert_id=found.pk,
            actor=request.user,
            category_code=d["category"],
            note=d["note"],
        )
        messages.success(request, _("已立案：%(n)s") % {"n": case.number})
        return redirect("cases:detail", case.pk)
    return back


@login_required
@require_POST
def camera_hold(request: AuthedRequest, camera_id: int) -> HttpResponse:
    """维修/遮挡 (or back to normal): while held, the camera's events are kept, never cased."""
    _staff(request)
    cam = selectors.access_camera(request.user, camera_id)
    form = forms.HoldForm(request.POST)
    with flash_refusal(request):
        if not form.is_valid():
            raise ValidationFailed(_("请选择摄像头状态"))
        held = services.camera_hold_set(camera_id=cam.pk, hold=form.cleaned_data["hold"])
        messages.success(
            request,
            _("已标为%(s)s") % {"s": held.get_hold_display()},
        )
    return redirect("video:camera", camera_id=cam.pk)
