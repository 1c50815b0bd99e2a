"""Every route, generated from the URL configuration, against the grid scope.

Each route is classified below. A new route that is not classified fails this test, so nothing
new can escape the check; a route that takes a grid code is opened by a worker of grid A with
grid B's code and must reveal nothing of grid B.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import GRID_B, MICRO_B1

# Routes that show nothing of any grid's people or cases (login, API docs, public geography:
# locating a point or an address is what every resident's report does first).
NOT_GRID_SCOPED = {
    "healthz",
    "healthz/live",
    "healthz/ready",
    "favicon.ico",
    "",
    "accounts/login/",
    "accounts/logout/",
    "grids/map/",
    "api/v1/",
    "api/v1/openapi.json",
    "api/v1/docs",
    "api/v1/grids/locate",
    "api/v1/grids/resolve-address",
    # The road network under the maps: geography, the same for everyone (tests/grids/test_roads).
    "api/v1/grids/roads",
    # What the resident app's service worker answers for a page never saved offline: the same
    # fixed text for everyone (tests/mobile/test_resident_app.py).
    "m/offline/",
    "open311/v2/discovery.<open311fmt:fmt>",
    "open311/v2/services.<open311fmt:fmt>",
    "open311/v2/services/<str:service_code>.<open311fmt:fmt>",
    "open311/v2/^.*$",
    # Signing in from WeChat and the caller's own WeChat settings: nothing of a grid in them
    # (tests/wechat).
    "api/v1/auth/sms-code",
    "api/v1/auth/wechat/mini-login",
    "api/v1/auth/wechat/bind",
    "api/v1/me/wechat",
    "api/v1/me/wechat/templates",
    "api/v1/me/wechat/subscriptions",
    "api/v1/me/wechat/fallback",
    "api/v1/me/wechat/web-ticket",
    "api/v1/me",
    "api/v1/me/messages",
    "api/v1/me/messages/<int:message_id>/read",
    "m/wx/enter/",
    "m/wx/oauth/",
    "m/wx/wecom/",
    "^(?P<name>[A-Za-z0-9_-]+\\.txt)$",
    # 用户协议 and 隐私政策: the same published text for everyone, signed in or not, and the
    # mini-program's reading of it (tests/consent/test_documents.py).
    "m/legal/terms/",
    "m/legal/privacy/",
    "m/legal/<str:kind>/v<int:version>/",
    "api/v1/consent/documents",
    "api/v1/consent/documents/<kind>",
    # The caller's own consent: what they agreed to, agreeing again, withdrawing (which
    # closes only their own account) — tests/consent.
    "m/legal/agree/",
    "m/legal/mine/",
    "m/legal/withdraw/",
    "api/v1/consent/me",
    # WeChat's calls to the platform (tests/moderation/test_photo_checks.py): the signed message
    # push, and the signed, expiring link to the one photo a check names.
    "moderation/wechat/push/",
    "moderation/media/<str:token>/",
}
# Routes that take a grid code and must stay inside the caller's subtree.
GRID_CODE_ROUTES = {
    "grids/map/<str:code>/": "/grids/map/{code}/",
    "api/v1/grids/nodes/<code>": "/api/v1/grids/nodes/{code}",
    "residents/grid/<str:code>/": "/residents/grid/{code}/",
    "residents/disputes/screening/<str:code>/": "/residents/disputes/screening/{code}/",
    "patrols/reports/<str:code>/": "/patrols/reports/{code}/",
    "patrols/reports/<str:code>/report.<str:fmt>": "/patrols/reports/{code}/report.xlsx",
    "ops/reach/<str:code>/": "/ops/reach/{code}/",
    "ops/circle/<str:code>/": "/ops/circle/{code}/",
}


# Uploaded files: served only to whoever may see the row each belongs to (a case's photos: those
# who may open the case). Every kind is tested in tests/core/test_media.py and the apps'
# test_photos.py; a grid B case's photo is a 404 to grid A's worker below.
MEDIA_ROUTES = {"media/<path:name>"}

# Routes about one case: grid A's worker asking for a grid B case must get a 404.
CASE_ROUTES = {
    "cases/<int:case_id>/": ("get", "/cases/{id}/", None),
    "cases/<int:case_id>/act/": ("post-form", "/cases/{id}/act/", {"action": "sign"}),
    "cases/<int:case_id>/phone/": ("post-form", "/cases/{id}/phone/", {}),
    "cases/<int:case_id>/category/": ("post-form", "/cases/{id}/category/", {"category": "GN-01"}),
    "cases/<int:case_id>/unpublish/": ("post-form", "/cases/{id}/unpublish/", {"note": "含人名"}),
    "api/v1/cases/<int:case_id>": ("get", "/api/v1/cases/{id}", None),
    "api/v1/cases/<int:case_id>/timeline": ("get", "/api/v1/cases/{id}/timeline", None),
    # Only the reporter adds a report's photos (tests/wechat/test_flow.py).
    "api/v1/cases/<int:case_id>/attachments": (
        "post-form",
        "/api/v1/cases/{id}/attachments",
        {"key": "p1"},
    ),
    "api/v1/cases/<int:case_id>/actions": (
        "post",
        "/api/v1/cases/{id}/actions",
        {"action": "sign"},
    ),
    "api/v1/cases/<int:case_id>/reporter-phone": (
        "post",
        "/api/v1/cases/{id}/reporter-phone",
        {"purpose": "查看"},
    ),
}
# Lists and queues that filter by the caller's scope themselves (tested in their own modules;
# the page queues read through the same selectors as the API list).
SCOPED_LISTS = {
    "api/v1/points/me",  # the caller's own wallet only
    "api/v1/cases",
    "cases/",
    "cases/new/",
    "cases/mine/",
    "cases/queue/",
    # The whistles to the caller's own departments only (tests/cases/test_departments.py).
    "cases/department/",
    "cases/desk/",
    # Each ticked case goes through case_act, which refuses one outside the caller's scope
    # (tests/cases/test_desk.py::test_batch_refuses_a_case_outside_the_desks_scope).
    "cases/desk/batch/",
    "cases/supervision/",
    "cases/followups/",
    "cases/kpi/",
    "inbox/",
    "inbox/read/",
    # Takes a street or district code; access_node refuses one outside the caller's scope
    # (test_kpi_page_of_another_street_is_hidden).
    "cases/kpi/<str:code>/",
    # The resident app and notices: a person sees what reaches their own home node; staff what
    # lies in their subtree (tests/notices, tests/mobile).
    "m/",
    "m/manifest.webmanifest",
    "m/me/",
    "m/me/privacy/",  # the caller's own settings
    "m/board/",  # only what reporters chose to make public, in the caller's community
    "m/messages/",
    "m/notices/",
    "m/notices/<int:notice_id>/",
    "notices/",
    "notices/new/",
    # Registration acts on the signed-in person only; claims are filtered by the worker's scope
    # and decided only inside it (tests/mobile/test_registration.py).
    "m/login/",
    "m/verify/",
    "m/address/",
    "m/claims/",
    "m/claims/<int:claim_id>/decide/",
    "m/report/",
    # 乐享闲置 is open to every signed-in neighbour; actions check owner/requester themselves.
    "market/",
    # Circles show a person what reaches their home; moderation is scoped to the staff's subtree
    # (tests/circles).
    "circles/",
    "circles/<int:post_id>/",
    "circles/moderation/",
    "circles/moderation/<int:post_id>/",
    # Content security (tests/moderation): the operator's queue lists what is held in the
    # caller's subtree; deciding or opening the photo of a check outside it is refused or a 404.
    "moderation/",
    "moderation/<int:check_id>/",
    "moderation/<int:check_id>/photo/",
    "market/new/",
    "market/<int:listing_id>/",
    "market/<int:listing_id>/<str:fn>/",
    "m/nearby/",
    "m/sw.js",
    # 积分兑换 (tests/points): a resident's own wallet and vouchers (someone else's voucher is a
    # 404); items are district-wide; the counter and capture admit only the keepers and clerks
    # of that cabinet or merchant (403 for others, 409 for another merchant's voucher).
    "points/",
    "points/history/",
    "points/items/<int:item_id>/",
    "points/items/<int:item_id>/redeem/",
    "points/vouchers/",
    "points/vouchers/<str:code>/",
    "points/vouchers/<str:code>/cancel/",
    "points/counter/",
    "points/counter/scan/",
    "api/v1/points/items",
    "api/v1/points/redemptions",
    "api/v1/points/vouchers",
    "api/v1/points/vouchers/<code>/capture",
    "api/v1/points/vouchers/<code>/cancel",
    # The circular archive lists circulars of units the caller holds; a download outside them
    # is a 404 (tests/ops/test_circulars.py).
    "ops/circulars/",
    "ops/circulars/<int:circular_id>.<str:fmt>",
    # Making one: the unit goes through access_node (404 outside the caller's scope) and only
    # its dispatchers and administrators may (tests/ops/test_circulars_page.py).
    "ops/circulars/generate/",
    # On-demand annual assessment: the unit goes through access_node (404 outside the caller's
    # scope) and only dispatchers and administrators may run it (tests/ops/test_assessment.py).
    "ops/assessments/generate/",
    # The 城运中心 opens on the caller's own street or district; a unit code outside their scope
    # is a 404 through access_node (tests/ops/test_dashboard.py).
    "ops/",
    "ops/screen/",
    "ops/unit/<str:code>/",
    "ops/unit/<str:code>/live/",
    "ops/screen/<str:code>/",
    # 认证率: the caller's own highest unit, or a unit through access_node; the people listed
    # are persons_visible under it (tests/ops/test_reach.py, a worker of another grid: 404).
    "ops/reach/",
    # The 10-minute circle: the caller's own highest unit, households in_scope under it
    # (tests/ops/test_circle.py); counts and building addresses, no person.
    "ops/circle/",
    "api/v1/ops/circle",
    "api/v1/ops/reach",
    "api/v1/ops/reach/not-verified",
    # Exports read through case_list (cases_visible) and kpis() on an access_node unit.
    "ops/export/cases.xlsx",
    "ops/export/kpi.xlsx",
    # Department performance reads Assistance rows of cases_visible cases under an access_node
    # unit (tests/ops/test_panels.py).
    "ops/export/departments.xlsx",
    # 立即训练: the instance's category model, an administrator's alone; it reads no unit's rows
    # (tests/cases/test_learning.py: a dispatcher gets a 403).
    "ops/classifier/train/",
    # 党员双报到 (tests/party): a member acts on their own record only; staff pages list the
    # organisations whose grid node lies in the caller's subtree, and one outside it is a 404
    # (test_staff_pages_stay_inside_the_subtree).
    "party/",
    "party/declare/",
    "party/register/",
    "party/posts/<int:post_id>/claim/",
    "party/claims/<int:claim_id>/release/",
    "party/me/",
    "party/staff/",
    "party/staff/members/",
    "party/staff/members/<int:member_id>/decide/",
    "party/staff/posts/",
    "party/staff/orgs/<int:org_id>/",
    "party/staff/orgs/<int:org_id>/statement/<quarter:quarter>.<statementfmt:fmt>",
    # 五星支部 (tests/party/test_stars.py::test_staff_see_only_the_branches_of_their_subtree):
    # the branches of the caller's subtree only; another's is a 404 on every page and API route.
    "party/staff/stars/",
    "party/staff/stars/<int:org_id>/<year:year>/",
    "party/staff/stars/<int:org_id>/<year:year>/evidence/",
    "party/staff/stars/<int:org_id>/<year:year>/evidence/<int:evidence_id>/remove/",
    "party/staff/stars/<int:org_id>/<year:year>/recompute/",
    "party/staff/stars/<int:org_id>/<year:year>/confirm/",
    "api/v1/party/star-criteria",
    "api/v1/party/stars",
    "api/v1/party/stars/<int:org_id>/<int:year>",
    "api/v1/party/stars/<int:org_id>/<int:year>/evidence",
    "api/v1/party/stars/<int:org_id>/<int:year>/evidence/<int:evidence_id>",
    "api/v1/party/stars/<int:org_id>/<int:year>/recompute",
    "api/v1/party/stars/<int:org_id>/<int:year>/confirm",
    # 荣誉榜单 are public honour lists of any grid: names are masked (王*兰) for everyone but
    # the person themself, and "my rank" is the caller's own (tests/rankings).
    "rankings/",
    "api/v1/rankings",
}
# Open311 reads: the api_key's user sees only `cases_visible` (tested in tests/open311).
TOKEN_SCOPED = {
    "open311/v2/requests.<open311fmt:fmt>",
    "open311/v2/requests/<str:service_request_id>.<open311fmt:fmt>",
    "open311/v2/tokens/<str:token>.<open311fmt:fmt>",
}
# The 12345 adapter (tests/hotline): intake takes orders and the platform's messages from a
# dispatch-role token (any other account gets 403; a message acts on its order's case through
# the case loop's gate, as that account); the pages are for street dispatchers and admins only
# (a grid worker gets 403) and list what cases_visible allows; a delivery of an out-of-scope case
# is a 404.
HOTLINE_ROUTES = {
    "api/v1/hotline/orders",
    "api/v1/hotline/urges",
    "api/v1/hotline/visits",
    "api/v1/hotline/cancellations",
    "api/v1/hotline/supplements",
    "api/v1/hotline/attachments",
    "api/v1/hotline/extension-replies",
    "hotline/deliveries/",
    "hotline/deliveries/<int:delivery_id>/retry/",
    "hotline/desk/",
    # Where the intake would put the call being typed (geography read from the words, for the
    # same operators; tests/hotline/test_pages.py).
    "hotline/desk/place.json",
}

# The register of people (tests/residents/test_scope.py): every page and endpoint, for every
# role; lists go through persons_visible, a grid B person is a 404 to grid A's worker.
RESIDENT_ROUTES = {
    "residents/",
    "residents/persons/<int:person_id>/",
    "residents/persons/new/",
    "residents/persons/<int:person_id>/groups/",
    "residents/persons/<int:person_id>/security/",
    "residents/persons/<int:person_id>/reveal/<str:field>/",
    "residents/persons/<int:person_id>/move-out/",
    "residents/persons/<int:person_id>/visit/",
    "residents/visits/overdue/",
    "residents/security/",
    "residents/wishes/",
    "residents/wishes/<int:wish_id>/",
    "residents/disputes/",
    "residents/disputes/<int:dispute_id>/",
    "residents/import/",
    "residents/export/",
    "api/v1/residents/persons",
    "api/v1/residents/persons/<int:person_id>",
    "api/v1/residents/persons/<int:person_id>/visits",
    "api/v1/residents/visits/overdue",
    # Patrols (tests/patrols/test_patrols.py): a worker's own, and their grid's for leaders.
    "patrols/",
    "patrols/start/",
    "patrols/<int:patrol_id>/",
    "patrols/<int:patrol_id>/end/",
    "patrols/<int:patrol_id>/track/",
    "patrols/<int:patrol_id>/findings/",
    "api/v1/patrols",
    "api/v1/patrols/<int:patrol_id>/track",
    # A finding sent by the outbox: the patrol is the caller's own (tests/core/test_idempotency).
    "api/v1/patrols/<int:patrol_id>/findings",
    # A checklist sent by the outbox: the building resolves only inside the caller's scope.
    "api/v1/ledgers/inspections",
    # The staff service worker: a script, no data.
    "sw.js",
    # 原点在线's report helpers and pages (tests/mobile/test_resident_app.py): the caller's own
    # case confirmation (another person's is a 404), where a pin or address falls, our own map
    # base; 我的网格 shows full numbers only to that grid's residents, audited; the guide and
    # 长辈版 act on the signed-in person only.
    "m/report/address.json",
    "m/report/base.json",
    "m/report/where.json",
    "m/report/done/<int:case_id>/",
    "m/grid/",
    "m/grid/<str:code>/",
    "m/guide/",
    "m/me/elderly/",
}

# 小原帮办 (tests/assistant): a resident's own conversation only (someone else's session id is a
# 404); the knowledge base is district-wide content; the editors' pages are for admins and
# street dispatchers (403 otherwise). A hand-off's case is scoped like every other case.
ASSISTANT_ROUTES = {
    "assistant/",
    "assistant/unanswered/",
    "assistant/unanswered/add/",
    "api/v1/assistant/ask",
    "api/v1/assistant/choose",
    "api/v1/assistant/feedback",
    "api/v1/assistant/handoff",
}

# 志愿服务 (tests/volunteering/test_pages.py, test_api.py): published tasks are open to every
# signed-in resident; drafts, pending tasks and the organiser pages answer only the organiser
# and the staff whose subtree holds the task (grid B's worker gets a 404 for a grid A task);
# sign-ups, check-ins and "mine" act on the caller's own sign-up.
VOLUNTEERING_ROUTES = {
    "volunteering/",
    "volunteering/mine/",
    "volunteering/<int:task_id>/",
    "volunteering/<int:task_id>/checkin/",
    "volunteering/<int:task_id>/<str:fn>/",
    "volunteering/manage/",
    "volunteering/manage/new/",
    "volunteering/manage/<int:task_id>/",
    "volunteering/manage/<int:task_id>/edit/",
    "volunteering/manage/<int:task_id>/qr/",
    "volunteering/manage/<int:task_id>/<str:fn>/",
    "api/v1/volunteering/tasks",
    "api/v1/volunteering/tasks/<int:task_id>",
    "api/v1/volunteering/tasks/<int:task_id>/publish",
    "api/v1/volunteering/tasks/<int:task_id>/review",
    "api/v1/volunteering/tasks/<int:task_id>/cancel",
    "api/v1/volunteering/tasks/<int:task_id>/grab",
    "api/v1/volunteering/tasks/<int:task_id>/waitlist",
    "api/v1/volunteering/tasks/<int:task_id>/withdraw",
    "api/v1/volunteering/tasks/<int:task_id>/checkin",
    "api/v1/volunteering/tasks/<int:task_id>/checkout",
    "api/v1/volunteering/tasks/<int:task_id>/signups",
    "api/v1/volunteering/signups/<int:signup_id>/hours",
    "api/v1/volunteering/mine",
}

# 企业服务 (tests/enterprises/test_scope.py): an enterprise user sees only the enterprises they
# are a member of; staff those whose micro-grid or exclusive grid lies in their subtree (an
# enterprise outside is a 404); policies are district-wide content edited by admins and street
# dispatchers only (404 otherwise); contact phones are masked, reveals and full exports audited.
ENTERPRISE_ROUTES = {
    "enterprises/",
    "enterprises/<int:enterprise_id>/profile/",
    "enterprises/<int:enterprise_id>/answers/",
    "enterprises/<int:enterprise_id>/requests/new/",
    "enterprises/registry/",
    "enterprises/registry/new/",
    "enterprises/registry/export/",
    "enterprises/registry/<int:enterprise_id>/",
    "enterprises/registry/<int:enterprise_id>/reveal/",
    "enterprises/registry/<int:enterprise_id>/members/",
    "enterprises/registry/<int:enterprise_id>/visits/",
    "enterprises/visits/",
    "enterprises/policies/",
    "enterprises/policies/new/",
    "enterprises/policies/preview/",
    "enterprises/policies/<int:policy_id>/",
    "api/v1/enterprises/<int:enterprise_id>",
    "api/v1/enterprises/<int:enterprise_id>/policies",
    "api/v1/enterprises/<int:enterprise_id>/requests",
}

# Ledgers (tests/ledgers): hazard checklists, facilities and organisations are staff pages read
# through in_scope on the place's grid path (another grid's record is a 404); the 议事厅's staff
# pages list the topics of the caller's subtree, the residents' pages the topics put to the
# grids where the person lives (民意调查 alike: staff pages through in_scope, residents' through
# their home); patrol reports take a grid node through access_node.
LEDGER_ROUTES = {
    "ledgers/",  # 台账: links to the registers, nothing of a grid
    "ledgers/hazards/",
    "ledgers/hazards/new/",
    "ledgers/hazards/<int:inspection_id>/",
    "ledgers/hazards/results/<int:result_id>/report/",
    "ledgers/hazards/results/<int:result_id>/rectify/",
    "ledgers/facilities/",
    "ledgers/facilities/<int:facility_id>/status/",
    "ledgers/organisations/",
    "ledgers/topics/",
    "ledgers/topics/<int:topic_id>/",
    "ledgers/topics/<int:topic_id>/decide/",
    "ledgers/yishi/",
    "ledgers/yishi/<int:topic_id>/",
    "ledgers/yishi/<int:topic_id>/vote/",
    "ledgers/yishi/<int:topic_id>/comment/",
    "ledgers/surveys/",
    "ledgers/surveys/<int:survey_id>/",
    "ledgers/surveys/<int:survey_id>/close/",
    "ledgers/surveys/<int:survey_id>/door/",
    "ledgers/surveys/<int:survey_id>/results.xlsx",
    "ledgers/diaocha/",
    "ledgers/diaocha/<int:survey_id>/",
    "patrols/reports/",
    "patrols/reports/saved/<int:report_id>.<str:fmt>",
}


# 审计查询 (tests/audit): auditors only (403 for every other role); rows are limited to the
# people of the auditor's own subtree.
# 红色厨房 (tests/kitchen/test_rules.py::test_who_may_record_and_see and
# ::test_another_grid_sees_nothing_of_the_kitchen): enrolments, plans, alerts and figures read
# through in_scope on their own grid paths (a grid B worker gets a 404 for grid A's plan, alert
# and unit, and empty lists); a meal is recorded only by its plan's deliverers and the staff of
# its grid; the deliverer's round is the caller's own sign-ups.
KITCHEN_ROUTES = {
    "kitchen/",
    "kitchen/alerts/",
    "kitchen/alerts/<int:alert_id>/",
    "kitchen/deliveries/<int:delivery_id>/",
    "kitchen/enrol/<int:person_id>/",
    "kitchen/enrolments/",
    "kitchen/enrolments/<int:enrolment_id>/end/",
    "kitchen/figures/",
    "kitchen/plans/<int:plan_id>/",
    "kitchen/plans/new/",
    "kitchen/rounds/",
    "api/v1/kitchen/alerts",
    "api/v1/kitchen/deliveries/<int:delivery_id>",
    "api/v1/kitchen/figures",
    "api/v1/kitchen/plans",
    "api/v1/kitchen/plans/<int:plan_id>",
    "api/v1/kitchen/rounds",
}

# 共建单位 and 民生服务项目 (tests/partners/test_scope.py): units are read by those whose subtree
# they serve (a street's unit by its communities too), needs, projects and compounds through
# in_scope on their own grid paths (another community's staff get a 404 for its unit, project
# and compound, and nothing of it in the lists or 红色物业's figures); writes are the
# community's and the street's staff's, inside their subtree; a need's source is picked among
# the wishes, topics and cases the person may see.
PARTNERS_ROUTES = {
    "partners/",
    "partners/compounds/<int:compound_id>/staff/",
    "partners/needs/new/",
    "partners/projects/<int:project_id>/",
    "partners/projects/<int:project_id>/advance/",
    "partners/projects/<int:project_id>/funding/",
    "partners/projects/<int:project_id>/notes/",
    "partners/projects/new/",
    "partners/property/",
    "partners/units/<int:unit_id>/",
    "partners/units/<int:unit_id>/compounds/",
    "partners/units/<int:unit_id>/resources/",
    "partners/units/new/",
    "api/v1/partners/needs",
    "api/v1/partners/projects",
    "api/v1/partners/projects/<int:project_id>",
    "api/v1/partners/projects/<int:project_id>/advance",
    "api/v1/partners/projects/<int:project_id>/funding",
    "api/v1/partners/property",
    "api/v1/partners/units",
}

AUDIT_ROUTES = {
    "audit/",
    "audit/export.xlsx",
}

# 鹰眼 (tests/video/test_desk.py::test_others_see_no_camera_stream_or_snapshot and
# ::test_anonymous_callers_get_nothing): cameras, alerts and snapshots read through in_scope on
# the camera's grid path (a grid B worker, a resident and an outsider get 404 for grid A's
# camera and its snapshots, and none of its cameras on the layer); the stream only through the
# audited reveal. The platform's events carry no account: they are signed (tests/video).
VIDEO_ROUTES = {
    "video/alerts/",
    "video/alerts/<int:alert_id>/",
    "video/alerts/<int:alert_id>/decide/",
    "video/cameras/<int:camera_id>/",
    "video/cameras/<int:camera_id>/snapshot/",
    "video/cameras/<int:camera_id>/hold/",
    "api/v1/video/cameras.geojson",
    "api/v1/video/events",
}


def routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) == "admin/":
                continue  # the Django admin admits is_staff users only; tested on its own
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def test_every_route_is_classified() -> None:
    found = set(routes(get_resolver().url_patterns))
    unclassified = (
        found
        - NOT_GRID_SCOPED
        - set(GRID_CODE_ROUTES)
        - set(CASE_ROUTES)
        - SCOPED_LISTS
        - TOKEN_SCOPED
        - HOTLINE_ROUTES
        - ASSISTANT_ROUTES
        - RESIDENT_ROUTES
        - VOLUNTEERING_ROUTES
        - ENTERPRISE_ROUTES
        - LEDGER_ROUTES
        - AUDIT_ROUTES
        - KITCHEN_ROUTES
        - PARTNERS_ROUTES
        - VIDEO_ROUTES
        - MEDIA_ROUTES
    )
    assert not unclassified, f"classify these routes in {__name__}: {sorted(unclassified)}"


@pytest.mark.parametrize("route", sorted(GRID_CODE_ROUTES))
@pytest.mark.parametrize("code", [GRID_B, MICRO_B1])
def test_grid_a_worker_gets_nothing_of_grid_b(cast: dict[str, Any], route: str, code: str) -> None:
    client = Client()
    client.force_login(cast["worker_a"])
    resp = client.get(GRID_CODE_ROUTES[route].format(code=code))
    assert resp.status_code in (403, 404)
    body = resp.content.decode()
    assert "吴磊" not in body  # grid B's worker
    assert "B1 微网格" not in body
    # The same route works for grid B's own worker, so the refusal is the scope, not a bug.
    own = Client()
    own.force_login(cast["worker_b"])
    assert own.get(GRID_CODE_ROUTES[route].format(code=code)).status_code == 200


def test_admin_is_for_staff_accounts_only(cast: dict[str, Any]) -> None:
    worker = Client()
    worker.force_login(cast["worker_a"])
    assert worker.get("/admin/").status_code == 302  # to the admin login
    admin = Client()
    admin.force_login(cast["admin"])
    cast["admin"].is_superuser = True
    cast["admin"].save()
    page = admin.get("/admin/").content.decode()
    assert "网格 · 管理后台" in page
    assert "楼栋" in page and "角色授予" in page and "个人信息查看记录" in page


@pytest.mark.parametrize("route", sorted(CASE_ROUTES))
def test_grid_a_worker_gets_nothing_of_a_grid_b_case(cast: dict[str, Any], route: str) -> None:
    from wangge.cases.services import CaseInput, case_intake

    case, _created = case_intake(
        data=CaseInput(
            description="B网格的问题：吴磊负责",
            lon=113.607,
            lat=34.753,
            reporter_phone="13912345678",
        ),
        actor=cast["resident"],
    )
    method, template, body = CASE_ROUTES[route]
    client = Client()
    client.force_login(cast["worker_a"])
    url = template.format(id=case.pk)
    if method == "post":
        resp = client.post(url, body, content_type="application/json")
    elif method == "post-form":
        resp = client.post(url, body)
    else:
        resp = client.get(url)
    assert resp.status_code == 404
    assert "吴磊" not in resp.content.decode() and "13912345678" not in resp.content.decode()
    own = Client()
    own.force_login(cast["worker_b"])
    assert own.get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_grid_a_worker_gets_no_photo_of_a_grid_b_case(
    cast: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from wangge.cases.services import CaseInput, case_intake
    from wangge.core.images import clean_images

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (64, 48)).save(out, format="JPEG")
    case, _created = case_intake(
        data=CaseInput(description="B网格的问题", lon=113.607, lat=34.753),
        actor=cast["resident"],
        photos=clean_images([SimpleUploadedFile("p.jpg", out.getvalue())]),
    )
    att = case.attachments.get()
    for name in (att.image.name, att.thumb.name):
        client = Client()
        client.force_login(cast["worker_a"])
        assert client.get(f"/media/{name}").status_code == 404
        own = Client()
        own.force_login(cast["worker_b"])
        assert own.get(f"/media/{name}").status_code == 200


def test_kpi_page_of_another_street_is_hidden(cast: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast["worker_a"])
    # A grid worker holds no street: the KPI page of their street is not theirs to read.
    assert client.get("/cases/kpi/410102001/").status_code == 404
