"""企业服务: enterprise profiles, 惠企政策 as data, pushes, requests that become cases, and
"万人助万企" visits.

An enterprise carries the paths of its micro-grid and exclusive grid, copied when its location is
set (as cases and the register do), so the grid-scope filter is a prefix match with no joins.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import pii
from wangge.core.models import TimeStampedModel
from wangge.grids.models import GridNode


class Industry(models.TextChoices):
    """国民经济行业分类 (GB/T 4754-2017), the twenty 门类."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741  (the standard's letter)
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class Size(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class RevenueBand(models.TextChoices):
    """Annual operating revenue (营业收入) in bands: enterprises tell a band, not a figure."""

    UNDER_100 = "lt100", _("100 万元以下")
    FROM_100 = "100-500", _("100–500 万元")
    FROM_500 = "500-2000", _("500–2000 万元")
    FROM_2000 = "2000-1e4", _("2000 万–1 亿元")
    FROM_1E4 = "1e4-4e4", _("1–4 亿元")
    OVER_4E4 = "ge4e4", _("4 亿元及以上")


# Each band as [low, high) in 万元; None = open-ended. Matching compares a policy's threshold
# against both ends, so a band that straddles the threshold is "待确认", not a guess.
REVENUE_BOUNDS: dict[str, tuple[int, int | None]] = {
    RevenueBand.UNDER_100: (0, 100),
    RevenueBand.FROM_100: (100, 500),
    RevenueBand.FROM_500: (500, 2000),
    RevenueBand.FROM_2000: (2000, 10_000),
    RevenueBand.FROM_1E4: (10_000, 40_000),
    RevenueBand.OVER_4E4: (40_000, None),
}


class Enterprise(TimeStampedModel):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.CharField(_("行业门类"), max_length=1, choices=Industry.choices)
    size = models.CharField(_("企业规模"), max_length=8, choices=Size.choices)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    revenue_band = models.CharField(
        _("营业收入"), max_length=10, choices=RevenueBand.choices, blank=True
    )
    headcount = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    address = models.CharField(_("经营地址"), max_length=200, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    # A redrawn grid must not delete businesses: the link goes, the copied path stays until the
    # location is set again.
    micro_grid = models.ForeignKey(
        GridNode,
        verbose_name=_("微网格"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    exclusive_grid = models.ForeignKey(
        GridNode,
        verbose_name=_("专属网格"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    exclusive_path = models.CharField(
        _("专属网格路径"), max_length=400, db_index=True, blank=True, editable=False
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    # The contact is a person and the number usually their own mobile (the admin already treats
    # it as personal data): kept like a resident's phone, encrypted with a keyed hash and the
    # masked form lists show; the clear number only via services.enterprise_reveal_phone.
    contact_phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    contact_phone_hash = models.CharField(
        _("联系电话摘要"), max_length=64, blank=True, db_index=True, editable=False
    )
    contact_phone_masked = models.CharField(
        _("联系电话"), max_length=12, blank=True, editable=False
    )
    # Answers to the yes/no questions policies ask, keyed by the question's text, so one answer
    # serves every policy that asks the same thing.
    answers = models.JSONField(_("问题回答"), default=dict, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("企业用户"),
        blank=True,
        related_name="enterprises",
    )
    is_sample = models.BooleanField(_("示例数据"), default=False)

    objects: ClassVar[models.Manager["Enterprise"]]

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ("name", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(industry__in=Industry.values), name="enterprise_industry_known"
            ),
            models.CheckConstraint(
                condition=models.Q(size__in=Size.values), name="enterprise_size_known"
            ),
            models.CheckConstraint(
                condition=models.Q(revenue_band__in=[*RevenueBand.values, ""]),
                name="enterprise_revenue_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return self.contact_phone_masked

    # The clear number only for the audited reveal and the audited unmasked export.
    contact_phone = pii.ProtectedPhone("contact_phone")

    @property
    def grid_name(self) -> str:
        node = self.exclusive_grid or self.micro_grid
        return node.name if node else ""


class Policy(TimeStampedModel):
    """惠企政策. `criteria` is validated by enterprises.criteria.clean before it is saved."""

    title = models.CharField(_("政策名称"), max_length=120)
    issuer = models.CharField(_("发布单位"), max_length=100)
    benefit = models.TextField(_("支持内容"))
    deadline = models.DateField(_("申报截止"), null=True, blank=True)
    apply_url = models.URLField(_("申报链接"), blank=True)
    auto_grant = models.BooleanField(
        _("免申即享"), default=False, help_text=_("符合条件的企业无需申请，直接享受")
    )
    criteria = models.JSONField(_("申报条件"), default=dict, blank=True)
    is_published = models.BooleanField(_("已发布"), default=False)
    # Bumped on every edit of a published policy; pushes remember the version they announced.
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_sample = models.BooleanField(_("示例数据"), default=False)

    objects: ClassVar[models.Manager["Policy"]]

    class Meta:
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        ordering = ("-updated_at", "-pk")

    def __str__(self) -> str:
        return self.title

    def criteria_dict(self) -> dict[str, Any]:
        return self.criteria if isinstance(self.criteria, dict) else {}


class PolicyPush(models.Model):
    """One announcement of a policy to an enterprise: at most one per enterprise and version."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="pushes"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="pushes"
    )
    version = models.PositiveIntegerField(_("版本"))
    created_at = models.DateTimeField(_("推送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策推送")
        verbose_name_plural = _("政策推送")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise", "version"], name="policy_push_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy} → {self.enterprise} v{self.version}"


class RequestKind(models.TextChoices):
    HELP = "help", _("求助")
    CONSULT = "consult", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")


class EnterpriseRequest(models.Model):
    """An enterprise's request or problem; its handling is the case's (channel 企业服务)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="requests"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=RequestKind.choices)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("事件"),
        on_delete=models.CASCADE,
        related_name="enterprise_request",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["EnterpriseRequest"]]

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.case_id}"


class VisitTopic(models.TextChoices):
    POLICY = "policy", _("政策宣讲")
    FINANCE = "finance", _("融资需求")
    STAFF = "staff", _("用工招聘")
    LAND = "land", _("用地用房")
    APPROVAL = "approval", _("审批服务")
    SAFETY = "safety", _("安全生产")
    UTILITIES = "utilities", _("水电气暖")
    OTHER = "other", _("其他")


class EnterpriseVisit(models.Model):
    """万人助万企: a grid worker's visit to an enterprise, and what came of it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    visitor_name = models.CharField(_("走访人姓名"), max_length=50)
    topics = models.JSONField(_("走访主题"), default=list)
    problems = models.TextField(_("发现问题"), blank=True)
    follow_up = models.TextField(_("跟进事项"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转办事件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    exclusive_path = models.CharField(max_length=400, blank=True, editable=False)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["EnterpriseVisit"]]

    class Meta:
        verbose_name = _("走访企业记录")
        verbose_name_plural = _("走访企业记录")
        ordering = ("-visited_on", "-pk")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"

    def topic_labels(self) -> list[str]:
        return [str(VisitTopic(t).label) for t in self.topics if t in VisitTopic.values]
