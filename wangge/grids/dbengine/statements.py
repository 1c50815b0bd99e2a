"""The engine's SQL, read from the `.sql` files of `sql/` beside these modules: the engine, the
rebuild command and the migrations run the one text, which reads as SQL in an editor and in a
diff instead of as a Python string."""

import functools
from importlib import resources

_FOLDER = resources.files("wangge.grids.dbengine").joinpath("sql")


@functools.cache
def statement(name: str) -> str:
    """The SQL of ``sql/<name>.sql``, read once a process: the text after the file's opening
    comment, which is for its readers and never sent (a parameter's percent sign in it would
    be taken for a placeholder)."""
    text = _FOLDER.joinpath(f"{name}.sql").read_text(encoding="utf-8")
    header, _, sql = text.partition("\n\n")
    if not all(line.startswith("--") for line in header.splitlines()) or not sql.strip():
        raise ValueError(f"{name}.sql: an opening comment, a blank line, then the SQL")
    return sql
