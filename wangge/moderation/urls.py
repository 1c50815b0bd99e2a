from django.urls import path

from wangge.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:check_id>/", views.decide, name="decide"),
    path("<int:check_id>/photo/", views.photo, name="photo"),
    path("media/<str:token>/", views.media, name="media"),
    path("wechat/push/", views.wechat_push, name="wechat-push"),
]
