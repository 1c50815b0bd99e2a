"""The 派单目录 and the working-day calendar in the admin: what a district changes without a
developer (deadlines, tiers, the department responsible, holidays, office hours)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wangge.cases import holidays
from wangge.cases.models import CalendarDay, CalendarYear, Case, Category, WorkingHours
from wangge.core.errors import ValidationFailed

_DEADLINE_HELP = _("单位为工作小时、工作日时按工作时间和节假日安排计算；自然小时不论节假日。")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = (
        "code",
        "name",
        "parent",
        "tier",
        "urgency",
        "sign_amount",
        "sign_unit",
        "resolve_amount",
        "resolve_unit",
        "department",
        "is_active",
    )
    list_filter = ("tier", "urgency", "is_active", "department")
    list_select_related = ("parent", "department")
    search_fields = ("code", "name", "keywords")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("code", "name", "parent", "is_active")}),
        (_("分级与责任"), {"fields": ("tier", "urgency", "department")}),
        (
            _("时限"),
            {
                "fields": (
                    ("sign_amount", "sign_unit"),
                    ("contact_amount", "contact_unit"),
                    ("resolve_amount", "resolve_unit"),
                ),
                "description": _DEADLINE_HELP,
            },
        ),
        (_("自动分类"), {"fields": ("keywords",)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Cases, 12345 orders and the classifier refer to a category by its code.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A category that cases were filed under is switched off (启用), never deleted.
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.cases.exists()
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return "一二三四五六日"[obj.date.weekday()]


class CalendarFileForm(forms.Form):
    file = forms.FileField(
        label=_("年度安排文件"),
        help_text=_(
            "CSV（第一行 date,kind,name）或 JSON；kind 为 holiday/休 或 workday/班。"
            "导入会替换文件中各年份的全部记录。"
        ),
    )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    """Years are made by importing (a file or the package), so the list is read-only; single
    days are corrected on 节假日与调休."""

    list_display = ("year", "holidays", "workdays", "source", "loaded_at")
    change_list_template = "admin/cases/calendaryear/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _may_import(self, request: HttpRequest) -> bool:
        return request.user.has_perm("cases.add_calendarday") and request.user.has_perm(
            "cases.delete_calendarday"
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="cases_calendaryear_import",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        cover = holidays.coverage(timezone.localdate())
        extra = {
            "coverage": cover,
            "package_years": holidays.package_years(),
            "may_import": self._may_import(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self._may_import(request):
            messages.error(request, gettext("您没有导入节假日安排的权限"))
            return HttpResponseRedirect(reverse("admin:cases_calendaryear_changelist"))
        form = CalendarFileForm()
        if request.method == "POST":
            try:
                if request.POST.get("source") == "package":
                    since = timezone.localdate().year - 1
                    loaded = holidays.calendar_load_package(since=since)
                    if not loaded:
                        raise ValidationFailed(gettext("chinese-calendar 没有去年及以后的年份"))
                else:
                    form = CalendarFileForm(request.POST, request.FILES)
                    if not form.is_valid():
                        raise ValidationFailed(gettext("请选择要导入的文件"))
                    upload = form.cleaned_data["file"]
                    loaded = holidays.calendar_file_load(
                        content=upload.read(), filename=upload.name
                    )
            except ValidationFailed as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    gettext("已导入：%(y)s")
                    % {"y": "、".join(f"{r.year}（{r.source}）" for r in loaded)},
                )
                return HttpResponseRedirect(reverse("admin:cases_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("导入节假日安排"),
            "form": form,
            "package_years": holidays.package_years(),
        }
        return TemplateResponse(request, "admin/cases/calendaryear/import.html", context)


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin[WorkingHours]):
    """The newest row is in force; saving one takes effect for new deadlines at once."""

    list_display = ("__str__", "updated_at")
    fields = (("morning_start", "morning_end"), ("afternoon_start", "afternoon_end"))


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Looking a case up by number for support; it is handled on the case pages, where every
    step writes the timeline, so nothing here changes it, and nothing deletes it: a case that
    should not be handled is 作废 there (cases/retention.py)."""

    list_display = ("number", "title", "status", "channel", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("number",)
    list_per_page = 50
    fields = ("number", "title", "status", "channel", "grid_path", "created_at", "closed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
