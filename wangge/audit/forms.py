from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import PersonalDataAccess
from wangge.audit import history
from wangge.audit.models import AuditQuery
from wangge.audit.selectors import AuditFilter
from wangge.core.dates import validate_in_window
from wangge.core.forms import QueryForm


def audited_models() -> list[tuple[str, str]]:
    return sorted(
        (f"{m._meta.app_label}.{m._meta.model_name}", str(m._meta.verbose_name))
        for m in auditlog.get_models()
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TopicForm(QueryForm):
    """`?topic=`: which record is searched (个人信息查看 without it)."""

    topic = forms.ChoiceField(
        required=False,
        initial=AuditQuery.Topic.ACCESS,
        choices=AuditQuery.Topic.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这类审计记录，已显示个人信息查看")},
    )


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("开始日期"), required=False, widget=DATE, validators=[validate_in_window]
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=DATE, validators=[validate_in_window]
    )
    actor = forms.CharField(
        label=_("操作人"), required=False, max_length=50, help_text=_("姓名或完整手机号")
    )
    subject = forms.CharField(label=_("被查看人"), required=False, max_length=50)
    field = forms.ChoiceField(
        label=_("字段"),
        required=False,
        choices=[("", _("全部")), *list(PersonalDataAccess.Field.choices)],
    )
    purpose = forms.CharField(label=_("用途"), required=False, max_length=100)
    model = forms.ChoiceField(label=_("数据类型"), required=False)
    action = forms.TypedChoiceField(
        label=_("操作"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部"))] + [(str(v), label) for v, label in LogEntry.Action.choices],
    )
    register = forms.ChoiceField(label=_("数据类型"), required=False)
    record = forms.CharField(
        label=_("对象"), required=False, max_length=50, help_text=_("名称或编号")
    )
    history_type = forms.ChoiceField(
        label=_("操作"),
        required=False,
        choices=[("", _("全部")), *history.ACTIONS.items()],
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("全部")), *audited_models()]  # type: ignore[attr-defined]
        # Only the registers this auditor may read are offered (security tags need their
        # permission).
        registers = history.registers_for(user) if user is not None else []
        self.fields["register"].choices = [  # type: ignore[attr-defined]
            ("", _("全部")),
            *((r.key, r.title) for r in registers),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        return data

    def audit_filter(self) -> AuditFilter:
        d = self.cleaned_data
        return AuditFilter(
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            actor=d.get("actor") or "",
            subject=d.get("subject") or "",
            field=d.get("field") or "",
            purpose=d.get("purpose") or "",
            model=d.get("model") or "",
            action=d.get("action"),
            register=d.get("register") or "",
            record=d.get("record") or "",
            history_type=d.get("history_type") or "",
        )

    def used(self) -> dict[str, Any]:
        """The filters as recorded in the auditors' own trail (dates as ISO strings)."""
        return {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in self.cleaned_data.items()
        }
