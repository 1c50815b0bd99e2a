from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from wangge.accounts import views as account_views
from wangge.api import api
from wangge.core.health import healthz, live
from wangge.core.offline import service_worker
from wangge.core.views import favicon, protected_media
from wangge.grids import views as grid_views
from wangge.wechat import views as wechat_views

admin.site.site_header = _("网格 · 管理后台")
admin.site.site_title = _("网格管理后台")
admin.site.index_title = _("基础数据")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("healthz/live", live, name="healthz-live"),
    path("healthz/ready", healthz, name="healthz-ready"),
    path("favicon.ico", favicon, name="favicon"),
    # WeChat's domain check files, at the root where WeChat looks (WECHAT_DOMAIN_CHECK_FILES).
    re_path(
        r"^(?P<name>[A-Za-z0-9_-]+\.txt)$", wechat_views.domain_check, name="wechat-domain-check"
    ),
    path("sw.js", service_worker, name="staff-sw"),
    path("accounts/login/", account_views.PhoneLoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.logout_view, name="logout"),
    path("grids/map/", grid_views.grid_map, name="grid-map"),
    path("grids/map/<str:code>/", grid_views.grid_map, name="grid-map-node"),
    path("cases/", include("wangge.cases.urls")),
    path("inbox/", include("wangge.notifications.urls")),
    path("api/v1/", api.urls),
    path("hotline/", include("wangge.hotline.urls")),
    path("open311/v2/", include("wangge.open311.urls")),
    path("residents/", include("wangge.residents.urls")),
    path("patrols/", include("wangge.patrols.urls")),
    path("assistant/", include("wangge.assistant.urls")),
    path("ops/", include("wangge.ops.urls")),
    path("notices/", include("wangge.notices.urls")),
    path("m/legal/", include("wangge.consent.urls")),
    path("m/wx/", include("wangge.wechat.urls")),
    path("m/", include("wangge.mobile.urls")),
    path("market/", include("wangge.market.urls")),
    path("circles/", include("wangge.circles.urls")),
    path("moderation/", include("wangge.moderation.urls")),
    path("points/", include("wangge.points.urls")),
    path("volunteering/", include("wangge.volunteering.urls")),
    path("kitchen/", include("wangge.kitchen.urls")),
    path("partners/", include("wangge.partners.urls")),
    path("video/", include("wangge.video.urls")),
    path("enterprises/", include("wangge.enterprises.urls")),
    path("ledgers/", include("wangge.ledgers.urls")),
    path("audit/", include("wangge.audit.urls")),
    path("party/", include("wangge.party.urls")),
    path("rankings/", include("wangge.rankings.urls")),
    path("admin/", admin.site.urls),
    # Uploads, each checked against the row it belongs to (never a public folder, not even under
    # DEBUG); MEDIA_URL is the same prefix, so a storage URL built anywhere still lands here.
    path("media/<path:name>", protected_media, name="media"),
]

handler400 = "wangge.core.views.bad_request"
handler404 = "wangge.core.views.page_not_found"
handler403 = "wangge.core.views.permission_denied"
handler500 = "wangge.core.views.server_error"
