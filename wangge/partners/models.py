"""共建单位, the community's needs and the 民生服务项目 that match one to the other; 红色物业.

A co-building unit (`PartnerUnit`: a school, a company, an institution, a property company, a
social organisation) works with a street or a community and offers resources (`Resource`: a
venue, funds, volunteers, a professional service, goods). A community's need (`Need`) comes
from a 微心愿, a 议事厅 topic or a case — linked to that record, never copied — or is entered by
staff. A project (`Project`) answers one need with one or more resources; the parties who pay
(`ProjectShare`: a unit, or the community or street itself) share its cost, and "两方筹资"
means at least two of them. The shares add up to the total: the service writes them under the
project's row lock, then sums them again in the database and stores the sum (`funded_fen`)
beside the total, which a check constraint holds equal, so no save leaves a project whose
shares and cost disagree. Amounts are whole fen, never floats.

红色物业: a property company is a unit of kind 物业服务企业; the compounds it manages are grid
nodes (`PropertyCompound`: a micro-grid or a grid). Its staff (`PropertyStaff`) take part in the
grid as 微网格长 of those compounds — the existing role, granted on the compound's node — rather
than a role of their own: a 微网格长 already sees and reports in exactly that node, is on every
role table, queue and nav, and what a property manager does in the grid (first to see, report,
follow up in the compound) is that role's work. A new role would touch every role table and
test for no difference in what the person may do; what is particular to them (which company
they work for) is the `PropertyStaff` row."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wangge.core import pii
from wangge.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    SCHOOL = "school", _("学校")
    ENTERPRISE = "enterprise", _("企业")
    INSTITUTION = "institution", _("机关事业单位")
    PROPERTY = "property", _("物业服务企业")
    SOCIAL = "social", _("社会组织")
    OTHER = "other", _("其他")


class PartnerUnit(TimeStampedModel):
    """A 共建单位: who it is, the street or community it works with, whom to call."""

    name = models.CharField(_("单位名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=12, choices=UnitKind.choices)
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("共建网格"), on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    # Like a person's phone: encrypted, a keyed hash and the masked form the pages show.
    contact_phone_encrypted = models.TextField(editable=False)
    contact_phone_hash = models.CharField(max_length=64, editable=False)
    contact_phone_masked = models.CharField(_("联系电话"), max_length=12, editable=False)
    note = models.CharField(_("共建内容"), max_length=200, blank=True)
    is_active = models.BooleanField(_("共建中"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    contact_phone = pii.ProtectedPhone("contact_phone")

    objects: ClassVar[models.Manager["PartnerUnit"]]

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ("grid_path", "name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="partners_unit_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values), name="partners_unit_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_property_company(self) -> bool:
        return self.kind == UnitKind.PROPERTY


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("场地")
    FUNDS = "funds", _("资金")
    VOLUNTEERS = "volunteers", _("志愿者")
    SERVICE = "service", _("专业服务")
    GOODS = "goods", _("物资")


class Resource(TimeStampedModel):
    """What a unit offers: a venue, funds, volunteers, a professional service or goods."""

    unit = models.ForeignKey(
        PartnerUnit, verbose_name=_("共建单位"), on_delete=models.CASCADE, related_name="resources"
    )
    kind = models.CharField(_("资源类型"), max_length=12, choices=ResourceKind.choices)
    description = models.CharField(_("资源说明"), max_length=200)
    capacity = models.CharField(_("可提供量"), max_length=80, blank=True)
    is_active = models.BooleanField(_("可用"), default=True)

    objects: ClassVar[models.Manager["Resource"]]

    class Meta:
        verbose_name = _("共建资源")
        verbose_name_plural = _("共建资源")
        ordering = ("unit", "kind", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="partners_resource_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class NeedSource(models.TextChoices):
    WISH = "wish", _("微心愿")
    TOPIC = "topic", _("议事厅")
    CASE = "case", _("事件")
    STAFF = "staff", _("工作人员登记")


class Need(TimeStampedModel):
    """A need of the community, linked to the record it came from (one need per record)."""

    source = models.CharField(_("来源"), max_length=8, choices=NeedSource.choices)
    wish = models.OneToOneField(
        "residents.Wish",
        verbose_name=_("微心愿"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.OneToOneField(
        "ledgers.Topic",
        verbose_name=_("议事厅议题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("事件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The unit the need belongs to (the source's place, or the node staff named).
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    # A short public name; what the source says stays on the source, seen by those it allows.
    title = models.CharField(_("需求"), max_length=100)
    detail = models.TextField(_("说明"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["Need"]]

    class Meta:
        verbose_name = _("社区需求")
        verbose_name_plural = _("社区需求")
        ordering = ("-created_at", "-pk")
        constraints = [
            # The source says which link is set, and only that one.
            models.CheckConstraint(
                condition=(
                    Q(
                        source="wish",
                        wish__isnull=False,
                        topic__isnull=True,
                        case__isnull=True,
                    )
                    | Q(
                        source="topic",
                        wish__isnull=True,
                        topic__isnull=False,
                        case__isnull=True,
                    )
                    | Q(
                        source="case",
                        wish__isnull=True,
                        topic__isnull=True,
                        case__isnull=False,
                    )
                    | Q(
                        source="staff",
                        wish__isnull=True,
                        topic__isnull=True,
                        case__isnull=True,
                    )
                ),
                name="partners_need_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("立项")
    IN_PROGRESS = "in_progress", _("实施中")
    COMPLETED = "completed", _("已完成")


# The one way through: 立项 → 实施中 → 已完成.
PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStatus.PLANNED: (ProjectStatus.IN_PROGRESS,),
    ProjectStatus.IN_PROGRESS: (ProjectStatus.COMPLETED,),
    ProjectStatus.COMPLETED: (),
}

# "两方筹资": a project is paid for by at least this many parties.
MIN_FUNDERS = 2


class Project(TimeStampedModel):
    """A 民生服务项目: one need answered with resources, paid for by shares that add up to its
    cost, moving 立项 → 实施中 → 已完成, with the residents it served."""

    need = models.ForeignKey(
        Need, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("项目名称"), max_length=100)
    # The community or street that runs it (the need's community, or its street).
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("实施单位"), on_delete=models.PROTECT, related_name="+"
    )
    resources = models.ManyToManyField(
        Resource, verbose_name=_("对接资源"), related_name="projects", blank=True
    )
    total_fen = models.PositiveBigIntegerField(_("项目总额（分）"))
    # The sum of the shares as the database counted it in the transaction that last wrote them.
    funded_fen = models.PositiveBigIntegerField(_("筹资合计（分）"))
    status = models.CharField(
        _("进展"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    residents_served = models.PositiveIntegerField(_("服务居民（人）"), default=0)
    households_served = models.PositiveIntegerField(_("服务户数"), null=True, blank=True)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立项人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["Project"]]

    class Meta:
        verbose_name = _("民生服务项目")
        verbose_name_plural = _("民生服务项目")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(funded_fen=F("total_fen")), name="partners_project_shares_add_up"
            ),
            models.CheckConstraint(condition=Q(total_fen__gt=0), name="partners_project_cost"),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values), name="partners_project_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="partners_project_completed_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return PROJECT_TRANSITIONS[self.status]

    @property
    def can_advance(self) -> bool:
        return bool(self.next_statuses)

    @property
    def next_status_label(self) -> str:
        return str(ProjectStatus(self.next_statuses[0]).label) if self.next_statuses else ""

    @property
    def can_change_funding(self) -> bool:
        return self.status != ProjectStatus.COMPLETED

    @property
    def total_yuan(self) -> str:
        return yuan(self.total_fen)


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals, for people ("12345.60")."""
    return f"{fen // 100}.{fen % 100:02d}"


class ProjectShare(models.Model):
    """One party's part of a project's cost: a 共建单位, or the community or street itself."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="shares"
    )
    unit = models.ForeignKey(
        PartnerUnit,
        verbose_name=_("共建单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares",
    )
    node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("社区/街道"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount_fen = models.PositiveBigIntegerField(_("出资（分）"))

    objects: ClassVar[models.Manager["ProjectShare"]]

    class Meta:
        verbose_name = _("项目出资")
        verbose_name_plural = _("项目出资")
        ordering = ("project", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, node__isnull=True)
                | Q(unit__isnull=True, node__isnull=False),
                name="partners_share_one_funder",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="partners_share_positive"),
            models.UniqueConstraint(
                fields=["project", "unit"],
                condition=Q(unit__isnull=False),
                name="partners_share_unit_once",
            ),
            models.UniqueConstraint(
                fields=["project", "node"],
                condition=Q(node__isnull=False),
                name="partners_share_node_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder_name} {yuan(self.amount_fen)}"

    @property
    def funder_name(self) -> str:
        if self.unit_id is not None:
            return self.unit.name  # type: ignore[union-attr]
        return self.node.name  # type: ignore[union-attr]

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)


class ProgressNote(models.Model):
    """A dated line of a project's progress; a state change writes one too (append-only)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="notes"
    )
    on = models.DateField(_("日期"))
    note = models.CharField(_("进展情况"), max_length=300)
    from_status = models.CharField(_("原进展"), max_length=12, blank=True)
    to_status = models.CharField(_("新进展"), max_length=12, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["ProgressNote"]]

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ("project", "on", "pk")

    def __str__(self) -> str:
        return f"{self.on} {self.note}"

    @property
    def to_status_label(self) -> str:
        return str(ProjectStatus(self.to_status).label) if self.to_status else ""


class PropertyCompound(models.Model):
    """A compound a property company manages: a micro-grid or grid of the tree (one company
    at a time)."""

    unit = models.ForeignKey(
        PartnerUnit,
        verbose_name=_("物业服务企业"),
        on_delete=models.CASCADE,
        related_name="compounds",
    )
    node = models.OneToOneField(
        "grids.GridNode", verbose_name=_("管理小区"), on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("进驻日期"), null=True, blank=True)
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["PropertyCompound"]]

    class Meta:
        verbose_name = _("物业管理小区")
        verbose_name_plural = _("物业管理小区")
        ordering = ("unit", "grid_path")

    def __str__(self) -> str:
        return f"{self.unit} · {self.node_id}"


class PropertyStaff(models.Model):
    """A property company's employee who serves in the grid as 微网格长 of one of its compounds
    (the grant is `accounts.RoleGrant`; this row says for which company)."""

    unit = models.ForeignKey(
        PartnerUnit, verbose_name=_("物业服务企业"), on_delete=models.CASCADE, related_name="staff"
    )
    compound = models.ForeignKey(
        PropertyCompound, verbose_name=_("管理小区"), on_delete=models.CASCADE, related_name="staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("岗位"), max_length=40, blank=True)

    objects: ClassVar[models.Manager["PropertyStaff"]]

    class Meta:
        verbose_name = _("物业人员")
        verbose_name_plural = _("物业人员")
        ordering = ("unit", "compound", "pk")
        constraints = [
            models.UniqueConstraint(fields=["compound", "user"], name="partners_staff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user_id}"
