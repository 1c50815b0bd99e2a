from typing import Any

from django.http import HttpRequest

from wangge.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    """The unread count in the top bar; one indexed count per page view."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "UNREAD_COUNT": Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    }
