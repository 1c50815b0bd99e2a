from django.apps import AppConfig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from wangge.core import error_pages
from wangge.open311.render import error


def _georeport_error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return error("xml" if request.path.endswith(".xml") else "json", status, detail)


class Open311Config(AppConfig):
    name = "wangge.open311"
    label = "open311"
    verbose_name = _("Open311 接口")

    def ready(self) -> None:
        # GeoReport clients get the spec's error list for every error under its prefix, even
        # one Django raises before a view runs (a bad format, a body too large).
        error_pages.register("/open311/", _georeport_error)
