"""Two sweeps at once, and the deliverer's 不在家 landing while the sweep runs: one alert per
meal, one message to the worker, one text to the contact (PostgreSQL, real parallel calls)."""

from datetime import timedelta
from typing import Any

import pytest

from tests.concurrency import POSTGRES_ONLY, run_parallel
from wangge.accounts.models import User
from wangge.kitchen.models import Alert, Outcome
from wangge.kitchen.services import delivery_record, plans_close
from wangge.notifications.models import Notification


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_sweeps_and_the_door_at_once_raise_one_alert(
    lunch: dict[str, Any], people: dict[str, User], texts: list[tuple[str, str]]
) -> None:
    later = lunch["plan"].window_end + timedelta(minutes=1)

    def call(i: int) -> Any:
        if i == 0:
            return delivery_record(
                actor=lunch["deliverer"],
                delivery_id=lunch["delivery"].pk,
                outcome=Outcome.NOT_HOME,
            )
        return plans_close(later)

    results = run_parallel(4, call)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Alert.objects.count() == 1
    assert (
        Notification.objects.filter(
            recipient=people["worker_a"], topic__startswith="kitchen-alert:"
        ).count()
        == 1
    )
    assert len(texts) == 1
    assert sum(r["closed"] for r in results if isinstance(r, dict)) == 1
