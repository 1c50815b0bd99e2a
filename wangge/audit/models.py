"""The auditors' own trail: every query of the audit pages and every export is recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditQuery(models.Model):
    """One look at the audit (a page of results or an Excel export), with the filters used."""

    class Kind(models.TextChoices):
        VIEW = "view", _("查询")
        EXPORT = "export", _("导出")

    class Topic(models.TextChoices):
        ACCESS = "access", _("个人信息查看")
        CHANGES = "changes", _("数据变更")
        HISTORY = "history", _("变更历史")
        QUERIES = "queries", _("审计查询")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审计人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("内容"), max_length=10, choices=Topic.choices)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("结果条数"), default=0)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计查询记录")
        verbose_name_plural = _("审计查询记录")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.actor} · {self.get_kind_display()} · {self.get_topic_display()}"
