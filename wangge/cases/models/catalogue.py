"""The 派单目录 and the departments it names: what a case is filed under, the tier, urgency and
deadlines it starts with, and who answers for it. Apart from the case because the catalogue is
configuration (the city's, with each district's adjustments), loaded and edited in the admin
and read through `cases.categories`, while a case only points at an item of it."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wangge.grids.models import GridLevel, GridNode, path_prefixes


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
