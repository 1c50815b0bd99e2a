from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a person's in-app inbox (消息)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # What it is about, for grouping and for "mark everything about this case read".
    topic = models.CharField(_("主题"), max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["Notification"]]

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class SmsMessage(models.Model):
    """Every attempt to send a text message, whatever the backend; the phone is kept masked
    here. The attempts of one message share its `message_key`."""

    message_key = models.CharField(_("短信编号"), max_length=32, blank=True, db_index=True)
    attempt = models.PositiveSmallIntegerField(_("第几次发送"), default=1)
    phone_masked = models.CharField(_("手机号"), max_length=20)
    body = models.CharField(_("内容"), max_length=500)
    backend = models.CharField(_("通道"), max_length=60)
    ok = models.BooleanField(_("成功"), default=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    # The provider's reference (Tencent's SerialNo), for a complaint or a delivery receipt.
    provider_ref = models.CharField(_("通道流水号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短信记录")
        verbose_name_plural = _("短信记录")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.body[:20]}"
