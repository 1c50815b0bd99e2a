from django.urls import URLPattern, path, re_path, register_converter

from wangge.open311 import views


class FormatConverter:
    """The resource's extension. Any word matches, so an unknown format reaches the view and
    gets the spec's 404 body rather than Django's page."""

    regex = "[A-Za-z0-9]+"

    def to_python(self, value: str) -> str:
        return value.lower()

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")

app_name = "open311"
urlpatterns: list[URLPattern] = [
    path("discovery.<open311fmt:fmt>", views.discovery, name="discovery"),
    path("services.<open311fmt:fmt>", views.services, name="services"),
    # <str> is greedy up to the last dot, so a code may itself hold dots.
    path(
        "services/<str:service_code>.<open311fmt:fmt>",
        views.service_definition,
        name="service-definition",
    ),
    path("requests.<open311fmt:fmt>", views.service_requests, name="requests"),
    path(
        "requests/<str:service_request_id>.<open311fmt:fmt>",
        views.service_request,
        name="request",
    ),
    path("tokens/<str:token>.<open311fmt:fmt>", views.token, name="token"),
    re_path(r"^.*$", views.not_found, name="not-found"),
]
