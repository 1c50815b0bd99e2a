"""Model instances from a written-out SELECT, without `Manager.raw()`'s work on every query.

`raw()` matches the cursor's column names to the model's fields and looks up each field's
converters anew for every query it runs: for the intake's two written-out lookups of people
(the least-loaded handler, a desk's handlers) that cost more CPU than composing, sending and
reading the query. Here the select list is fixed (every concrete field, in the model's order)
and the converters are found once per database connection alias, then each row becomes an
instance through `Model.from_db`, as the ORM's own iterator makes it.
"""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


class Reader(Generic[M]):
    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]

    def select_list(self, table_alias: str) -> str:
        """`alias.col1, alias.col2, …`: what a SELECT read by `rows` must list, in this order."""
        qn = connections[router.db_for_read(self.model)].ops.quote_name
        return ", ".join(f"{table_alias}.{qn(str(f.column))}" for f in self.fields)

    def rows(self, sql: str, params: Sequence[Any]) -> list[M]:
        """The instances for the rows `sql` (selecting `select_list`) answers."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        converters = _converters(self, alias)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        result = []
        for row in found:
            if converters:
                values = list(row)
                for i, convert in converters:
                    values[i] = convert(values[i], None, connection)
                row = tuple(values)
            result.append(self.model.from_db(alias, self.attnames, row))
        return result


@cache
def _converters(reader: Reader[Any], alias: str) -> list[tuple[int, Callable[..., Any]]]:
    """The backend's and each field's converters for the select list, as the ORM applies them."""
    connection = connections[alias]
    found: list[tuple[int, Callable[..., Any]]] = []
    for i, field in enumerate(reader.fields):
        col = field.get_col(reader.model._meta.db_table)
        for convert in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
            found.append((i, _with_expression(convert, col)))
    return found


def _with_expression(convert: Callable[..., Any], col: Any) -> Callable[..., Any]:
    def call(value: Any, _expression: Any, connection: Any) -> Any:
        return convert(value, col, connection)

    return call


@cache
def reader(model: type[M]) -> Reader[M]:
    return Reader(model)
