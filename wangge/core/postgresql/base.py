"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django asks a persistent connection `SELECT 1` at the first query of
every request, so that a connection PostgreSQL dropped (a restart, a failover) is replaced
before the request uses it instead of failing it. That is one more round trip on every request:
on the two-core machine of docs/benchmarks.md it was a quarter of the cost of answering the 190
people who come too late to a 抢任务.

A connection that is idle between requests has nothing to read. When the server goes away it
says so — PostgreSQL sends "terminating connection" to every client on shutdown, and a dead
server's socket reads as closed — so a zero-timeout poll of the socket tells the same thing
without asking the server. A server that vanished without a word (a cable cut) is not seen
here; the request's first query then fails, is answered 503, and the connection is replaced
after it, as without health checks.
"""

import select
from typing import Any

from django.db.backends.postgresql import base, operations
from psycopg.types import numeric

# What each integer type Django gives a parameter can hold.
_HOLDS = {numeric.Int2: 2**15, numeric.Int4: 2**31, numeric.Int8: 2**63}
# The plan cache modes a request may ask for (wangge.core.db.PlansForTheRequestMiddleware).
_FORCED = "force_custom_plan"
_PLAN_MODES = frozenset({"auto", _FORCED})


class DatabaseOperations(operations.DatabaseOperations):
    def adapt_integerfield_value(self, value: Any, internal_type: str) -> Any:
        """Django types an integer parameter by its field: Int4 for an IntegerField, which is
        also what a bare number in an expression gets (`F("balance") + amount` resolves
        `amount` as an IntegerField). With server-side binding psycopg sends those four bytes,
        so 3,000,000,000 added to a bigint balance arrived as -1,294,967,296, silently. A
        number too wide for the type Django chose goes as a bigint (or, wider still, as
        numeric): added to a bigint column it is exact; written to a narrower column,
        PostgreSQL refuses it ("integer out of range")."""
        adapted = super().adapt_integerfield_value(value, internal_type)
        holds = _HOLDS.get(type(adapted))
        if holds is None or -holds <= value < holds:
            return adapted
        return numeric.Int8(value) if -(2**63) <= value < 2**63 else value


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        # poll(), not select(): select() cannot watch a descriptor numbered 1024 or more, which
        # a busy worker's connections can reach.
        poller = select.poll()
        try:
            poller.register(conn.fileno(), select.POLLIN)
            return not poller.poll(0)
        except (OSError, ValueError):
            return False

    # The open connection's `plan_cache_mode`: as the options start every connection
    # (settings), until a write request asks for `auto`.
    _plan_mode = _FORCED

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        self._plan_mode = _FORCED
        return super().get_new_connection(conn_params)

    def use_plan_mode(self, mode: str) -> None:
        """Put the open connection's `plan_cache_mode` to `mode` ("auto" or
        "force_custom_plan"), with one `SET` only when it changes.

        Not inside a transaction, where a rollback would undo the `SET` without this wrapper
        knowing (the request middleware calls it before the view opens any), and not where
        preparing is off (a pooler in transaction mode would carry the `SET` to another
        client)."""
        if mode not in _PLAN_MODES:
            raise ValueError(mode)
        options = str(self.settings_dict.get("OPTIONS", {}).get("options", ""))
        if self.in_atomic_block or f"plan_cache_mode={_FORCED}" not in options:
            return
        if self.connection is None:
            if mode == _FORCED:
                return  # a new connection starts so
            self.ensure_connection()
        if self._plan_mode == mode:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(f"SET plan_cache_mode = {mode}")
        self._plan_mode = mode
