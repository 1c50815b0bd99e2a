from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Circle(models.TextChoices):
    RESIDENTS = "residents", _("居民圈")
    BRANCH = "branch", _("支部圈")
    VOLUNTEERS = "volunteers", _("志愿圈")


class Visibility(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    # Waiting for content security (wangge.moderation) or a grid worker: only its author sees it.
    HELD = "held", _("审核中")
    HIDDEN = "hidden", _("已隐藏")


class Post(models.Model):
    """A post in a circle. Moderation changes `visibility` only: the text as written is kept,
    so a hidden post can be restored and a complaint about it checked against the original."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    circle = models.CharField(_("圈子"), max_length=12, choices=Circle.choices)
    # Where it is shown: the author's community (居民圈, 支部圈) or street (志愿圈).
    grid_path = models.CharField(max_length=400, db_index=True)
    text = models.TextField(_("内容"), max_length=2000)
    visibility = models.CharField(
        _("状态"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLISHED,
        db_index=True,
    )
    held_words = models.JSONField(_("命中敏感词"), default=list, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation_note = models.CharField(_("处理说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True, db_index=True)

    objects: ClassVar[models.Manager["Post"]]

    class Meta:
        verbose_name = _("圈子动态")
        verbose_name_plural = _("圈子动态")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.text[:20]

    @property
    def is_held(self) -> bool:
        """审核中: only its author sees it."""
        return self.visibility == Visibility.HELD

    @property
    def is_hidden(self) -> bool:
        """Failed review: only its author sees it, with `moderation_note` as the reason."""
        return self.visibility == Visibility.HIDDEN


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    # Indexed: the protected media view finds the photo by the name it was asked for.
    image = models.ImageField(upload_to="circles/%Y/%m/", db_index=True)
    thumb = models.ImageField(upload_to="circles/%Y/%m/", blank=True, db_index=True)

    def __str__(self) -> str:
        return str(self.post_id)


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("评论"), max_length=500)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    # Why it is hidden, shown to its author.
    moderation_note = models.CharField(_("处理说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.text[:20]

    @property
    def is_held(self) -> bool:
        return self.visibility == Visibility.HELD

    @property
    def is_hidden(self) -> bool:
        return self.visibility == Visibility.HIDDEN


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="like_once")]

    def __str__(self) -> str:
        return f"{self.post_id} {self.user_id}"


class SensitiveWord(models.Model):
    class Action(models.TextChoices):
        BLOCK = "block", _("禁止发布")
        HOLD = "hold", _("先审后发")

    word = models.CharField(_("敏感词"), max_length=30, unique=True)
    action = models.CharField(
        _("处理方式"), max_length=6, choices=Action.choices, default=Action.HOLD
    )

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")

    def __str__(self) -> str:
        return self.word


class AbuseReport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("举报原因"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="report_once")]

    def __str__(self) -> str:
        return self.reason
