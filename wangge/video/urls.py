from django.urls import path

from wangge.video import views

app_name = "video"
urlpatterns = [
    path("cameras/<int:camera_id>/", views.camera, name="camera"),
    path("cameras/<int:camera_id>/snapshot/", views.snapshot, name="snapshot"),
    path("cameras/<int:camera_id>/hold/", views.camera_hold, name="hold"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("alerts/<int:alert_id>/decide/", views.alert_decide, name="alert-decide"),
]
