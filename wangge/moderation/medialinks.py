"""The address WeChat fetches a photo from for mediaCheckAsync: on SITE_URL, signed, and
valid for a day (WeChat fetches within minutes; a retry a few hours later still finds it). It
names the check, not the file, so it opens nothing but that one photo."""

from typing import Final

from django.conf import settings
from django.core import signing
from django.urls import reverse

from wangge.moderation.models import ContentCheck

MAX_AGE: Final = 24 * 3600
_SALT: Final = "wangge.moderation.media"


def media_link(check: ContentCheck) -> str:
    token = signing.dumps({"c": check.pk}, salt=_SALT, compress=True)
    return settings.SITE_URL + reverse("moderation:media", kwargs={"token": token})


def check_for(token: str) -> ContentCheck | None:
    """The photo check a fresh, genuine link names (None otherwise)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    check_id = data.get("c") if isinstance(data, dict) else None
    if not isinstance(check_id, int):
        return None
    return ContentCheck.objects.filter(pk=check_id, photo_id__isnull=False).first()
