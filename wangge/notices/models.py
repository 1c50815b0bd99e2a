from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.grids.models import GridNode


class Notice(models.Model):
    """A notice published to a subtree of the grid: everyone living below that node sees it."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("政策通知")
        WEATHER = "weather", _("天气预警")
        ANTI_FRAUD = "anti_fraud", _("反诈提醒")
        LOST_FOUND = "lost_found", _("失物招领")
        ACTIVITY = "activity", _("社区活动")
        OUTAGE = "outage", _("停水停电")
        OTHER = "other", _("其他")

    node = models.ForeignKey(
        GridNode, verbose_name=_("发布范围"), on_delete=models.PROTECT, related_name="notices"
    )
    # The node's path, copied: "reaches micro-grid M" is "grid_path is one of M's ancestors".
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.POLICY)
    title = models.CharField(_("标题"), max_length=80)
    body = models.TextField(_("内容"), max_length=5000)
    pinned = models.BooleanField(_("置顶"), default=False)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["Notice"]]

    class Meta:
        verbose_name = _("网格公告")
        verbose_name_plural = _("网格公告")
        ordering = ("-pinned", "-published_at", "-id")

    def __str__(self) -> str:
        return self.title


class NoticeRead(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("阅读记录")
        verbose_name_plural = _("阅读记录")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.user_id}"


class Offer(models.TextChoices):
    """The 八可 of a 网格家园, in the reports' own words: what a resident may do there."""

    STUDY = "study", _("可学习")
    WATER = "water", _("可饮水")
    MEALS = "meals", _("可餐食")
    CHARGE = "charge", _("可充电")
    REST = "rest", _("可休息")
    WASH = "wash", _("可盥洗")
    INTERNET = "internet", _("可上网")
    PLAY = "play", _("可娱乐")


class ServicePlace(models.Model):
    """A place residents can go (附近): where, when open, what it offers, whom it serves."""

    class Kind(models.TextChoices):
        PARTY_CENTER = "party_center", _("党群服务中心")
        GRID_HOME = "grid_home", _("网格家园")
        CARE_STATION = "care_station", _("爱心驿站")
        CIVILITY = "civility", _("新时代文明实践站")
        CABINET = "cabinet", _("积分兑换柜")
        CHARGING = "charging", _("充电点")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=80)
    address = models.CharField(_("地址"), max_length=200)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    hours = models.CharField(_("开放时间"), max_length=80, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # The 八可 it offers, as `Offer` values (the list is what residents filter 附近 by).
    services = models.JSONField(_("服务项目"), default=list, blank=True)
    node = models.ForeignKey(
        GridNode,
        verbose_name=_("服务网格"),
        on_delete=models.PROTECT,
        related_name="service_places",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects: ClassVar[models.Manager["ServicePlace"]]

    class Meta:
        verbose_name = _("便民服务点")
        verbose_name_plural = _("便民服务点（附近）")
        ordering = ("kind", "name")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="service_place_point_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offers(self) -> list[str]:
        """The labels of what it offers, in the 八可's order."""
        have = set(self.services or ())
        return [str(o.label) for o in Offer if o.value in have]
