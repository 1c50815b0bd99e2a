"""The demo street's 认证率 and 知晓率 (ops.reach) with a history: the register was filled
months ago, residents verified on 原点在线 over the last weeks, and a grid worker asked the
standing 【知晓率】 question at the doors of their grid."""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.grids.models import GridNode
from wangge.ledgers.surveys import survey_answer_door, survey_answer_online, survey_create
from wangge.residents.models import Household, Person

# The standing question, as a street would put it (the first option counts as knowing).
AWARENESS_QUESTIONS = (
    "【知晓率】您是否知道“原点在线”？\n知道\n不知道\n\n"
    "【单选】您是从哪里知道的？（选答）\n网格员上门\n社区微信群\n邻居介绍\n其他"
)
DOOR_ANSWERS = 24
AWARE_SHARE = 0.65


@transaction.atomic
def seed_reach(*, rng: random.Random) -> int:
    """Returns how many survey answers were made."""
    now = timezone.now()
    # The register was filled ten to fourteen weeks ago, household by household.
    for household_id in Household.objects.values_list("pk", flat=True):
        Person.objects.filter(household_id=household_id).update(
            created_at=now - timedelta(days=rng.randint(70, 98))
        )
    # Residents verified over the last eight weeks, most of them recently.
    for user_id in User.objects.filter(
        is_demo=True, real_name_verified_at__isnull=False, resident_record__isnull=False
    ).values_list("pk", flat=True):
        days = min(rng.randint(0, 56), rng.randint(0, 56))
        User.objects.filter(pk=user_id).update(real_name_verified_at=now - timedelta(days=days))

    worker = (
        User.objects.filter(is_demo=True, grants__role=Role.GRID_WORKER).order_by("phone").first()
    )
    grant = worker.grants.filter(role=Role.GRID_WORKER).first() if worker else None
    if worker is None or grant is None:
        return 0
    grid: GridNode = grant.node
    survey = survey_create(
        actor=worker,
        node=grid,
        title="“原点在线”知晓情况调查",
        intro="网格员入户时询问，居民也可在线填写。",
        questions=AWARENESS_QUESTIONS,
    )
    aware_q, source_q = survey.questions.order_by("position")
    made = 0
    homes = list(
        Household.objects.filter(grid_path__startswith=grid.path)
        .select_related("building__micro_grid")
        .order_by("pk")
    )
    for home in rng.sample(homes, min(DOOR_ANSWERS, len(homes))):
        knows = rng.random() < AWARE_SHARE
        answers = {aware_q.pk: ["0" if knows else "1"]}
        if knows:
            answers[source_q.pk] = [str(rng.randint(0, 3))]
        survey_answer_door(
            actor=worker, survey=survey, building=home.building, room=home.room, answers=answers
        )
        made += 1
    # Verified residents of the grid answer online: they know it, they use it.
    online = User.objects.filter(
        Q(resident_record__grid_path__startswith=grid.path),
        is_demo=True,
        grants__role=Role.RESIDENT,
    ).distinct()
    for user in online:
        survey_answer_online(
            actor=user, survey=survey, answers={aware_q.pk: ["0"], source_q.pk: ["0"]}
        )
        made += 1
    return made
