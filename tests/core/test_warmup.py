"""Warm start: the indexes are built when the application loads, and a failing step never
stops a process from serving."""

import logging

import pytest

from wangge.core import warmup
from wangge.grids import indexes


@pytest.mark.django_db
def test_every_app_that_builds_an_index_registers_it() -> None:
    assert {"grids", "cases", "assistant"} <= set(warmup.steps())


@pytest.mark.django_db
def test_warm_up_builds_the_grid_indexes(monkeypatch: pytest.MonkeyPatch, cast: object) -> None:
    indexes.invalidate()
    built: list[str] = []
    real = indexes._address_index._build
    monkeypatch.setattr(indexes._address_index, "_build", lambda: built.append("x") or real())

    timings = warmup.warm_up()

    assert built == ["x"]
    assert set(timings) >= {"grids", "cases", "assistant"}
    # Already built: a request right after the warm-up builds nothing again.
    indexes.address_index()
    assert built == ["x"]


@pytest.mark.django_db
def test_a_failing_step_is_logged_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("index table missing")

    monkeypatch.setattr(warmup, "_steps", {"broken": broken, "fine": lambda: ran.append("fine")})
    with caplog.at_level(logging.ERROR, logger="wangge.core.warmup"):
        timings = warmup.warm_up()

    assert ran == ["fine"]
    assert list(timings) == ["fine"]
    assert "broken" in caplog.text
