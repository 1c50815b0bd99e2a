"""Number formats shared by the dashboard and the circulars, so both print the same figures."""

from django import template

from wangge.ops import render

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return render.pct(value)


@register.filter
def score(value: float | None) -> str:
    return render.score(value)


@register.filter
def delta(value: float | None) -> str:
    return render.delta(value)
