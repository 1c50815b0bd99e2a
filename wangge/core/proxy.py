"""The client's own address behind nginx.

Behind a reverse proxy every request arrives from the proxy's address, so rate limits per
address, login lockouts (django-axes reads REMOTE_ADDR) and the audit log's addresses would all
see one client. When the request comes from a proxy named in TRUSTED_PROXIES, the address it
passes in X-Real-IP (deploy/nginx.conf sets it from the connection) becomes REMOTE_ADDR. From
anyone else the header is ignored: a client cannot choose its own address.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class RealClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            real = _valid_ip(request.META.get("HTTP_X_REAL_IP", ""))
            if real is not None:
                request.META["REMOTE_ADDR"] = real
        return self.get_response(request)
