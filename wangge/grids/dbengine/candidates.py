"""The trigram candidates: the buildings whose address or aliases are nearest a query or one
of its clauses, by the GiST index over their search words (search_index.sql), for the
resolver to decide among when the exact keys (`keys`) do not."""

from django.db import connection

from wangge.grids.addresses import normalize_text
from wangge.grids.addresses.extract import CLAUSE_RE
from wangge.grids.addresses.index import BuildingEntry
from wangge.grids.dbengine.statements import statement
from wangge.grids.dbengine.stored_forms import StoredForms, stored_aliases

# How many buildings the database hands the resolver per part of a query. The resolver's own
# rules decide among them (exact forms, typos, competitors): enough that the place asked for
# and its near rivals are there, few enough to index per query (each one indexed costs the
# resolver CPU). Over the foreign query sets 20 already cost a misroute and 50 matched the
# memory engine: 64.
CANDIDATES = 64
# The share of a part's trigrams a building's text must hold somewhere (pg_trgm's
# word_similarity): nearer buildings, however few, are candidates; farther ones never.
_WORD_SIMILARITY = "0.2"
# The parts asked: the whole text and each of its clauses, as `extract` cuts a sentence (an
# address is a small share of a 诉求内容, a large one of its clause).
_MAX_PARTS = 6
_MAX_PART = 200
# Each part's nearest buildings, those the threshold keeps (candidates.sql).
_CANDIDATES_SQL = statement("candidates")
_MAX_TEXT = 2_000


def query_parts(text: str) -> list[str]:
    """The parts of a query its candidates and keys are looked up for: the text's clauses, or
    the text if it is one, each as written and normalized: the index holds the stored text as
    written (天山四村), the resolver reads the normalized one (天山4村). Not the whole of a text
    of several clauses as well: an address never spans two, and a sentence's nearest
    buildings are its address clause's, found at several times the cost (its many trigrams
    leave the index scan little to prune with)."""
    text = text[:_MAX_TEXT]
    parts: list[str] = []
    clauses = [c for c in CLAUSE_RE.split(text) if c.strip()]
    for piece in clauses if len(clauses) > 1 else [text]:
        for form in (piece.strip(), normalize_text(piece)):
            form = form[:_MAX_PART]
            if len(form) >= 2 and form not in parts:
                parts.append(form)
    return parts[:_MAX_PARTS]


def candidate_rows(
    text: str, limit: int | None = None, forms: StoredForms | None = None
) -> list[BuildingEntry]:
    """The buildings whose address or aliases are nearest the text or one of its clauses, as
    `AddressIndex` reads them (in id order: the index must not depend on the ranking). Into
    ``forms``, those stored current over its gazetteer (``forms.parsed_with``): the aliases of
    those buildings are not read."""
    parts = query_parts(text)
    if not parts:
        return []
    with connection.cursor() as cursor:
        # A session setting, not a statement's: set each time, since pooled connections are
        # shared with code that may have changed it.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [_WORD_SIMILARITY],
        )
        cursor.execute(
            _CANDIDATES_SQL,
            [parts, limit or CANDIDATES, forms.parsed_with if forms is not None else ""],
        )
        rows = cursor.fetchall()
    found: list[BuildingEntry] = [
        (i, a, stored_aliases(al), p or "") for i, a, al, p, _made in rows
    ]
    if forms is not None:
        forms.take((row[0], row[4]) for row in rows)
    return found
