"""Input of the 志愿服务 pages, which draw their own fields; the services check what it means
(the kinds, the window of the task, the slots, the place within the grid)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.dates import validate_in_window
from wangge.core.forms import QueryForm
from wangge.grids.forms import PointForm
from wangge.volunteering.models import Task

_WHEN = {"required": _("请填写开始和结束时间"), "invalid": _("请填写开始和结束时间")}
_PLACE = {
    "required": _("请在地图上点选地点，或填写经纬度"),
    "invalid": _("请在地图上点选地点，或填写经纬度"),
    "min_value": _("地点不在本区网格内，请在地图上重新选点"),
    "max_value": _("地点不在本区网格内，请在地图上重新选点"),
}
_WHOLE = {"required": _("名额和半径请填写整数"), "invalid": _("名额和半径请填写整数")}


class TaskForm(PointForm):
    """A task or activity as the organiser types it. A time without a zone is Beijing time. Its
    place is required (`PointForm`, in the system named by `crs`, WGS-84 when none is posted);
    a system it does not know is refused as a place outside the grid, as the service refuses
    a place it cannot find."""

    field_order = ["starts_at", "ends_at", "lon", "lat", "slots", "geofence_m"]

    starts_at = forms.DateTimeField(validators=[validate_in_window], error_messages=_WHEN)
    ends_at = forms.DateTimeField(validators=[validate_in_window], error_messages=_WHEN)
    slots = forms.IntegerField(error_messages=_WHOLE)
    geofence_m = forms.IntegerField(required=False, error_messages=_WHOLE)
    kind = forms.CharField(required=False, strip=False)
    publisher_kind = forms.CharField(required=False, strip=False)
    publisher_name = forms.CharField(required=False, strip=False)
    title = forms.CharField(required=False, strip=False)
    description = forms.CharField(required=False, strip=False)
    category = forms.CharField(required=False, strip=False)
    place = forms.CharField(required=False, strip=False)
    skills = forms.CharField(required=False, strip=False)
    circle_tag = forms.CharField(required=False, strip=False)
    points_rule = forms.CharField(required=False)
    checkin_method = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.point_required(_PLACE)
        self.fields["crs"].error_messages["invalid_choice"] = _PLACE["min_value"]


class HoursForm(forms.Form):
    """The organiser's decision on one person's hours."""

    signup = forms.IntegerField(required=False, error_messages={"invalid": _("报名记录不存在")})
    decision = forms.CharField(required=False)
    hours = forms.DecimalField(required=False, error_messages={"invalid": _("时长请填写数字")})


class BrowseForm(PointForm):
    """可报名的任务's address: a kind and the phone's position; what does not read is left out."""

    kind = forms.ChoiceField(required=False, choices=Task.Kind.choices)


class CheckinForm(PointForm):
    """签到 / 签退: the phone's position in the system its map answered in (the rotating code
    from the organiser's screen is read by `CodeForm`)."""

    fn = forms.ChoiceField(choices=[("in", "in"), ("out", "out")])


class QrPartForm(QueryForm):
    """`?part=…`: the page fetching its new code asks for the code alone (any value does)."""

    part = forms.CharField(required=False, strip=False)


class CodeForm(forms.Form):
    """The rotating check-in code the organiser's QR carries (`?t=`), posted back by the page."""

    t = forms.CharField(required=False, strip=False)


class NoteForm(forms.Form):
    """The organiser's note on a review or a cancellation."""

    note = forms.CharField(required=False, strip=False)
