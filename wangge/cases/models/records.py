"""What a case gathers on its way through the loop: its timeline rows, its photos, and the
departments its whistle summoned (吹哨报到). Each row belongs to one case, named here by its
model's name ("Case"): the case's module imports this one, so this one cannot import it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.cases import actions
from wangge.cases.models.catalogue import Department


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

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="events")
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

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="attachments")
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

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="assistances")
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
