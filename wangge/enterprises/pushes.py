"""惠企政策 announced to the enterprises that qualify: once per enterprise and policy version.

Used by services (a policy saved, a profile changed) and by the job for large registries."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.enterprises import criteria as crit
from wangge.enterprises import selectors
from wangge.enterprises.models import Enterprise, Policy, PolicyPush
from wangge.notifications.services import Message, notify_many

logger = logging.getLogger(__name__)


def _push_message(policy: Policy, e: Enterprise, m: crit.Match) -> Message:
    link = f"{reverse('enterprises:home')}?e={e.pk}#policy-{policy.pk}"
    body = (
        _("%(name)s符合该政策的申报条件。") % {"name": e.name}
        if m.status == crit.QUALIFIED
        else _("%(name)s可能符合该政策，尚有条件待确认。") % {"name": e.name}
    )
    if policy.auto_grant:
        body += _("该政策免申即享，无需申请。")
    return Message(
        list(e.members.all()),
        _("惠企政策：%(t)s") % {"t": policy.title},
        body,
        link,
        f"policy:{policy.pk}",
    )


def policy_push(*, policy_id: int) -> int:
    """Announce a published policy to every enterprise that qualifies under its current version
    and has not been told of it yet. The policy row is locked, so two runs (the job and a
    concurrent edit) never announce twice; returns how many enterprises were told."""
    with transaction.atomic():
        policy = Policy.objects.select_for_update().filter(pk=policy_id).first()
        if policy is None or not policy.is_published:
            return 0
        told = set(PolicyPush.objects.filter(policy=policy).values_list("enterprise_id", flat=True))
        fresh: list[tuple[Enterprise, crit.Match]] = []
        enterprises = (
            Enterprise.objects.exclude(pk__in=told).order_by("pk").prefetch_related("members")
        )
        for e, m in selectors.iter_matches(policy.criteria_dict(), enterprises):
            if m.status == crit.QUALIFIED:
                fresh.append((e, m))
        PolicyPush.objects.bulk_create(
            PolicyPush(policy=policy, enterprise=e, version=policy.version) for e, _m in fresh
        )
        notify_many(_push_message(policy, e, m) for e, m in fresh)
    if fresh:
        logger.info("policy %s v%s pushed to %d enterprises", policy_id, policy.version, len(fresh))
    return len(fresh)


def pushes_for_enterprise(e: Enterprise) -> int:
    """After a profile change: the published policies this enterprise now qualifies for and was
    never told of. Caller's transaction; each policy row is locked like policy_push does."""
    told = set(PolicyPush.objects.filter(enterprise=e).values_list("policy_id", flat=True))
    # By pk: two enterprises saved at once lock the policies they qualify for in one order.
    candidates = list(Policy.objects.filter(is_published=True).exclude(pk__in=told).order_by("pk"))
    if not candidates:
        return 0
    regions = selectors._all_regions(candidates)
    profile = selectors.profile_of(e)
    messages: list[Message] = []
    made = 0
    for p in candidates:
        m = crit.evaluate(p.criteria_dict(), profile, regions)
        if m.status != crit.QUALIFIED:
            continue
        locked = Policy.objects.select_for_update().get(pk=p.pk)
        # Checked again under the lock: a policy_push run may have told it meanwhile.
        if PolicyPush.objects.filter(policy=locked, enterprise=e).exists():
            continue
        PolicyPush.objects.create(policy=locked, enterprise=e, version=locked.version)
        messages.append(_push_message(locked, e, m))
        made += 1
    notify_many(messages)
    return made
