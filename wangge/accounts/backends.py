from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PhoneBackend(ModelBackend):
    """Password login by mobile number; demo accounts work only while DEMO_MODE is on."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        # A session opened in demo mode must not outlive it.
        if user is not None and getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return None
        return user
