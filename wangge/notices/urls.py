from django.urls import path

from wangge.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.published, name="published"),
    path("new/", views.publish, name="publish"),
]
