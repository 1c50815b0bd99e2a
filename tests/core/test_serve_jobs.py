"""`wangge serve` (what `make run` starts) runs the same scheduled jobs as `run_huey`.

Both are checked in fresh processes: in the test process every `tasks` module has long been
imported by other tests, which is exactly what hid a `serve` that never imported them.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(WANGGE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="wangge.settings")
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def _run_huey_registry(tmp_path: Path) -> set[str]:
    """What djhuey's run_huey registers: it calls autodiscover_modules("tasks") and nothing else."""
    code = (
        "import django; django.setup();"
        "from django.utils.module_loading import autodiscover_modules;"
        "autodiscover_modules('tasks');"
        "from huey.contrib.djhuey import HUEY; r = HUEY._registry;"
        "print('\\n'.join(r.task_to_string(t) for t in r._periodic_tasks))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {line for line in out.stdout.splitlines() if line}


def _serve_announced_jobs(tmp_path: Path) -> str:
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        assert proc.stdout is not None
        for line in proc.stdout:
            if "定时任务" in line:
                return line
            assert time.monotonic() < deadline, "serve did not start its worker"
        pytest.fail("serve exited without starting its worker")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_runs_every_periodic_job_that_run_huey_runs(tmp_path: Path) -> None:
    expected = _run_huey_registry(tmp_path)
    assert "wangge.cases.tasks.sla_sweep" in expected
    assert len(expected) >= 10

    line = _serve_announced_jobs(tmp_path)

    announced = line.split("：", 1)[1].strip().split("、")
    short = {j.removeprefix("wangge.").replace(".tasks.", ".") for j in expected}
    assert set(announced) == short
    assert f"{len(expected)} 个定时任务" in line
