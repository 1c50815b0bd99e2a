from django.urls import path

from wangge.volunteering import views

app_name = "volunteering"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("mine/", views.mine, name="mine"),
    path("<int:task_id>/", views.detail, name="detail"),
    path("<int:task_id>/checkin/", views.checkin_page, name="checkin"),
    path("<int:task_id>/<str:fn>/", views.act, name="act"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.task_form, name="new"),
    path("manage/<int:task_id>/", views.manage_task, name="manage-task"),
    path("manage/<int:task_id>/edit/", views.task_form, name="edit"),
    path("manage/<int:task_id>/qr/", views.checkin_qr, name="qr"),
    path("manage/<int:task_id>/<str:fn>/", views.manage_act, name="manage-act"),
]
