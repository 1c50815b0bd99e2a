from django.urls import path

from wangge.mobile import account_views, views

app_name = "mobile"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("messages/", views.messages, name="messages"),
    path("me/", views.me, name="me"),
    path("grid/", views.grid, name="grid"),
    path("grid/<str:code>/", views.grid, name="grid-of"),
    path("guide/", views.guide, name="guide"),
    path("me/elderly/", views.elderly_mode, name="elderly"),
    path("me/privacy/", views.privacy, name="privacy"),
    path("board/", views.board, name="board"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("report/", views.report, name="report"),
    path("report/where.json", views.report_where, name="report-where"),
    path("report/address.json", views.report_address, name="report-address"),
    path("report/base.json", views.report_base, name="report-base"),
    path("report/done/<int:case_id>/", views.report_done, name="report-done"),
    path("nearby/", views.nearby, name="nearby"),
    path("sw.js", views.service_worker, name="sw"),
    path("offline/", views.not_saved, name="not-saved"),
    path("login/", account_views.sms_login, name="login"),
    path("verify/", account_views.verify, name="verify"),
    path("address/", account_views.address, name="address"),
    path("claims/", account_views.claims, name="claims"),
    path("claims/<int:claim_id>/decide/", account_views.claim_decide, name="claim-decide"),
]
