from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class IdempotencyKey(models.Model):
    """The first answer to a request a device may send more than once.

    A phone that queued work without signal sends it again until it hears back, and the answer
    can be lost on the way: each item carries a key made on the device, and a repeated key gets
    the answer stored here instead of a second write. Unique per actor, so one person's keys
    can neither collide with nor reveal another's.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("请求编号"), max_length=64)
    # What the key was used for ("case_act:12"): the same key on another operation is refused.
    scope = models.CharField(_("操作"), max_length=80)
    status = models.PositiveSmallIntegerField(_("状态码"))
    body = models.JSONField(_("应答"), default=dict)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects: ClassVar[models.Manager["IdempotencyKey"]]

    class Meta:
        verbose_name = _("请求编号")
        verbose_name_plural = _("请求编号")
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="idempotencykey_one_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class SpooledJob(models.Model):
    """A job the queue could not take (Redis away): kept here until it can.

    The queue's storage (`wangge.core.redis_outage.SpoolingRedisStorage`) writes the job's
    serialised message here instead of failing the request that made it, and the worker moves
    it onto the queue once Redis answers again (`jobs_spool_drain`), oldest first.
    """

    message = models.BinaryField(_("任务"))
    priority = models.IntegerField(_("优先级"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["SpooledJob"]]

    class Meta:
        verbose_name = _("待入队任务")
        verbose_name_plural = _("待入队任务")
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.pk} {self.created_at:%Y-%m-%d %H:%M:%S}"


class BackupRestore(models.Model):
    """A backup restored into this install (`wangge restore`, wangge.core.backup).

    Written by the restore itself once the data is in, so the 城运中心 page can say from which
    day's backup the data comes: after a restore, whatever was entered since that backup is
    missing, and the staff who miss it should see why.
    """

    backup_created_at = models.DateTimeField(_("备份时间"))
    restored_at = models.DateTimeField(_("恢复时间"), default=timezone.now)
    wangge_version = models.CharField(_("备份时的版本"), max_length=40, blank=True)
    source = models.CharField(_("备份位置"), max_length=500, blank=True)

    objects: ClassVar[models.Manager["BackupRestore"]]

    class Meta:
        verbose_name = _("数据恢复")
        verbose_name_plural = _("数据恢复")
        ordering = ("-restored_at",)
        get_latest_by = "restored_at"

    def __str__(self) -> str:
        return f"{self.backup_created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def last(cls) -> "BackupRestore | None":
        return cls.objects.order_by("-restored_at", "-pk").first()
