from django.urls import path

from wangge.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:enterprise_id>/profile/", views.profile, name="profile"),
    path("<int:enterprise_id>/answers/", views.answers, name="answers"),
    path("<int:enterprise_id>/requests/new/", views.request_new, name="request-new"),
    path("registry/", views.registry, name="registry"),
    path("registry/new/", views.registry_new, name="registry-new"),
    path("registry/export/", views.registry_export, name="export"),
    path("registry/<int:enterprise_id>/", views.detail, name="detail"),
    path("registry/<int:enterprise_id>/reveal/", views.reveal, name="reveal"),
    path("registry/<int:enterprise_id>/members/", views.member_add, name="member-add"),
    path("registry/<int:enterprise_id>/visits/", views.visit_new, name="visit-new"),
    path("visits/", views.visits, name="visits"),
    path("policies/", views.policies, name="policies"),
    path("policies/new/", views.policy_edit, name="policy-new"),
    path("policies/preview/", views.policy_preview, name="policy-preview"),
    path("policies/<int:policy_id>/", views.policy_edit, name="policy"),
]
