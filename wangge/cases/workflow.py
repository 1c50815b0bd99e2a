"""The case state machine as data, and who may take each action.

`TRANSITIONS[action]` names the states an action may start from and the state it leaves the
case in (None: the status does not change, e.g. 督办 or 联系). `ACTORS[action]` names who may
take it, as `Actor` kinds resolved against the case by `actor_kinds`. The one gate is
`allowed_actions(case, user)`; pages and the API show or accept nothing else.
"""

from datetime import timedelta
from enum import StrEnum

from django.utils import timezone

from wangge.accounts.models import Role, User

# Re-exported: the gate's callers (pages, services) read the labels beside allowed_actions.
from wangge.cases.actions import ACTION_LABELS as ACTION_LABELS
from wangge.cases.actions import EVENT_LABELS as EVENT_LABELS
from wangge.cases.actions import Action
from wangge.cases.models import Assistance, Case, Channel, HandlingLevel, Status
from wangge.core.scope import path_in_scope

S = Status


ACTIVE = (S.DISPATCHED, S.SIGNED)
OPEN = (S.PENDING, S.DISPATCHED, S.SIGNED, S.SUSPENDED, S.RESOLVED, S.RETURNED)

TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    Action.ACCEPT: ((S.PENDING,), S.DISPATCHED),
    Action.DISPATCH: ((S.PENDING, S.RETURNED), S.DISPATCHED),
    Action.VOID: ((S.PENDING, S.RETURNED), S.VOIDED),
    Action.MERGE: ((S.PENDING, S.RETURNED, S.DISPATCHED), S.MERGED),
    Action.SIGN: ((S.DISPATCHED,), S.SIGNED),
    Action.CONTACT: ((S.SIGNED,), None),
    Action.RETURN: ((S.DISPATCHED, S.SIGNED), S.RETURNED),
    Action.TRANSFER: ((S.DISPATCHED, S.SIGNED, S.RETURNED), S.DISPATCHED),
    Action.ESCALATE: ((S.DISPATCHED, S.SIGNED), S.DISPATCHED),
    Action.WHISTLE: ((S.SIGNED,), None),
    Action.DEPT_SIGN: ((S.SIGNED,), None),
    Action.DEPT_REPORT: ((S.SIGNED,), None),
    Action.REQUEST_EXTENSION: (ACTIVE, None),
    Action.APPROVE_EXTENSION: (ACTIVE, None),
    Action.REJECT_EXTENSION: (ACTIVE, None),
    Action.SUSPEND: ((S.SIGNED,), S.SUSPENDED),
    Action.RESUME: ((S.SUSPENDED,), S.SIGNED),
    Action.RESOLVE: ((S.SIGNED,), S.RESOLVED),
    Action.VERIFY_PASS: ((S.RESOLVED,), S.VERIFIED),
    Action.VERIFY_FAIL: ((S.RESOLVED,), S.SIGNED),
    Action.FOLLOW_UP: ((S.VERIFIED,), S.CLOSED),
    Action.RATE: ((S.VERIFIED,), S.CLOSED),
    Action.REOPEN: ((S.CLOSED,), S.DISPATCHED),
    Action.SUPERVISE: (OPEN, None),
    Action.URGE: ((S.DISPATCHED, S.SIGNED, S.RETURNED, S.RESOLVED), None),
    # Only from the desk's queue: a case a grid already holds is returned to the desk first.
    Action.REFER: ((S.PENDING, S.RETURNED), S.REFERRED),
    Action.WITHDRAW: (OPEN, S.VOIDED),
    Action.PROGRESS: ((S.DISPATCHED, S.SIGNED, S.SUSPENDED), None),
}


class Actor(StrEnum):
    DISPATCHER = "dispatcher"  # the street operations centre holding the case's place
    HANDLER = "handler"  # the people of the unit the case is dispatched to
    SUPERVISOR = (
        "supervisor"  # staff above the handling unit (community over grid, street over both)
    )
    DEPARTMENT = "department"  # a department summoned on this case
    REPORTER = "reporter"  # the person who raised it


ACTORS: dict[str, frozenset[Actor]] = {
    Action.ACCEPT: frozenset({Actor.DISPATCHER}),
    Action.DISPATCH: frozenset({Actor.DISPATCHER}),
    Action.VOID: frozenset({Actor.DISPATCHER}),
    Action.MERGE: frozenset({Actor.DISPATCHER}),
    Action.SIGN: frozenset({Actor.HANDLER}),
    Action.CONTACT: frozenset({Actor.HANDLER}),
    Action.RETURN: frozenset({Actor.HANDLER}),
    Action.TRANSFER: frozenset({Actor.DISPATCHER, Actor.SUPERVISOR}),
    Action.ESCALATE: frozenset({Actor.HANDLER}),
    Action.WHISTLE: frozenset({Actor.DISPATCHER}),
    Action.DEPT_SIGN: frozenset({Actor.DEPARTMENT}),
    Action.DEPT_REPORT: frozenset({Actor.DEPARTMENT}),
    Action.REQUEST_EXTENSION: frozenset({Actor.HANDLER}),
    Action.APPROVE_EXTENSION: frozenset({Actor.DISPATCHER}),
    Action.REJECT_EXTENSION: frozenset({Actor.DISPATCHER}),
    Action.SUSPEND: frozenset({Actor.DISPATCHER}),
    Action.RESUME: frozenset({Actor.DISPATCHER}),
    Action.RESOLVE: frozenset({Actor.HANDLER}),
    Action.VERIFY_PASS: frozenset({Actor.DISPATCHER, Actor.SUPERVISOR}),
    Action.VERIFY_FAIL: frozenset({Actor.DISPATCHER, Actor.SUPERVISOR}),
    Action.FOLLOW_UP: frozenset({Actor.DISPATCHER}),
    Action.RATE: frozenset({Actor.REPORTER}),
    Action.REOPEN: frozenset({Actor.DISPATCHER, Actor.REPORTER}),
    Action.SUPERVISE: frozenset({Actor.DISPATCHER, Actor.SUPERVISOR}),
    Action.URGE: frozenset({Actor.DISPATCHER, Actor.SUPERVISOR}),
    Action.REFER: frozenset({Actor.DISPATCHER}),
    Action.WITHDRAW: frozenset({Actor.DISPATCHER}),
    Action.PROGRESS: frozenset({Actor.HANDLER, Actor.DISPATCHER}),
}

HANDLER_ROLES: dict[str, frozenset[str]] = {
    HandlingLevel.GRID: frozenset({Role.GRID_WORKER, Role.GRID_LEADER, Role.EXCLUSIVE_GRID_LEADER}),
    HandlingLevel.COMMUNITY: frozenset({Role.COMMUNITY_STAFF}),
    HandlingLevel.STREET: frozenset({Role.STREET_DISPATCHER}),
}
DISPATCH_ROLES = frozenset({Role.STREET_DISPATCHER, Role.ADMIN})
SUPERVISOR_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.ADMIN})
# Channels whose sender may take an order back (撤单): a resident withdraws nothing, they rate.
WITHDRAWABLE_CHANNELS = frozenset({Channel.HOTLINE, Channel.HIGHER})


def _grant_paths(user: User, roles: frozenset[str]) -> list[str]:
    cache: dict[frozenset[str], list[str]] = user.__dict__.setdefault("_grant_paths", {})
    if roles not in cache:
        cache[roles] = list(user.grants.filter(role__in=roles).values_list("node__path", flat=True))
    return cache[roles]


def _holds(user: User, roles: frozenset[str], path: str) -> bool:
    return bool(path) and any(path.startswith(p) for p in _grant_paths(user, roles))


def actor_kinds(case: Case, user: User) -> set[Actor]:
    """What `user` is to this case. Scope is part of it: a worker of grid B is nothing to grid A."""
    kinds: set[Actor] = set()
    if not user.is_authenticated or not user.is_active:
        return kinds
    if case.reporter_id is not None and case.reporter_id == user.pk:
        kinds.add(Actor.REPORTER)
    if user.is_superuser or _holds(user, DISPATCH_ROLES, case.grid_path):
        kinds.add(Actor.DISPATCHER)
    handling_path = case.handling_node.path if case.handling_node_id and case.handling_node else ""
    level_roles = HANDLER_ROLES.get(case.handling_level, frozenset())
    if handling_path and _holds(user, level_roles, handling_path):
        kinds.add(Actor.HANDLER)
    # Staff of a unit strictly above the handling node supervise it (community over its grids).
    if handling_path and any(
        handling_path.startswith(p) and handling_path != p
        for p in _grant_paths(user, SUPERVISOR_ROLES)
    ):
        kinds.add(Actor.SUPERVISOR)
    if case.pk and Assistance.objects.filter(case=case, department__members=user).exists():
        kinds.add(Actor.DEPARTMENT)
    return kinds


def is_desk_of(case: Case, user: User) -> bool:
    """The street operations centre holding the case's place (and administrators above it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _holds(user, DISPATCH_ROLES, case.grid_path)


def caller_visible(case: Case, user: User) -> bool:
    """Whether `user` may see who raised the case. A 保密件's caller is shown to the desk alone
    (and to the reporter, who is that person): not to the grid, the community or a department
    handling it, whatever else of the case they see."""
    if not case.is_confidential:
        return True
    return (case.reporter_id is not None and case.reporter_id == user.pk) or is_desk_of(case, user)


def can_view(case: Case, user: User) -> bool:
    if not user.is_authenticated:
        return False
    if case.reporter_id == user.pk or user.is_superuser:
        # A superuser sees every case, as cases_visible lists them: also those placed nowhere
        # (no grid tree imported, or districts side by side), which wait for the instance's
        # administrators.
        return True
    if case.grid_path and path_in_scope(user, case.grid_path):
        return True
    return bool(actor_kinds(case, user) & {Actor.HANDLER, Actor.DEPARTMENT})


def allowed_actions(case: Case, user: User) -> list[str]:
    if case.is_history:
        # 历史工单: an imported platform record, closed when it arrived; reopening it would put
        # a years-old order back in queues and inboxes.
        return []
    kinds = actor_kinds(case, user)
    if not kinds:
        return []
    result = []
    for action, (sources, _target) in TRANSITIONS.items():
        if (
            case.status in sources
            and ACTORS[action] & kinds
            and _extra_condition(case, action, kinds)
        ):
            result.append(str(action))
    return result


def _extra_condition(case: Case, action: str, kinds: set[Actor]) -> bool:
    """Conditions beyond the state and the actor."""
    if action in (Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION):
        return case.extension_requested_until is not None
    if action == Action.REQUEST_EXTENSION:
        return case.extension_requested_until is None
    if action == Action.ESCALATE:
        return case.handling_level in (HandlingLevel.GRID, HandlingLevel.COMMUNITY)
    if action == Action.WHISTLE:
        return case.handling_level == HandlingLevel.STREET
    if action == Action.VERIFY_PASS or action == Action.VERIFY_FAIL:
        # Whoever resolved a case does not verify it, unless they also run the street desk.
        return Actor.DISPATCHER in kinds or Actor.HANDLER not in kinds
    if action == Action.WITHDRAW:
        return case.channel in WITHDRAWABLE_CHANNELS
    if action == Action.PROGRESS:
        # The 12345 platform waits for it (its adapter forwards it); a resident follows the
        # timeline in the app, and the worker's page stays short.
        return case.channel == Channel.HOTLINE
    if action == Action.REOPEN and kinds == {Actor.REPORTER}:
        return case.closed_at is not None and timezone.now() - case.closed_at <= timedelta(days=7)
    return True
