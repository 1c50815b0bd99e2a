from django.urls import path

from wangge.circles import views

app_name = "circles"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("<int:post_id>/", views.detail, name="detail"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:post_id>/", views.moderate, name="moderate"),
]
