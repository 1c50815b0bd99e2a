"""The one reading of a position a page sends: longitude and latitude in degrees, in the
coordinate system the phone's map answered in, and the box a map shows. Forms of other apps
that take a position are built on `PointForm`, so every page reads one the same way."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.grids.positions import LAT_RANGE, LON_RANGE

CRS_CHOICES = [("wgs84", "WGS-84"), ("gcj02", "GCJ-02"), ("bd09", "BD-09")]


class PointForm(forms.Form):
    """A position; a part that is missing or does not read is none (a form built on this one
    makes the parts required, with its own words, where the page cannot go on without them)."""

    lon = forms.FloatField(required=False, min_value=LON_RANGE[0], max_value=LON_RANGE[1])
    lat = forms.FloatField(required=False, min_value=LAT_RANGE[0], max_value=LAT_RANGE[1])
    crs = forms.ChoiceField(required=False, choices=CRS_CHOICES)

    def point_required(self, messages: dict[str, Any]) -> None:
        """For a form built on this one whose page cannot go on without a position: lon and lat
        become required, and a part missing, unreadable or out of range (`required`, `invalid`,
        `min_value`, `max_value`) is refused in the page's own words."""
        for name in ("lon", "lat"):
            field = self.fields[name]
            field.required = field.widget.is_required = True
            field.error_messages.update(messages)

    def point(self) -> tuple[float, float] | None:
        """(lon, lat) when both read, else None; the other inputs may still be read."""
        self.is_valid()
        lon, lat = self.cleaned_data.get("lon"), self.cleaned_data.get("lat")
        if lon is None or lat is None:
            return None
        return lon, lat

    def system(self) -> str:
        """The system the position was given in; WGS-84 when none or an unknown one was sent."""
        self.is_valid()
        return self.cleaned_data.get("crs") or "wgs84"


class BoxForm(forms.Form):
    """`?bbox=west,south,east,north` (WGS-84), as a map sends its view."""

    bbox = forms.CharField(required=False)

    def clean_bbox(self) -> tuple[float, float, float, float] | None:
        raw = self.cleaned_data["bbox"]
        if not raw:
            return None
        try:
            west, south, east, north = (float(v) for v in raw.split(","))
        except ValueError:
            raise forms.ValidationError(_("范围无效")) from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise forms.ValidationError(_("范围无效"))
        return west, south, east, north

    def box(self) -> Any:
        """The box, or None when absent or not a box."""
        self.is_valid()
        return self.cleaned_data.get("bbox")
