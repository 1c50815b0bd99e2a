"""Pushes racing on PostgreSQL: several runs for one policy, and enterprises answering at the
same moment, still tell each enterprise once."""

from typing import Any

import pytest

from tests.concurrency import POSTGRES_ONLY, run_parallel
from wangge.enterprises.models import Policy, PolicyPush
from wangge.enterprises.services import (
    PolicyInput,
    enterprise_answer,
    policy_push,
    policy_save,
)
from wangge.notifications.models import Notification

pytestmark = [POSTGRES_ONLY, pytest.mark.django_db(transaction=True)]
QUESTION = "上年度是否有研发费用支出"


def test_parallel_pushes_and_answers_tell_each_enterprise_once(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    # A draft first (no push), then published behind the services' back, so every push below
    # starts from the same empty state and races.
    policy = policy_save(
        actor=people["admin"],
        data=PolicyInput(
            title="研发费用后补助",
            issuer="中原区科技和工业信息化局",
            benefit="按研发费用增量的 10% 后补助。",
            criteria={"questions": [QUESTION]},
        ),
    )
    for e in (firms["a"], firms["mall"]):
        e.answers = {QUESTION: True}
        e.save(update_fields=["answers"])
    Policy.objects.filter(pk=policy.pk).update(is_published=True)

    def race(i: int) -> Any:
        if i < 6:
            return policy_push(policy_id=policy.pk)
        owner, firm = (
            (firms["owner_a"], firms["a"]) if i % 2 else (firms["owner_mall"], firms["mall"])
        )
        return enterprise_answer(actor=owner, enterprise=firm, answers={QUESTION: True})

    results = run_parallel(10, race)
    assert not [r for r in results if isinstance(r, Exception)], results
    pushes = PolicyPush.objects.filter(policy=policy)
    assert sorted(pushes.values_list("enterprise_id", flat=True)) == sorted(
        [firms["a"].pk, firms["mall"].pk]
    )
    for owner in (firms["owner_a"], firms["owner_mall"]):
        assert (
            Notification.objects.filter(recipient=owner, topic=f"policy:{policy.pk}").count() == 1
        )
