from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from wangge.assistant import index, selectors
from wangge.assistant.models import (
    ItemVectors,
    KbCalibration,
    KnowledgeItem,
    MissedQuestion,
    Synonym,
)


class _Reindex:
    """Admin edits go around the import; the index is rebuilt and the bars are learnt again
    by a job once the edit has committed (the request does not wait for it)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        index.invalidate()
        transaction.on_commit(index.invalidate)
        transaction.on_commit(index.kb_embed_later)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        index.invalidate()
        transaction.on_commit(index.invalidate)
        transaction.on_commit(index.kb_calibrate_later)


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(_Reindex, admin.ModelAdmin[KnowledgeItem]):
    list_display = ("code", "question", "category", "valid_from", "valid_to", "updated_at")
    list_filter = ("category",)
    search_fields = ("code", "question", "answer")
    readonly_fields = ("preview",)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # Which retriever answers residents: words alone, or words and meaning, and whether
        # the vectors are made (the editors see when an edit has taken effect).
        context = {"subtitle": selectors.retriever_status(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    fieldsets = (
        (None, {"fields": ("code", "question", "similar", "answer", "category", "tags")}),
        (
            _("办事指南"),
            {
                "fields": (
                    "conditions",
                    "materials",
                    "place",
                    "hours",
                    "fees",
                    "time_limit",
                    "online_link",
                )
            },
        ),
        (_("有效期"), {"fields": ("valid_from", "valid_to")}),
        (_("预览（保存后更新）"), {"fields": ("preview",)}),
    )

    @admin.display(description=_("居民看到的回答"))
    def preview(self, obj: KnowledgeItem) -> SafeString:
        if not obj.pk:
            return format_html("{}", "—")
        guide = format_html_join("", "<dt>{}</dt><dd>{}</dd>", obj.guide())
        return format_html(
            '<div class="assistant-preview"><strong>{}</strong><p>{}</p><dl>{}</dl></div>',
            obj.question,
            obj.answer,
            guide,
        )


@admin.register(Synonym)
class SynonymAdmin(_Reindex, admin.ModelAdmin[Synonym]):
    list_display = ("term", "canonical", "updated_at")
    search_fields = ("term", "canonical")


@admin.register(MissedQuestion)
class MissedQuestionAdmin(admin.ModelAdmin[MissedQuestion]):
    list_display = ("text", "reason", "likely_item", "resolved_item", "created_at")
    list_filter = ("reason",)
    search_fields = ("text",)
    readonly_fields = ("turn", "text", "reason", "likely_item", "created_at")
    raw_id_fields = ("resolved_item",)


@admin.register(ItemVectors)
class ItemVectorsAdmin(admin.ModelAdmin[ItemVectors]):
    """Read-only: vectors are made by the embedding job from the item's texts."""

    list_display = ("item", "encoder", "rows", "dim", "computed_at")
    list_filter = ("encoder",)
    readonly_fields = ("item", "encoder", "source", "rows", "dim", "computed_at")
    exclude = ("data",)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        context = {"subtitle": selectors.retriever_status(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KbCalibration)
class KbCalibrationAdmin(admin.ModelAdmin[KbCalibration]):
    """Read-only: the bars are learnt from the base, never typed in."""

    list_display = ("items", "computed_at", "values")
    readonly_fields = ("fingerprint", "values", "items", "computed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
