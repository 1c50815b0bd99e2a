"""What the production log holds: a client's mistakes as information, each line once."""

import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_4xx_is_information_and_a_5xx_an_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="django.request")
    Client().get("/no/such/page/")
    Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wg_nonsense")
    levels = {r.getMessage().split(":")[0]: r.levelname for r in caplog.records}
    assert levels.get("Not Found") == "INFO"
    assert levels.get("Unauthorized") == "INFO", levels
    # Still written under the default level: a burst of 401s stays visible.
    assert logging.getLogger("django.request").isEnabledFor(logging.INFO)


def test_a_server_error_stays_an_error() -> None:
    from wangge.core.logging import ClientErrorsAtInfo

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, None)
    record.status_code = 500
    ClientErrorsAtInfo().filter(record)
    assert record.levelname == "ERROR"


def test_the_worker_writes_each_line_once() -> None:
    """run_huey gives the huey logger a handler of its own when it has none, and the root's
    handler then wrote every line a second time."""
    logging_config: dict[str, Any] = settings.LOGGING
    huey = logging_config["loggers"]["huey"]
    assert huey["handlers"] and huey["propagate"] is False
    assert logging.getLogger("huey").handlers, "configured: run_huey adds none"


def test_libraries_stay_at_info_when_wangge_debugs(monkeypatch: Any) -> None:
    import importlib

    import wangge.settings as module

    monkeypatch.setenv("LOG_LEVEL", "debug")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.LOGGING["loggers"]["wangge"]["level"] == "DEBUG"
        assert reloaded.LOGGING["root"]["level"] == "INFO"
    finally:
        monkeypatch.delenv("LOG_LEVEL")
        importlib.reload(module)


def test_a_library_that_debugs_by_itself_is_not_written(capsys: pytest.CaptureFixture[str]) -> None:
    import bm25s  # noqa: F401  (sets its own logger to DEBUG when imported)

    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    library = logging.LogRecord("bm25s", logging.DEBUG, __file__, 1, "Building index", None, None)
    own = logging.LogRecord("wangge.grids", logging.DEBUG, __file__, 1, "index built", None, None)
    filters = [f for f in handler.filters if isinstance(f, logging.Filter)]
    assert all(f.filter(own) for f in filters)
    assert not all(f.filter(library) for f in filters)
