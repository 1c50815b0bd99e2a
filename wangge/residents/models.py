"""实有人口: households per building and room, the people in them, special groups and visits.

Each row that is about people carries `grid_path`, the micro-grid path of its building, copied
when the row is written (as cases.Case does), so the one scope filter `in_scope(user, qs,
"grid_path")` is a prefix match on an indexed column with no joins.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wangge.core import pii
from wangge.core.masking import mask_id_number
from wangge.core.models import TimeStampedModel
from wangge.grids.models import Building

# The history row's own time says when; a copy of `updated_at` in every row adds nothing.
HISTORY_EXCLUDED = ["updated_at"]


class ResidenceKind(models.TextChoices):
    HUJI = "huji", _("户籍")
    CHANGZHU = "changzhu", _("常住")
    LIUDONG = "liudong", _("流动")


class Household(TimeStampedModel):
    """一户: the people living in one room of one building."""

    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="households"
    )
    room = models.CharField(_("房号"), max_length=40)
    kind = models.CharField(_("户类型"), max_length=10, choices=ResidenceKind.choices)
    is_owner = models.BooleanField(_("自有住房"), default=True)
    is_rental = models.BooleanField(_("出租房"), default=False)
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    objects: ClassVar[models.Manager["Household"]]

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ("building__code", "room")
        constraints = [
            models.UniqueConstraint(fields=["building", "room"], name="household_room_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ResidenceKind.values), name="household_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building.address} {self.room}"


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    OTHER = "other", _("其他")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Person(TimeStampedModel):
    """One person known to the grid. Moving out keeps the row (and its history)."""

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="persons"
    )
    name = models.CharField(_("姓名"), max_length=50)
    # Stored only encrypted; the keyed hash finds a person by number (and keeps it unique).
    id_number_encrypted = models.TextField(_("身份证号（加密）"), editable=False)
    id_number_hash = models.CharField(_("身份证号摘要"), max_length=64, unique=True, editable=False)
    # The masked form is kept so lists never decrypt (and a 10,000-row page stays fast).
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=18, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    # Like the ID number: encrypted, a keyed hash (the same number in any table has the same
    # hash), and the masked form lists show; the clear number only via person_reveal_phone.
    phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    phone_hash = models.CharField(
        _("联系电话摘要"), max_length=64, blank=True, db_index=True, editable=False
    )
    phone_masked = models.CharField(_("联系电话"), max_length=12, blank=True, editable=False)
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices)
    residence = models.CharField(_("居住类型"), max_length=10, choices=ResidenceKind.choices)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("居民账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_record",
    )
    is_present = models.BooleanField(_("在住"), default=True, db_index=True)
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)

    # The history keeps the masked forms and the keyed hashes (a change of number shows even
    # when the masks agree), never the ciphertexts: a number erased from the register is not
    # left behind in old rows.
    history = HistoricalRecords(
        excluded_fields=[*HISTORY_EXCLUDED, "id_number_encrypted", "phone_encrypted"]
    )

    objects: ClassVar[models.Manager["Person"]]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ("household__building__code", "household__room", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(residence__in=ResidenceKind.values),
                name="person_residence_known",
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=Relation.values), name="person_relation_known"
            ),
        ]
        indexes = [models.Index(fields=["grid_path", "is_present"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return self.phone_masked

    # The clear value only through residents.services.person_reveal_*, which audits.
    phone = pii.ProtectedPhone("phone")

    @property
    def id_number(self) -> str:
        """The clear value. Call only through residents.services.person_reveal_*, which audits."""
        return pii.decrypt(self.id_number_encrypted)

    def set_id_number(self, id_number: str) -> None:
        """`id_number` must already be normalised (accounts.identity.normalize_id_number)."""
        self.id_number_encrypted = pii.encrypt(id_number)
        self.id_number_hash = pii.lookup_hash(id_number)
        self.id_number_masked = mask_id_number(id_number)


class Move(models.Model):
    """迁入/迁出: one row per move, never deleted, so the register keeps its history."""

    class Kind(models.TextChoices):
        IN = "in", _("迁入")
        OUT = "out", _("迁出")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="moves"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="moves"
    )
    kind = models.CharField(_("类型"), max_length=3, choices=Kind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["Move"]]

    class Meta:
        verbose_name = _("迁入迁出记录")
        verbose_name_plural = _("迁入迁出记录")
        ordering = ("on", "pk")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["in", "out"]), name="move_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class SpecialGroup(models.TextChoices):
    EMPTY_NEST = "empty_nest", _("空巢老人")
    LIVING_ALONE = "living_alone", _("独居老人")
    ADVANCED_AGE = "advanced_age", _("高龄老人")
    DISABLED = "disabled", _("残疾人")
    LEFT_BEHIND_CHILD = "left_behind_child", _("留守儿童")
    HARDSHIP = "hardship", _("困难家庭")


class GroupTag(TimeStampedModel):
    """A person's place in a special group, with the care plan and how often to visit."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="tags"
    )
    group = models.CharField(_("特殊人群"), max_length=20, choices=SpecialGroup.choices)
    care_plan = models.TextField(_("关爱计划"), blank=True)
    visit_every_days = models.PositiveSmallIntegerField(_("走访周期（天）"), default=30)
    is_active = models.BooleanField(_("有效"), default=True)
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    objects: ClassVar[models.Manager["GroupTag"]]

    class Meta:
        verbose_name = _("特殊人群标记")
        verbose_name_plural = _("特殊人群标记")
        constraints = [
            models.UniqueConstraint(fields=["person", "group"], name="tag_person_group_unique"),
            models.CheckConstraint(
                condition=models.Q(group__in=SpecialGroup.values), name="tag_group_known"
            ),
            models.CheckConstraint(
                condition=models.Q(visit_every_days__gte=1, visit_every_days__lte=366),
                name="tag_visit_every_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.get_group_display()


class Visit(models.Model):
    """入户走访: one visit to one person, recorded on the worker's phone."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    findings = models.TextField(_("走访情况"))
    follow_up = models.TextField(_("需跟进事项"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转为事件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["Visit"]]

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ("-visited_at",)
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(lon__isnull=True) & models.Q(lat__isnull=True))
                | models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="visit_point_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visited_at:%Y-%m-%d}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    # Indexed: the protected media view finds the photo by the name it was asked for.
    image = models.ImageField(upload_to="visits/%Y/%m/", db_index=True)
    thumb = models.ImageField(upload_to="visits/%Y/%m/", blank=True, db_index=True)
    token = models.CharField(max_length=32, editable=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    objects: ClassVar[models.Manager["VisitPhoto"]]

    def __str__(self) -> str:
        return self.token


class SecurityCategory(models.TextChoices):
    """综治重点人员 of GB/T 31000-2015 (社会治安综合治理基础数据规范), kept apart from the care
    groups: only users granted `residents.view_securitytag` (by an administrator) see them."""

    RELEASED = "released", _("刑满释放人员")
    COMMUNITY_CORRECTION = "community_correction", _("社区矫正人员")
    MENTAL_DISORDER = "mental_disorder", _("严重精神障碍患者")
    DRUG_USER = "drug_user", _("吸毒人员")
    AIDS_RISK = "aids_risk", _("艾滋病危险人员")
    KEY_YOUTH = "key_youth", _("重点青少年")


class SecurityTag(TimeStampedModel):
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="security_tags"
    )
    category = models.CharField(_("类别"), max_length=24, choices=SecurityCategory.choices)
    measures = models.TextField(_("帮扶管控措施"), blank=True)
    visit_every_days = models.PositiveSmallIntegerField(_("走访周期（天）"), default=30)
    is_active = models.BooleanField(_("有效"), default=True)
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    objects: ClassVar[models.Manager["SecurityTag"]]

    class Meta:
        verbose_name = _("综治重点人员标记")
        verbose_name_plural = _("综治重点人员标记")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category"], name="security_tag_person_category_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=SecurityCategory.values),
                name="security_tag_category_known",
            ),
            models.CheckConstraint(
                condition=models.Q(visit_every_days__gte=1, visit_every_days__lte=366),
                name="security_tag_visit_every_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class WishStatus(models.TextChoices):
    RAISED = "raised", _("待发布")
    PUBLISHED = "published", _("待认领")
    CLAIMED = "claimed", _("已认领")
    FULFILLED = "fulfilled", _("已实现")
    THANKED = "thanked", _("已致谢")


class Wish(TimeStampedModel):
    """微心愿: a small wish of a person in need, published to volunteers and party members by its
    `title` alone; `detail`, the person and the address stay with the grid's staff."""

    person = models.ForeignKey(
        Person, verbose_name=_("心愿人"), on_delete=models.PROTECT, related_name="wishes"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("来源走访"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wishes",
    )
    title = models.CharField(_("心愿（公开）"), max_length=100)
    detail = models.TextField(_("详情（仅网格工作人员可见）"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=WishStatus.choices, default=WishStatus.RAISED
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    fulfil_note = models.TextField(_("实现情况"), blank=True)
    fulfilled_at = models.DateTimeField(_("实现时间"), null=True, blank=True)
    thanks = models.TextField(_("致谢"), blank=True)
    thanked_at = models.DateTimeField(_("致谢时间"), null=True, blank=True)
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["Wish"]]

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=WishStatus.values), name="wish_status_known"
            ),
            # A claimed (or later) wish always names who claimed it.
            models.CheckConstraint(
                condition=models.Q(status__in=["raised", "published"])
                | models.Q(claimed_by__isnull=False),
                name="wish_claimed_has_claimer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def points_key(self) -> str:
        """The idempotency key of the claimer's 活力值 for this wish: however often it is
        thanked or paid, it pays once."""
        return f"residents:wish:{self.pk}"

    # What may be done next, in the order of the wish's life (services.wish_* enforce it).
    @property
    def can_publish(self) -> bool:
        return self.status == WishStatus.RAISED

    @property
    def can_claim(self) -> bool:
        return self.status == WishStatus.PUBLISHED

    @property
    def can_fulfil(self) -> bool:
        return self.status == WishStatus.CLAIMED

    @property
    def can_thank(self) -> bool:
        return self.status == WishStatus.FULFILLED

    @property
    def is_thanked(self) -> bool:
        return self.status == WishStatus.THANKED


class WishPhoto(models.Model):
    """Evidence that a wish was fulfilled."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="photos")
    # Indexed: the protected media view finds the photo by the name it was asked for.
    image = models.ImageField(upload_to="wishes/%Y/%m/", db_index=True)
    thumb = models.ImageField(upload_to="wishes/%Y/%m/", blank=True, db_index=True)
    token = models.CharField(max_length=32, editable=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    objects: ClassVar[models.Manager["WishPhoto"]]

    def __str__(self) -> str:
        return self.token


class DisputeKind(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭")
    PROPERTY = "property", _("物业纠纷")
    LABOUR = "labour", _("劳资纠纷")
    PETITION = "petition", _("涉访涉诉")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    MEDIATING = "mediating", _("调解中")
    RESOLVED = "resolved", _("调解成功")
    ESCALATED = "escalated", _("已移交")
    CLEARED = "cleared", _("已清零")


OPEN_DISPUTE_STATUSES = (
    DisputeStatus.REGISTERED,
    DisputeStatus.MEDIATING,
    DisputeStatus.RESOLVED,
    DisputeStatus.ESCALATED,
)


class EscalationUnit(models.TextChoices):
    JUSTICE = "justice", _("司法所")
    POLICE = "police", _("派出所")
    PETITION = "petition", _("信访")


class Dispute(TimeStampedModel):
    """矛盾纠纷台账: 逐项登记、逐件梳理、逐个清零. Every open dispute carries its next step and
    its date, which the monthly screening report checks."""

    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="disputes"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=DisputeKind.choices)
    risk = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    summary = models.TextField(_("纠纷概况"))
    parties = models.TextField(_("当事人"), help_text=_("每行一人：姓名及联系方式"))
    status = models.CharField(
        _("状态"), max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.REGISTERED
    )
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    next_step_on = models.DateField(_("下一步日期"), null=True, blank=True)
    outcome = models.TextField(_("结果"), blank=True)
    escalated_to = models.CharField(
        _("移交单位"), max_length=10, choices=EscalationUnit.choices, blank=True
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("移交事件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("清零时间"), null=True, blank=True)
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["Dispute"]]

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DisputeKind.values), name="dispute_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(risk__in=RiskLevel.values), name="dispute_risk_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DisputeStatus.values), name="dispute_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="escalated") | models.Q(case__isnull=False),
                name="dispute_escalated_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    @property
    def can_mediate(self) -> bool:
        """Still in the grid's hands: mediated again, or escalated to a case."""
        return self.status in (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING)

    @property
    def can_clear(self) -> bool:
        """逐个清零: once settled, or escalated (dispute_clear checks that the case is closed)."""
        return self.status in (DisputeStatus.RESOLVED, DisputeStatus.ESCALATED)


class Mediation(models.Model):
    """One mediation session: who mediated, what happened, any agreement reached."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="mediations")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调解人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("调解日期"))
    notes = models.TextField(_("调解情况"))
    agreement = models.TextField(_("达成协议"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["Mediation"]]

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ("held_on", "pk")

    def __str__(self) -> str:
        return f"{self.held_on}"
