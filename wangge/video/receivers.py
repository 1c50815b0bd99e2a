"""What the video app adds to the case loop, registered in `VideoConfig.ready`: who may see a
snapshot, the case page's 视频告警 panel, and the 复核 picture verification waits for."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.core.media import media_url
from wangge.video import selectors
from wangge.video.models import EventOutcome, VideoAlert, VideoEvent

PANEL_SNAPSHOTS = 8


def snapshot_visible(user: User, name: str) -> bool:
    return selectors.snapshot_visible(user, name)


def _alert_of(case: Case) -> VideoAlert | None:
    return (
        VideoAlert.objects.select_related("camera__facility", "event_type")
        .filter(case_id=case.pk)
        .first()
    )


def review_of(alert: VideoAlert) -> VideoEvent | None:
    """The 复核 picture: one taken after the camera's last sighting of the problem."""
    return (
        alert.events.filter(outcome=EventOutcome.REVIEW, occurred_at__gt=alert.last_at)
        .order_by("-occurred_at")
        .first()
    )


def review_required(case: Case) -> str:
    alert = _alert_of(case)
    if alert is None or review_of(alert) is not None:
        return ""
    if alert.camera.hold:
        # Under repair or blocked, the camera can show nothing: the verifier's own check stands.
        return ""
    return _("该案件由监控发现：核查通过前，须从摄像头“%(cam)s”截取一张问题处置后的复核截图") % {
        "cam": alert.camera.facility.name
    }


def case_panel(case: Case, user: User) -> str:
    """视频告警: the camera, how often and when it saw the problem, its latest snapshots, and
    whether the 复核 picture is there. Staff of the camera's grid only. A case no camera found
    lists the cameras near its point instead, to look at the place from the desk."""
    alert = _alert_of(case)
    if alert is None:
        return _nearby_panel(case, user)
    if not selectors.cameras_visible(user).filter(pk=alert.camera_id).exists():
        return ""
    events = list(selectors.events_of(alert).exclude(snapshot="")[:PANEL_SNAPSHOTS])
    review = review_of(alert)
    return render_to_string(
        "video/_case_panel.html",
        {
            "alert": alert,
            "snapshots": [
                (e, media_url(e.thumb or e.snapshot), media_url(e.snapshot)) for e in events
            ],
            "review": review,
            "review_url": media_url(review.snapshot) if review and review.snapshot else "",
        },
    )


def _nearby_panel(case: Case, user: User) -> str:
    if case.lon is None or case.lat is None:
        return ""
    near = selectors.cameras_near(user, case.lon, case.lat)
    if not near:
        return ""
    return render_to_string("video/_nearby_panel.html", {"cameras": near})
