from __future__ import annotations

from symdesk.classifiers.reference import activities, activity_classes, ewc_by_code, ewc_entries
from symdesk.services.codes import shipped_index


def codes(query: str, **kw: object) -> list[str]:
    return [e.code for e in shipped_index().search(query, **kw)]  # type: ignore[arg-type]


def test_reference_data_is_complete() -> None:
    assert len(ewc_entries()) == 842
    assert all(e.name_ru for e in ewc_entries())
    headings = [e for e in ewc_by_code().values() if e.level in ("chapter", "subchapter")]
    assert len([h for h in headings if h.level == "chapter"]) == 20
    assert all(h.name_ru and h.name_en for h in headings)
    assert len(activity_classes()) == 615
    assert all(e.name_ru for e in activities())
    assert ewc_by_code()["100104"].hazardous is True
    assert ewc_by_code()["100102"].hazardous is False


def test_search_by_code_prefix_in_any_spelling() -> None:
    assert codes("10 01 02")[0] == "100102"
    assert codes("100102")[0] == "100102"
    assert set(codes("10 01", systems=["ewc"], limit=100)) >= {"1001", "100101", "100102"}
    assert codes("16.10", systems=["activity"])[0] == "1610"


def test_search_by_russian_words_is_case_and_yo_insensitive() -> None:
    hits = codes("ЗОЛА летуч", systems=["ewc"])
    assert "100102" in hits
    assert codes("ЗОЛА ЛЕТУЧ", systems=["ewc"]) == hits
    # names are written with «ё» («Твёрдые»); people type «е» or «ё», both find them
    with_e = codes("твердые", systems=["ewc"], limit=100)
    with_yo = codes("твёрдые", systems=["ewc"], limit=100)
    assert with_e and with_e == with_yo


def test_search_by_english_words() -> None:
    assert "100102" in codes("coal fly ash", systems=["ewc"])
    assert "1610" in codes("sawmilling", systems=["activity"])


def test_empty_and_nonsense_queries_find_nothing() -> None:
    assert codes("") == []
    assert codes("qwxzzz") == []


def test_limit_is_respected() -> None:
    assert len(codes("отходы", limit=7)) == 7
