from typing import Any

from auditlog.registry import auditlog
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wangge.notices.models import Notice, Offer, ServicePlace

auditlog.register(ServicePlace)


class ServicePlaceForm(forms.ModelForm[ServicePlace]):
    """The 八可 as boxes to tick: only what residents can filter by is stored."""

    services = forms.MultipleChoiceField(
        label=_("服务项目"),
        choices=Offer.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ServicePlace
        fields = (
            "kind",
            "name",
            "address",
            "lon",
            "lat",
            "hours",
            "phone",
            "services",
            "node",
            "is_active",
        )

    def clean_services(self) -> list[str]:
        chosen: Any = self.cleaned_data.get("services") or []
        return [o.value for o in Offer if o.value in chosen]


@admin.register(ServicePlace)
class ServicePlaceAdmin(admin.ModelAdmin[ServicePlace]):
    form = ServicePlaceForm
    list_display = ("name", "kind", "address", "hours", "node", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "address")
    raw_id_fields = ("node",)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ("title", "kind", "node", "pinned", "published_at", "expires_at", "withdrawn_at")
    list_filter = ("kind", "pinned")
    search_fields = ("title",)
    raw_id_fields = ("node", "published_by")
    readonly_fields = ("grid_path", "published_at")
