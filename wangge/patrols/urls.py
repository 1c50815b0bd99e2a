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
]
