"""Job queue setup: huey on SQLite by default, on Redis when REDIS_URL is set (see settings).

Apps declare their own jobs in `<app>/tasks.py` with `huey.contrib.djhuey` decorators. A job
exists for the consumer only once its module is imported: `load_jobs` is the one place that
imports them, for the in-process worker of `wangge serve` exactly as djhuey's `run_huey` does
(`autodiscover_modules("tasks")`), so both run the same periodic jobs.
"""

from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

__all__ = ["HUEY", "load_jobs", "periodic_job_names"]


def load_jobs() -> list[str]:
    """Import every app's `tasks` module; return the names of the periodic jobs now known."""
    autodiscover_modules("tasks")
    return periodic_job_names()


def periodic_job_names() -> list[str]:
    registry = HUEY._registry
    return sorted(registry.task_to_string(task) for task in registry._periodic_tasks)
