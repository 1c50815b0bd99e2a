"""The forms a building is indexed under, kept across the small indexes the database engine
makes per query over one gazetteer (`kept_forms`): an index made from kept forms answers
as one that parsed every building afresh, and a new gazetteer starts them anew."""

import pytest

from tests.grids.test_address_parts import _VILLAGE, BUILDINGS, INDEX
from wangge.grids import dbengine
from wangge.grids.addresses import AddressIndex
from wangge.grids.addresses.index import kept_forms
from wangge.grids.addresses.places import Gazetteer

ROWS = [
    (bid, address, aliases, (_VILLAGE if bid >= 12 else "320115/320115001/001/") + "01/")
    for bid, address, aliases in BUILDINGS
]
QUERIES = [
    "滨江市江宁区枫林路1088弄3号",
    "枫林路108弄3号",
    "枫林路1088弄12支弄5号楼",
    "楓林路1088弄3號",
    "桂园路30号附2号",
    "桂园路66号乙",
    "柳塘村十四组二号",
    "柳塘村57号",
    "石桥镇杨家湾9号",
    "湖滨街道湖滨社区居委会",
    "桂园路66丙号",
    "杨家湾9号",
    "我家在枫林路1088弄3号，楼下的路灯不亮了",
]


@pytest.mark.parametrize("kept", [64, 4])
def test_an_index_of_kept_forms_answers_as_one_parsed_afresh(kept: int) -> None:
    gazetteer = INDEX._gazetteer
    forms = kept_forms(gazetteer, kept)
    afresh = AddressIndex(ROWS, gazetteer=gazetteer)
    first = AddressIndex(ROWS, gazetteer=gazetteer, forms=forms)
    assert 0 < forms.cache_info().currsize <= kept
    again = AddressIndex(ROWS, gazetteer=gazetteer, forms=forms)
    if kept >= len(ROWS):
        assert forms.cache_info().hits == len(ROWS)  # the second index parsed nothing
    for query in QUERIES:
        expected = afresh.resolve_in_text(query)
        assert first.resolve_in_text(query) == expected, query
        assert again.resolve_in_text(query) == expected, query
        assert INDEX.resolve_in_text(query).building_id == expected.building_id, query


def test_forms_are_kept_for_the_gazetteer_in_use_only() -> None:
    old, new = Gazetteer(), Gazetteer()
    kept = dbengine.resolver._forms_over(old)
    assert dbengine.resolver._forms_over(old) is kept
    fresh = dbengine.resolver._forms_over(new)
    assert fresh is not kept and fresh.cache_info().currsize == 0
    with pytest.raises(ValueError, match="gazetteer"):
        AddressIndex(ROWS, forms=fresh)  # kept forms need the gazetteer they were parsed over


def test_a_building_whose_address_changed_is_parsed_again() -> None:
    forms = kept_forms(INDEX._gazetteer, 64)
    AddressIndex(ROWS, gazetteer=INDEX._gazetteer, forms=forms)
    moved = [
        (bid, "滨江市江宁区枫林路1088弄5号" if bid == 2 else address, aliases, path)
        for bid, address, aliases, path in ROWS
    ]
    index = AddressIndex(moved, gazetteer=INDEX._gazetteer, forms=forms)
    assert index.resolve("枫林路1088弄5号").building_id == 2
    assert index.resolve("枫林路1088弄3号").building_id is None


def test_an_index_made_for_one_query_reads_each_text_once_and_answers_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The per-query index remembers what each text resolved to: a refused address is read
    once, not again as its own only clause, and a sentence's clauses answer as without."""
    gazetteer = INDEX._gazetteer
    plain = AddressIndex(ROWS, gazetteer=gazetteer)
    remembering = AddressIndex(ROWS, gazetteer=gazetteer, remember_answers=True)
    read: list[tuple[str, bool]] = []
    resolve = AddressIndex._resolve_normalized

    def counted(self: AddressIndex, text: str, strict: bool) -> tuple[object, bool]:
        read.append((text, strict))
        return resolve(self, text, strict)

    monkeypatch.setattr(AddressIndex, "_resolve_normalized", counted)
    refused = "柳塘村99号"  # no such door: refused, the village's buildings listed
    expected = plain.resolve_in_text(refused)
    assert not expected.resolved and expected.candidates
    assert len(read) == 2  # the whole text, then again as its only clause
    read.clear()
    assert remembering.resolve_in_text(refused) == expected
    assert len(read) == 1
    for query in QUERIES:
        assert remembering.resolve_in_text(query) == plain.resolve_in_text(query), query
    # A number only strictness reads otherwise (3 after 1088弄: a building, or a sentence's
    # number?): each reading is remembered apart.
    loose = "枫林路1088弄3"
    for strict in (False, True, False):
        assert remembering.resolve_normalized(loose, strict=strict) == plain.resolve_normalized(
            loose, strict=strict
        )
    assert plain.resolve_normalized(loose, strict=False).building_id == 2
    assert plain.resolve_normalized(loose, strict=True).building_id is None
    # What one query's index kept is its own: an index that lives on keeps nothing.
    assert plain._answers is None and remembering._answers
