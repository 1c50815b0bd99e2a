"""Database aliases: writes and ordinary reads on the primary; heavy reports on a replica.

Dashboards, KPI pages and rankings tolerate a second of replication lag and are the heaviest
reads, so they ask `report_alias()` and read there. Everything else — and everything that must
see its own writes — stays on "default". Without DATABASE_REPLICA_URL the two are the same.
"""

from typing import Any

from django.conf import settings

REPLICA = "replica"


def report_alias() -> str:
    enabled = getattr(settings, "REPORT_REPLICA_ENABLED", False)
    return REPLICA if enabled and REPLICA in settings.DATABASES else "default"


class PrimaryReplicaRouter:
    """Never writes or migrates through the replica alias; relations across aliases are fine
    because both hold the same data."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return None  # the default unless a query asks for the replica with .using()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
