"""The case and its states, with the models around it re-exported from the package's modules.

A case (`Case`) travels one loop from intake to follow-up; its statuses and the other choices
only a case carries are defined here, beside it. Around it sit the 派单目录 and departments
(catalogue), the working calendar (working_time), what a case gathers on its way: timeline,
photos, summoned departments (records), the KPI counters (kpi) and the category model's
versions (classifier). Every model keeps the `cases` app label and its table; importers use
`wangge.cases.models` alone.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wangge.cases.models.catalogue import (
    Category,
    CategoryAdjustment,
    Department,
    DepartmentMember,
    DepartmentQuerySet,
    DurationUnit,
    Tier,
    Urgency,
)
from wangge.cases.models.classifier import ClassifierModel
from wangge.cases.models.kpi import KpiMonth, KpiMonthsRefresh, KpiOpen
from wangge.cases.models.records import (
    Assistance,
    CaseAttachment,
    CaseEvent,
    # Migrations name the upload paths here (`wangge.cases.models.attachment_path`).
    attachment_path,
    attachment_thumb_path,
)
from wangge.cases.models.working_time import CalendarDay, CalendarYear, WorkingHours
from wangge.core import pii
from wangge.core.errors import Conflict
from wangge.core.models import TimeStampedModel
from wangge.grids.models import Building, GeometryLeanQuerySet, GridNode

__all__ = [
    "CLOCK_STATUSES",
    "LABELLED_SOURCES",
    "OPEN_STATUSES",
    "Assistance",
    "CalendarDay",
    "CalendarYear",
    "Card",
    "Case",
    "CaseAttachment",
    "CaseEvent",
    "CaseNotDeletable",
    "CaseQuerySet",
    "Category",
    "CategoryAdjustment",
    "CategorySource",
    "Channel",
    "ClassifierModel",
    "Department",
    "DepartmentMember",
    "DepartmentQuerySet",
    "DurationUnit",
    "HandlingLevel",
    "KpiMonth",
    "KpiMonthsRefresh",
    "KpiOpen",
    "Satisfaction",
    "Status",
    "Tier",
    "Urgency",
    "WorkingHours",
    "attachment_path",
    "attachment_thumb_path",
]


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
            # street's 52,000 cases and the city's 15,000 queued ones (at 10 M cases) each time.
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
            # at all (10 M cases: the pool alone made a city's desk page slow).
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
