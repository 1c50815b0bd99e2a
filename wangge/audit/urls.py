from django.urls import path

from wangge.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
]
