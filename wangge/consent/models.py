"""用户协议 and 隐私政策 as versioned documents, and each person's consent to them.

个人信息保护法 asks for informed consent before personal data is collected, and for proof of it:
a consent row names the exact versions agreed to, when, and through which channel. Published
versions are never edited (what someone agreed to must stay readable as it was); a change is a
new version, and everyone whose consent names an older one is asked again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

_ORDINALS = frozenset("一二三四五六七八九十")


class LegalDocument(models.Model):
    class Kind(models.TextChoices):
        TERMS = "terms", _("用户协议")
        PRIVACY = "privacy", _("隐私政策")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField(_("版本号"), editable=False)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(
        _("正文"), help_text=_("空一行分段；以“一、”“二、”等开头的段落显示为小标题。")
    )
    changes = models.CharField(
        _("本次修改说明"),
        max_length=300,
        blank=True,
        help_text=_("再次征求同意时告诉居民改了什么，例如“新增微信订阅消息的说明”。"),
    )
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("协议与政策")
        verbose_name_plural = _("协议与政策")
        ordering = ("kind", "-version")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="legal_document_version"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["terms", "privacy"]), name="legal_document_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.version} 版）"

    def paragraphs(self) -> list[tuple[bool, str]]:
        """The body as (is a heading, text) paragraphs: blank lines separate them, and one that
        opens with a Chinese ordinal (一、 二、 …) is a heading."""
        out = []
        for block in self.body.replace("\r\n", "\n").split("\n\n"):
            text = block.strip()
            if text:
                head = text.split("、", 1)[0]
                heading = 0 < len(head) <= 3 and set(head) <= _ORDINALS and "\n" not in text
                out.append((heading, text))
        return out


class Consent(models.Model):
    """One agreement to a pair of versions. Withdrawn rows stay: they are the proof of what was
    agreed while the account lived, and of when it ended."""

    class Channel(models.TextChoices):
        WEB = "web", _("网页")
        MINIPROGRAM = "miniprogram", _("微信小程序")

    class Occasion(models.TextChoices):
        SIGN_IN = "sign_in", _("短信登录/注册")
        REAL_NAME = "real_name", _("实名认证")
        BIND = "bind", _("小程序绑定手机号")
        RENEWAL = "renewal", _("新版本再次同意")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    terms = models.ForeignKey(
        LegalDocument,
        verbose_name=_("用户协议版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    privacy = models.ForeignKey(
        LegalDocument,
        verbose_name=_("隐私政策版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    occasion = models.CharField(_("场合"), max_length=12, choices=Occasion.choices)
    agreed_at = models.DateTimeField(_("同意时间"), auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")
        ordering = ("-agreed_at", "-pk")
        indexes = [models.Index(fields=["user", "-agreed_at"], name="consent_user_latest")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.terms_id}/{self.privacy_id} · {self.agreed_at:%Y-%m-%d}"
