"""Every write of the ledgers: hazard inspections and their rectification, facilities,
organisations, and the 议事厅 (topics, votes, comments, decisions)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_contact_phone
from wangge.accounts.models import Role, User
from wangge.cases.models import Category, Channel
from wangge.cases.services import CaseInput, case_intake
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.selectors import locate
from wangge.ledgers.models import (
    ChecklistTemplate,
    Facility,
    FacilityKind,
    FacilityStatus,
    Inspection,
    InspectionResult,
    Organisation,
    OrganisationKind,
    Survey,
    Topic,
    TopicComment,
    TopicStatus,
    TopicVote,
    VoteChoice,
)

# Who checks hazards door to door: the people who patrol, and the community's staff.
INSPECTION_ROLES = (
    Role.GRID_WORKER,
    Role.MICRO_GRID_LEADER,
    Role.GRID_LEADER,
    Role.COMMUNITY_STAFF,
    Role.EXCLUSIVE_GRID_LEADER,
)
# Who keeps the registers and runs the 议事厅 of a node they hold.
REGISTER_ROLES = (
    Role.GRID_WORKER,
    Role.GRID_LEADER,
    Role.COMMUNITY_STAFF,
    Role.STREET_DISPATCHER,
    Role.ADMIN,
)
# Residents who take part in the 议事厅 of the place they live.
VOTER_ROLES = (Role.RESIDENT, Role.PARTY_MEMBER, Role.MICRO_GRID_LEADER)


def _require(actor: User, roles: Sequence[str], message: str) -> None:
    if not (actor.is_superuser or actor.has_role(*roles)):
        raise PermissionDenied(message)


def _require_node(actor: User, path: str) -> None:
    if not path_in_scope(actor, path):
        raise PermissionDenied(_("该网格不在您的管辖范围内"))


# ---------------------------------------------------------------- 安全隐患排查


@dataclass(frozen=True)
class ItemCheck:
    item_id: int
    passed: bool
    note: str = ""
    report: bool = False  # a failed item to be reported as a case now


def _place_node(building: Building | None, lon: float, lat: float) -> GridNode:
    if building is not None:
        return building.micro_grid
    location = locate(lon=lon, lat=lat)
    node = location.micro_grid or location.exclusive_grid
    if node is None:
        raise NotFound(_("该位置不在任何网格内"))
    return node


@transaction.atomic
def inspection_submit(
    *,
    actor: User,
    template: ChecklistTemplate,
    checks: Sequence[ItemCheck],
    lon: float,
    lat: float,
    building: Building | None = None,
    place: str = "",
    note: str = "",
    photos: Sequence[CleanImage] = (),
) -> Inspection:
    """A filled checklist. Every item of the template must be answered; each failed item marked
    for reporting becomes a patrol case at once (photos go with the first one)."""
    _require(actor, INSPECTION_ROLES, _("只有网格员、网格长和社区工作者可以排查隐患"))
    place = place.strip()
    if building is None and not place:
        raise ValidationFailed(_("请选择楼栋或填写场所名称"))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed(_("位置坐标无效"))
    node = _place_node(building, lon, lat)
    _require_node(actor, node.path)
    items = {i.pk: i for i in template.items.all()}
    answered = {c.item_id: c for c in checks}
    if set(answered) - set(items):
        raise ValidationFailed(_("检查项与清单不符，请刷新后重填"))
    missing = [items[i].text for i in items if i not in answered]
    if missing:
        raise ValidationFailed(_("还有检查项未填写：%(items)s") % {"items": "、".join(missing)})
    for c in checks:
        if not c.passed and not c.note.strip():
            raise ValidationFailed(
                _("不合格项“%(item)s”请写明问题") % {"item": items[c.item_id].text}
            )
    inspection = Inspection.objects.create(
        template=template,
        inspector=actor,
        building=building,
        place=place,
        grid_path=node.path,
        grid_name=node.name,
        lon=lon,
        lat=lat,
        note=note.strip(),
    )
    category = _case_category(template)
    photos_left = list(photos)
    for item_id in sorted(items, key=lambda i: items[i].position):
        c = answered[item_id]
        result = InspectionResult.objects.create(
            inspection=inspection,
            item=items[item_id],
            text=items[item_id].text,
            passed=c.passed,
            note=c.note.strip(),
        )
        if not c.passed and c.report:
            _report(actor, inspection, result, category, photos_left)
            photos_left = []
    return inspection


def _case_category(template: ChecklistTemplate) -> str:
    """The template's case category if it still exists; empty lets the classifier choose."""
    code = template.category_code
    return code if code and Category.objects.filter(code=code).exists() else ""


def problem_found(result: InspectionResult) -> str:
    """What a failed item reports: the item's problem as the checklist words it. An item added
    without one is named as the check it failed, never as the condition it did not meet."""
    problem = result.item.problem.strip()
    return problem or _("未通过检查“%(item)s”") % {"item": result.text}


def _report(
    actor: User,
    inspection: Inspection,
    result: InspectionResult,
    category: str,
    photos: Sequence[CleanImage],
) -> None:
    problem = problem_found(result)
    text = (
        f"【{inspection.template.name}】{inspection.where}：{problem}。"
        f"{result.note or _('不合格')}（" + _("检查项：%(item)s") % {"item": result.text} + "）"
    )
    case, _created = case_intake(
        data=CaseInput(
            title=f"{problem}（{inspection.where}）",
            description=text,
            category_code=category,
            lon=inspection.lon,
            lat=inspection.lat,
            address=inspection.building.address if inspection.building else "",
            channel=Channel.PATROL,
        ),
        actor=actor,
        photos=photos,
    )
    result.case = case
    result.save(update_fields=["case"])


@transaction.atomic
def inspection_result_report(*, actor: User, result: InspectionResult) -> InspectionResult:
    """Report a failed item as a case later (it was noted at the time, not reported)."""
    result = (
        InspectionResult.objects.select_for_update(of=("self",))
        .select_related("inspection__template", "inspection__building", "item")
        .get(pk=result.pk)
    )
    _require(actor, INSPECTION_ROLES, _("只有网格员、网格长和社区工作者可以上报隐患"))
    _require_node(actor, result.inspection.grid_path)
    if result.passed:
        raise ValidationFailed(_("合格项无需上报"))
    if result.case_id is not None:
        raise Conflict(_("该隐患已上报为事件"))
    if result.rectified_at is not None:
        raise Conflict(_("该隐患已整改"))
    _report(actor, result.inspection, result, _case_category(result.inspection.template), ())
    return result


@transaction.atomic
def inspection_result_rectify(
    *, actor: User, result: InspectionResult, note: str
) -> InspectionResult:
    """The worker confirms on site that a failed item has been put right."""
    result = (
        InspectionResult.objects.select_for_update(of=("self",))
        .select_related("inspection")
        .get(pk=result.pk)
    )
    _require(actor, INSPECTION_ROLES, _("只有网格员、网格长和社区工作者可以确认整改"))
    _require_node(actor, result.inspection.grid_path)
    if result.passed:
        raise ValidationFailed(_("合格项无需整改"))
    if result.rectified_at is not None:
        raise Conflict(_("该隐患已确认整改"))
    note = note.strip()
    if not note:
        raise ValidationFailed(_("请填写整改情况"))
    result.rectified_at = timezone.now()
    result.rectified_by = actor
    result.rectify_note = note
    result.save(update_fields=["rectified_at", "rectified_by", "rectify_note"])
    return result


def results_rectified_by_case(*, case_id: int, actor: User | None, when: datetime) -> int:
    """A hazard whose case was closed is rectified: the case's verification is the proof."""
    return InspectionResult.objects.filter(case_id=case_id, rectified_at__isnull=True).update(
        rectified_at=when, rectified_by=actor, rectify_note=_("事件已核查结案")
    )


# ---------------------------------------------------------------- 物: facilities


@transaction.atomic
def facility_add(
    *,
    actor: User,
    kind: str,
    name: str,
    node: GridNode | None = None,
    building: Building | None = None,
    checked_on: date | None = None,
    note: str = "",
) -> Facility:
    _require(actor, REGISTER_ROLES, _("您无权登记设施"))
    if kind not in FacilityKind.values:
        raise ValidationFailed(_("未知设施类型“%(k)s”") % {"k": kind})
    name = name.strip()
    if not name:
        raise ValidationFailed(_("请填写设施名称或位置"))
    if building is not None:
        node = building.micro_grid
    if node is None:
        raise ValidationFailed(_("请选择楼栋或网格"))
    _require_node(actor, node.path)
    return Facility.objects.create(
        kind=kind,
        name=name,
        building=building,
        micro_grid=node,
        grid_path=node.path,
        checked_on=checked_on,
        note=note.strip(),
    )


@transaction.atomic
def facility_set_status(
    *, actor: User, facility: Facility, status: str, checked_on: date | None = None
) -> Facility:
    _require(actor, REGISTER_ROLES + INSPECTION_ROLES, _("您无权更新设施"))
    _require_node(actor, facility.grid_path)
    if status not in FacilityStatus.values:
        raise ValidationFailed(_("未知设施状态"))
    facility.status = status
    facility.checked_on = checked_on or timezone.localdate()
    facility.save(update_fields=["status", "checked_on", "updated_at"])
    return facility


# ---------------------------------------------------------------- 组织


@transaction.atomic
def organisation_add(
    *,
    actor: User,
    kind: str,
    name: str,
    node: GridNode,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    note: str = "",
) -> Organisation:
    """Register an organisation present in a grid: a property company, a social or mass
    organisation, an owners' committee … Party organisations, enterprises and alliance merchants
    kept by their own apps need not be typed in here: the 六要素 page counts them from there
    (`selectors.organisation_counts`), and one typed in anyway at the same place is not counted
    twice."""
    _require(actor, REGISTER_ROLES, _("您无权登记组织"))
    if kind not in OrganisationKind.values:
        raise ValidationFailed(_("未知组织类别“%(k)s”") % {"k": kind}, field="kind")
    name = name.strip()
    if not name:
        raise ValidationFailed(_("请填写组织名称"), field="name")
    _require_node(actor, node.path)
    phone = ""
    if contact_phone.strip():
        try:
            phone = normalize_contact_phone(contact_phone)
        except DjangoValidationError as exc:
            raise ValidationFailed(exc.messages[0], field="contact_phone") from exc
    try:
        with transaction.atomic():
            organisation = Organisation(
                kind=kind,
                name=name,
                node=node,
                grid_path=node.path,
                address=address.strip(),
                contact_name=contact_name.strip(),
                note=note.strip(),
            )
            organisation.contact_phone = phone  # encrypted, hashed and masked by the model
            organisation.save()
            return organisation
    except IntegrityError as exc:
        raise Conflict(_("该网格已登记同名同类组织")) from exc


# ---------------------------------------------------------------- 议事厅


@transaction.atomic
def topic_create(*, actor: User, node: GridNode, title: str, body: str) -> Topic:
    _require(actor, REGISTER_ROLES, _("您无权发起议题"))
    _require_node(actor, node.path)
    if node.level not in (GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO):
        raise ValidationFailed(_("议题须面向社区、网格或微网格"), field="node")
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationFailed(_("请填写议题和说明"))
    return Topic.objects.create(
        node=node, grid_path=node.path, title=title, body=body, created_by=actor
    )


def may_take_part(actor: User, topic: Topic | Survey) -> bool:
    """A resident whose home lies in the grid of a topic (or survey) may take part in it."""
    if not actor.is_authenticated:
        return False
    return actor.grants.filter(
        role__in=VOTER_ROLES, node__path__startswith=topic.grid_path
    ).exists()


def _check_may_take_part(actor: User, topic: Topic) -> None:
    if not may_take_part(actor, topic):
        raise PermissionDenied(_("只有本网格的居民可以参与该议题"))
    if not topic.is_open:
        raise Conflict(_("该议题已公布决定，不再接受表决和意见"))


def topic_vote(*, actor: User, topic: Topic, choice: str) -> TopicVote:
    """One person, one vote: the unique constraint decides between two racing votes, and the
    loser is told plainly. A vote is final."""
    if choice not in VoteChoice.values:
        raise ValidationFailed(_("请选择赞成、反对或弃权"))
    try:
        with transaction.atomic():
            # A plain read (no row lock): votes from the whole grid must not queue on the topic.
            topic = Topic.objects.get(pk=topic.pk)
            _check_may_take_part(actor, topic)
            return TopicVote.objects.create(topic=topic, voter=actor, choice=choice)
    except IntegrityError as exc:
        raise Conflict(_("您已对该议题投过票，每人只能投一票")) from exc


@transaction.atomic
def topic_comment(*, actor: User, topic: Topic, body: str) -> TopicComment:
    body = body.strip()
    if not body:
        raise ValidationFailed(_("请填写意见"))
    if len(body) > 500:
        raise ValidationFailed(_("意见请控制在 500 字以内"))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _check_may_take_part(actor, topic)
    return TopicComment.objects.create(topic=topic, author=actor, body=body)


@transaction.atomic
def topic_decide(*, actor: User, topic: Topic, decision: str) -> Topic:
    _require(actor, REGISTER_ROLES, _("您无权公布议事决定"))
    _require_node(actor, topic.grid_path)
    decision = decision.strip()
    if not decision:
        raise ValidationFailed(_("请填写议事决定"))
    changed = Topic.objects.filter(pk=topic.pk, status=TopicStatus.OPEN).update(
        status=TopicStatus.DECIDED,
        decision=decision,
        decided_by=actor,
        decided_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not changed:
        raise Conflict(_("该议题已公布决定"))
    return Topic.objects.get(pk=topic.pk)
