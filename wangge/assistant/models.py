"""小原帮办: the knowledge base, the synonym table, conversations and the questions it missed."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KnowledgeItem(models.Model):
    """One service guide (办事指南) with the ways residents ask about it."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    question = models.CharField(_("标准问题"), max_length=200)
    similar = models.JSONField(_("相似问法"), default=list, blank=True)
    answer = models.TextField(_("答案"))
    category = models.CharField(_("分类"), max_length=40, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    conditions = models.TextField(_("办理条件"), blank=True)
    materials = models.TextField(_("所需材料"), blank=True)
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    fees = models.CharField(_("收费标准"), max_length=200, blank=True)
    time_limit = models.CharField(_("办理时限"), max_length=200, blank=True)
    online_link = models.CharField(_("网上办理"), max_length=300, blank=True)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The retrieval index's signature reads max(updated_at): every edit must touch it.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("知识条目")
        verbose_name_plural = _("知识库")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="assistant_item_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.question}"

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def guide(self) -> list[tuple[str, str]]:
        """The 办事指南 fields that are filled in, labelled, in reading order."""
        fields = (
            (_("办理条件"), self.conditions),
            (_("所需材料"), self.materials),
            (_("办理地点"), self.place),
            (_("办理时间"), self.hours),
            (_("收费标准"), self.fees),
            (_("办理时限"), self.time_limit),
            (_("网上办理"), self.online_link),
        )
        return [(str(label), value) for label, value in fields if value]


class StoredVectors(models.Model):
    """Vectors made by the embedding job, as one little-endian float32 matrix: `encoder`
    names the model and the package version that made them and `source` the texts (a hash),
    so that vectors of another encoder, or of texts since changed, are never used."""

    encoder = models.CharField(_("模型及版本"), max_length=80)
    source = models.CharField(_("文本指纹"), max_length=64)
    dim = models.PositiveSmallIntegerField(_("维数"))
    data = models.BinaryField(_("向量"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class ItemVectors(StoredVectors):
    """An item's passage vectors (retrieval.dense.passage_texts, one row each), made by a job
    when the item is imported or saved: the index uses only vectors of the encoder that
    encodes questions, made from the item as it is now."""

    # One row per encoder: the packaged encoder's and, where a district serves its own
    # embedding model (wangge.assistant.embeddings), that model's beside them.
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="vectors")
    rows = models.PositiveSmallIntegerField(_("向量数"))

    class Meta:
        verbose_name = _("条目向量")
        verbose_name_plural = _("条目向量")
        constraints = [
            models.UniqueConstraint(fields=["item", "encoder"], name="assistant_vectors_one"),
            models.CheckConstraint(
                condition=models.Q(rows__gt=0) & models.Q(dim__gt=0), name="assistant_vectors_shape"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.encoder}"


class ExampleKind(models.TextChoices):
    COMPLAINT = "complaint", _("反映问题")
    QUESTION = "question", _("咨询办事")


class ExampleVectors(StoredVectors):
    """The vectors of one list of examples (retrieval.examples: residents' reports of problems,
    residents' questions about services), made by the embedding job for the installed encoder
    and kept while the list's texts are unchanged."""

    kind = models.CharField(_("类别"), max_length=16, choices=ExampleKind.choices)
    rows = models.PositiveIntegerField(_("向量数"))

    class Meta:
        verbose_name = _("例句向量")
        verbose_name_plural = _("例句向量")
        constraints = [
            models.UniqueConstraint(fields=["kind", "encoder"], name="assistant_examples_one"),
            models.CheckConstraint(
                condition=models.Q(rows__gt=0) & models.Q(dim__gt=0),
                name="assistant_examples_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.encoder}"


class Synonym(models.Model):
    """A variant spelling residents use and the base's spelling (暂住证 → 居住证)."""

    term = models.CharField(_("说法"), max_length=40, unique=True)
    canonical = models.CharField(_("标准说法"), max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.canonical}"


class Conversation(models.Model):
    session_id = models.UUIDField(_("会话"), default=uuid.uuid4, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_conversations"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对话")
        verbose_name_plural = _("对话")

    def __str__(self) -> str:
        return str(self.session_id)


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("已回答")
    CHOICES = "choices", _("给出选项")
    CHOSEN = "chosen", _("居民选定")
    ABSTAINED = "abstained", _("未能回答")
    HANDOFF = "handoff", _("建议转人工")


class AnswerPath(models.TextChoices):
    """Who decided a turn: the offline retriever, or the district's own model."""

    OFFLINE = "offline", _("离线检索")
    DISTRICT_MODEL = "district_model", _("区级模型")
    # The district's model was asked and did not decide (error, timeout, no decision): the
    # offline decision was shown.
    FALLBACK = "fallback", _("区级模型未响应，按离线检索")


class Turn(models.Model):
    """One question and what 小原 did with it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    question = models.CharField(_("问题"), max_length=500)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices)
    item = models.ForeignKey(
        KnowledgeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    choices = models.JSONField(_("选项"), default=list, blank=True)
    confidence = models.FloatField(_("置信度"), default=0.0)
    # Handed to a person as a report of a problem: a hand-off of such a turn is not a gap in
    # the base, so it does not go on the staff review list.
    complaint = models.BooleanField(_("反映问题"), default=False)
    helpful = models.BooleanField(_("有帮助"), null=True, blank=True)
    path = models.CharField(
        _("判定方式"), max_length=16, choices=AnswerPath.choices, default=AnswerPath.OFFLINE
    )
    # The district model asked: "name · version @ endpoint" (wangge.assistant.district).
    model = models.CharField(_("模型"), max_length=240, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对话轮次")
        verbose_name_plural = _("对话轮次")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.question


class MissReason(models.TextChoices):
    UNANSWERED = "unanswered", _("未能回答")
    DISLIKED = "disliked", _("没帮助")
    UNSURE = "unsure", _("把握不大")
    HANDED_OFF = "handed_off", _("转人工")


class MissedQuestion(models.Model):
    """A question 小原 could not answer, answered without being sure, or whose answer the
    resident disliked: editors work through these, grouped by the item each is likely about,
    and turn them into similar questions."""

    turn = models.OneToOneField(Turn, on_delete=models.CASCADE, related_name="miss")
    text = models.CharField(_("问题"), max_length=500, db_index=True)
    reason = models.CharField(_("原因"), max_length=12, choices=MissReason.choices)
    # The item 小原 found nearest when it missed (its answer or first choice, or the best
    # ranked): the editors' list is grouped by it, and it is the one-click fix.
    likely_item = models.ForeignKey(
        KnowledgeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("可能的条目"),
    )
    resolved_item = models.ForeignKey(
        KnowledgeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("未解决问题")
        verbose_name_plural = _("未解决问题")
        # The editors' page groups the open ones by text.
        indexes = [models.Index(fields=["resolved_item", "text"], name="assistant_miss_open")]

    def __str__(self) -> str:
        return self.text


class ResolvedQuestion(models.Model):
    """A question the staff answered with an item: the memory 小原 answers close questions
    from (wangge.assistant.memory). Kept beside the item, never in its similar questions;
    its vector is made with it (or by the embedding job, for a new encoder)."""

    text = models.CharField(_("问题"), max_length=500, unique=True)
    item = models.ForeignKey(
        KnowledgeItem,
        on_delete=models.CASCADE,
        related_name="resolved_questions",
        verbose_name=_("对应条目"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    encoder = models.CharField(_("模型及版本"), max_length=80, blank=True)
    dim = models.PositiveSmallIntegerField(_("维数"), default=0)
    vector = models.BinaryField(_("向量"), null=True, blank=True)
    # The memory's signature reads max(updated_at), as the index's does for items.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("已解决问题")
        verbose_name_plural = _("已解决问题（记忆）")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.text


class CalibrationSlot(models.TextChoices):
    OFFLINE = "offline", _("离线检索")
    DISTRICT = "district", _("区级向量模型")


class KbCalibration(models.Model):
    """The decision bars the base set for itself (retrieval.calibrate), kept with the base and
    recomputed whenever it changes. `fingerprint` names the exact items and synonyms they were
    learnt on, so an index built on other content never uses them."""

    fingerprint = models.CharField(_("内容指纹"), max_length=64, unique=True)
    # Whose bars: the offline path's, or the district's embedding model's; each keeps its own.
    slot = models.CharField(
        _("检索方式"), max_length=16, choices=CalibrationSlot.choices, default="offline"
    )
    values = models.JSONField(_("判定阈值"))
    items = models.PositiveIntegerField(_("条目数"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("知识库校准")
        verbose_name_plural = _("知识库校准")

    def __str__(self) -> str:
        return f"{self.items} · {self.computed_at:%Y-%m-%d %H:%M}"
