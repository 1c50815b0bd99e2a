"""Check-in and check-out of 志愿服务: the person proves they are at the place (the rotating code
on the organiser's screen, or a position inside the task's fence), at most three times a day,
and their recorded hours follow from the check-ins. The organiser decides on those hours in
services.py.

Locks as in services.py: the sign-up is locked (the person's own row of the task)."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import Conflict, NotFound, ValidationFailed
from wangge.grids.coords import distance_m, to_wgs84
from wangge.volunteering import checkin_codes
from wangge.volunteering.models import CheckIn, SignUp, Task
from wangge.volunteering.selectors import OPEN_STATUSES

# A volunteer may check in this long before the start (hours count from the start only).
EARLY_CHECKIN = timedelta(minutes=30)
MAX_CHECKINS_PER_DAY = 3
HOURS_STEP = Decimal("0.01")


def _prove_presence(
    task: Task, *, code: str, lon: float | None, lat: float | None, crs: str, now: datetime
) -> tuple[str, float | None, float | None]:
    """Either the code on the organiser's screen or a position inside the fence, as the task
    allows. Returns the method used and the position (WGS-84) if one was given."""
    wlon = wlat = None
    if lon is not None and lat is not None:
        try:
            wlon, wlat = to_wgs84(lon, lat, crs)
        except ValueError as exc:
            raise ValidationFailed(_("定位坐标不正确")) from exc
    if code and task.uses_qr:
        if checkin_codes.code_valid(task, code, now):
            return CheckIn.Method.QR, wlon, wlat
        raise ValidationFailed(_("签到码已过期，请重新扫描组织人出示的二维码"))
    if task.uses_geofence and wlon is not None and wlat is not None:
        metres = distance_m(wlon, wlat, task.lon, task.lat)
        if metres <= task.geofence_m:
            return CheckIn.Method.GEOFENCE, wlon, wlat
        raise ValidationFailed(
            _("您距活动地点约 %(m)d 米，须在 %(r)d 米以内") % {"m": metres, "r": task.geofence_m}
        )
    if task.uses_qr and not task.uses_geofence:
        raise ValidationFailed(_("请扫描组织人在现场出示的二维码签到"))
    if task.uses_geofence and not task.uses_qr:
        raise ValidationFailed(_("请允许获取位置后再签到"))
    raise ValidationFailed(_("请扫描现场二维码，或允许获取位置后再签到"))


def _signed(task_id: int, user: User) -> tuple[Task, SignUp]:
    task = Task.objects.filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("该任务不存在"))
    signup = (
        SignUp.objects.select_for_update()
        .filter(task=task, user=user, status=SignUp.Status.SIGNED)
        .first()
    )
    if signup is None:
        raise Conflict(_("您没有报名该任务，或还在候补中"))
    return task, signup


def recorded_hours(task: Task, checkins: list[CheckIn], now: datetime | None = None) -> Decimal:
    """Time present inside the task's window, summed over the person's check-ins."""
    seconds = 0.0
    for c in checkins:
        end = c.checked_out_at or now
        if end is None:
            continue
        start, end = max(c.checked_in_at, task.starts_at), min(end, task.ends_at)
        seconds += max((end - start).total_seconds(), 0)
    return (Decimal(seconds) / 3600).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)


@transaction.atomic
def checkin(
    *,
    task_id: int,
    user: User,
    code: str = "",
    lon: float | None = None,
    lat: float | None = None,
    crs: str = "wgs84",
) -> CheckIn:
    task, signup = _signed(task_id, user)
    now = timezone.now()
    if task.status not in OPEN_STATUSES or not (
        task.starts_at - EARLY_CHECKIN <= now < task.ends_at
    ):
        raise Conflict(_("不在签到时间内：开始前 30 分钟至结束前可以签到"))
    method, wlon, wlat = _prove_presence(task, code=code, lon=lon, lat=lat, crs=crs, now=now)
    if signup.checkins.filter(checked_out_at__isnull=True).exists():
        raise Conflict(_("您已签到，离开时请签退"))
    day = timezone.localdate(now)
    if signup.checkins.filter(day=day).count() >= MAX_CHECKINS_PER_DAY:
        raise Conflict(_("同一任务每天最多签到 3 次"))
    return CheckIn.objects.create(
        signup=signup, day=day, checked_in_at=now, method=method, lon=wlon, lat=wlat
    )


@transaction.atomic
def checkout(
    *,
    task_id: int,
    user: User,
    code: str = "",
    lon: float | None = None,
    lat: float | None = None,
    crs: str = "wgs84",
) -> CheckIn:
    task, signup = _signed(task_id, user)
    now = timezone.now()
    open_checkin = signup.checkins.filter(checked_out_at__isnull=True).first()
    if open_checkin is None:
        raise Conflict(_("您还没有签到"))
    _prove_presence(task, code=code, lon=lon, lat=lat, crs=crs, now=now)
    open_checkin.checked_out_at = min(now, task.ends_at)
    open_checkin.save(update_fields=["checked_out_at"])
    record_hours(task, signup)
    return open_checkin


def checkins_close(task: Task, *, at: datetime) -> None:
    """Check out, at `at`, everyone still checked in to the task when it ends or is cancelled
    without them, each check-in flagged as closed by the system for the organiser to look at."""
    CheckIn.objects.filter(signup__task=task, checked_out_at__isnull=True).update(
        checked_out_at=at, auto_closed=True
    )


def record_hours(task: Task, signup: SignUp) -> None:
    """The sign-up's recorded hours and the day it served, from its check-ins as they stand."""
    checkins = list(signup.checkins.all())
    signup.recorded_hours = recorded_hours(task, checkins)
    first = min((c.checked_in_at for c in checkins), default=None)
    signup.served_at = max(first, task.starts_at) if first else task.starts_at
    signup.save(update_fields=["recorded_hours", "served_at"])
