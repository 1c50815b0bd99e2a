"""A new or changed policy reaches the enterprises that newly qualify — once per version, and an
enterprise already told is not told again."""

from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import GRID_A
from wangge.enterprises.models import Policy, PolicyPush
from wangge.enterprises.services import (
    EnterpriseInput,
    PolicyInput,
    enterprise_answer,
    enterprise_update,
    policy_push,
    policy_save,
)
from wangge.notifications.models import Notification

pytestmark = pytest.mark.django_db


def policy_input(**kw: Any) -> PolicyInput:
    values: dict[str, Any] = {
        "title": "小微企业稳岗补贴",
        "issuer": "中原区人力资源和社会保障局",
        "benefit": "按上年度参保人数每人 500 元给予稳岗补贴。",
        "criteria": {"sizes": ["small", "micro"]},
        "is_published": True,
    }
    values.update(kw)
    return PolicyInput(**values)


def inbox(user: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_publishing_tells_the_enterprises_that_qualify(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    policy = policy_save(actor=people["admin"], data=policy_input())
    assert inbox(firms["owner_a"]) == ["惠企政策：小微企业稳岗补贴"]
    assert inbox(firms["owner_mall"]) == ["惠企政策：小微企业稳岗补贴"]
    told = set(PolicyPush.objects.filter(policy=policy).values_list("enterprise__name", flat=True))
    assert firms["b"].name not in told  # a medium enterprise does not qualify
    body = Notification.objects.get(recipient=firms["owner_a"]).body
    assert "符合该政策的申报条件" in body


def test_a_draft_is_not_pushed(people: dict[str, Any], firms: dict[str, Any]) -> None:
    policy_save(actor=people["admin"], data=policy_input(is_published=False))
    assert inbox(firms["owner_a"]) == []


def test_saving_or_pushing_again_does_not_tell_anyone_twice(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    policy = policy_save(actor=people["admin"], data=policy_input())
    policy_save(actor=people["admin"], data=policy_input(), policy=policy)  # nothing changed
    assert Policy.objects.get(pk=policy.pk).version == 1
    assert policy_push(policy_id=policy.pk) == 0
    assert inbox(firms["owner_a"]) == ["惠企政策：小微企业稳岗补贴"]


def test_a_changed_policy_reaches_only_the_newly_qualified(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    policy = policy_save(actor=people["admin"], data=policy_input())
    policy_save(
        actor=people["admin"],
        data=policy_input(criteria={"sizes": ["small", "micro", "medium"]}),
        policy=policy,
    )
    policy.refresh_from_db()
    assert policy.version == 2
    assert inbox(firms["owner_a"]) == ["惠企政策：小微企业稳岗补贴"]  # told of v1 already
    pushes = PolicyPush.objects.filter(policy=policy).order_by("version", "enterprise__name")
    assert [(p.enterprise.name, p.version) for p in pushes][-1] == ("桐柏路数码科技有限公司", 2)


def test_an_enterprise_that_comes_to_qualify_is_told_then(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    policy_save(
        actor=people["admin"],
        data=policy_input(
            title="研发费用后补助",
            criteria={"sizes": ["small"], "questions": [{"text": "上年度是否有研发投入"}]},
        ),
    )
    assert inbox(firms["owner_a"]) == []  # 待确认 is not enough to be told
    enterprise_answer(
        actor=firms["owner_a"], enterprise=firms["a"], answers={"上年度是否有研发投入": True}
    )
    assert inbox(firms["owner_a"]) == ["惠企政策：研发费用后补助"]
    # Answering again changes nothing: no second message.
    enterprise_answer(
        actor=firms["owner_a"], enterprise=firms["a"], answers={"上年度是否有研发投入": True}
    )
    assert inbox(firms["owner_a"]) == ["惠企政策：研发费用后补助"]


def test_a_profile_change_pushes_once(people: dict[str, Any], firms: dict[str, Any]) -> None:
    policy_save(
        actor=people["admin"],
        data=policy_input(title="专精特新奖励", criteria={"tags_all": ["专精特新"]}),
    )
    a = firms["a"]
    data = EnterpriseInput(
        name=a.name,
        uscc=a.uscc,
        industry=a.industry,
        size=a.size,
        founded_on=a.founded_on,
        revenue_band=a.revenue_band,
        headcount=a.headcount,
        tags=["高新技术企业", "专精特新"],
        address=a.address,
        contact_name=a.contact_name,
        contact_phone=a.contact_phone,
    )
    enterprise_update(actor=firms["owner_a"], enterprise=a, data=data)
    enterprise_update(actor=firms["owner_a"], enterprise=a, data=data)
    assert inbox(firms["owner_a"]) == ["惠企政策：专精特新奖励"]


@override_settings(ENTERPRISE_PUSH_INLINE_LIMIT=1)
def test_a_large_registry_is_pushed_by_the_job_queue_after_commit(
    people: dict[str, Any], firms: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        policy = policy_save(actor=people["admin"], data=policy_input(criteria={}))
        assert inbox(firms["owner_a"]) == []  # not inside the saving request
    assert len(callbacks) == 1
    callbacks[0]()  # huey runs immediately in tests
    assert PolicyPush.objects.filter(policy=policy).count() == 3
    assert inbox(firms["owner_a"]) == ["惠企政策：小微企业稳岗补贴"]


def test_only_editors_may_save_policies(people: dict[str, Any], firms: dict[str, Any]) -> None:
    from wangge.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        policy_save(actor=people["worker_a"], data=policy_input())
    with pytest.raises(PermissionDenied):
        policy_save(actor=firms["owner_a"], data=policy_input())


def test_region_criterion_uses_the_grid_tree(people: dict[str, Any], firms: dict[str, Any]) -> None:
    policy = policy_save(
        actor=people["admin"],
        data=policy_input(title="第1网格楼宇经济扶持", criteria={"regions": [GRID_A]}),
    )
    told = set(PolicyPush.objects.filter(policy=policy).values_list("enterprise_id", flat=True))
    # The mall's exclusive grid overlaps micro-grid A2, so it lies in grid A as well; B does not.
    assert told == {firms["a"].pk, firms["mall"].pk}


def test_the_policy_list_shows_each_policy_with_its_pushes_in_few_queries(
    people: dict[str, Any], firms: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from django.test import Client

    policy_save(actor=people["admin"], data=policy_input())
    policy_save(
        actor=people["admin"], data=policy_input(title="科技型企业研发补助", is_published=False)
    )
    c = Client()
    c.force_login(people["admin"])
    c.get("/enterprises/policies/")  # warm the session and the caches
    # The page of policies with their pushes, and the count for the pager's total (3), on top
    # of what every staff page costs whatever it lists: session, user, roles, unread count, and
    # the nav's grants and nodes (6). None of it grows with the number of policies.
    with django_assert_max_num_queries(9):
        page = c.get("/enterprises/policies/").content.decode()
    rows = page.split("<tr>")
    published = next(r for r in rows if "小微企业稳岗补贴" in r)
    draft = next(r for r in rows if "科技型企业研发补助" in r)
    # The small and the micro enterprise were told; the draft reached nobody.
    assert "已发布" in published and "<td>2</td>" in published
    assert "草稿" in draft and "<td>0</td>" in draft
