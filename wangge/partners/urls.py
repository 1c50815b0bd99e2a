from django.urls import path

from wangge.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/new/", views.unit_new, name="unit-new"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("units/<int:unit_id>/resources/", views.resource_add, name="resource-add"),
    path("units/<int:unit_id>/compounds/", views.compound_add, name="compound-add"),
    path("compounds/<int:compound_id>/staff/", views.staff_add, name="staff-add"),
    path("needs/new/", views.need_new, name="need-new"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<int:project_id>/", views.project, name="project"),
    path("projects/<int:project_id>/funding/", views.project_fund, name="project-fund"),
    path("projects/<int:project_id>/advance/", views.project_advance, name="project-advance"),
    path("projects/<int:project_id>/notes/", views.project_note, name="project-note"),
    path("property/", views.property_figures, name="property"),
]
