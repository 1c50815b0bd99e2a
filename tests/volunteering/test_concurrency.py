"""抢任务 under real parallel HTTP requests on PostgreSQL: 200 residents, one 10-slot task."""

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection
from django.utils import timezone

from tests.concurrency import POSTGRES_ONLY, run_parallel
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.core.errors import Conflict
from wangge.points.services import points_budget, wallet_for
from wangge.volunteering import services
from wangge.volunteering.models import CheckIn, SignUp, Task

pytestmark = [pytest.mark.django_db(transaction=True), POSTGRES_ONLY]
RESIDENTS = 200
# The server works on this many requests at once (like gunicorn's workers × threads); the
# rest wait in the listen queue. Each request in work holds a database connection, and the
# shared test server allows 100 in all.
SERVER_THREADS = 24


class BoundedServer(ThreadedWSGIServer):
    request_queue_size = 512

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = threading.BoundedSemaphore(SERVER_THREADS)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.slots.acquire()
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = BoundedServer(("127.0.0.1", 0), QuietHandler)
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_two_hundred_residents_grab_a_ten_slot_task(
    cast: dict[str, User], make_task: Callable[..., Task], server: str
) -> None:
    start = timezone.now() + timedelta(days=1)
    task = make_task(cast["community"], slots=10, starts_at=start)
    keys = []
    for i in range(RESIDENTS):
        person = User.objects.create(phone=f"1371000{i:04d}", name=f"居民{i}")
        keys.append(api_token_create(user=person, name="app")[1])
    url = f"{server}/api/v1/volunteering/tasks/{task.pk}/grab"
    barrier = threading.Barrier(RESIDENTS)

    def grab(i: int) -> httpx.Response:
        barrier.wait()  # all two hundred leave together
        return httpx.post(url, headers={"Authorization": f"Bearer {keys[i]}"}, timeout=120)

    with ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
        responses = list(pool.map(grab, range(RESIDENTS)))

    assert Counter(r.status_code for r in responses) == {201: 10, 409: 190}
    refusals = {r.json()["detail"] for r in responses if r.status_code == 409}
    assert refusals == {"名额已满，可以排队候补"}
    task.refresh_from_db()
    assert task.taken == 10
    assert SignUp.objects.filter(task=task, status=SignUp.Status.SIGNED).count() == 10
    winners = {r.json()["id"] for r in responses if r.status_code == 201}
    assert winners == set(SignUp.objects.filter(task=task).values_list("pk", flat=True))

    # A winner asking again gets the same sign-up back with 200, not a second slot.
    again = httpx.post(url, headers={"Authorization": f"Bearer {keys[0]}"}, timeout=30)
    won = responses[0].status_code == 201  # resident 0 either won or was refused
    assert again.status_code == (200 if won else 409)
    if won:
        assert again.json()["id"] == responses[0].json()["id"]


def test_one_person_grabbing_overlapping_tasks_at_once_gets_one(
    cast: dict[str, User], make_task: Callable[..., Task]
) -> None:
    start = timezone.now() + timedelta(days=1)
    tasks = [
        make_task(cast["community"], title=f"任务{i}", starts_at=start + timedelta(minutes=i))
        for i in range(8)
    ]
    person = cast["resident"]

    def grab(i: int) -> object:
        return services.task_grab(task_id=tasks[i].pk, user=person)

    results = run_parallel(len(tasks), grab)
    assert sum(1 for r in results if isinstance(r, tuple)) == 1
    assert all(
        isinstance(r, Conflict) and "时间冲突" in r.message
        for r in results
        if not isinstance(r, tuple)
    )
    assert SignUp.objects.filter(user=person, status="signed").count() == 1


def test_confirming_hours_from_two_screens_at_once_pays_once(
    cast: dict[str, User], make_task: Callable[..., Task]
) -> None:
    now = timezone.now()
    task = make_task(
        cast["community"],
        status=Task.Status.ONGOING,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
    )
    task.issuer = services._issuer_for(task)
    task.save()
    points_budget(issuer=task.issuer, amount=100, key="budget")
    signup = SignUp.objects.create(task=task, user=cast["resident"])
    CheckIn.objects.create(
        signup=signup,
        day=timezone.localdate(now),
        checked_in_at=task.starts_at,
        checked_out_at=task.ends_at,
        method="qr",
    )

    def confirm(_i: int) -> object:
        return services.hours_decide(
            signup_id=signup.pk, actor=cast["community"], decision="confirmed"
        )

    results = run_parallel(10, confirm)
    assert all(isinstance(r, SignUp) for r in results), results
    assert wallet_for(cast["resident"]).balance == 20
    assert signup.decisions.count() == 1


def test_certifying_hours_while_the_task_is_cancelled_answers_both_without_a_deadlock(
    cast: dict[str, User],
    make_task: Callable[..., Task],
    server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The organiser cancels the task on one screen while a colleague certifies a volunteer's
    hours on another. The cancel holds the task and is about to close its sign-ups when the
    certification arrives: it must wait for the task, not hold the sign-up the cancel needs
    next (PostgreSQL would abort one of the two after a second, and the person would read
    "数据库暂时不可用")."""
    now = timezone.now()
    task = make_task(
        cast["community"],
        status=Task.Status.ONGOING,
        starts_at=now - timedelta(hours=3),
        ends_at=now + timedelta(hours=1),
    )
    signup = SignUp.objects.create(task=task, user=cast["resident"])
    CheckIn.objects.create(
        signup=signup,
        day=timezone.localdate(now),
        checked_in_at=task.starts_at,
        checked_out_at=now - timedelta(hours=1),
        method="qr",
    )
    canceller = api_token_create(user=cast["community"], name="desk")[1]
    certifier = api_token_create(user=cast["admin"], name="desk")[1]

    task_locked = threading.Event()
    transition = services._transition

    def cancel_step(task: Task, to: str, **kw: Any) -> None:
        # task_cancel holds the task's row here; it goes on to its sign-ups once the other
        # request waits on a lock this transaction holds.
        if to == Task.Status.CANCELLED:
            task_locked.set()
            waited_on_me = (
                "SELECT count(*) FROM pg_locks WHERE NOT granted"
                " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            deadline = time.monotonic() + 20
            with connection.cursor() as cursor:
                while time.monotonic() < deadline:
                    cursor.execute(waited_on_me)
                    if cursor.fetchone()[0]:
                        break
                    time.sleep(0.02)
        transition(task, to, **kw)

    monkeypatch.setattr(services, "_transition", cancel_step)

    def cancel() -> httpx.Response:
        return httpx.post(
            f"{server}/api/v1/volunteering/tasks/{task.pk}/cancel",
            json={"reason": "暴雨预警，活动取消"},
            headers={"Authorization": f"Bearer {canceller}"},
            timeout=60,
        )

    def certify() -> httpx.Response:
        assert task_locked.wait(20)
        return httpx.post(
            f"{server}/api/v1/volunteering/signups/{signup.pk}/hours",
            json={"decision": "confirmed"},
            headers={"Authorization": f"Bearer {certifier}"},
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        cancelled, certified = pool.submit(cancel), pool.submit(certify)
        cancel_answer, certify_answer = cancelled.result(), certified.result()

    assert cancel_answer.status_code == 200, cancel_answer.text
    assert cancel_answer.json()["status"] == Task.Status.CANCELLED
    assert certify_answer.status_code == 409, certify_answer.text
    assert certify_answer.json() == {"detail": "任务已取消"}
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CANCELLED
    assert not signup.decided
    assert wallet_for(cast["resident"]).balance == 0
