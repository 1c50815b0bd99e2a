from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_CRS": settings.MAP_TILE_CRS,
        # What js/own_base.js draws every map on (base templates put it in #map-base).
        "MAP_BASE": {
            "tiles": settings.MAP_TILE_URL,
            "labels": settings.MAP_TILE_LABEL_URL,
            "crs": settings.MAP_TILE_CRS,
            "subdomains": settings.MAP_TILE_SUBDOMAINS,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "maxZoom": settings.MAP_TILE_MAX_ZOOM,
            "timeout": int(settings.MAP_TILE_TIMEOUT_SECONDS * 1000),
            "text": {
                "sampleRoads": _("道路为示例数据"),
                "tilesDown": _("底图服务无响应，已改用本地底图"),
            },
        },
    }
