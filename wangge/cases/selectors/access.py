"""Who may see which case: the scope every read of cases starts from (`cases_visible`), and
the permission-checked lookups of one case (`access_case`) with what its page reads beside it.
Apart because every other selector of the app builds on `cases_visible`, and the media view and
the gate ask these alone."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.cases.actions import Action
from wangge.cases.confidential import shown_to
from wangge.cases.models import Assistance, Case, CaseAttachment, CaseEvent
from wangge.cases.workflow import can_view
from wangge.core.errors import NotFound
from wangge.grids import indexes
from wangge.grids.models import GridLevel

# Past this many summoned cases a handler's arm stays a sub-select (a longer list costs more to
# send and plan than the scan it saves).
SUMMONED_AS_LIST = 2000
# Past this many of their own reports outside their subtree, a staff member's arm stays the
# reporter column.
OWN_AS_LIST = 200


def cases_visible(user: User, *, own_as_list: bool = False) -> QuerySet[Case]:
    """Every case the user may see: their subtree as staff, what they reported, what their
    department was summoned to. Out-of-scope cases do not exist for them.

    ``own_as_list``: a list read page by page in its order (`case_list`) asks for the staff
    member's own reports outside their subtree first, as a list (none, usually: a street's
    dispatcher reports a pothole on the way to work). Beside the scope, the reporter's arm is an
    OR that makes the list a bitmap of the whole scope, sorted, where the scope alone is read in
    the list's order and stops at its page (10 M cases: a street's oldest 50 of 52,000). Other
    reads keep the OR and spare the query."""
    if not user.is_authenticated:
        return Case.objects.none()
    paths = user.scope_paths()
    if paths is None:
        return Case.objects.all()
    own = Q(reporter=user)
    if not paths:
        visible = own
    elif not own_as_list:
        visible = _staff_scope(paths) | own
    else:
        visible = _staff_scope(paths)
        elsewhere = list(
            Case.objects.filter(own)
            .exclude(visible)
            .values_list("pk", flat=True)[: OWN_AS_LIST + 1]
        )
        if len(elsewhere) > OWN_AS_LIST:
            visible |= own
        elif elsewhere:
            visible |= Q(pk__in=elsewhere)
    if user.has_role(Role.DEPARTMENT_HANDLER):
        # The (few) cases their departments were summoned to, read first as a list: a
        # sub-select here is a hashed SubPlan no index answers, and it made every list's count
        # a scan of the whole table (1 M cases read for a street's 5,000). As a list, the
        # planner ORs the grid_path, reporter and primary-key indexes.
        summoned = list(
            Assistance.objects.filter(department__members=user).values_list("case_id", flat=True)[
                : SUMMONED_AS_LIST + 1
            ]
        )
        if len(summoned) > SUMMONED_AS_LIST:
            visible |= Q(
                pk__in=Assistance.objects.filter(department__members=user).values("case_id")
            )
        elif summoned:
            visible |= Q(pk__in=summoned)
    return Case.objects.filter(visible)


def _staff_scope(paths: tuple[str, ...]) -> Q:
    """The cases of the subtrees at `paths`: a street's by its `street` column, which every
    writer keeps as the street its path lies in, a move too (`grids.paths.ANCESTOR_COLUMNS`),
    so that a street's list reads its `(street, created_at)` index in order; any other node's
    by the path's prefix."""
    table = indexes.node_table()
    q = Q(pk__in=[])
    for path in paths:
        node = table.by_code.get(path.rstrip("/").rpartition("/")[2])
        if node is not None and node.level == GridLevel.STREET and node.path == path:
            q |= Q(street_id=node.pk)
        else:
            q |= Q(grid_path__startswith=path)
    return q


def is_own_report(user: User, case_id: int) -> bool:
    """Whether `user` reported case `case_id`: what only its reporter may add to is asked this
    before anything the request carries is read, so a stranger learns nothing but 404."""
    return user.is_authenticated and Case.objects.filter(pk=case_id, reporter=user).exists()


def attachment_visible(user: User, name: str) -> bool:
    """The protected media view's question for a case photo (or its thumbnail): whoever may open
    the case may see its photos — its reporter, the staff whose subtree holds it, its handlers
    and the departments summoned to it (`workflow.can_view`, as `access_case` asks)."""
    parts = name.split("/")
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    att = (
        CaseAttachment.objects.filter(case_id=int(parts[1]))
        .filter(Q(image=name) | Q(thumb=name))
        .select_related("case")
        .first()
    )
    return att is not None and can_view(att.case, user)


def access_case(user: User, case_id: int, *, lock: bool = False) -> Case:
    """The case, if the user may see it (`workflow.can_view`); else NotFound, the same for a
    case that is not there. `lock` takes its row lock, for the gate's write that follows."""
    qs = Case.objects.select_related("handling_node", "category", "assignee", "reporter")
    if lock:
        qs = qs.select_for_update(of=("self",))
    case = qs.filter(pk=case_id).first()
    if case is None or not can_view(case, user):
        raise NotFound(_("事件不存在或无权查看"))
    # A 保密件 read for display shows its caller to the desk alone; the gate's locked row is
    # the row itself, since it is written back.
    return case if lock else shown_to(case, user)


# What a person hands away takes the case out of their sight: a transfer to another district or
# unit, a return, an escalation, a dispatch.
HANDING_AWAY = (Action.TRANSFER, Action.RETURN, Action.ESCALATE, Action.DISPATCH)


def own_hand_over(user: User, case_id: int) -> CaseEvent | None:
    """The case's last event when it is this person's own hand-over: what they may be told of a
    case they no longer see (a reply lost on a weak signal, the page asked again)."""
    last = (
        CaseEvent.objects.filter(case_id=case_id)
        .order_by("-created_at", "-pk")
        .only("action", "actor_id", "data")
        .first()
    )
    if last is None or last.actor_id != user.pk or last.action not in HANDING_AWAY:
        return None
    return last


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").prefetch_related("attachments")
