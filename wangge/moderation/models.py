"""What residents write and upload for others to see, each piece checked before it is shown.

One `ContentCheck` per piece: the text of a post, each of its photos. The content itself stays in
its own app, held (审核中) until every check of it has passed; the owning app registers how a
verdict is applied (`registry.py`). A check without a verdict (WeChat unreachable, a malformed
answer) stays pending and is tried again; nothing is published on a guess."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    POST = "circles.post", _("圈子动态")
    COMMENT = "circles.comment", _("圈子评论")
    LISTING = "market.listing", _("闲置物品")
    PUBLIC_CASE = "cases.public", _("公开到身边事的反映")
    NAME = "accounts.name", _("姓名")


class Scene(models.IntegerChoices):
    """msgSecCheck / mediaCheckAsync v2 scenes."""

    PROFILE = 1, _("资料")
    COMMENT = 2, _("评论")
    FORUM = 3, _("论坛")
    SOCIAL_LOG = 4, _("社交日志")


class ContentCheck(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("审核中")
        REVIEW = "review", _("待人工审核")
        PASSED = "passed", _("已通过")
        HIDDEN = "hidden", _("未通过")
        # Another part of the same content failed: nobody needs to look at this one.
        MOOT = "moot", _("无需审核")

    class Via(models.TextChoices):
        WECHAT = "wechat", _("微信内容安全")
        LOCAL = "local", _("本地敏感词")
        STAFF = "staff", _("人工审核")

    kind = models.CharField(_("内容类型"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("内容编号"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Where the content is shown: the staff of that subtree review what is held.
    grid_path = models.CharField(max_length=400, db_index=True, blank=True)
    scene = models.PositiveSmallIntegerField(_("场景"), choices=Scene.choices)
    text = models.TextField(_("文字"), blank=True)
    # A photo: its row (model label and id) with an `image` field; the file is read when checked,
    # after the upload's cleaning job has put it in place.
    photo_model = models.CharField(max_length=60, blank=True)
    photo_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    via = models.CharField(_("审核方式"), max_length=8, choices=Via.choices, blank=True)
    label = models.CharField(_("微信标签"), max_length=12, blank=True)
    # Shown to the author when the content is hidden.
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    # mediaCheckAsync's id, which its pushed verdict names.
    trace_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # When a check without a verdict is tried again (the sweep picks these).
    next_try_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    objects: ClassVar[models.Manager["ContentCheck"]]

    class Meta:
        verbose_name = _("内容审核")
        verbose_name_plural = _("内容审核")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["kind", "object_id"], name="moderation_check_content")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}"

    @property
    def is_photo(self) -> bool:
        return self.photo_id is not None

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.REVIEW)


class NameHold(models.Model):
    """A name a resident gave that neighbours do not see until it passes: while the row exists
    their posts show 「邻居」. Removed when the name passes; kept, with the reason, when not."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="name_hold"
    )
    name = models.CharField(_("姓名"), max_length=50)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待审核的姓名")
        verbose_name_plural = _("待审核的姓名")

    def __str__(self) -> str:
        return str(self.user_id)
