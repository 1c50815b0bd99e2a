from datetime import time
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wangge.cases import actions
from wangge.core import pii
from wangge.core.errors import Conflict
from wangge.core.models import TimeStampedModel
from wangge.grids.models import (
    Building,
    GeometryLeanQuerySet,
    GridLevel,
    GridNode,
    path_prefixes,
)


class Tier(models.TextChoices):
    """一般工单网格办、复杂工单社区办、疑难工单协同办."""

    GENERAL = "general", _("一般")
    COMPLEX = "complex", _("复杂")
    DIFFICULT = "difficult", _("疑难")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急")


class DurationUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("工作小时")
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_HOURS = "calendar_hours", _("自然小时")


class DepartmentQuerySet(models.QuerySet["Department"]):
    def serving(self, grid_path: str) -> "DepartmentQuerySet":
        """The departments a case at `grid_path` may summon: its district's (and its city's)
        and those shared by every district."""
        return self.filter(
            models.Q(unit__isnull=True) | models.Q(unit__path__in=path_prefixes(grid_path))
        )

    def for_scope(self, paths: tuple[str, ...] | None) -> "DepartmentQuerySet":
        """The departments staff holding `paths` may pick from (None: all): those of the
        districts they work in, above them or within them, and the shared ones."""
        if paths is None:
            return self.all()
        q = models.Q(unit__isnull=True)
        for path in paths:
            q |= models.Q(unit__path__in=path_prefixes(path)) | models.Q(
                unit__path__startswith=path
            )
        return self.filter(q)

    def pick(self, code: str) -> "Department | None":
        """The department of `code` among these; a district's own before a city's, a city's
        before a shared one of the same code."""
        return (
            self.filter(code=code)
            .order_by(models.F("unit__depth").desc(nulls_last=True), "pk")
            .first()
        )


class Department(models.Model):
    """A city or district department (城管, 住建…) that reports in when the street whistles."""

    code = models.CharField(_("编码"), max_length=30)
    name = models.CharField(_("名称"), max_length=60)
    # The district (or city) the department belongs to: two districts of one instance each
    # have their own 城管局, summoned only to their own cases. Empty: a department that serves
    # every district of the instance (one district alone needs nothing else).
    unit = models.ForeignKey(
        GridNode,
        verbose_name=_("所属区（市）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        limit_choices_to={"level__in": (GridLevel.CITY, GridLevel.DISTRICT)},
    )
    # Membership is what makes someone a 职能部门承办人: added through
    # services.department_member_add, which grants the role, and revoked with the last one.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        blank=True,
        related_name="departments",
        through="DepartmentMember",
        through_fields=("department", "user"),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ("code",)
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="department_code_unique_in_unit"),
            models.UniqueConstraint(fields=["unit", "name"], name="department_name_unique_in_unit"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(unit__isnull=True),
                name="department_code_unique_shared",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(unit__isnull=True),
                name="department_name_unique_shared",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentMember(models.Model):
    """A person who answers for a department when the street whistles: they get its cases in
    their inbox and their 部门待办 queue, and report in and back on them."""

    department = models.ForeignKey(
        Department, verbose_name=_("职能部门"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.CASCADE,
        related_name="department_memberships",
    )
    # The 承办人 grant this membership gave (shared by a person's other departments; it goes
    # with the last of them).
    grant = models.ForeignKey(
        "accounts.RoleGrant",
        verbose_name=_("角色授予"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="department_memberships",
        editable=False,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("部门承办人")
        verbose_name_plural = _("部门承办人")
        ordering = ("department", "pk")
        constraints = [
            models.UniqueConstraint(fields=["department", "user"], name="department_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.user}"


class Category(models.Model):
    """An item of the 派单目录: default tier, deadlines and the department responsible."""

    code = models.CharField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    tier = models.CharField(
        _("默认层级"), max_length=10, choices=Tier.choices, default=Tier.GENERAL
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    sign_amount = models.FloatField(_("签收时限"), default=2)
    sign_unit = models.CharField(
        _("签收时限单位"),
        max_length=16,
        choices=DurationUnit.choices,
        default=DurationUnit.WORKING_HOURS,
    )
    contact_amount = models.FloatField(_("联系时限"), default=24)
    contact_unit = models.CharField(
        _("联系时限单位"),
        max_length=16,
        choices=DurationUnit.choices,
        default=DurationUnit.CALENDAR_HOURS,
    )
    resolve_amount = models.FloatField(_("办理时限"), default=7)
    resolve_unit = models.CharField(
        _("办理时限单位"),
        max_length=16,
        choices=DurationUnit.choices,
        default=DurationUnit.WORKING_DAYS,
    )
    department = models.ForeignKey(
        Department, verbose_name=_("责任部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    # Sentences as residents write them: with the keywords, what the category model starts
    # from before the district has a history of its own (cases/learning.py).
    examples = models.JSONField(_("示例诉求"), default=list, blank=True)
    # Codes other systems file the same item under: {"12345": ["…"], "GB/T 30428.2": ["…"]}.
    # An order that arrives with one of them is filed here without guessing.
    external_codes = models.JSONField(_("外部分类编码"), default=dict, blank=True)
    # 非网格事项: filed here, a case is never dispatched to a grid; it waits at the desk, which
    # refers it to a department or an outside unit (or back to the 12345 platform).
    not_grid_matter = models.BooleanField(_("非网格事项"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    objects: ClassVar[models.Manager["Category"]]

    class Meta:
        verbose_name = _("事件分类")
        verbose_name_plural = _("事件分类（派单目录）")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sign_amount__gt=0, contact_amount__gt=0, resolve_amount__gt=0),
                name="category_deadlines_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CategoryAdjustment(models.Model):
    """A district's (or a city's) own allowance for an item of the shared 派单目录: the city's
    catalogue is one, and each district may shorten or lengthen an item's resolve time and
    name its own department for it. A case takes the adjustment of the deepest unit above it
    that has one, else the catalogue's."""

    unit = models.ForeignKey(
        GridNode,
        verbose_name=_("区（市）"),
        on_delete=models.CASCADE,
        related_name="category_adjustments",
        limit_choices_to={"level__in": (GridLevel.CITY, GridLevel.DISTRICT)},
    )
    category = models.ForeignKey(
        Category, verbose_name=_("事件分类"), on_delete=models.CASCADE, related_name="adjustments"
    )
    resolve_amount = models.FloatField(_("办理时限"))
    resolve_unit = models.CharField(_("办理时限单位"), max_length=16, choices=DurationUnit.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("调整依据"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("派单目录调整")
        verbose_name_plural = _("派单目录调整（各区）")
        ordering = ("unit", "category")
        constraints = [
            models.UniqueConstraint(fields=["unit", "category"], name="category_adjustment_unique"),
            models.CheckConstraint(
                condition=models.Q(resolve_amount__gt=0), name="category_adjustment_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.category.name}"

    def clean(self) -> None:
        if self.unit_id and self.unit.level not in (GridLevel.CITY, GridLevel.DISTRICT):
            raise ValidationError({"unit": _("只有区或市可以调整派单目录")})
        department = self.department if self.department_id else None
        if department is not None and department.unit_id not in (None, self.unit_id):
            raise ValidationError({"department": _("责任部门须为本区（市）或共用的部门")})


class CalendarDay(models.Model):
    """An exception to Monday–Friday: an official holiday, or a make-up workday (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose official arrangement (放假调休) has been loaded. Deadlines that reach into a
    year without a row here are computed on plain weekdays and marked provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=120)
    holidays = models.PositiveSmallIntegerField(_("节假日天数"), default=0)
    workdays = models.PositiveSmallIntegerField(_("调休上班天数"), default=0)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)

    objects: ClassVar[models.Manager["CalendarYear"]]

    class Meta:
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        ordering = ("-year",)

    def __str__(self) -> str:
        return str(self.year)


class WorkingHours(models.Model):
    """Office hours for working-time deadlines; the newest row is in force."""

    morning_start = models.TimeField(_("上午上班"), default=time(9, 0))
    morning_end = models.TimeField(_("上午下班"), default=time(12, 0))
    afternoon_start = models.TimeField(_("下午上班"), default=time(13, 0))
    afternoon_end = models.TimeField(_("下午下班"), default=time(17, 0))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作时间")
        verbose_name_plural = _("工作时间")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="working_hours_ordered",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}，"
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )


class Channel(models.TextChoices):
    RESIDENT = "resident", _("有事找支部")
    SNAPSHOT = "snapshot", _("随手拍")
    PATROL = "patrol", _("网格员巡查上报")
    HOTLINE = "hotline", _("12345热线")
    ENTERPRISE = "enterprise", _("企业服务")
    ASSISTANT = "assistant", _("小原帮办")
    VIDEO = "video", _("视频/城管系统推送")
    OPEN311 = "open311", _("Open311")
    HIGHER = "higher", _("上级交办")


class Status(models.TextChoices):
    PENDING = "pending", _("待受理")
    DISPATCHED = "dispatched", _("待签收")
    SIGNED = "signed", _("处理中")
    SUSPENDED = "suspended", _("挂账")
    RESOLVED = "resolved", _("已办结待核查")
    VERIFIED = "verified", _("待回访")
    CLOSED = "closed", _("已结案")
    RETURNED = "returned", _("已退单")
    VOIDED = "voided", _("已作废")
    MERGED = "merged", _("已合并")
    # 非网格事项: handed to a department or an outside unit (or back to the 12345 platform);
    # it never reaches a grid worker's list.
    REFERRED = "referred", _("已转出（非网格事项）")


OPEN_STATUSES = (
    Status.PENDING,
    Status.DISPATCHED,
    Status.SIGNED,
    Status.SUSPENDED,
    Status.RESOLVED,
    Status.RETURNED,
)
# While one of these, the resolve clock runs; `resolved` waits on the verifier, not the handler.
CLOCK_STATUSES = (Status.DISPATCHED, Status.SIGNED, Status.RETURNED)


class HandlingLevel(models.TextChoices):
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")


class Card(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("黄牌预警")
    RED = "red", _("红牌超期")


class CategorySource(models.TextChoices):
    """Who decided a case's category: only a person's decision teaches the category model."""

    NONE = "", _("未分类")
    REPORTER = "reporter", _("上报人选择")
    KEYWORD = "keyword", _("关键词")
    MODEL = "model", _("分类模型")
    PLATFORM = "platform", _("来件分类映射")
    STAFF = "staff", _("派单员确认")
    HISTORY = "history", _("历史工单")


# The sources whose category a person chose: the category model's training examples.
LABELLED_SOURCES = (CategorySource.STAFF, CategorySource.HISTORY, CategorySource.PLATFORM)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class CaseNotDeletable(Conflict):
    """Cases are never deleted (cases/retention.py): 作废 keeps them and their timeline."""

    def __init__(self) -> None:
        super().__init__(gettext("事件不能删除；不需要办理的事件请作废，作废后时间线仍会保留"))


class CaseQuerySet(GeometryLeanQuerySet["Case"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise CaseNotDeletable


class Case(TimeStampedModel):
    """One problem, from any channel, travelling one loop until its reporter has been asked.
    Never deleted: 作废 keeps it and its timeline (cases/retention.py)."""

    number = models.CharField(_("编号"), max_length=24, unique=True, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("诉求内容"))
    channel = models.CharField(_("来源"), max_length=12, choices=Channel.choices)
    external_id = models.CharField(_("外部编号"), max_length=64, null=True, blank=True)
    # What an external system sent, to tell a retried delivery from a different order.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    request_type = models.CharField(_("诉求类型"), max_length=8, blank=True)

    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    category_source = models.CharField(
        _("分类来源"), max_length=10, choices=CategorySource.choices, blank=True
    )
    # The category model's three best leaves when the case came in, whether or not it set
    # `category` itself: [{"code", "name", "probability", "words"}], best first.
    category_suggestions = models.JSONField(_("分类建议"), default=list, blank=True)
    # The version of the category model that made the suggestions (ClassifierModel.version).
    classifier_version = models.PositiveIntegerField(_("分类模型版本"), null=True, blank=True)
    # The sender's own category (a 12345 platform's code or name) as it arrived: kept when no
    # mapping names a leaf for it, for the dispatcher to read.
    external_category = models.CharField(_("来件分类"), max_length=120, blank=True)
    tier = models.CharField(_("层级"), max_length=10, choices=Tier.choices, default=Tier.GENERAL)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # 历史工单: imported from a platform's export to learn from; closed when it arrives, counted
    # in its own periods, and never in a queue, an inbox or a message.
    is_history = models.BooleanField(_("历史工单"), default=False)
    # 保密件: the caller's identity is shown to the desk alone, and the case never on a board.
    is_confidential = models.BooleanField(_("保密"), default=False)
    # The places the text names lie in no imported district (地点不在本区): it waits at the
    # district's desk, never on a street's by a fuzzy match of a common word.
    out_of_area = models.BooleanField(_("地点不在本区"), default=False)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    # A mobile, or a landline with its area code (a 12345 caller's number), kept only encrypted:
    # the keyed hash finds a caller's earlier cases, the masked form is what lists show, and
    # the clear number comes out through services.reveal_reporter_phone (audited).
    reporter_phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    # Looked up by equality only: a plain index in Meta, not db_index's second one for LIKE.
    reporter_phone_hash = models.CharField(
        _("联系电话摘要"), max_length=64, blank=True, editable=False
    )
    reporter_phone_masked = models.CharField(
        _("联系电话"), max_length=16, blank=True, editable=False
    )
    # The keyed hash of the last four digits (the ones the masked form shows), so a dispatcher
    # can find a caller who reads out only the end of the number (core.pii.phone_tail_hash).
    reporter_phone_tail_hash = models.CharField(
        _("联系电话尾号摘要"), max_length=64, blank=True, editable=False
    )
    # The reporter's choice to show the problem on 身边事 (neighbours see what is being done);
    # staff can withdraw it (say, the text names someone). The name is hidden unless they agree.
    is_public = models.BooleanField(_("公开到身边事"), default=False)
    is_anonymous_public = models.BooleanField(_("公开时隐去姓名"), default=True)
    # A public report waits off the board (审核中) until its words pass content security
    # (wangge.moderation); hidden with the reason its reporter is shown when they do not.

    class PublicHold(models.TextChoices):
        NONE = "", _("无")
        PENDING = "pending", _("审核中")
        HIDDEN = "hidden", _("未通过审核")

    public_hold = models.CharField(
        _("公开审核"), max_length=8, choices=PublicHold.choices, default="", blank=True
    )
    public_hold_reason = models.CharField(_("未公开原因"), max_length=200, blank=True)

    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    crs_given = models.CharField(_("原始坐标系"), max_length=8, blank=True)
    address = models.CharField(_("诉求地址"), max_length=200, blank=True)
    # The words a place without a building was read from (建设路与桐柏路交叉口东北角): the point
    # is where they put it, which the desk sees as 推定, not as where someone stood.
    place_phrase = models.CharField(_("位置推定依据"), max_length=200, blank=True)
    building = models.ForeignKey(
        Building,
        verbose_name=_("楼栋"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    micro_grid = models.ForeignKey(
        GridNode,
        verbose_name=_("微网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exclusive_grid = models.ForeignKey(
        GridNode,
        verbose_name=_("专属网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the grid tree so the scope filter and the KPI group-bys are one index.
    grid_path = models.CharField(_("网格路径"), max_length=400, blank=True, db_index=True)
    community = models.ForeignKey(
        GridNode,
        verbose_name=_("社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        # Its index is the first column of one in Meta.indexes.
        db_index=False,
    )
    street = models.ForeignKey(
        GridNode,
        verbose_name=_("街道"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        # Its index is the first column of one in Meta.indexes.
        db_index=False,
    )
    routing_reason = models.TextField(_("派单依据"), blank=True)

    # Indexed as the first column of (status, due_at) and (status, warn_at) in Meta.indexes.
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    handling_level = models.CharField(
        _("办理层级"), max_length=10, choices=HandlingLevel.choices, blank=True
    )
    handling_node = models.ForeignKey(
        GridNode,
        verbose_name=_("承办网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        # Its index is the first column of one in Meta.indexes.
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        # Its index is the first column of one in Meta.indexes.
        db_index=False,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )

    sign_due_at = models.DateTimeField(_("签收时限"), null=True, blank=True)
    contact_due_at = models.DateTimeField(_("联系时限"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True, db_index=True)
    # A deadline set by the sender (12345 orders carry one); it rules when the clock starts.
    requested_due_at = models.DateTimeField(_("来件办理时限"), null=True, blank=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True, db_index=True)
    # The deadlines reach a year whose holiday arrangement is not loaded yet: counted on plain
    # weekdays, shown as provisional, and recounted when the year is imported.
    deadline_provisional = models.BooleanField(_("时限暂按工作日计算"), default=False)
    card = models.CharField(
        _("预警"), max_length=8, choices=Card.choices, default=Card.NONE, blank=True
    )
    supervised = models.BooleanField(_("督办中"), default=False)
    suspended_at = models.DateTimeField(_("挂账时间"), null=True, blank=True)
    extension_requested_until = models.DateTimeField(_("申请延期至"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)

    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("联系时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True, db_index=True)
    closed_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    self_handled = models.BooleanField(_("自行处置"), default=False)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    was_overdue = models.BooleanField(_("曾超期"), default=False)

    followup_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    followup_contacted = models.BooleanField(_("回访联系上"), null=True, blank=True)
    followup_solved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    followup_note = models.TextField(_("回访记录"), blank=True)

    objects: ClassVar[models.Manager["Case"]] = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ("-created_at", "-id")
        constraints = [
            # The hotline retries deliveries: one external order is one case, whatever happens.
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="case_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="case_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(parent__isnull=False),
                name="merged_case_has_parent",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["street", "created_at"]),
            models.Index(fields=["community", "created_at"]),
            models.Index(fields=["handling_node", "status"]),
            models.Index(fields=["status", "warn_at"]),
            # A handler's open cases are counted on every intake routed to them (the least
            # loaded is chosen): read from here, not from every case they ever held.
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["reporter_phone_hash"]),
            models.Index(fields=["reporter_phone_tail_hash"]),
            # Newest first, the order of every list (Open311 GET requests pages through it
            # within a date window): read from the index, not a sort of the whole table.
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),
            # The desk's queue (pending and returned) newest first: a few thousand rows in a
            # city, which the newest-first index found only by walking past every other case
            # (1 M cases: 992,554 rows filtered away for a street's 8).
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(status__in=["pending", "returned"]),
                name="case_desk_queue",
            ),
            # A street's desk queue, oldest first: its list, its count and its map each read
            # the street's queue, where the street's and the statuses' indexes ANDed were a
            # street's 52,000 cases and the city's 15,000 queued ones (10 M cases: 7 ms each).
            models.Index(
                fields=["street", "created_at"],
                condition=models.Q(status__in=["pending", "returned"]),
                name="case_street_queue",
            ),
            # A KPI counts a case followed up in the period: without this, the period's
            # follow-ups were a scan of the whole table on every KPI page.
            models.Index(fields=["followup_at"], name="case_followup_at"),
            # The duplicate check's pool (intake's, the hotline desk's, the desk's twins): the
            # open cases of a few micro-grids and of a few boxes 600 m wide. Over the whole
            # table the micro-grids' arm read every case they ever had, and a box had no index
            # at all (10 M cases: the pool of a city's desk page 152 ms).
            models.Index(
                fields=["micro_grid"],
                condition=models.Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="case_open_micro",
            ),
            models.Index(
                fields=["lat", "lon"],
                condition=models.Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="case_open_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise CaseNotDeletable

    # The clear number only for services.reveal_reporter_phone and the full-phone export, both
    # audited; everything else shows `reporter_phone_masked`.
    reporter_phone = pii.ProtectedPhone("reporter_phone")

    @property
    def has_reporter_phone(self) -> bool:
        return bool(self.reporter_phone_hash)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        """结案: nothing more will be done, so no date is promised."""
        return self.status == Status.CLOSED

    @property
    def has_checked_result(self) -> bool:
        """核查通过 (待回访 or 结案): the handling's result has been checked, so the public board
        may show it."""
        return self.status in (Status.VERIFIED, Status.CLOSED)


class CaseEvent(models.Model):
    """One row of the timeline: who did what, when, from which state to which."""

    class Action(models.TextChoices):
        """Every name a row is written with. The values are those of `cases.actions`, the only
        names the one writer (`cases.timeline`) takes, so the two cannot drift apart; the labels
        are the timeline's. Choices are not a database constraint: a row of an older release
        with a name not listed here still loads, and shows its raw name."""

        # What a person does to the case, through the gate (`actions.Action`).
        ACCEPT = actions.Action.ACCEPT, _("受理派遣")
        DISPATCH = actions.Action.DISPATCH, _("派单")
        VOID = actions.Action.VOID, _("作废")
        MERGE = actions.Action.MERGE, _("合并")
        SIGN = actions.Action.SIGN, _("签收")
        CONTACT = actions.Action.CONTACT, _("联系诉求人")
        RETURN = actions.Action.RETURN, _("退单")
        TRANSFER = actions.Action.TRANSFER, _("转办")
        ESCALATE = actions.Action.ESCALATE, _("上报上级")
        WHISTLE = actions.Action.WHISTLE, _("吹哨")
        DEPT_SIGN = actions.Action.DEPT_SIGN, _("部门报到")
        DEPT_REPORT = actions.Action.DEPT_REPORT, _("部门反馈")
        REQUEST_EXTENSION = actions.Action.REQUEST_EXTENSION, _("申请延期")
        APPROVE_EXTENSION = actions.Action.APPROVE_EXTENSION, _("批准延期")
        REJECT_EXTENSION = actions.Action.REJECT_EXTENSION, _("驳回延期")
        SUSPEND = actions.Action.SUSPEND, _("挂账")
        RESUME = actions.Action.RESUME, _("恢复办理")
        RESOLVE = actions.Action.RESOLVE, _("办结")
        VERIFY_PASS = actions.Action.VERIFY_PASS, _("核查通过")
        VERIFY_FAIL = actions.Action.VERIFY_FAIL, _("核查不通过")
        FOLLOW_UP = actions.Action.FOLLOW_UP, _("回访")
        RATE = actions.Action.RATE, _("评价")
        REOPEN = actions.Action.REOPEN, _("重办")
        SUPERVISE = actions.Action.SUPERVISE, _("督办")
        URGE = actions.Action.URGE, _("催办")
        REFER = actions.Action.REFER, _("非网格事项转出")
        WITHDRAW = actions.Action.WITHDRAW, _("撤单")
        PROGRESS = actions.Action.PROGRESS, _("阶段性回复")
        # Rows no one takes through the gate: intake, the sweep, the sender (`actions.Event`).
        INTAKE = actions.Event.INTAKE, _("受理")
        ROUTE = actions.Event.ROUTE, _("自动派单")
        CARD_YELLOW = actions.Event.CARD_YELLOW, _("黄牌预警")
        CARD_RED = actions.Event.CARD_RED, _("红牌超期")
        MERGED_IN = actions.Event.MERGED_IN, _("合并")
        SELF_HANDLE = actions.Event.SELF_HANDLE, _("自行处置")
        TRIAGE = actions.Event.TRIAGE, _("分拨")
        UNPUBLISH = actions.Event.UNPUBLISH, _("撤下公开")
        RECOUNT = actions.Event.RECOUNT, _("时限重算")
        SUPPLEMENT = actions.Event.SUPPLEMENT, _("补充诉求")
        ATTACHMENTS = actions.Event.ATTACHMENTS, _("补充附件")
        SENDER_NOTE = actions.Event.SENDER_NOTE, _("来件方消息")
        CATEGORY = actions.Event.CATEGORY, _("确认分类")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作方"), max_length=60, blank=True)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    @property
    def label(self) -> str:
        # A name outside the choices (a row of an older release) shows as it is stored.
        return self.get_action_display()


def attachment_path(instance: "CaseAttachment", filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no personal data in names.
    # The case id leads, so the protected media view finds a file's case without a scan.
    return f"cases/{instance.case_id}/{instance.kind}-{instance.token}.jpg"


def attachment_thumb_path(instance: "CaseAttachment", filename: str) -> str:
    return f"cases/{instance.case_id}/{instance.kind}-{instance.token}.thumb.jpg"


class CaseAttachment(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("上报照片")
        BEFORE = "before", _("处置前")
        AFTER = "after", _("处置后")
        EVIDENCE = "evidence", _("补充材料")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    token = models.CharField(max_length=32, editable=False)
    image = models.ImageField(_("图片"), upload_to=attachment_path)
    # Made at upload for lists and timelines; empty on photos stored before thumbnails existed.
    thumb = models.ImageField(_("缩略图"), upload_to=attachment_thumb_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # The sender's own id for a photo sent after its report (the mini-program uploads one photo
    # a request): a retried upload finds its photo instead of storing it twice.
    client_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="case_attachment_client_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Assistance(models.Model):
    """A department summoned by the street's whistle (吹哨报到): one lead, any assisting units."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        ASSIST = "assist", _("协办")

    class State(models.TextChoices):
        SUMMONED = "summoned", _("待报到")
        SIGNED = "signed", _("已报到")
        REPORTED = "reported", _("已反馈")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assistances")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="assistances")
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.SUMMONED
    )
    summoned_at = models.DateTimeField(_("吹哨时间"), auto_now_add=True)
    signed_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    report = models.TextField(_("反馈内容"), blank=True)

    class Meta:
        verbose_name = _("吹哨报到")
        verbose_name_plural = _("吹哨报到")
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="assistance_unique"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(role="lead"), name="one_lead_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.department} {self.get_role_display()}"


class KpiMonth(models.Model):
    """The KPI counts of one street for one calendar month (local time): of its cases due in
    the month, and of those followed up in it; kept by `kpi_counts.refresh` so that a district's
    or the city's KPI table over whole months adds up a few hundred rows instead of counting
    millions of cases. Derived data: rebuilt from the cases at any time.

    Cases without a micro-grid or a street (`loose`) are counted apart, per street or per
    place: they are the only ones a person can move from one unit to another, so every refresh
    recounts all of them, and a street's other rows need recounting only when one of its own
    cases changed."""

    month = models.DateField()
    street = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The grid path of the cases counted here when they have no street (a district's or the
    # city's desk); "" on a street's rows.
    place = models.CharField(max_length=400, blank=True)
    loose = models.BooleanField(default=False)
    due = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    reworked = models.PositiveIntegerField(default=0)
    extended = models.PositiveIntegerField(default=0)
    self_handled = models.PositiveIntegerField(default=0)
    followups = models.PositiveIntegerField(default=0)
    contacted = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager["KpiMonth"]]

    class Meta:
        verbose_name = _("考核月度计数")
        verbose_name_plural = _("考核月度计数")
        # The refresh deletes and rewrites a street's rows; a page reads a range of months.
        indexes = [
            models.Index(fields=["street", "month"]),
            models.Index(fields=["month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.street_id or self.place}"


class KpiOpen(models.Model):
    """The open cases of one street (or of one place without a street), and how many of them
    were past their deadline, as of the last refresh of the KPI counters: a city's 150,000 open
    cases cost 0.3 s to count on every KPI page. Kept by `kpi_counts.refresh`, which counts a
    street again when one of its open cases passes its deadline, as when one changes."""

    street = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    place = models.CharField(max_length=400, blank=True)
    loose = models.BooleanField(default=False)
    open_cases = models.PositiveIntegerField(default=0)
    overdue_open = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager["KpiOpen"]]

    class Meta:
        verbose_name = _("考核在办计数")
        verbose_name_plural = _("考核在办计数")

    def __str__(self) -> str:
        return f"{self.street_id or self.place}"


class KpiMonthsRefresh(models.Model):
    """One row: when the monthly KPI counters were last refreshed, and last recounted in
    full."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    full_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["KpiMonthsRefresh"]]

    def __str__(self) -> str:
        return f"{self.refreshed_at}"


class ClassifierModel(models.Model):
    """One version of the category model: trained on the district's labelled cases, judged on a
    held-out slice, and kept (in use) only when it beats the one in use there. Stored here so
    every process of every node finds the same model (cases/learning.py loads the one in use
    within a minute of a change)."""

    class Kind(models.TextChoices):
        TRAINED = "trained", _("历史训练")
        REFIT = "refit", _("全量重训")

    version = models.PositiveIntegerField(_("版本"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    trained_on = models.PositiveIntegerField(_("训练样本数"), default=0)
    held_out = models.PositiveIntegerField(_("验证样本数"), default=0)
    leaves = models.PositiveIntegerField(_("可建议分类数"), default=0)
    # Held-out figures: top-1 and top-3 leaf agreement, top-1 in the right family, and the
    # share of the held-out cases the model would have filed under a wrong family by itself.
    top1 = models.FloatField(_("首选准确率"), null=True, blank=True)
    top3 = models.FloatField(_("前三命中率"), null=True, blank=True)
    family_top1 = models.FloatField(_("大类准确率"), null=True, blank=True)
    wrong_family = models.FloatField(_("自动分类错大类率"), null=True, blank=True)
    auto_share = models.FloatField(_("自动分类比例"), null=True, blank=True)
    # The same slice answered by the model in use when this one was judged (None: cold start).
    incumbent_top1 = models.FloatField(_("在用模型首选准确率"), null=True, blank=True)
    # Below this probability the model leaves the category to the desk (calibrated on the
    # held-out slice so that its own picks are wrong-family at most the tolerated share).
    threshold = models.FloatField(_("自动分类阈值"), default=1.0)
    kept = models.BooleanField(_("采用"), default=False)
    in_use = models.BooleanField(_("在用"), default=False)
    note = models.TextField(_("说明"), blank=True)
    # The fitted model as arrays (cases/learning.py: vocabulary, idf, weights, calibration), with
    # the versions of the libraries that made it.
    artefact = models.BinaryField(_("模型数据"), editable=False)
    libraries = models.JSONField(_("依赖版本"), default=dict, blank=True)

    objects: ClassVar[models.Manager["ClassifierModel"]]

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ("-version",)
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"], condition=models.Q(in_use=True), name="classifier_one_in_use"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.get_kind_display()}"
