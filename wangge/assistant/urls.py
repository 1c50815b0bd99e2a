from django.urls import path

from wangge.assistant import views

app_name = "assistant"
urlpatterns = [
    path("", views.chat, name="chat"),
    path("unanswered/", views.unanswered, name="unanswered"),
    path("unanswered/add/", views.unanswered_add, name="unanswered-add"),
]
