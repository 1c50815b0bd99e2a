from django.urls import path

from wangge.party import views

app_name = "party"
urlpatterns = [
    path("", views.home, name="home"),
    path("declare/", views.declare, name="declare"),
    path("register/", views.register, name="register"),
    path("posts/<int:post_id>/claim/", views.claim, name="claim"),
    path("claims/<int:claim_id>/release/", views.release, name="release"),
    path("me/", views.profile, name="profile"),
    path("staff/", views.staff_index, name="staff"),
    path("staff/members/", views.staff_members, name="staff-members"),
    path("staff/members/<int:member_id>/decide/", views.staff_decide, name="staff-decide"),
    path("staff/posts/", views.staff_posts, name="staff-posts"),
    path("staff/orgs/<int:org_id>/", views.staff_org, name="staff-org"),
    path(
        "staff/orgs/<int:org_id>/statement/<str:quarter>.<str:fmt>",
        views.staff_statement,
        name="staff-statement",
    ),
]
