"""`{% load media_tags %}`: links to uploaded files, always through the checking view.

<a href="{{ p.image|media_url }}"><img src="{{ p|thumb_url }}" alt=""></a>
"""

from typing import Any

from django import template

from wangge.core import media

register = template.Library()


@register.filter
def media_url(file: Any) -> str:
    return media.media_url(file) if file else ""


@register.filter
def thumb_url(photo: Any) -> str:
    return media.thumb_url(photo)
