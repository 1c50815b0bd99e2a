from django.urls import path

from wangge.residents import views

app_name = "residents"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("persons/new/", views.person_new, name="person-new"),
    path("persons/<int:person_id>/", views.person_detail, name="person"),
    path("persons/<int:person_id>/groups/", views.person_tag, name="person-tag"),
    path("persons/<int:person_id>/security/", views.person_security, name="person-security"),
    path("persons/<int:person_id>/reveal/<str:field>/", views.person_reveal, name="person-reveal"),
    path("persons/<int:person_id>/move-out/", views.person_move_out, name="person-move-out"),
    path("persons/<int:person_id>/visit/", views.visit_new, name="visit-new"),
    path("grid/<str:code>/", views.six_elements, name="six"),
    path("security/", views.security_list, name="security"),
    path("visits/overdue/", views.overdue, name="overdue"),
    path("wishes/", views.wishes, name="wishes"),
    path("wishes/<int:wish_id>/", views.wish_detail, name="wish"),
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/<int:dispute_id>/", views.dispute_detail, name="dispute"),
    path("disputes/screening/<str:code>/", views.dispute_screening, name="screening"),
    path("import/", views.person_import, name="import"),
    path("export/", views.person_export, name="export"),
]
