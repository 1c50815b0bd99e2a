"""Intake from any channel: validate, suggest a category, locate, route, dispatch, and tell
the handler and the reporter; a patrol's finding fixed on the spot."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_contact_phone
from wangge.accounts.models import User
from wangge.cases import categories, routing
from wangge.cases.actions import Event
from wangge.cases.models import (
    Case,
    CaseAttachment,
    Category,
    CategorySource,
    Channel,
    HandlingLevel,
    Status,
    Tier,
    Urgency,
)
from wangge.cases.services.notices import case_link, handlers_of, text_handlers
from wangge.cases.services.records import (
    clock_start,
    insert_case,
    photos_attach,
    route_apply,
)
from wangge.cases.signals import case_changed
from wangge.cases.timeline import event_row, event_write
from wangge.core import inserts
from wangge.core.errors import Conflict, NotFound, ValidationFailed
from wangge.core.images import MAX_PHOTOS, CleanImage, store_image
from wangge.core.scope import path_in_scope
from wangge.grids import indexes
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import ancestor
from wangge.notifications import channels
from wangge.notifications.services import Message, inbox_rows, pushes_of

MAX_DESCRIPTION = 4000


@dataclass(frozen=True)
class TriageHint:
    """A sender's own answer to "whose is this?" (a 12345 order's 承办单位): used only when the
    place cannot be resolved, so the case waits at that unit's desk rather than the district's."""

    node: GridNode
    note: str  # why, for the routing reason and the timeline
    by: str  # who gave the hint, as the timeline shows it


@dataclass
class CaseInput:
    description: str
    title: str = ""
    category_code: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    channel: str = Channel.RESIDENT
    external_id: str = ""
    request_type: str = ""
    urgency: str = ""
    due_at: datetime | None = None  # a deadline set by the sender (12345 orders carry one)
    public_anonymous: bool = True
    public: bool = False
    triage: TriageHint | None = None
    # Who chose `category_code` (CategorySource); empty: the reporter, or nobody.
    category_source: str = ""
    # The sender's own category when it names no leaf of ours (a 12345 platform's code/name).
    external_category: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """What makes two deliveries "the same order": the content, not delivery metadata."""
        key = [
            self.description.strip(),
            self.address.strip(),
            self.reporter_phone.strip(),
            self.category_code.strip(),
        ]
        return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()


def _clean_input(data: CaseInput) -> CaseInput:
    # A request with a NUL is refused before any view (core.malformed); this also covers orders
    # from files and commands. PostgreSQL stores no NUL in text, and the intake's one statement
    # reads NUL-delimited stand-ins for the new case's id and number (core.inserts).
    texts = (data.description, data.title, data.address, data.reporter_name, data.external_id)
    if any(t and "\x00" in t for t in texts):
        raise ValidationFailed(_("内容中含有空字符（\\x00），请删除后重试"))
    data.description = (data.description or "").strip()
    if not data.description:
        raise ValidationFailed(_("请填写诉求内容"))
    if len(data.description) > MAX_DESCRIPTION:
        raise ValidationFailed(_("诉求内容不能超过 %(n)d 字") % {"n": MAX_DESCRIPTION})
    if data.channel not in Channel.values:
        raise ValidationFailed(_("未知来源“%(c)s”") % {"c": data.channel})
    if data.urgency and data.urgency not in Urgency.values:
        raise ValidationFailed(_("未知紧急程度“%(u)s”") % {"u": data.urgency})
    if data.reporter_phone:
        data.reporter_phone = normalize_contact_phone(data.reporter_phone)
    data.title = clip((data.title or "").strip(), MAX_TITLE) or _title_from(data.description)
    data.address = (data.address or "").strip()[:200]
    data.reporter_name = (data.reporter_name or "").strip()[:50]
    return data


MAX_TITLE = 120


def clip(text: str, limit: int) -> str:
    """`text` whole if it fits, else cut to `limit` characters with an ellipsis saying so."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _title_from(description: str) -> str:
    first = description.replace("\n", " ").split("。")[0]
    return clip(first, 31)


def _set_place(case: Case, place: routing.Place) -> None:
    case.micro_grid = place.micro_grid
    case.exclusive_grid = place.exclusive_grid
    case.building_id = place.building_id
    # 地点不在本区: the desk sees at once that the places named are none of ours (the reason
    # lists them), and may send the case back rather than look for it on the map.
    case.out_of_area = place.out_of_area
    if place.address is not None:
        case.address = place.address[:200]
    if place.lon is not None:
        case.lon, case.lat = place.lon, place.lat
    case.place_phrase = place.phrase[:200]
    placed = place.placement()
    case.grid_path = placed.node.path if placed else ""
    case.community = placed.community if placed else None
    case.street = placed.street if placed else None
    if not case.grid_path:
        # Nowhere known: the triage queue of the top of the tree (the district, or the city
        # above several), seen by the staff who hold it. Districts side by side with no city
        # above them share no top: such a case waits for the instance's administrators.
        roots = indexes.node_table().roots
        case.grid_path = roots[0].path if len(roots) == 1 else ""


def case_intake(
    *,
    data: CaseInput,
    actor: User | None,
    photos: Sequence[CleanImage] = (),
    auto_dispatch: bool = True,
) -> tuple[Case, bool]:
    """Create a case and route it. Returns (case, created). A retried external order returns the
    case it made the first time; the same external id with different content is a Conflict."""
    data = _clean_input(data)
    if data.external_id:
        existing = Case.objects.filter(channel=data.channel, external_id=data.external_id).first()
        if existing is not None:
            return _same_or_conflict(existing, data), False
    try:
        if photos or not inserts.available(Case) or _in_transaction():
            with transaction.atomic():
                case = _create(data, actor, photos, auto_dispatch)
        else:
            # Nothing but reads and then one statement (the case, its timeline and its inbox),
            # atomic by itself: no BEGIN and COMMIT of its own to wait for.
            case = _create(data, actor, photos, auto_dispatch)
    except IntegrityError:
        # Another delivery of the same order won the race to insert; answer as it did.
        existing = Case.objects.filter(channel=data.channel, external_id=data.external_id).first()
        if existing is None or not data.external_id:
            raise
        return _same_or_conflict(existing, data), False
    return case, True


def _in_transaction() -> bool:
    # A caller's transaction (a batch, a patrol's self-handling): a savepoint of its own, so a
    # duplicate external id rolls back only this intake and the caller can go on.
    return connections[router.db_for_write(Case)].in_atomic_block


def _same_or_conflict(existing: Case, data: CaseInput) -> Case:
    if existing.content_hash != data.fingerprint():
        raise Conflict(_("外部编号“%(id)s”已存在且内容不同") % {"id": data.external_id})
    return existing


def _create(
    data: CaseInput, actor: User | None, photos: Sequence[CleanImage], auto_dispatch: bool
) -> Case:
    now = timezone.now()
    choice = category_for(data)
    category, suggestion_note = choice.category, choice.note
    urgency = data.urgency or (category.urgency if category else Urgency.NORMAL)
    tier = category.tier if category else Tier.GENERAL
    place = routing.locate_place(
        lon=data.lon, lat=data.lat, crs=data.crs, address=data.address, text=data.description
    )
    hint = data.triage if place.anchor is None else None
    public = (
        data.public
        and actor is not None
        and data.channel in (Channel.RESIDENT, Channel.SNAPSHOT, Channel.ASSISTANT)
    )
    if hint is not None:
        place.triage_node = hint.node
    case = inserts.new(
        Case,
        title=data.title,
        description=data.description,
        channel=data.channel,
        external_id=data.external_id or None,
        content_hash=data.fingerprint(),
        request_type=data.request_type[:8],
        category=category,
        category_source=choice.source,
        category_suggestions=choice.suggestions,
        classifier_version=choice.version,
        external_category=data.external_category[:120],
        tier=tier,
        urgency=urgency,
        reporter=actor if actor and data.channel in _SELF_REPORTED else None,
        reporter_name=data.reporter_name
        or (actor.name if actor and data.channel in _SELF_REPORTED else ""),
        is_anonymous_public=data.public_anonymous,
        # Only a resident who raised it can put it on the board (not a patrol or a system).
        is_public=public,
        # Off the board until content security passes its words (wangge.moderation).
        public_hold=Case.PublicHold.PENDING if public else Case.PublicHold.NONE,
        requested_due_at=data.due_at,
        crs_given=data.crs if data.lon is not None else "",
        lon=data.lon,
        lat=data.lat,
        address=data.address,
    )
    # Encrypted, hashed and masked by the model (Case.reporter_phone).
    case.reporter_phone = data.reporter_phone or (
        actor.phone if actor and data.channel in _SELF_REPORTED else ""
    )
    _set_place(case, place)
    route = routing.route_for(place, tier)
    if suggestion_note:
        route.reason = f"{suggestion_note}；{route.reason}"
    if hint is not None:
        route.reason = f"{route.reason}；{hint.note}"
    if category is not None and category.not_grid_matter:
        # 非网格事项: never onto a grid worker's list; the desk refers it (Action.REFER).
        route.reason = _("%(reason)s；非网格事项，待分拨台转出至相关部门或单位") % {
            "reason": route.reason
        }
        auto_dispatch = False
    if auto_dispatch:
        route_apply(case, route, now, data.due_at)
    else:
        case.routing_reason = route.reason
        case.status = Status.PENDING
    # The case's id and number are drawn by the statement that writes it with the rows below;
    # until then they are stand-ins in those rows (see insert_case).
    case.pk, case.number = inserts.NEW_ID, inserts.NEW_TAG
    events = [
        event_row(
            case,
            action=Event.INTAKE,
            actor=actor,
            from_status="",
            to_status=Status.PENDING,
            note=_("经%(channel)s受理") % {"channel": Channel(case.channel).label},
            actor_label=actor.name if actor else str(Channel(case.channel).label),
        )
    ]
    if case.status == Status.DISPATCHED:
        events.append(
            event_row(
                case,
                action=Event.ROUTE,
                actor=None,
                from_status=Status.PENDING,
                note=case.routing_reason,
                actor_label=_("系统自动派单"),
            )
        )
    if hint is not None:
        events.append(
            event_row(
                case,
                action=Event.TRIAGE,
                actor=None,
                from_status=Status.PENDING,
                note=hint.note,
                actor_label=hint.by,
                data={"node": hint.node.code},
            )
        )
    messages = []
    title, handlers = "", []
    if case.status == Status.DISPATCHED:
        title, handlers = _("新派单：%(t)s") % {"t": case.title}, handlers_of(case)
        messages.append(
            Message(
                handlers,
                title,
                case.title,
                case_link(case),
                f"case:{case.pk}",
                channels.CASE_ASSIGNED,
            )
        )
    if case.reporter_id and case.reporter:
        messages.append(
            Message(
                [case.reporter],
                _("您反映的问题已受理（编号 %(n)s）") % {"n": case.number},
                case.title,
                case_link(case),
                f"case:{case.pk}",
                # Registered and routed: the reporter hears who handles it. A case left for
                # the desk is "accepted" when a dispatcher routes it (services.gate).
                channels.CASE_ACCEPTED if case.status == Status.DISPATCHED else "",
            )
        )
    # The case, its timeline rows and the handler's and reporter's inbox messages.
    rows = inbox_rows(messages)
    insert_case(case, now, events, rows)
    pushes_of(rows)
    if case.status == Status.DISPATCHED:
        # After the write: with no transaction around it, a text is queued at once.
        text_handlers(case, title, people=handlers)
    intake = events[0]
    photos_attach(case, intake, CaseAttachment.Kind.REPORT, photos)
    case_changed.send(sender=Case, case=case, action=Event.INTAKE, from_status="", event=intake)
    return case


def _suggestion_text(data: CaseInput) -> str:
    """What the category model reads: the title and the description, or the description
    alone when the title is its opening words, as a title made by `_title_from` always is.
    The model was trained and cross-validated on texts as written; a title repeating the
    first sentence would count its words twice, and cost a second cut of them on every
    report. Reading it twice is no better: over the catalogue's four folds, 603 of 804
    held-out examples are answered right alone and 604 with their first sentence repeated; of
    the 67 complaints written for tests/cases/test_classifier.py, 67 and 66."""
    title = data.title.removesuffix("…")
    if data.description.replace("\n", " ").startswith(title):
        return data.description
    return f"{data.title} {data.description}"


_SELF_REPORTED = {
    Channel.RESIDENT,
    Channel.SNAPSHOT,
    Channel.ENTERPRISE,
    Channel.ASSISTANT,
    Channel.PATROL,
}


# The national standard of 数字城管 (部件/事件 codes), as the catalogue's external codes name it.
CITY_MANAGEMENT = "GB/T 30428.2"


@dataclass(frozen=True)
class CategoryChoice:
    category: Category | None
    note: str  # for the routing reason: how it was found, or why there is none
    source: str  # CategorySource
    suggestions: list[dict[str, Any]]  # the model's best three, as the case keeps them
    version: int | None  # the category model's version that made them


def category_for(data: CaseInput) -> CategoryChoice:
    """The case's category: the leaf its sender (or the desk accepting it) named by code,
    refused when there is no such leaf; else the category model's pick, or none with its
    suggestions for the desk."""
    if data.category_code:
        category = categories.leaf(data.category_code)
        if category is None:
            category = categories.leaf_by_external(CITY_MANAGEMENT, data.category_code)
            if category is not None:
                # A city-management system's 部件/事件 code, which the catalogue lists (data):
                # the leaf it is filed under, and the code kept as the sender's own category.
                data.external_category = data.external_category or (
                    f"{CITY_MANAGEMENT} {data.category_code}"
                )
                note = _("按数字城管编码“%(c)s”归入%(name)s") % {
                    "c": data.category_code,
                    "name": category.name,
                }
                return CategoryChoice(category, note, CategorySource.PLATFORM, [], None)
        if category is None:
            raise ValidationFailed(_("未知或不可派单的分类“%(c)s”") % {"c": data.category_code})
        return CategoryChoice(
            category, "", data.category_source or CategorySource.REPORTER, [], None
        )
    found = categories.suggest_for_case(_suggestion_text(data))
    suggestions = [s.as_json() for s in found.suggestions]
    if found.pick is None:
        note = (
            _("分类待派单员确认（系统建议：%(names)s）")
            % {"names": "、".join(s.name for s in found.suggestions)}
            if found.suggestions
            else _("未能识别分类，按一般事件办理")
        )
        return CategoryChoice(None, note, CategorySource.NONE, suggestions, found.version)
    category = found.pick
    note = _("分类由系统推荐：%(name)s（%(how)s）") % {"name": category.name, "how": found.how}
    return CategoryChoice(category, note, found.method, suggestions, found.version)


@transaction.atomic
def patrol_self_handle(
    *,
    data: CaseInput,
    actor: User,
    result: str,
    photos_before: Sequence[CleanImage] = (),
    photos_after: Sequence[CleanImage] = (),
) -> Case:
    """A grid worker's patrol finding fixed on the spot (自行处置): one case, closed at once."""
    if not result.strip():
        raise ValidationFailed(_("请填写处置结果"))
    data.channel = Channel.PATROL
    case, _created = case_intake(data=data, actor=actor, photos=photos_before, auto_dispatch=False)
    if not case.grid_path or not path_in_scope(actor, case.grid_path):
        raise ValidationFailed(_("该位置不在您负责的网格内，不能自行处置"))
    now = timezone.now()
    node = ancestor(case.micro_grid, GridLevel.GRID) if case.micro_grid else None
    case.handling_level, case.handling_node, case.assignee = HandlingLevel.GRID, node, actor
    clock_start(case, now)
    case.signed_at = case.contacted_at = case.resolved_at = case.verified_at = case.closed_at = now
    case.resolution, case.self_handled, case.closed_on_time = result.strip(), True, True
    from_status = case.status
    case.status = Status.CLOSED
    case.save()
    event = event_write(
        case, action=Event.SELF_HANDLE, actor=actor, from_status=from_status, note=result.strip()
    )
    photos_attach(case, event, CaseAttachment.Kind.AFTER, photos_after)
    return case


# How long after a report its reporter may still add its photos one by one (the mini-program
# sends them after the report, one a request, over a weak signal too).
REPORT_PHOTO_WINDOW = timedelta(hours=1)


def report_photo_add(
    *, case_id: int, actor: User, photo: CleanImage, client_key: str
) -> tuple[CaseAttachment, bool]:
    """One photo of a report, sent after it by its reporter. Returns the photo and whether it
    is new: the same `client_key` again (a retried upload) answers the photo stored first."""
    client_key = client_key.strip()[:64]
    if not client_key:
        raise ValidationFailed(_("缺少照片编号"), field="key")
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id, reporter=actor).first()
        if case is None:
            raise NotFound(_("事件不存在或无权查看"))
        found = case.attachments.filter(client_key=client_key).first()
        if found is not None:
            return found, False
        if timezone.now() - case.created_at > REPORT_PHOTO_WINDOW:
            raise Conflict(_("上报超过 1 小时后不能再补充上报照片"))
        kind = CaseAttachment.Kind.REPORT
        if case.attachments.filter(kind=kind).count() >= MAX_PHOTOS:
            raise ValidationFailed(_("最多上传 %(n)d 张图片") % {"n": MAX_PHOTOS})
        intake = case.events.filter(action=Event.INTAKE).first()
        row = CaseAttachment(case=case, event=intake, kind=kind, client_key=client_key)
        store_image(row, photo)
        return row, True
