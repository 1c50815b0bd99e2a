"""Every write of 企业服务: profiles, answers, members, policies and their pushes, requests that
become cases, visits, reveals and exports of contact phones."""

import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as uscc_std

from wangge.accounts.identity import normalize_contact_phone, normalize_phone
from wangge.accounts.models import PersonalDataAccess, Role, User
from wangge.accounts.selectors import may_reveal
from wangge.accounts.services import personal_data_reveal, role_grant
from wangge.cases.models import Channel
from wangge.cases.services import CaseInput, case_intake
from wangge.core import xlsx
from wangge.core.errors import NotFound, PermissionDenied, ValidationFailed, error_text
from wangge.enterprises import criteria as crit
from wangge.enterprises import selectors
from wangge.enterprises.models import (
    Enterprise,
    EnterpriseRequest,
    EnterpriseVisit,
    Industry,
    Policy,
    RequestKind,
    RevenueBand,
    Size,
    VisitTopic,
)
from wangge.enterprises.pushes import policy_push, pushes_for_enterprise
from wangge.enterprises.tasks import policy_push_task
from wangge.grids import selectors as grid_selectors

logger = logging.getLogger(__name__)

MAX_TAGS = 20
MAX_REQUEST = 2000


def normalize_uscc(value: str) -> str:
    """统一社会信用代码: 18 characters with a GB 32100 check character."""
    code = (value or "").strip().upper().replace(" ", "")
    if not code:
        raise ValidationFailed(_("请填写统一社会信用代码"))
    try:
        return str(uscc_std.validate(code))
    except stdnum_errors.InvalidLength as exc:
        raise ValidationFailed(_("统一社会信用代码应为 18 位")) from exc
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationFailed(_("统一社会信用代码校验位不正确，请核对")) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationFailed(_("统一社会信用代码格式不正确")) from exc


@dataclass
class EnterpriseInput:
    name: str
    uscc: str
    industry: str
    size: str
    founded_on: date | None = None
    revenue_band: str = ""
    headcount: int | None = None
    tags: Sequence[str] = ()
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    contact_name: str = ""
    # None keeps the number on file: forms never echo it back in clear, so an empty field
    # must not erase it.
    contact_phone: str | None = ""


def _clean_tags(tags: Sequence[str]) -> list[str]:
    out: list[str] = []
    for t in tags:
        t = str(t).strip()[:20]
        if t and t not in out:
            out.append(t)
    if len(out) > MAX_TAGS:
        raise ValidationFailed(_("标签最多 %(n)d 个") % {"n": MAX_TAGS})
    return out


def _apply(e: Enterprise, data: EnterpriseInput) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationFailed(_("请填写企业名称"))
    if len(name) > 100:
        raise ValidationFailed(_("企业名称不能超过 100 字"))
    if data.industry not in Industry.values:
        raise ValidationFailed(_("请选择行业门类"))
    if data.size not in Size.values:
        raise ValidationFailed(_("请选择企业规模"))
    if data.revenue_band and data.revenue_band not in RevenueBand.values:
        raise ValidationFailed(_("营业收入区间无法识别"))
    if data.headcount is not None and not 0 <= data.headcount <= 1_000_000:
        raise ValidationFailed(_("从业人数超出范围"))
    if data.founded_on is not None and data.founded_on > timezone.localdate():
        raise ValidationFailed(_("成立日期不能晚于今天"))
    e.name = name
    e.uscc = normalize_uscc(data.uscc)
    e.industry, e.size = data.industry, data.size
    e.founded_on, e.revenue_band, e.headcount = data.founded_on, data.revenue_band, data.headcount
    e.tags = _clean_tags(data.tags)
    e.address = data.address.strip()[:200]
    e.contact_name = data.contact_name.strip()[:50]
    if data.contact_phone is not None:
        phone = data.contact_phone.strip()
        try:
            e.contact_phone = normalize_contact_phone(phone) if phone else ""
        except DjangoValidationError as exc:
            raise ValidationFailed(error_text(exc)) from exc
    _locate(e, data.lon, data.lat, data.crs)


def _locate(e: Enterprise, lon: float | None, lat: float | None, crs: str) -> None:
    if (lon is None) != (lat is None):
        raise ValidationFailed(_("位置不完整：请同时提供经度和纬度"))
    if lon is None or lat is None:
        if e.lon is None and not e.grid_path:
            raise ValidationFailed(_("请提供企业经营位置"))
        return
    try:
        loc = grid_selectors.locate(lon=lon, lat=lat, crs=crs)
    except NotFound as exc:
        raise ValidationFailed(_("该位置不在任何网格内，请核对经营位置")) from exc
    e.lon, e.lat = loc.lon, loc.lat
    e.micro_grid, e.exclusive_grid = loc.micro_grid, loc.exclusive_grid
    anchor = loc.micro_grid or loc.exclusive_grid
    assert anchor is not None
    e.grid_path = anchor.path
    e.exclusive_path = loc.exclusive_grid.path if loc.exclusive_grid else ""


def _uscc_taken(code: str, pk: int | None) -> None:
    others = Enterprise.objects.filter(uscc=code)
    if pk is not None:
        others = others.exclude(pk=pk)
    if others.exists():
        raise ValidationFailed(_("统一社会信用代码 %(c)s 已登记") % {"c": code})


def may_manage(actor: User, e: Enterprise) -> bool:
    return selectors.is_member(actor, e) or selectors.enterprise_in_scope(actor, e)


@transaction.atomic
def enterprise_create(*, actor: User, data: EnterpriseInput) -> Enterprise:
    """Grid staff register an enterprise of their grid (its location must be theirs)."""
    if not actor.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以登记企业"))
    e = Enterprise()
    _apply(e, data)
    if not selectors.enterprise_in_scope(actor, e):
        raise PermissionDenied(_("该企业的经营位置不在您负责的网格内"))
    _uscc_taken(e.uscc, None)
    e.save()
    return e


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, data: EnterpriseInput) -> Enterprise:
    """The enterprise itself, or grid staff of its grid, keep the profile up to date. A change
    that makes it newly qualify for a policy announces that policy to it."""
    if not may_manage(actor, enterprise):
        raise PermissionDenied(_("您无权修改该企业的信息"))
    # NO KEY: a push racing with this edit inserts rows that reference the enterprise (a KEY
    # SHARE lock), and must not wait for us while we wait for its policy lock (a deadlock).
    e = Enterprise.objects.select_for_update(no_key=True).get(pk=enterprise.pk)
    _apply(e, data)
    # Staff may not move an enterprise out of their own grid and keep editing it.
    staff_edit = actor.is_grid_staff and not selectors.is_member(actor, e)
    if staff_edit and not selectors.enterprise_in_scope(actor, e):
        raise PermissionDenied(_("新的经营位置不在您负责的网格内"))
    _uscc_taken(e.uscc, e.pk)
    e.save()
    pushes_for_enterprise(e)
    return e


@transaction.atomic
def enterprise_answer(
    *, actor: User, enterprise: Enterprise, answers: Mapping[str, bool | None]
) -> Enterprise:
    """Yes/no answers to the questions policies ask; None clears an answer."""
    if not may_manage(actor, enterprise):
        raise PermissionDenied(_("您无权修改该企业的信息"))
    e = Enterprise.objects.select_for_update(no_key=True).get(pk=enterprise.pk)  # see above
    known = {
        text
        for p in Policy.objects.filter(is_published=True)
        for text in crit.questions_of(p.criteria_dict())
    }
    current = dict(e.answers or {})
    for text, value in answers.items():
        if text not in known:
            raise ValidationFailed(_("没有政策提出问题“%(q)s”") % {"q": text[:40]})
        if value is None:
            current.pop(text, None)
        else:
            current[text] = bool(value)
    e.answers = current
    e.save(update_fields=["answers", "updated_at"])
    pushes_for_enterprise(e)
    return e


@transaction.atomic
def enterprise_member_add(*, actor: User, enterprise: Enterprise, phone: str) -> User:
    """Link a registered person as the enterprise's user (企业用户) on its grid."""
    if not selectors.enterprise_in_scope(actor, enterprise):
        raise PermissionDenied(_("该企业不在您负责的网格内"))
    try:
        number = normalize_phone(phone)
    except DjangoValidationError as exc:
        raise ValidationFailed(error_text(exc)) from exc
    user = User.objects.filter(phone=number).first()
    if user is None:
        raise ValidationFailed(_("该手机号尚未注册，请先让联系人在原点在线注册"))
    node = enterprise.exclusive_grid or enterprise.micro_grid
    if node is not None and not user.grants.filter(role=Role.ENTERPRISE, node=node).exists():
        role_grant(user=user, role=Role.ENTERPRISE, node=node, granted_by=actor)
    enterprise.members.add(user)
    return user


def _label(e: Enterprise) -> str:
    return _("%(name)s联系人（企业档案 %(pk)d）") % {"name": e.name, "pk": e.pk}


def enterprise_reveal_phone(
    *, actor: User, enterprise: Enterprise, purpose: str, ip: str | None = None
) -> str:
    """The contact's full number for a worker of the enterprise's grid; always audited."""
    if not selectors.enterprise_in_scope(actor, enterprise):
        raise PermissionDenied(_("该企业不在您负责的网格内"))
    return personal_data_reveal(
        actor=actor,
        field=PersonalDataAccess.Field.PHONE,
        value=enterprise.contact_phone,
        label=_label(enterprise),
        purpose=purpose,
        ip=ip,
    )


EXPORT_HEADER = (
    _("企业名称"),
    _("统一社会信用代码"),
    _("行业门类"),
    _("企业规模"),
    _("成立日期"),
    _("营业收入"),
    _("从业人数"),
    _("标签"),
    _("经营地址"),
    _("所属网格"),
    _("联系人"),
    _("联系电话"),
)


@transaction.atomic
def enterprises_export(
    *, actor: User, enterprises: Sequence[Enterprise], unmasked: bool, ip: str | None = None
) -> bytes:
    """An .xlsx of the given (already scoped) enterprises; contact phones masked, or in clear
    for a role that may call people, with one audit row per enterprise exported."""
    if unmasked:
        if not may_reveal(actor):
            raise PermissionDenied(_("您的角色无权导出完整联系电话"))
        purpose = _("导出企业名录")
        PersonalDataAccess.objects.bulk_create(
            PersonalDataAccess(
                actor=actor,
                subject=None,
                subject_label=_label(e),
                field=PersonalDataAccess.Field.PHONE,
                purpose=purpose,
                ip_address=ip,
            )
            for e in enterprises
            if e.contact_phone_hash
        )
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(str(_("企业名录")))
    ws.append([str(h) for h in EXPORT_HEADER])
    for e in enterprises:
        ws.append(
            [
                e.name,
                e.uscc,
                e.get_industry_display(),
                e.get_size_display(),
                e.founded_on.isoformat() if e.founded_on else "",
                e.get_revenue_band_display(),
                e.headcount if e.headcount is not None else "",
                "、".join(e.tags or []),
                e.address,
                e.grid_name,
                e.contact_name,
                e.contact_phone if unmasked else e.masked_phone,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- policies -----------------------------------------------------------------------------------


@dataclass
class PolicyInput:
    title: str
    issuer: str
    benefit: str
    deadline: date | None = None
    apply_url: str = ""
    auto_grant: bool = False
    criteria: dict[str, Any] = field(default_factory=dict)
    is_published: bool = False


def _clean_policy(data: PolicyInput) -> dict[str, Any]:
    title, issuer, benefit = data.title.strip(), data.issuer.strip(), data.benefit.strip()
    if not title:
        raise ValidationFailed(_("请填写政策名称"))
    if not issuer:
        raise ValidationFailed(_("请填写发布单位"))
    if not benefit:
        raise ValidationFailed(_("请填写支持内容"))
    url = data.apply_url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError as exc:
            raise ValidationFailed(_("申报链接不是有效网址")) from exc
    codes = data.criteria.get("regions") if isinstance(data.criteria, dict) else None
    codes_list = crit._list_of(codes, _("区域")) if codes else []
    criteria = crit.clean(data.criteria, selectors.regions_for(codes_list))
    return {
        "title": title[:120],
        "issuer": issuer[:100],
        "benefit": benefit,
        "deadline": data.deadline,
        "apply_url": url,
        "auto_grant": data.auto_grant,
        "criteria": criteria,
        "is_published": data.is_published,
    }


def push_inline_limit() -> int:
    return int(getattr(settings, "ENTERPRISE_PUSH_INLINE_LIMIT", 500))


def _schedule_push(policy: Policy) -> None:
    """Small registries are told at once; a large one is left to the job queue after commit,
    so saving a policy does not wait for ten thousand evaluations."""
    if not policy.is_published:
        return
    if Enterprise.objects.count() <= push_inline_limit():
        policy_push(policy_id=policy.pk)
        return
    policy_id = policy.pk
    transaction.on_commit(lambda: policy_push_task(policy_id))


MATERIAL = ("title", "benefit", "deadline", "apply_url", "auto_grant", "criteria")


@transaction.atomic
def policy_save(*, actor: User, data: PolicyInput, policy: Policy | None = None) -> Policy:
    """Create or edit a policy. Editing what it offers or whom it is for makes a new version;
    publishing a version announces it to the enterprises that newly qualify."""
    if not selectors.may_edit_policies(actor):
        raise PermissionDenied(_("您无权编辑惠企政策"))
    values = _clean_policy(data)
    if policy is None:
        policy = Policy(created_by=actor, **values)
        policy.save()
    else:
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        changed = any(getattr(policy, k) != values[k] for k in MATERIAL)
        was_published = policy.is_published
        for k, v in values.items():
            setattr(policy, k, v)
        if changed and was_published:
            policy.version += 1
        policy.save()
    _schedule_push(policy)
    return policy


# -- requests and visits --------------------------------------------------------------------------


@transaction.atomic
def enterprise_request_submit(
    *, actor: User, enterprise: Enterprise, kind: str, description: str, title: str = ""
) -> EnterpriseRequest:
    """An enterprise's request or problem becomes a case on channel 企业服务, placed at the
    enterprise's location, so it is routed to its exclusive grid or its own grid/community."""
    if not may_manage(actor, enterprise):
        raise PermissionDenied(_("您无权代表该企业提交诉求"))
    if kind not in RequestKind.values:
        raise ValidationFailed(_("请选择诉求类型"))
    description = (description or "").strip()
    if not description:
        raise ValidationFailed(_("请填写诉求内容"))
    if len(description) > MAX_REQUEST:
        raise ValidationFailed(_("诉求内容不能超过 %(n)d 字") % {"n": MAX_REQUEST})
    request_type = {
        RequestKind.HELP: "求助",
        RequestKind.CONSULT: "咨询",
        RequestKind.COMPLAINT: "投诉",
        RequestKind.SUGGESTION: "建议",
    }[RequestKind(kind)]
    case, _created = case_intake(
        data=CaseInput(
            description=description,
            title=title or f"【{enterprise.name}】{description[:24]}",
            lon=enterprise.lon,
            lat=enterprise.lat,
            address=f"{enterprise.address}（{enterprise.name}）"[:200],
            channel=Channel.ENTERPRISE,
            request_type=request_type,
            reporter_name=actor.name or enterprise.contact_name,
            public_anonymous=True,
            extra={"enterprise": enterprise.pk},
        ),
        actor=actor,
    )
    return EnterpriseRequest.objects.create(
        enterprise=enterprise, kind=kind, case=case, submitted_by=actor
    )


@transaction.atomic
def enterprise_visit_record(
    *,
    actor: User,
    enterprise: Enterprise,
    visited_on: date | None,
    topics: Sequence[str],
    problems: str = "",
    follow_up: str = "",
    follow_up_as_case: bool = False,
) -> EnterpriseVisit:
    """万人助万企: a visit by grid staff. A follow-up they cannot settle on the spot becomes a
    case at the enterprise's location (channel 巡查上报: the visitor found it)."""
    if not selectors.enterprise_in_scope(actor, enterprise):
        raise PermissionDenied(_("该企业不在您负责的网格内"))
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        raise ValidationFailed(_("走访日期不能晚于今天"))
    topics = [t for t in dict.fromkeys(topics) if t]
    unknown = [t for t in topics if t not in VisitTopic.values]
    if unknown:
        raise ValidationFailed(_("未知走访主题“%(t)s”") % {"t": unknown[0]})
    if not topics:
        raise ValidationFailed(_("请选择走访主题"))
    problems, follow_up = problems.strip(), follow_up.strip()
    if follow_up_as_case and not follow_up:
        raise ValidationFailed(_("转为事件时请填写跟进事项"))
    case = None
    if follow_up_as_case:
        case, _created = case_intake(
            data=CaseInput(
                description=f"{follow_up}\n（走访{enterprise.name}发现：{problems or '—'}）",
                title=f"【助企】{enterprise.name}：{follow_up[:20]}",
                lon=enterprise.lon,
                lat=enterprise.lat,
                address=f"{enterprise.address}（{enterprise.name}）"[:200],
                channel=Channel.PATROL,
                extra={"visit_of": "enterprise", "enterprise": enterprise.pk},
            ),
            actor=actor,
        )
    return EnterpriseVisit.objects.create(
        enterprise=enterprise,
        visited_on=visited_on,
        visitor=actor,
        visitor_name=actor.name or actor.masked_phone,
        topics=topics,
        problems=problems,
        follow_up=follow_up,
        case=case,
        grid_path=enterprise.grid_path,
        exclusive_path=enterprise.exclusive_path,
    )
