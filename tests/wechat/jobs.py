"""The job queue's scheduler, as the consumer would run it later: tests run in huey's immediate
mode, where a retried or postponed job waits in the schedule until something runs it."""

from datetime import UTC, datetime, timedelta

import time_machine
from huey.contrib.djhuey import HUEY


def run_due() -> int:
    """Run every scheduled job due by now (once each); returns how many ran."""
    moment = datetime.now(UTC).replace(tzinfo=None)  # huey's clock: naive UTC
    due = HUEY.read_schedule(moment)
    for task in due:
        HUEY.execute(task, moment)
    return len(due)


def drain(*, step: float = 15, limit: int = 1000) -> int:
    """Let the clock run on, `step` seconds at a time, running what falls due, until no job is
    left; returns how many ran. A job still asking to be retried after `limit` steps fails."""
    start = datetime.now(UTC)
    ran = 0
    for i in range(1, limit):
        if not HUEY.scheduled_count():
            return ran
        with time_machine.travel(start + timedelta(seconds=step * i), tick=False):
            ran += run_due()
    raise AssertionError("jobs are still scheduled")
