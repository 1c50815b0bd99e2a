from django.urls import path

from wangge.cases import detail_views, views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("department/", views.department_queue, name="department-queue"),
    path("desk/", views.desk, name="desk"),
    path("desk/batch/", views.desk_batch, name="desk-batch"),
    path("supervision/", views.supervision, name="supervision"),
    path("followups/", views.followups, name="followups"),
    path("kpi/", views.kpi, name="kpi"),
    path("kpi/<str:code>/", views.kpi, name="kpi-node"),
    path("<int:case_id>/", detail_views.detail, name="detail"),
    path("<int:case_id>/act/", detail_views.act, name="act"),
    path("<int:case_id>/phone/", detail_views.reveal_phone, name="phone"),
    path("<int:case_id>/category/", detail_views.category_set, name="category"),
    path("<int:case_id>/unpublish/", detail_views.unpublish, name="unpublish"),
]
