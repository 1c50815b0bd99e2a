"""议事厅: staff put a topic to a grid, its residents comment and vote once each, staff publish the
decision; residents elsewhere see nothing of it."""

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tests.concurrency import POSTGRES_ONLY, run_parallel
from tests.conftest import GRID_A, GRID_B, MICRO_B1
from wangge.accounts.models import Role, User
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.grids.models import GridNode
from wangge.ledgers.models import Topic, TopicVote
from wangge.ledgers.services import topic_comment, topic_create, topic_decide, topic_vote


@pytest.fixture
def topic(people: dict[str, User]) -> Topic:
    return topic_create(
        actor=people["worker_a"],
        node=GridNode.objects.get(code=GRID_A),
        title="百花里是否加装电动车充电桩",
        body="拟在 3 号楼北侧空地建 20 口充电桩，请大家发表意见。",
    )


def test_one_person_one_vote(people: dict[str, User], topic: Topic) -> None:
    resident = people["resident"]
    vote = topic_vote(actor=resident, topic=topic, choice="for")
    assert vote.get_choice_display() == "赞成"
    with pytest.raises(Conflict, match="每人只能投一票"):
        topic_vote(actor=resident, topic=topic, choice="against")
    assert TopicVote.objects.get().choice == "for"
    # The database holds the rule even for a write that skips the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicVote.objects.create(topic=topic, voter=resident, choice="against")
    with pytest.raises(ValidationFailed):
        topic_vote(actor=resident, topic=topic, choice="maybe")


def test_only_residents_of_the_grid_take_part(
    people: dict[str, User], make_user: Any, topic: Topic
) -> None:
    neighbour_b = make_user(Role.RESIDENT, GridNode.objects.get(code=MICRO_B1), name="郑红")
    for outsider in (neighbour_b, people["outsider"], people["worker_a"]):
        with pytest.raises(PermissionDenied):
            topic_vote(actor=outsider, topic=topic, choice="for")
        with pytest.raises(PermissionDenied):
            topic_comment(actor=outsider, topic=topic, body="我也说两句")
    assert not TopicVote.objects.exists()
    with pytest.raises(PermissionDenied):
        topic_create(
            actor=people["worker_a"], node=GridNode.objects.get(code=GRID_B), title="x", body="y"
        )
    with pytest.raises(PermissionDenied):
        topic_create(
            actor=people["resident"], node=GridNode.objects.get(code=GRID_A), title="x", body="y"
        )


def test_decision_closes_the_topic(people: dict[str, User], topic: Topic) -> None:
    topic_comment(actor=people["resident"], topic=topic, body="支持，楼道里不再停车了")
    with pytest.raises(PermissionDenied):
        topic_decide(actor=people["worker_b"], topic=topic, decision="同意")
    with pytest.raises(ValidationFailed):
        topic_decide(actor=people["worker_a"], topic=topic, decision=" ")
    decided = topic_decide(
        actor=people["worker_a"], topic=topic, decision="同意建设，11 月底前完工"
    )
    assert decided.status == "decided" and decided.decided_by == people["worker_a"]
    with pytest.raises(Conflict):
        topic_decide(actor=people["worker_a"], topic=topic, decision="再议")
    with pytest.raises(Conflict, match="已公布决定"):
        topic_vote(actor=people["resident"], topic=topic, choice="for")
    with pytest.raises(Conflict):
        topic_comment(actor=people["resident"], topic=topic, body="晚了")


def test_resident_pages(people: dict[str, User], make_user: Any, topic: Topic) -> None:
    client = Client()
    client.force_login(people["resident"])
    assert "议事厅" in client.get("/m/me/").content.decode()
    listing = client.get("/ledgers/yishi/").content.decode()
    assert "百花里是否加装电动车充电桩" in listing
    resp = client.post(f"/ledgers/yishi/{topic.pk}/vote/", {"choice": "for"}, follow=True)
    body = resp.content.decode()
    assert "投票成功" in body and "您已投票：赞成" in body
    resp = client.post(f"/ledgers/yishi/{topic.pk}/vote/", {"choice": "against"}, follow=True)
    assert "每人只能投一票" in resp.content.decode()
    client.post(f"/ledgers/yishi/{topic.pk}/comment/", {"body": "建议加装雨棚"})
    page = client.get(f"/ledgers/yishi/{topic.pk}/").content.decode()
    assert "建议加装雨棚" in page and "王**" in page and "王秀兰" not in page
    assert TopicVote.objects.get().choice == "for"
    # A resident of grid B neither sees nor reaches the topic.
    neighbour_b = make_user(Role.RESIDENT, GridNode.objects.get(code=MICRO_B1), name="郑红")
    other = Client()
    other.force_login(neighbour_b)
    assert "百花里是否加装" not in other.get("/ledgers/yishi/").content.decode()
    assert other.get(f"/ledgers/yishi/{topic.pk}/").status_code == 404
    assert other.post(f"/ledgers/yishi/{topic.pk}/vote/", {"choice": "for"}).status_code == 404
    assert TopicVote.objects.count() == 1


def test_staff_pages(people: dict[str, User], topic: Topic) -> None:
    topic_vote(actor=people["resident"], topic=topic, choice="against")
    staff = Client()
    staff.force_login(people["worker_a"])
    page = staff.get(f"/ledgers/topics/{topic.pk}/").content.decode()
    assert "表决情况（共 1 票）" in page
    resp = staff.post(f"/ledgers/topics/{topic.pk}/decide/", {"decision": "暂缓，再征求意见"})
    assert resp.status_code == 302
    resp = staff.post("/ledgers/topics/", {"node": GRID_B, "title": "B 网格议题", "body": "说明"})
    assert resp.status_code == 422 and "请选择您管辖范围内的网格" in resp.content.decode()
    other = Client()
    other.force_login(people["worker_b"])
    assert other.get(f"/ledgers/topics/{topic.pk}/").status_code == 404
    assert other.post(f"/ledgers/topics/{topic.pk}/decide/", {"decision": "x"}).status_code == 404
    assert "百花里是否加装" not in other.get("/ledgers/topics/").content.decode()
    resident = Client()
    resident.force_login(people["resident"])
    assert resident.get("/ledgers/topics/").status_code == 404
    page = resident.get(f"/ledgers/yishi/{topic.pk}/").content.decode()
    assert "暂缓，再征求意见" in page and 'id="vote-form"' not in page


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_parallel_votes_of_one_person_count_once(cast: dict[str, User]) -> None:
    topic = topic_create(
        actor=cast["worker_a"],
        node=GridNode.objects.get(code=GRID_A),
        title="楼道灯改声控",
        body="说明",
    )
    resident = cast["resident"]
    results = run_parallel(
        20, lambda n: topic_vote(actor=resident, topic=topic, choice=("for", "against")[n % 2])
    )
    votes = [r for r in results if isinstance(r, TopicVote)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert (len(votes), len(refused)) == (1, 19)
    assert TopicVote.objects.filter(topic=topic).count() == 1
    assert TopicVote.objects.get().choice == votes[0].choice


def test_staff_list_shows_the_topics_of_their_grids(people: dict[str, User], topic: Topic) -> None:
    staff = Client()
    staff.force_login(people["community"])
    listing = staff.get("/ledgers/topics/").content.decode()
    assert "百花里是否加装电动车充电桩" in listing and "议事中" in listing
    assert "碧沙岗第1网格" in listing and "已公布决定" not in listing
    topic_vote(actor=people["resident"], topic=topic, choice="against")
    topic_decide(actor=people["community"], topic=topic, decision="暂缓建设")
    assert "已公布决定" in staff.get("/ledgers/topics/").content.decode()
    detail = staff.get(f"/ledgers/topics/{topic.pk}/").content.decode()
    assert "暂缓建设" in detail and "反对" in detail
