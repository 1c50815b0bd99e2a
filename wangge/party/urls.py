from django.urls import path, register_converter

from wangge.party import views
from wangge.party.statements import Quarter


class QuarterConverter:
    """'2026Q3' within the accepted years (2000–2100): any other address is not a statement."""

    regex = "(?:20[0-9]{2}|2100)[Qq][1-4]"

    def to_python(self, value: str) -> Quarter:
        return Quarter.parse(value)

    def to_url(self, value: Quarter | str) -> str:
        return str(value)


class StatementFormatConverter:
    regex = "xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class YearConverter:
    """A year of the accepted window (2000–2100)."""

    regex = "(?:20[0-9]{2}|2100)"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(QuarterConverter, "quarter")
register_converter(YearConverter, "year")
register_converter(StatementFormatConverter, "statementfmt")

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
        "staff/orgs/<int:org_id>/statement/<quarter:quarter>.<statementfmt:fmt>",
        views.staff_statement,
        name="staff-statement",
    ),
    path("staff/stars/", views.staff_stars, name="staff-stars"),
    path(
        "staff/stars/<int:org_id>/<year:year>/",
        views.staff_stars_branch,
        name="staff-stars-branch",
    ),
    path(
        "staff/stars/<int:org_id>/<year:year>/evidence/",
        views.staff_stars_evidence,
        name="staff-stars-evidence",
    ),
    path(
        "staff/stars/<int:org_id>/<year:year>/evidence/<int:evidence_id>/remove/",
        views.staff_stars_evidence_remove,
        name="staff-stars-evidence-remove",
    ),
    path(
        "staff/stars/<int:org_id>/<year:year>/recompute/",
        views.staff_stars_recompute,
        name="staff-stars-recompute",
    ),
    path(
        "staff/stars/<int:org_id>/<year:year>/confirm/",
        views.staff_stars_confirm,
        name="staff-stars-confirm",
    ),
]
