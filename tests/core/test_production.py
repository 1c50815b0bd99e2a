"""Production mode: the deploy check is clean with the documented settings, secrets come only
from the environment, logs never carry personal data in clear, and the health endpoint tells."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from wangge.core.logging import JsonFormatter, RedactPersonalData, redact

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WANGGE_"))}
    env.update(
        WANGGE_ENV="production",
        SECRET_KEY="k" * 10 + "-a-long-random-secret-for-the-deploy-check-0123456789",
        PII_KEY=Fernet.generate_key().decode(),
        PII_HASH_KEY="hash-key-for-tests",
        ALLOWED_HOSTS="wangge.example.cn",
        CSRF_TRUSTED_ORIGINS="https://wangge.example.cn",
        WANGGE_VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_documented_settings(tmp_path: Path) -> None:
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "PII_KEY", "PII_HASH_KEY"])
def test_production_refuses_to_start_without_secrets(tmp_path: Path, missing: str) -> None:
    env = production_env(tmp_path)
    del env[missing]
    result = manage(env, "check")
    assert result.returncode != 0
    assert f"{missing} must be set when WANGGE_ENV=production" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证 410102195003070029 的居民", "身份证 410102********0029 的居民"),
        ("电话13812345678已联系", "电话138****5678已联系"),
        ("座机 0371-67891234", "座机 0371****1234"),
        ("编号 20261121000123 不是电话", "编号 20261121000123 不是电话"),
    ],
)
def test_personal_data_is_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_log_records_and_tracebacks_are_redacted() -> None:
    logger = logging.getLogger("wangge.test.redact")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(RedactPersonalData())
    logger.addHandler(handler)
    try:
        logger.warning("回访 %s 失败", "13812345678")
        try:
            raise ValueError("bad id 410102195003070029")
        except ValueError:
            logger.exception("import failed")
    finally:
        logger.removeHandler(handler)
    assert records[0].getMessage() == "回访 138****5678 失败"
    formatted = JsonFormatter().format(records[1])
    assert "410102195003070029" not in formatted
    assert "410102********0029" in formatted
    assert json.loads(formatted)["level"] == "ERROR"


def test_health_endpoint(db: Any) -> None:
    resp = Client().get("/healthz")
    body = resp.json()
    assert resp.status_code == 200
    assert (
        body["status"] == "ok"
        and body["checks"]["database"]["ok"]
        and body["checks"]["queue"]["ok"]
    )


def test_health_endpoint_reports_a_dead_database(db: Any) -> None:
    with mock.patch("wangge.core.health.connections") as conns:
        conns.__getitem__.return_value.cursor.side_effect = OSError("connection refused")
        resp = Client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["database"] == {"ok": False}
    assert "refused" not in resp.content.decode()


def test_collectstatic_builds_the_manifest_production_serves(tmp_path: Path) -> None:
    """Without the manifest every production page is a 500: the hashed-name storage must be
    able to process every vendored file (a .js naming a source map that is not there fails)."""
    result = manage(production_env(tmp_path), "collectstatic", "--noinput")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "vendor/leaflet/leaflet.js" in manifest["paths"]
    assert "css/wangge.css" in manifest["paths"]


def test_the_gunicorn_settings_load_as_the_systemd_unit_names_them() -> None:
    from wangge import gunicorn_conf

    assert gunicorn_conf.preload_app is True
    assert gunicorn_conf.reuse_port is True
    assert gunicorn_conf.threads == 2
    assert gunicorn_conf.logger_class == "wangge.core.logging.RedactingGunicornLogger"
    # Closes a connection whose body was left unread; refuses in Chinese (test_gunicorn_worker).
    assert gunicorn_conf.worker_class == "wangge.core.gunicorn_worker.ThreadWorker"
    unit = (ROOT / "deploy" / "wangge-web.service").read_text()
    assert "-c python:wangge.gunicorn_conf wangge.wsgi" in unit


def test_the_access_log_is_nginxs_with_the_applications_time(monkeypatch: Any) -> None:
    """Behind nginx gunicorn writes no access log of its own; nginx's line keeps what
    gunicorn's said (the application's time too). WEB_ACCESS_LOG turns gunicorn's back on."""
    import importlib

    from wangge import gunicorn_conf

    monkeypatch.delenv("WEB_ACCESS_LOG", raising=False)
    assert importlib.reload(gunicorn_conf).accesslog is None
    monkeypatch.setenv("WEB_ACCESS_LOG", "-")
    assert importlib.reload(gunicorn_conf).accesslog == "-"
    monkeypatch.setenv("WEB_ACCESS_LOG", "OFF")
    assert importlib.reload(gunicorn_conf).accesslog is None
    monkeypatch.delenv("WEB_ACCESS_LOG")
    importlib.reload(gunicorn_conf)
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    log_format = nginx.split("log_format wangge", 1)[1].split(";", 1)[0]
    assert "$upstream_response_time" in log_format and "$status" in log_format
    assert "access_log /var/log/nginx/wangge.access.log wangge;" in nginx
