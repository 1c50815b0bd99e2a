"""Ledgers of 物 and 组织, and the 议事厅.

- 安全隐患排查: checklist templates are data (a template and its items); an inspection is one
  filled checklist for a building or shop, each item passed or failed; a failed item may become a
  case and is tracked until it is rectified.
- 物: the facility register (消防栓, 充电桩, 监控, 电梯 …) per building or micro-grid.
- 组织: organisations present in a grid, with a kind; party organisations and enterprises join
  this register by kind, so the 六要素 page counts them all in one place.
- 议事厅: a topic per grid or community, residents comment and vote (one vote per person, held by
  a unique constraint), staff publish the decision.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import pii
from wangge.core.models import TimeStampedModel


class ChecklistTemplate(TimeStampedModel):
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    # The case category a failed item is reported under; empty lets the classifier choose.
    category_code = models.CharField(_("事件分类编码"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects: ClassVar[models.Manager["ChecklistTemplate"]]

    class Meta:
        verbose_name = _("排查清单模板")
        verbose_name_plural = _("排查清单模板")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("检查项"), max_length=200)
    # The item reads as the condition that passes ("无从楼上窗户向下飞线充电"); a failed item is
    # reported as the problem found, worded here ("从楼上窗户向下飞线充电"), which titles its case.
    problem = models.CharField(
        _("不合格时的问题"),
        max_length=200,
        help_text=_("检查不合格时上报的问题，如“从楼上窗户向下飞线充电”，用作事件标题"),
    )

    objects: ClassVar[models.Manager["ChecklistItem"]]

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ("template", "position")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="checklistitem_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Inspection(TimeStampedModel):
    """One filled checklist: who checked which building or shop, when, and what failed."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("清单"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("排查人"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    building = models.ForeignKey(
        "grids.Building",
        verbose_name=_("楼栋"),
        on_delete=models.PROTECT,
        related_name="inspections",
        null=True,
        blank=True,
    )
    place = models.CharField(_("场所"), max_length=100, blank=True)
    # The micro-grid the place lies in, copied for the scope filter.
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    grid_name = models.CharField(_("网格"), max_length=100, editable=False)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    note = models.TextField(_("备注"), blank=True)

    objects: ClassVar[models.Manager["Inspection"]]

    class Meta:
        verbose_name = _("隐患排查")
        verbose_name_plural = _("隐患排查")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.template} · {self.where}"

    @property
    def where(self) -> str:
        parts = [self.building.address if self.building else "", self.place]
        return " ".join(p for p in parts if p)


class InspectionResult(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("检查项"), max_length=200)  # as it read when checked
    passed = models.BooleanField(_("合格"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("事件"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改确认人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rectify_note = models.CharField(_("整改情况"), max_length=300, blank=True)

    objects: ClassVar[models.Manager["InspectionResult"]]

    class Meta:
        verbose_name = _("排查结果")
        verbose_name_plural = _("排查结果")
        ordering = ("inspection", "item__position")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="result_one_per_item"),
            # Only a failed item is a hazard: it alone can carry a case or be rectified.
            models.CheckConstraint(
                condition=models.Q(passed=False)
                | models.Q(case__isnull=True, rectified_at__isnull=True),
                name="result_passed_has_no_hazard",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open_hazard(self) -> bool:
        return not self.passed and self.rectified_at is None


class FacilityKind(models.TextChoices):
    HYDRANT = "hydrant", _("消防栓")
    EXTINGUISHER = "extinguisher", _("灭火器")
    CHARGER = "charger", _("电动车充电桩")
    CAMERA = "camera", _("监控探头")
    ELEVATOR = "elevator", _("电梯")
    AED = "aed", _("AED 除颤仪")
    OTHER = "other", _("其他设施")


class FacilityStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    FAULTY = "faulty", _("故障")
    RETIRED = "retired", _("已撤除")


class Facility(TimeStampedModel):
    kind = models.CharField(_("类型"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("名称/位置"), max_length=100)
    building = models.ForeignKey(
        "grids.Building",
        verbose_name=_("楼栋"),
        on_delete=models.PROTECT,
        related_name="facilities",
        null=True,
        blank=True,
    )
    micro_grid = models.ForeignKey(
        "grids.GridNode", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=FacilityStatus.choices, default=FacilityStatus.NORMAL
    )
    checked_on = models.DateField(_("最近检查"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects: ClassVar[models.Manager["Facility"]]

    class Meta:
        verbose_name = _("设施")
        verbose_name_plural = _("设施")
        ordering = ("grid_path", "kind", "name")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=FacilityKind.values), name="facility_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=FacilityStatus.values),
                name="facility_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class OrganisationKind(models.TextChoices):
    PROPERTY = "property", _("物业公司")
    SOCIAL = "social", _("社会组织")
    MERCHANT = "merchant", _("商户")
    PARTY = "party", _("党组织")
    ENTERPRISE = "enterprise", _("企业")
    MASS = "mass", _("群团组织")
    OWNERS = "owners", _("业主委员会")
    OTHER = "other", _("其他组织")


class Organisation(TimeStampedModel):
    kind = models.CharField(_("类别"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    # The contact is a person (the register shows the name and number masked, and no page needs
    # the number in full): kept encrypted with a keyed hash and the masked form, like a phone on
    # the person register.
    contact_phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    contact_phone_hash = models.CharField(
        _("联系电话摘要"), max_length=64, blank=True, db_index=True, editable=False
    )
    contact_phone_masked = models.CharField(
        _("联系电话"), max_length=20, blank=True, editable=False
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    objects: ClassVar[models.Manager["Organisation"]]

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ("grid_path", "kind", "name")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_known",
            ),
            models.UniqueConstraint(
                fields=["node", "kind", "name"], name="organisation_unique_in_grid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # The clear number; the register page shows `contact_phone_masked`.
    contact_phone = pii.ProtectedPhone("contact_phone")


class TopicStatus(models.TextChoices):
    OPEN = "open", _("议事中")
    DECIDED = "decided", _("已公布决定")


class Topic(TimeStampedModel):
    """A 议事厅 topic: put to the residents of one grid or community."""

    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    title = models.CharField(_("议题"), max_length=100)
    body = models.TextField(_("说明"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.OPEN
    )
    decision = models.TextField(_("议事决定"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["Topic"]]

    class Meta:
        verbose_name = _("议事厅议题")
        verbose_name_plural = _("议事厅议题")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", decided_at__isnull=True)
                | (models.Q(status="decided", decided_at__isnull=False) & ~models.Q(decision="")),
                name="topic_decision_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == TopicStatus.OPEN


class VoteChoice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class TopicVote(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投票人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("表决"), max_length=10, choices=VoteChoice.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["TopicVote"]]

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        constraints = [
            # 一人一票: two votes racing from two phones cannot both land.
            models.UniqueConstraint(fields=["topic", "voter"], name="topicvote_one_per_person"),
            models.CheckConstraint(
                condition=models.Q(choice__in=VoteChoice.values), name="topicvote_choice_known"
            ),
        ]

    def __str__(self) -> str:
        return self.get_choice_display()


class TopicComment(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发言人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.CharField(_("意见"), max_length=500)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["TopicComment"]]

    class Meta:
        verbose_name = _("议事意见")
        verbose_name_plural = _("议事意见")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.body[:30]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("填空")
    RATING = "rating", _("评分")


class Survey(TimeStampedModel):
    """A 民意调查 questionnaire put to one grid or community: filled online by its residents or
    door to door by its workers."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    title = models.CharField(_("标题"), max_length=100)
    intro = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["Survey"]]

    class Meta:
        verbose_name = _("民意调查")
        verbose_name_plural = _("民意调查")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | models.Q(status="closed", closed_at__isnull=False),
                name="survey_closed_at_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=200)
    options = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    # 知晓率's standing question (【知晓率】 in the questionnaire): a single choice whose first
    # option is the "yes" (知道); ops.reach counts its answers per micro-grid.
    counts_awareness = models.BooleanField(
        _("计入知晓率"), default=False, help_text=_("单选题，选第一项算“知道”")
    )

    objects: ClassVar[models.Manager["Question"]]

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ("survey", "position")
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_unique_position"),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values), name="question_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(counts_awareness=False) | models.Q(kind=QuestionKind.SINGLE),
                name="question_awareness_single",
            ),
        ]

    def __str__(self) -> str:
        return self.text


RATING_SCALE = (1, 2, 3, 4, 5)


class SurveyResponse(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("居民在线填写")
        DOOR = "door", _("入户调查")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    # Online: the resident who answered (one response each). Door to door: the worker who asked,
    # and the household's building and room (one response per household).
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    building = models.ForeignKey(
        "grids.Building",
        verbose_name=_("楼栋"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    room = models.CharField(_("房号"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["SurveyResponse"]]

    class Meta:
        verbose_name = _("问卷答卷")
        verbose_name_plural = _("问卷答卷")
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="response_one_per_resident",
            ),
            models.UniqueConstraint(
                fields=["survey", "building", "room"],
                condition=models.Q(building__isnull=False),
                name="response_one_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(channel="online", respondent__isnull=False)
                | models.Q(channel="door", collected_by__isnull=False, building__isnull=False),
                name="response_channel_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # The chosen option indexes (single, multiple), the text, or the rating 1–5.
    choices = models.JSONField(_("选项"), default=list, blank=True)
    text = models.CharField(_("回答"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)

    objects: ClassVar[models.Manager["Answer"]]

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="answer_rating_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.text or str(self.choices or self.rating)
