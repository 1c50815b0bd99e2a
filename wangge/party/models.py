"""Party organisations, their members, dual registration (双报到) and service posts.

The organisation tree runs 党工委 (street) → 党委/党总支 (community or unit) → 党支部 → 党小组,
each organisation sitting on a node of the grid tree: staff see the organisations whose node lies
in their subtree. A workplace unit (机关、企事业单位) has its own organisations, marked `is_unit`;
its members register with the community where they live and with their unit.

Records go with the grid node or the account they hang on (the demo reset removes sample grids
and demo accounts); nothing here is a ledger: the hours live with volunteering.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.grids.models import GridNode


class OrgKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", _("党工委")
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


# Which kinds an organisation's parent may be (none: a top of the tree).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    OrgKind.WORKING_COMMITTEE: (),
    OrgKind.COMMITTEE: (OrgKind.WORKING_COMMITTEE,),
    OrgKind.GENERAL_BRANCH: (OrgKind.WORKING_COMMITTEE, OrgKind.COMMITTEE),
    OrgKind.BRANCH: (OrgKind.WORKING_COMMITTEE, OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgKind.GROUP: (OrgKind.BRANCH,),
}
# Members belong to a 党支部 (or one of its 党小组); higher levels lead, they hold no members.
MEMBER_KINDS = (OrgKind.BRANCH, OrgKind.GROUP)


class PartyOrg(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    grid_node = models.ForeignKey(
        GridNode, verbose_name=_("所在网格"), on_delete=models.CASCADE, related_name="party_orgs"
    )
    is_unit = models.BooleanField(
        _("单位党组织"),
        default=False,
        help_text=_("机关、企事业单位的党组织，其党员到居住地社区报到"),
    )
    # Materialised path of ids ("12/40/41/"): an organisation's subtree is a prefix match.
    path = models.CharField(max_length=200, unique=True, editable=False)

    objects: ClassVar[models.Manager["PartyOrg"]]

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ("path",)

    def __str__(self) -> str:
        return self.name

    @property
    def holds_members(self) -> bool:
        return self.kind in MEMBER_KINDS


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("待支部核实")
    VERIFIED = "verified", _("已核实")
    REJECTED = "rejected", _("未通过")


class PartyMember(TimeStampedModel):
    """A person who declared they are a party member; a member only once their branch says so."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="party_member",
    )
    org = models.ForeignKey(
        PartyOrg, verbose_name=_("所在支部"), on_delete=models.CASCADE, related_name="members"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    joined_on = models.DateField(_("入党日期"))
    duty = models.CharField(_("党内职务"), max_length=40, blank=True)
    # 三亮: identity is the verified membership itself; commitment is the member's own words;
    # action is what the record of claimed posts and confirmed service shows.
    commitment = models.CharField(_("承诺"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    decision_note = models.CharField(_("核实意见"), max_length=200, blank=True)

    objects: ClassVar[models.Manager["PartyMember"]]

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        indexes = [models.Index(fields=["org", "status"])]

    def __str__(self) -> str:
        return str(self.user.name)

    @property
    def is_verified(self) -> bool:
        return self.status == MemberStatus.VERIFIED

    @property
    def is_pending(self) -> bool:
        return self.status == MemberStatus.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.status == MemberStatus.REJECTED


class Registration(TimeStampedModel):
    """双报到: one registration with the community where the member lives, one with their unit."""

    class Kind(models.TextChoices):
        RESIDENCE = "residence", _("居住地社区报到")
        WORKPLACE = "workplace", _("工作单位报到")

    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="registrations"
    )
    kind = models.CharField(_("报到类型"), max_length=10, choices=Kind.choices)
    community = models.ForeignKey(
        GridNode,
        verbose_name=_("报到社区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="party_registrations",
    )
    unit = models.ForeignKey(
        PartyOrg,
        verbose_name=_("报到单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects: ClassVar[models.Manager["Registration"]]

    class Meta:
        verbose_name = _("双报到")
        verbose_name_plural = _("双报到")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="one_registration_per_kind"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="residence", community__isnull=False, unit__isnull=True)
                    | models.Q(kind="workplace", unit__isnull=False, community__isnull=True)
                ),
                name="registration_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()}"

    @property
    def target_name(self) -> str:
        target = self.community if self.kind == self.Kind.RESIDENCE else self.unit
        return str(target.name) if target else ""


class PostCategory(models.TextChoices):
    POLICY = "policy", _("政策宣传")
    ENVIRONMENT = "environment", _("环境整治")
    MEDIATION = "mediation", _("矛盾调解")
    HEALTH = "health", _("医疗健康")
    CARE = "care", _("关爱帮扶")
    SAFETY = "safety", _("平安巡防")
    CIVILITY = "civility", _("文明实践")


class Post(TimeStampedModel):
    """A standing duty a community offers to registered members (认领岗位)."""

    community = models.ForeignKey(
        GridNode, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="party_posts"
    )
    category = models.CharField(_("类别"), max_length=12, choices=PostCategory.choices)
    title = models.CharField(_("岗位名称"), max_length=80)
    description = models.TextField(_("岗位职责"), blank=True)
    slots = models.PositiveSmallIntegerField(_("名额"), default=5)
    is_open = models.BooleanField(_("开放认领"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设岗人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[models.Manager["Post"]]

    class Meta:
        verbose_name = _("服务岗位")
        verbose_name_plural = _("服务岗位")
        ordering = ("community", "category", "pk")
        constraints = [
            models.CheckConstraint(condition=models.Q(slots__gt=0), name="post_slots_positive")
        ]

    def __str__(self) -> str:
        return str(self.title)


class PostClaim(models.Model):
    """A member holds a post from `claimed_at` until they give it up (`released_at`)."""

    post = models.ForeignKey(
        Post, verbose_name=_("岗位"), on_delete=models.CASCADE, related_name="claims"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="claims"
    )
    claimed_at = models.DateTimeField(_("认领时间"), auto_now_add=True)
    released_at = models.DateTimeField(_("退出时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["PostClaim"]]

    class Meta:
        verbose_name = _("岗位认领")
        verbose_name_plural = _("岗位认领")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member"],
                condition=models.Q(released_at__isnull=True),
                name="one_active_claim_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.post}"


# 五星支部 -------------------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    """What a criterion of the star rating measures over the year."""

    ACTIVITIES = "activities", _("支部开展的活动（场）")
    SERVICE_HOURS = "service_hours", _("党员双报到服务时长（小时）")
    MEMBER_HOURS = "member_hours", _("党员人均双报到服务时长（小时）")
    CASES_CLOSED = "cases_closed", _("所在网格结案的事件（件）")
    MATERIALS = "materials", _("党组织上传的佐证材料（份）")


class StarCriterion(TimeStampedModel):
    """One standard of the 五星支部 rating, as the 党工委 sets it: what it measures, the target a
    branch must reach in a year and the points it gives when met."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    kind = models.CharField(_("衡量依据"), max_length=16, choices=EvidenceKind.choices)
    target = models.DecimalField(_("达标值"), max_digits=8, decimal_places=1)
    points = models.PositiveSmallIntegerField(_("分值"), default=1)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects: ClassVar[models.Manager["StarCriterion"]]

    class Meta:
        verbose_name = _("五星支部评定标准")
        verbose_name_plural = _("五星支部评定标准")
        ordering = ("order", "pk")
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gt=0), name="star_target_positive")
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def is_material(self) -> bool:
        return self.kind == EvidenceKind.MATERIALS


class StarBand(models.Model):
    """The rule from points to stars, as data: a branch earns the most stars whose band's points
    it reaches (one star per criterion met is 1→1, 2→2 … 5→5)."""

    stars = models.PositiveSmallIntegerField(_("星级"), unique=True)
    min_points = models.PositiveSmallIntegerField(_("最低分"))

    objects: ClassVar[models.Manager["StarBand"]]

    class Meta:
        verbose_name = _("星级分档")
        verbose_name_plural = _("星级分档")
        ordering = ("stars",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="star_band_one_to_five"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ ≥ {self.min_points}"


class StarAssessment(TimeStampedModel):
    """A branch's rating of one year. Recomputed while the year is open; once the 党工委 confirms
    it, it is frozen (its results stay as they were on that day)."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("党支部"), on_delete=models.CASCADE, related_name="star_ratings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    stars = models.PositiveSmallIntegerField(_("星级"), default=0)
    points = models.PositiveSmallIntegerField(_("得分"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[models.Manager["StarAssessment"]]

    class Meta:
        verbose_name = _("五星支部评定")
        verbose_name_plural = _("五星支部评定")
        ordering = ("-year", "org__path")
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="one_star_rating_per_year"),
            models.CheckConstraint(
                condition=models.Q(stars__lte=5), name="star_rating_at_most_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def star_marks(self) -> str:
        return "★" * self.stars + "☆" * (5 - self.stars)


class StarResult(models.Model):
    """One criterion's line of an assessment, with what the criterion was on the day it was
    computed (a confirmed year keeps its standard when the criterion changes later)."""

    assessment = models.ForeignKey(StarAssessment, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(
        StarCriterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("标准"), max_length=40)
    kind = models.CharField(_("衡量依据"), max_length=16, choices=EvidenceKind.choices)
    target = models.DecimalField(_("达标值"), max_digits=8, decimal_places=1)
    value = models.DecimalField(_("实际值"), max_digits=10, decimal_places=1)
    met = models.BooleanField(_("达标"))
    points = models.PositiveSmallIntegerField(_("得分"))
    reason = models.CharField(_("理由"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[models.Manager["StarResult"]]

    class Meta:
        verbose_name = _("评定结果")
        verbose_name_plural = _("评定结果")
        ordering = ("order", "pk")

    def __str__(self) -> str:
        return str(self.reason)


class StarEvidence(TimeStampedModel):
    """A material party staff attach to a criterion of a branch's year (a meeting's minutes, a
    commendation): it counts for a criterion measured by materials and is shown beside any."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("党支部"), on_delete=models.CASCADE, related_name="star_evidence"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    criterion = models.ForeignKey(
        StarCriterion,
        verbose_name=_("评定标准"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    note = models.CharField(_("材料说明"), max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[models.Manager["StarEvidence"]]

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ("created_at", "pk")
        indexes = [models.Index(fields=["org", "year"])]

    def __str__(self) -> str:
        return str(self.note)
