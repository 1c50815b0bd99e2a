from django.urls import URLPattern, path

from wangge.ops import views

app_name = "ops"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard_home, name="index"),
    path("screen/", views.dashboard_home, {"screen": True}, name="screen-home"),
    path("circulars/", views.circulars, name="circulars"),
    path("assessments/generate/", views.assessment_generate, name="assessment-generate"),
    path("circulars/generate/", views.circular_make, name="circular-generate"),
    path(
        "circulars/<int:circular_id>.<str:fmt>",
        views.circular_download,
        name="circular-download",
    ),
    path("unit/<str:code>/", views.dashboard, name="dashboard"),
    path("reach/", views.reach, name="reach-home"),
    path("reach/<str:code>/", views.reach, name="reach"),
    path("circle/", views.service_circle, name="circle-home"),
    path("circle/<str:code>/", views.service_circle, name="circle"),
    path("unit/<str:code>/live/", views.live, name="live"),
    path("screen/<str:code>/", views.screen, name="screen"),
    path("classifier/train/", views.classifier_train, name="classifier-train"),
    path("export/cases.xlsx", views.export_cases, name="export-cases"),
    path("export/kpi.xlsx", views.export_kpi, name="export-kpi"),
    path("export/departments.xlsx", views.export_departments, name="export-departments"),
]
