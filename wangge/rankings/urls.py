from django.urls import path

from wangge.rankings import views

app_name = "rankings"
urlpatterns = [path("", views.board, name="board")]
