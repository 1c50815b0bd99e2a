"""Forms of the case pages. They parse and keep what people typed; services decide."""

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.cases.actions import Action
from wangge.cases.models import Category, Channel, Department, Satisfaction, Status, Tier, Urgency
from wangge.core.dates import validate_in_window
from wangge.core.forms import DayField, ListSelect, QueryForm, Ticked
from wangge.grids.forms import PointForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(d, initial) for d in items]


def leaf_categories() -> list[tuple[str, Any]]:
    rows = Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")
    return [("", _("由系统推荐"))] + [
        (c.code, f"{c.parent.name} / {c.name}" if c.parent else c.name)
        for c in rows.order_by("parent__name", "code")
    ]


class ReportForm(PointForm):
    """A report from the page: the position the browser's geolocation gave (`PointForm`, hidden;
    always WGS-84, so the form takes no system), else the address."""

    description = forms.CharField(
        label=_("问题描述"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("什么问题、在哪里、持续多久")}),
    )
    category = forms.ChoiceField(label=_("分类"), required=False, widget=ListSelect)
    address = forms.CharField(
        label=_("地址"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：伊河路百花里3号楼")}),
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    public = forms.BooleanField(
        label=_("公开到“身边事”，让邻居看到处理进展（不含联系方式）"), required=False
    )
    public_anonymous = forms.BooleanField(
        label=_("公开时隐去我的姓名"), required=False, initial=True
    )
    photos = PhotosField(label=_("照片（最多 9 张）"), required=False)
    # Patrol findings fixed on the spot (grid staff only).
    on_the_spot = forms.BooleanField(label=_("当场处置完毕（自行处置）"), required=False)
    result = forms.CharField(
        label=_("处置结果"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["crs"]
        self.fields["lon"].widget = forms.HiddenInput()
        self.fields["lat"].widget = forms.HiddenInput()
        cast(forms.ChoiceField, self.fields["category"]).choices = leaf_categories()
        if not staff:
            del self.fields["on_the_spot"]
            del self.fields["result"]
        else:
            del self.fields["public"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lon, lat = data.get("lon"), data.get("lat")
        if (lon is None) != (lat is None):
            raise forms.ValidationError(_("位置不完整，请重新定位或填写地址"))
        if lon is None and not (data.get("address") or "").strip():
            raise forms.ValidationError(_("请填写地址，或点击“使用我的位置”"))
        if data.get("on_the_spot") and not (data.get("result") or "").strip():
            self.add_error("result", _("自行处置须填写处置结果"))
        return data


@dataclass(frozen=True)
class ActionLists:
    """The category and department choices every action form offers, read once for a page
    that draws many forms (the case page draws those of the states ahead too)."""

    categories: list[tuple[str, Any]]
    departments: list[tuple[str, str]]


def action_lists(grid_path: str | None = None) -> ActionLists:
    """The lists for a case at `grid_path`: only the departments that serve it (its district's,
    its city's, the shared ones), never another district's of the same name."""
    depts = Department.objects.all() if grid_path is None else Department.objects.serving(grid_path)
    return ActionLists(
        categories=leaf_categories(),
        departments=[(d.code, d.name) for d in depts.order_by("code", "pk")],
    )


class ActionForm(forms.Form):
    """All parameters any action may take; the page shows the ones its action needs."""

    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    node = forms.ChoiceField(label=_("承办网格"), required=False, widget=ListSelect)
    parent = forms.CharField(label=_("合并到事件编号"), required=False, max_length=24)
    category = forms.ChoiceField(label=_("分类"), required=False, widget=ListSelect)
    tier = forms.ChoiceField(
        label=_("层级"), required=False, choices=[("", _("按分类默认")), *Tier.choices]
    )
    lead = forms.ChoiceField(label=_("主办部门"), required=False)
    assist = forms.MultipleChoiceField(
        label=_("协办部门"), required=False, widget=forms.CheckboxSelectMultiple
    )
    until = forms.DateTimeField(
        label=_("延期至"),
        required=False,
        validators=[validate_in_window],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    result = forms.CharField(
        label=_("办理结果"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reached = forms.TypedChoiceField(
        label=_("是否联系上诉求人"),
        required=False,
        coerce=lambda v: v == "1",
        choices=[("1", _("已联系上")), ("0", _("未接通"))],
        widget=forms.RadioSelect,
    )
    contacted = forms.TypedChoiceField(
        label=_("承办人是否联系过您"),
        required=False,
        coerce=lambda v: v == "1",
        choices=[("1", _("是")), ("0", _("否"))],
        widget=forms.RadioSelect,
    )
    solved = forms.TypedChoiceField(
        label=_("问题是否解决"),
        required=False,
        coerce=lambda v: v == "1",
        choices=[("1", _("已解决")), ("0", _("未解决"))],
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度"), required=False, choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    photos = PhotosField(label=_("照片"), required=False)
    # 非网格事项转出: the unit it belongs to, when the desk knows it (a name, not one of ours).
    unit = forms.CharField(label=_("接收单位（选填）"), required=False, max_length=60)

    def __init__(
        self,
        *args: Any,
        node_choices: list[tuple[str, str]] | None = None,
        lists: ActionLists | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["node"]).choices = [
            ("", _("请选择")),
            *(node_choices or []),
        ]
        lists = lists or action_lists()
        cast(forms.ChoiceField, self.fields["category"]).choices = lists.categories
        depts = lists.departments
        cast(forms.ChoiceField, self.fields["lead"]).choices = [("", _("请选择")), *depts]
        cast(forms.ChoiceField, self.fields["assist"]).choices = depts

    def mark_errors(self, shown: tuple[str, ...]) -> None:
        """Tie each error to its input for screen readers, and put the first wrong input in
        focus (the browser scrolls it into view, with or without scripts)."""
        first = True
        for name in shown:
            if name not in self.errors:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self[name].auto_id}-error"
            if first:
                attrs["autofocus"] = True
                first = False


# Which fields each action shows, in order (note is shown for all but a few).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    Action.ACCEPT: ("category", "tier"),
    Action.DISPATCH: ("node", "note"),
    Action.TRANSFER: ("node", "note"),
    Action.MERGE: ("parent", "note"),
    Action.WHISTLE: ("lead", "assist", "note"),
    Action.REQUEST_EXTENSION: ("until", "note"),
    Action.RESOLVE: ("result", "photos"),
    Action.FOLLOW_UP: ("reached", "contacted", "solved", "satisfaction", "note"),
    Action.RATE: ("contacted", "solved", "satisfaction", "note"),
    Action.SIGN: (),
    Action.CONTACT: ("note", "photos"),
    Action.VERIFY_PASS: ("note",),
    Action.APPROVE_EXTENSION: (),
    Action.RESUME: (),
    Action.DEPT_SIGN: (),
    Action.REFER: ("note", "unit"),
}
DEFAULT_FIELDS = ("note",)


# --- the dispatcher's desk ---------------------------------------------------------------

# The desk's status choices beyond single states: its default is the dispatch queue.
DESK_QUEUE, DESK_OPEN, DESK_ALL = "", "open", "all"
DESK_PAGE_SIZES = (50, 100)
# Column keys of the desk's table, in order; the dispatcher picks which are shown.
DESK_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("number", _("编号")),
    ("created", _("时间")),
    ("category", _("分类")),
    ("channel", _("来源")),
    ("place", _("地点")),
    ("grid", _("网格")),
    ("tier", _("层级")),
    ("handler", _("承办")),
    ("due", _("办理时限")),
    ("status", _("状态")),
)
DESK_SORTS: tuple[tuple[str, Any], ...] = (
    ("created", _("最早受理在前")),
    ("-created", _("最新受理在前")),
    ("due", _("最早到期在前")),
    ("-due", _("最晚到期在前")),
    ("number", _("编号升序")),
    ("-number", _("编号降序")),
    ("category", _("按分类")),
    ("grid", _("按网格")),
    ("status", _("按状态")),
    ("tier", _("按层级")),
)


def desk_status_choices() -> list[tuple[str, Any]]:
    """The desk's status tabs: the dispatch queue first (its default), then groups and states."""
    return [
        (DESK_QUEUE, _("待分拨（待受理、已退单）")),
        (DESK_OPEN, _("全部在办")),
        *Status.choices,
        (DESK_ALL, _("全部")),
    ]


class DeskFilterForm(forms.Form):
    """The desk's GET form: the fields it draws, and its order and page size. The filter itself
    is read, and refused, by cases.listing, as the API and the export read it."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("编号、电话尾号、地址、小区或姓名"),
                "id": "desk-q",
            }
        ),
    )
    status = forms.ChoiceField(label=_("状态"), required=False, widget=ListSelect)
    category = forms.ChoiceField(label=_("分类"), required=False, widget=ListSelect)
    channel = forms.ChoiceField(label=_("来源"), required=False, widget=ListSelect)
    grid = forms.ChoiceField(label=_("街道/社区/网格"), required=False, widget=ListSelect)
    overdue = forms.ChoiceField(
        label=_("超期"),
        required=False,
        choices=[("", _("不限")), ("1", _("仅红牌超期")), ("0", _("未超期"))],
        widget=ListSelect,
    )
    created_from = forms.DateField(
        label=_("受理日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=DESK_SORTS, widget=ListSelect)
    per = forms.TypedChoiceField(
        label=_("每页"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(n, str(n)) for n in DESK_PAGE_SIZES],
        widget=ListSelect,
    )

    def __init__(
        self,
        *args: Any,
        categories: list[tuple[str, Any]],
        nodes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["status"].choices = desk_status_choices()
        fields["category"].choices = [("", _("全部分类")), *categories]
        fields["channel"].choices = [("", _("全部来源")), *Channel.choices]
        fields["grid"].choices = [("", _("全部")), *nodes]


# The batch actions of the desk, each run case by case through case_act.
BATCH_ACTIONS: tuple[tuple[str, Any], ...] = (
    (Action.ACCEPT, _("按推荐派单")),
    (Action.DISPATCH, _("派单到网格")),
    ("department", _("派给职能部门（吹哨）")),
    (Action.MERGE, _("合并")),
    (Action.URGE, _("催办")),
)


# One batch is a screenful of work; a bigger one would hold the request for minutes.
MAX_BATCH = 200


class CaseIdsField(forms.Field):
    """The ticked rows' case ids (their `ids` checkboxes); which of them the user may act on is
    the service's question, case by case."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            ids = list(dict.fromkeys(int(v) for v in values))
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("所选事件无效")) from exc
        if not ids:
            raise forms.ValidationError(_("请先勾选事件"))
        if len(ids) > MAX_BATCH:
            raise forms.ValidationError(_("一次最多处理 %(n)d 件") % {"n": MAX_BATCH})
        return ids


class DeskBatchForm(forms.Form):
    ids = CaseIdsField(label=_("所选事件"))
    action = forms.ChoiceField(label=_("批量操作"), choices=BATCH_ACTIONS, widget=ListSelect)
    node = forms.ChoiceField(label=_("承办网格"), required=False, widget=ListSelect)
    department = forms.ChoiceField(label=_("职能部门"), required=False, widget=ListSelect)
    parent = forms.CharField(
        label=_("合并到事件编号"),
        required=False,
        max_length=24,
        help_text=_("不填则合并到所选中最早受理的事件"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)
    # 合并 is done only once the dispatcher has seen the cases side by side and said yes.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        nodes: list[tuple[str, str]],
        scope: tuple[str, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["node"].choices = [("", _("请选择")), *nodes]
        # The departments of the districts the dispatcher works in; one of two with the same
        # code (a district's and a shared one) is offered once, and each case picks its own.
        seen: dict[str, str] = {}
        for code, name in (
            Department.objects.for_scope(scope).order_by("code", "pk").values_list("code", "name")
        ):
            seen.setdefault(code, name)
        fields["department"].choices = [("", _("请选择")), *seen.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == Action.DISPATCH and not data.get("node"):
            self.add_error("node", _("请选择承办网格"))
        if action == "department" and not data.get("department"):
            self.add_error("department", _("请选择职能部门"))
        if action == Action.URGE and not data.get("note"):
            self.add_error("note", _("请填写催办内容"))
        return data


class DeskBackForm(forms.Form):
    """The desk's own query (its filters and page), posted with a batch so the desk comes back
    as it was."""

    back = forms.CharField(required=False, strip=False)


class ActionAskedForm(forms.Form):
    """Which action the case page's form is for (its inputs' ids follow it) and, for 合并,
    whether the side-by-side check was confirmed."""

    action = forms.CharField(required=False, strip=False)
    confirm = forms.CharField(required=False, strip=False)


class NoteForm(forms.Form):
    note = forms.CharField(required=False, strip=False)


class CategoryChoiceForm(forms.Form):
    """The desk's category for a case (the category panel): a leaf's code."""

    category = forms.CharField(max_length=30)


class DepartmentQueueForm(QueryForm):
    """部门待办: `?done=1` for the cases the department has finished."""

    done = Ticked()


class KpiPeriodForm(QueryForm):
    """考核's period: this week, month (the default) or year, or the days from `start` up to
    `end` (both needed, the end after the start)."""

    period = forms.ChoiceField(
        required=False,
        initial="month",
        choices=[("week", "week"), ("month", "month"), ("year", "year")],
        error_messages={"invalid_choice": _("期间只能是周、月或年，已按月显示")},
    )
    start = DayField()
    end = DayField()
