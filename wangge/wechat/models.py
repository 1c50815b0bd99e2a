"""Where residents and staff already are: WeChat (the 原点在线 mini-program, the 公众号) and
企业微信. Who is bound to which account, what each resident granted, every message sent or not
sent and why, and the access tokens shared by every worker."""

import re
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.grids.models import GridLevel, GridNode


class WechatApp(models.TextChoices):
    MINI = "mini", _("小程序")
    MP = "mp", _("公众号")


class WechatIdentity(models.Model):
    """One openid of one of the district's WeChat apps, bound to at most one account.

    A new openid is kept unbound until its person proves a phone by text message; it is then
    bound once. The unionid (when the apps share an 开放平台 account) joins the mini-program's
    and the 公众号's openids of the same person. No session key is kept: the server does not
    decrypt WeChat's user data."""

    app = models.CharField(_("应用"), max_length=8, choices=WechatApp.choices)
    openid = models.CharField(_("openid"), max_length=64)
    unionid = models.CharField(_("unionid"), max_length=64, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wechat_identities",
    )
    created_at = models.DateTimeField(_("首次登录"), auto_now_add=True)
    bound_at = models.DateTimeField(_("绑定时间"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("最近登录"), null=True, blank=True)

    class Fallback(models.TextChoices):
        INBOX = "inbox", _("只看站内消息")
        SMS = "sms", _("站内消息并发短信")

    # Where a message goes that WeChat may not deliver (no grant, refused): the resident's choice.
    fallback = models.CharField(
        _("未授权时"), max_length=8, choices=Fallback.choices, default=Fallback.INBOX
    )

    objects: ClassVar[models.Manager["WechatIdentity"]]

    class Meta:
        verbose_name = _("微信绑定")
        verbose_name_plural = _("微信绑定")
        constraints = [
            models.UniqueConstraint(fields=["app", "openid"], name="wechat_identity_app_openid"),
            # One account has one openid per app: binding another replaces nothing silently.
            models.UniqueConstraint(
                fields=["app", "user"],
                condition=Q(user__isnull=False),
                name="wechat_identity_one_per_app",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_app_display()} {self.openid[:6]}…"


class WecomIdentity(models.Model):
    """A staff account's 企业微信 userid, set by an administrator or on the first open inside
    企业微信 while signed in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="wecom_identity",
    )
    userid = models.CharField(_("企业微信 userid"), max_length=64, unique=True)
    bound_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    bound_by = models.CharField(_("绑定方式"), max_length=40, blank=True)

    objects: ClassVar[models.Manager["WecomIdentity"]]

    class Meta:
        verbose_name = _("企业微信绑定")
        verbose_name_plural = _("企业微信绑定")

    def __str__(self) -> str:
        return self.userid


class SubscribeTemplate(models.Model):
    """The admin's template id for an event, over WECHAT_SUBSCRIBE_TEMPLATES."""

    class Event(models.TextChoices):
        ACCEPTED = "accepted", _("已受理")
        RESOLVED = "resolved", _("已办结")
        RATE = "rate", _("请评价")
        NOTICE = "notice", _("网格通知")

    event = models.CharField(_("事件"), max_length=12, choices=Event.choices, unique=True)
    template_id = models.CharField(_("模板 ID"), max_length=64)
    # Template fields in WeChat's names (thing1, character_string2 …) → what goes in them:
    # number, title, status, unit, result, time, notice. Empty: the default layout.
    fields = models.JSONField(_("字段对应"), default=dict, blank=True)
    long_term = models.BooleanField(
        _("长期订阅"), default=False, help_text=_("账号类目允许长期订阅时，授权一次可多次发送")
    )

    objects: ClassVar[models.Manager["SubscribeTemplate"]]

    class Meta:
        verbose_name = _("微信订阅消息模板")
        verbose_name_plural = _("微信订阅消息模板")

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.template_id}"


class SubscriptionGrant(models.Model):
    """What a resident answered to 订阅消息 for one template: each "accept" of a one-time
    template allows one message, counted here; "reject" and "ban" are remembered (a ban stays
    until the resident subscribes again)."""

    class Answer(models.TextChoices):
        ACCEPT = "accept", _("允许")
        REJECT = "reject", _("拒绝")
        BAN = "ban", _("已关闭")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wechat_grants"
    )
    template_id = models.CharField(_("模板 ID"), max_length=64)
    available = models.PositiveIntegerField(_("可发送次数"), default=0)
    long_term = models.BooleanField(_("长期订阅"), default=False)
    last_answer = models.CharField(_("最近答复"), max_length=8, choices=Answer.choices)
    accepted_total = models.PositiveIntegerField(_("累计允许"), default=0)
    refused_total = models.PositiveIntegerField(_("累计拒绝"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects: ClassVar[models.Manager["SubscriptionGrant"]]

    class Meta:
        verbose_name = _("订阅授权")
        verbose_name_plural = _("订阅授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "template_id"], name="wechat_grant_unique"),
            models.CheckConstraint(condition=Q(available__gte=0), name="wechat_grant_available"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} ×{self.available}"


class Outbound(models.Model):
    """One message for one person on one channel: its key makes a retried job a no-op, its
    state tells operators what happened."""

    class Channel(models.TextChoices):
        SUBSCRIBE = "subscribe", _("小程序订阅消息")
        WECOM = "wecom", _("企业微信应用消息")
        GROUP = "group", _("企业微信客户群群发")
        ROBOT = "robot", _("群机器人")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FALLBACK = "fallback", _("未送达微信，已改用站内消息/短信")
        # A customer-group mass message is a task the grid worker confirms in 企业微信.
        CREATED = "created", _("已提交群发，待网格员确认")
        SKIPPED = "skipped", _("未发送")
        FAILED = "failed", _("发送失败")
        UNKNOWN = "unknown", _("结果未知（超时）")

    key = models.CharField(max_length=120, unique=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # The resident or staff member it is for; for a group message, the grid worker who sends it
    # (企业微信) or the notice's publisher (a robot).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="wechat_outbound",
    )
    node = models.ForeignKey(
        GridNode,
        verbose_name=_("微网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.CharField(_("事件"), max_length=20)
    title = models.CharField(_("标题"), max_length=120)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    template_id = models.CharField(_("模板 ID"), max_length=64, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.CharField(_("原因"), max_length=200, blank=True)
    # 企业微信's id of a mass-message task (to look it up in 群发助手 or its records).
    msgid = models.CharField(_("群发任务 ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["Outbound"]]

    class Meta:
        verbose_name = _("微信消息记录")
        verbose_name_plural = _("微信消息记录")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.title}"


class AccessToken(models.Model):
    """The access token of one app (mini, mp, wecom), shared by every worker and node: a worker
    that finds it expired refreshes it under a row lock, so it is fetched once, not once per
    worker (WeChat invalidates the previous token on each fetch)."""

    app = models.CharField(max_length=8, primary_key=True)
    token = models.CharField(max_length=600, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    refreshed = models.PositiveIntegerField(default=0)
    # The last forced refresh of a stable token: WeChat allows one per 30 seconds, 20 a day.
    forced_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["AccessToken"]]

    class Meta:
        verbose_name = _("接口凭证")
        verbose_name_plural = _("接口凭证")

    def __str__(self) -> str:
        return self.app


class GroupRobot(models.Model):
    """A 企业微信 group robot in a micro-grid's residents' group: grid notices to the micro-grid
    are posted to it. Its webhook key lets anyone holding it post to the group, so it is kept
    like a secret: never logged, shown only in part."""

    micro_grid = models.ForeignKey(
        GridNode,
        verbose_name=_("微网格"),
        on_delete=models.CASCADE,
        related_name="group_robots",
        limit_choices_to={"level": GridLevel.MICRO},
    )
    name = models.CharField(_("群名称"), max_length=60)
    webhook_key = models.CharField(
        _("Webhook 地址或 key"),
        max_length=300,
        help_text=_("群机器人的 Webhook 地址（…/cgi-bin/webhook/send?key=…），或其中的 key"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["GroupRobot"]]

    class Meta:
        verbose_name = _("微网格群机器人")
        verbose_name_plural = _("微网格群机器人")
        ordering = ("micro_grid__path", "pk")

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """The key alone, whether the admin pasted the whole address or only the key."""
        found = re.search(r"[?&]key=([^&#\s]+)", self.webhook_key)
        return (found.group(1) if found else self.webhook_key).strip()
