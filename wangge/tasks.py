"""Job queue setup: huey on SQLite by default, on Redis when REDIS_URL is set (see settings).

Apps declare their own jobs in `<app>/tasks.py` with `huey.contrib.djhuey` decorators; djhuey
imports those modules when the consumer starts.
"""

from huey.contrib.djhuey import HUEY

__all__ = ["HUEY"]
