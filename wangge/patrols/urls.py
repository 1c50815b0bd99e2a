from django.urls import path

from wangge.patrols import views

app_name = "patrols"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("<int:patrol_id>/", views.detail, name="detail"),
    path("<int:patrol_id>/end/", views.end, name="end"),
    path("<int:patrol_id>/track/", views.track, name="track"),
    path("<int:patrol_id>/findings/", views.finding, name="finding"),
    path("reports/", views.reports, name="reports"),
    path("reports/saved/<int:report_id>.<str:fmt>", views.saved_report, name="saved-report"),
    path("reports/<str:code>/", views.report, name="report"),
    path("reports/<str:code>/report.<str:fmt>", views.report_export, name="report-export"),
]
