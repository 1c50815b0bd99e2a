from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.assistant import index, selectors, services
from wangge.assistant.models import (
    ItemVectors,
    KbCalibration,
    KnowledgeItem,
    MissedQuestion,
    ResolvedQuestion,
    Synonym,
)
from wangge.assistant.retrieval import Doc
from wangge.assistant.retrieval import dense as dense_module
from wangge.core.errors import DomainError


def _warn_missing_vectors(request: HttpRequest) -> None:
    """Said on the pages of the base: items without vectors are found by words alone, which
    nothing else would show (the job that makes them needs a running worker)."""
    state = index.coverage()
    if state.encoder is not None and state.without_vectors:
        messages.warning(
            request,
            _(
                "有 %(n)d / %(total)d 个条目没有向量，这些条目暂时只按词语检索。"
                "请确认后台任务在运行，或重新运行 import_kb。"
            )
            % {"n": state.without_vectors, "total": state.items},
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
    list_display = (
        "code",
        "question",
        "category",
        "valid_from",
        "valid_to",
        "updated_at",
        "has_vectors",
    )
    list_filter = ("category",)
    search_fields = ("code", "question", "answer")
    readonly_fields = ("preview",)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # Which retriever answers residents: words alone, or words and meaning, and whether
        # the vectors are made (the editors see when an edit has taken effect).
        context = {"subtitle": selectors.retriever_status(), **(extra_context or {})}
        _warn_missing_vectors(request)
        return super().changelist_view(request, extra_context=context)

    @admin.display(description=_("向量"), boolean=True)
    def has_vectors(self, obj: KnowledgeItem) -> bool | None:
        """Vectors of the installed encoder made from the item as it is now (None: no
        encoder installed, words alone by choice)."""
        model = index.encoder()
        if model is None:
            return None
        doc = Doc(obj.code, obj.question, tuple(obj.similar or ()), obj.answer)
        # The page's items' sources of this encoder, read once (prefetched below).
        sources = {v.encoder: v.source for v in obj.vectors.all()}
        return sources.get(model.key) == dense_module.source_hash(index.item_texts(doc))

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("vectors")

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
    """The staff review list: answering a question with an item (or a new one, through the
    picker's +) puts it in the memory of resolved questions (services.miss_resolve)."""

    list_display = ("text", "reason", "likely_item", "resolved_item", "created_at")
    list_filter = ("reason", ("resolved_item", admin.EmptyFieldListFilter))
    search_fields = ("text",)
    readonly_fields = ("turn", "text", "reason", "likely_item", "created_at")
    autocomplete_fields = ("resolved_item",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if obj.resolved_item_id is None or "resolved_item" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        staff = request.user
        assert isinstance(staff, User)  # the admin is behind its login
        try:
            services.miss_resolve(actor=staff, text=obj.text, code=obj.resolved_item.code)
        except DomainError as exc:
            messages.error(request, exc.message)
            return
        obj.refresh_from_db()


@admin.register(ResolvedQuestion)
class ResolvedQuestionAdmin(admin.ModelAdmin[ResolvedQuestion]):
    """The memory: what staff answered, read-only (answered from the review list); deleting a
    row makes 小原 forget it."""

    list_display = ("text", "item", "resolved_by", "has_vector", "updated_at")
    search_fields = ("text", "item__code", "item__question")
    list_select_related = ("item", "resolved_by")
    readonly_fields = ("text", "item", "resolved_by", "encoder", "updated_at")
    exclude = ("dim", "vector")

    @admin.display(description=_("向量"), boolean=True)
    def has_vector(self, obj: ResolvedQuestion) -> bool | None:
        model = index.encoder()
        if model is None:
            return None
        return obj.encoder == model.key and obj.vector is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        index.invalidate()


@admin.register(ItemVectors)
class ItemVectorsAdmin(admin.ModelAdmin[ItemVectors]):
    """Read-only: vectors are made by the embedding job from the item's texts."""

    list_display = ("item", "encoder", "rows", "dim", "computed_at")
    list_filter = ("encoder",)
    readonly_fields = ("item", "encoder", "source", "rows", "dim", "computed_at")
    exclude = ("data",)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        context = {"subtitle": selectors.retriever_status(), **(extra_context or {})}
        _warn_missing_vectors(request)
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
