"""The 12345 adapter's own records: every order received, and every result sent back."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import Case, Category


class HotlineOrder(models.Model):
    """One 12345 work order as it arrived. The hotline retries, so one row counts the repeats."""

    class Source(models.TextChoices):
        API = "api", _("热线接口")
        DESK = "desk", _("受理台录入")
        HISTORY = "history", _("历史工单导入")

    order_no = models.CharField(_("工单编号"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("来电/受理时间"))
    # What was posted, with the caller's phone masked: logs and the admin never hold it in clear.
    payload = models.JSONField(_("工单内容"), default=dict)
    case = models.ForeignKey(
        Case, verbose_name=_("事件"), on_delete=models.PROTECT, related_name="hotline_orders"
    )
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.API)
    # A number the desk generated (DESK-…) is unknown to the 12345 system: nothing goes back.
    reply_expected = models.BooleanField(_("需回传热线"), default=True)
    # 是否需要回复/回访: when the platform says no, nobody calls the caller back and the case
    # closes at verification (registered with the case loop in HotlineConfig.ready).
    needs_reply = models.BooleanField(_("需回访"), default=True)
    first_seen_at = models.DateTimeField(_("首次接收"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近接收"), auto_now=True)
    deliveries_count = models.PositiveIntegerField(_("接收次数"), default=1)

    objects: ClassVar[models.Manager["HotlineOrder"]]

    class Meta:
        verbose_name = _("12345工单")
        verbose_name_plural = _("12345工单")
        ordering = ("-first_seen_at", "-id")

    def __str__(self) -> str:
        return self.order_no


class PlatformCategory(models.Model):
    """The 12345 platform's own category (its 3-level classification), mapped by the operator
    onto a leaf of our catalogue. A mapped code decides an order's category; an unmapped one
    is kept on the case and the category model suggests."""

    class Source(models.TextChoices):
        OPERATOR = "operator", _("人工维护")
        CATALOGUE = "catalogue", _("目录外部编码")
        HISTORY = "history", _("历史工单推荐")

    code = models.CharField(_("平台分类编码"), max_length=60, unique=True)
    name = models.CharField(_("平台分类名称"), max_length=120, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("对应分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platform_categories",
        limit_choices_to={"children__isnull": True, "is_active": True},
    )
    # What history suggests (the leaf most of the platform's orders of this code ended under,
    # and its share), for the operator to accept; it decides nothing by itself.
    suggested = models.ForeignKey(
        Category,
        verbose_name=_("推荐分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_share = models.FloatField(_("推荐依据占比"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    seen = models.PositiveIntegerField(_("出现次数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects: ClassVar[models.Manager["PlatformCategory"]]

    class Meta:
        verbose_name = _("平台分类映射")
        verbose_name_plural = _("平台分类映射")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Delivery(models.Model):
    """One result sent back to the hotline (回传), with its attempts. Sent in order per case."""

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("受理")
        RESOLVED = "resolved", _("办结")
        RETURNED = "returned", _("退单")
        CLOSED = "closed", _("结案")
        EXTENSION = "extension", _("延期申请")
        PROGRESS = "progress", _("阶段性回复")
        REFERRED = "referred", _("退回平台（非网格事项）")

    class State(models.TextChoices):
        PENDING = "pending", _("待推送")
        SENT = "sent", _("已推送")
        FAILED = "failed", _("推送失败")
        DISABLED = "disabled", _("未启用回传")

    case = models.ForeignKey(
        Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="hotline_deliveries"
    )
    order_no = models.CharField(_("工单编号"), max_length=64)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    payload = models.JSONField(_("回传内容"), default=dict)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("推送成功时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["Delivery"]]

    class Meta:
        verbose_name = _("热线回传")
        verbose_name_plural = _("热线回传")
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "sent", "failed", "disabled"]),
                name="hotline_delivery_state_known",
            ),
        ]
        indexes = [
            # The sweep: pending rows whose next attempt is due.
            models.Index(fields=["state", "next_attempt_at"], name="hotline_delivery_due"),
            # "Is an earlier delivery of this case still outstanding?" on every claim.
            models.Index(fields=["case", "state"], name="hotline_delivery_case_state"),
        ]

    def __str__(self) -> str:
        return f"{self.order_no} {self.get_kind_display()} {self.get_state_display()}"

    @property
    def is_waiting(self) -> bool:
        """Still to be pushed (again) by the worker."""
        return self.state == self.State.PENDING

    @property
    def can_retry(self) -> bool:
        """Only a failed push is pushed again by hand (delivery_retry refuses the rest)."""
        return self.state == self.State.FAILED


class InboundMessage(models.Model):
    """One message the platform sent about an order after it (催办, 回访结果, 撤单 …).

    Its key is the order and the platform's own id for the message: the platform retries, so a
    repeat finds this row and gets the answer it was given the first time (`answer`), and the
    same id with other content is refused. What the message did to the case is on the case's
    timeline; this row keeps what arrived (phones masked, files as their digests)."""

    class Kind(models.TextChoices):
        URGE = "urge", _("催办/督办")
        VISIT = "visit", _("回访结果")
        CANCEL = "cancel", _("撤单")
        SUPPLEMENT = "supplement", _("补充诉求")
        ATTACHMENTS = "attachments", _("补充附件")
        EXTENSION_REPLY = "extension_reply", _("延期批复")

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("已办理")
        RECORDED = "recorded", _("已记录")

    order = models.ForeignKey(
        HotlineOrder, verbose_name=_("工单"), on_delete=models.PROTECT, related_name="messages"
    )
    message_id = models.CharField(_("消息编号"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    # sha256 of the message's content (without its sending time): a retry matches it.
    fingerprint = models.CharField(max_length=64, editable=False)
    payload = models.JSONField(_("消息内容"), default=dict)
    outcome = models.CharField(_("处理结果"), max_length=10, choices=Outcome.choices, blank=True)
    answer = models.JSONField(_("应答"), default=dict)
    received_at = models.DateTimeField(_("首次接收"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近接收"), auto_now=True)
    deliveries_count = models.PositiveIntegerField(_("接收次数"), default=1)

    objects: ClassVar[models.Manager["InboundMessage"]]

    class Meta:
        verbose_name = _("12345平台消息")
        verbose_name_plural = _("12345平台消息")
        ordering = ("-received_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["order", "message_id"], name="hotline_message_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.message_id} {self.get_kind_display()}"


# The recordings a browser's <audio> plays, by the MIME type the platform names, with the
# extension they are stored under (the media view answers with the type the extension says).
# AMR, which many telephone systems write, plays in no browser: the platform converts it.
AUDIO_TYPES: dict[str, str] = {
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/wave": ".wav",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
}


def recording_path(instance: "Recording", filename: str) -> str:
    # Our name, never the platform's: the case id leads, so the media check finds the row.
    return f"hotline/{instance.case_id}/{instance.token}{instance.extension}"


class Recording(models.Model):
    """A call recording (通话录音) of an order, played on the case page to those who may see
    the case (a 保密件's to the desk alone): served through /media/ like the case's photos."""

    case = models.ForeignKey(
        Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="call_recordings"
    )
    order = models.ForeignKey(
        HotlineOrder,
        verbose_name=_("工单"),
        on_delete=models.PROTECT,
        related_name="recordings",
    )
    message = models.ForeignKey(
        InboundMessage,
        verbose_name=_("消息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recordings",
    )
    token = models.CharField(max_length=32, editable=False)
    file = models.FileField(_("录音文件"), upload_to=recording_path, max_length=200)
    mime_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    # The file's name as the platform gave it (shown, never used as a path).
    file_name = models.CharField(_("文件名"), max_length=120, blank=True)
    # sha256 of the bytes: a file resent (with the order again, or in another message) is kept
    # once per case.
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["Recording"]]

    class Meta:
        verbose_name = _("通话录音")
        verbose_name_plural = _("通话录音")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["case", "digest"], name="hotline_recording_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.file_name or self.token}"

    @property
    def extension(self) -> str:
        return AUDIO_TYPES.get(self.mime_type, ".bin")
