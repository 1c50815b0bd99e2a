"""The 派单目录, the departments and the working-day calendar in the admin: what a district
changes without a developer (deadlines, tiers, the department responsible and its 承办人,
holidays, office hours)."""

from typing import Any

from auditlog.registry import auditlog
from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from wangge.accounts.models import User
from wangge.cases import holidays, services
from wangge.cases.models import (
    CalendarDay,
    CalendarYear,
    Case,
    Category,
    CategoryAdjustment,
    Department,
    DepartmentMember,
    WorkingHours,
)
from wangge.core.errors import ValidationFailed
from wangge.core.scope import scope_q
from wangge.grids.models import GridLevel, GridNode

# Who was made a 承办人 of which department, and when they stopped, is kept in the change log
# (as the role grants it gave are).
auditlog.register(DepartmentMember)

_DEADLINE_HELP = _("单位为工作小时、工作日时按工作时间和节假日安排计算；自然小时不论节假日。")


@admin.register(CategoryAdjustment)
class CategoryAdjustmentAdmin(SimpleHistoryAdmin[CategoryAdjustment]):
    """Each district's own allowances; staff other than superusers see and choose only the
    districts (or city) they hold."""

    list_display = ("unit", "category", "resolve_amount", "resolve_unit", "department", "note")
    list_filter = ("unit",)
    list_select_related = ("unit", "category", "department")
    search_fields = ("category__code", "category__name", "unit__name")
    autocomplete_fields = ("category", "department")

    def _scope(self, request: HttpRequest) -> tuple[str, ...] | None:
        user = request.user
        return None if user.is_superuser else user.scope_paths()  # type: ignore[union-attr]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CategoryAdjustment]:
        qs = super().get_queryset(request)
        q = scope_q(self._scope(request), "unit__path")
        return qs if q is None else qs.filter(q)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            units = GridNode.objects.filter(level__in=(GridLevel.CITY, GridLevel.DISTRICT))
            q = scope_q(self._scope(request), "path")
            kwargs["queryset"] = units if q is None else units.filter(q)
        elif db_field.name == "department":
            kwargs["queryset"] = Department.objects.for_scope(self._scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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


class DepartmentMemberForm(forms.ModelForm[DepartmentMember]):
    class Meta:
        model = DepartmentMember
        fields = ("user",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A membership is added or removed, never moved to someone else: the role it
            # granted belongs to that person.
            self.fields["user"].disabled = True

    def clean_user(self) -> User:
        user: User = self.cleaned_data["user"]
        if not self.instance.pk and not user.is_active:
            raise forms.ValidationError(gettext("该账号已停用，不能加入部门"))
        return user


class DepartmentMemberInline(admin.TabularInline[DepartmentMember, Department]):
    model = DepartmentMember
    form = DepartmentMemberForm
    fk_name = "department"
    autocomplete_fields = ("user",)
    readonly_fields = ("added_at", "added_by")
    extra = 1
    verbose_name = _("承办人")
    verbose_name_plural = _("承办人（加入后即获得“职能部门承办人”角色，吹哨时收到消息和待办）")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ("code", "name", "unit", "member_count")
    list_filter = ("unit",)
    search_fields = ("code", "name")
    # The autocomplete pages its answers and needs an order to page by.
    ordering = ("code", "pk")
    list_per_page = 50
    inlines = (DepartmentMemberInline,)
    autocomplete_fields = ("unit",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        # Another district's departments are not this administrator's to list or to pick: the
        # autocomplete of an adjustment's department asks this queryset too.
        qs = super().get_queryset(request)
        user = request.user
        if not user.is_superuser:
            qs = qs.for_scope(user.scope_paths())  # type: ignore[union-attr,attr-defined]
        return qs.annotate(n_members=Count("memberships"))

    @admin.display(description=_("承办人数"), ordering="n_members")
    def member_count(self, obj: Department) -> int:
        return int(getattr(obj, "n_members", 0))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Category rows and the whistle form name a department by its code.
        return ("code",) if obj is not None else ()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not DepartmentMember:
            super().save_formset(request, form, formset, change)
            return
        # Through the services, so that adding grants the 承办人 role and removing revokes it.
        formset.save(commit=False)
        actor = request.user if isinstance(request.user, User) else None
        for member in formset.deleted_objects:
            services.department_member_remove(department=form.instance, user=member.user)
        for member in formset.new_objects:
            services.department_member_add(department=form.instance, user=member.user, actor=actor)

    def _release(self, departments: "QuerySet[Department] | list[Department]") -> None:
        for dept in departments:
            for member in list(dept.memberships.select_related("user")):
                services.department_member_remove(department=dept, user=member.user)

    def delete_model(self, request: HttpRequest, obj: Department) -> None:
        self._release([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Department]) -> None:
        self._release(queryset)
        super().delete_queryset(request, queryset)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A department once whistled keeps its record (吹哨报到 history and the dashboard).
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.assistances.exists()
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


class CalendarSourceForm(forms.Form):
    """Which import the page asked for: the chinese-calendar package's button posts `package`,
    the file form nothing."""

    source = forms.CharField(required=False)

    def package(self) -> bool:
        return self.is_valid() and self.cleaned_data["source"] == "package"


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
                if CalendarSourceForm(request.POST).package():
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
