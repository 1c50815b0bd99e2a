"""The back office's 用户协议 and 隐私政策: 发布新版本 adds a version (published at once, through
the service); a published version is only read, never edited or deleted, since people agreed
to it as it stands. Consent records are read-only evidence."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wangge.consent import services
from wangge.consent.forms import DocumentForm
from wangge.consent.models import Consent, LegalDocument


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin[LegalDocument]):
    form = DocumentForm
    list_display = ("title", "kind", "version", "published_at", "published_by")
    list_filter = ("kind",)
    ordering = ("kind", "-version")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ("kind", "version", "title", "body", "changes", "published_at", "published_by")
        return ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("kind", "title", "body", "changes")
        return ("kind", "version", "title", "changes", "published_at", "published_by", "body")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # A new version starts from the text in force (?kind=privacy), so the operator edits
        # rather than retypes it.
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind")
        if kind in LegalDocument.Kind.values:
            latest = LegalDocument.objects.filter(kind=kind).order_by("-version").first()
            if latest is not None:
                initial.setdefault("title", latest.title)
                initial.setdefault("body", latest.body)
        return initial

    def save_model(self, request: HttpRequest, obj: LegalDocument, form: Any, change: bool) -> None:
        if change:
            return  # published versions are read-only (the form has no editable field)
        published = services.document_publish(
            kind=obj.kind,
            title=obj.title,
            body=obj.body,
            changes=obj.changes,
            by=request.user,  # type: ignore[arg-type]
        )
        obj.pk, obj.version = published.pk, published.version
        obj.published_at = published.published_at

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    list_display = ("agreed_at", "user", "terms", "privacy", "channel", "occasion", "withdrawn_at")
    list_filter = ("channel", "occasion")
    date_hierarchy = "agreed_at"
    raw_id_fields = ("user",)
    list_select_related = ("user", "terms", "privacy")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
