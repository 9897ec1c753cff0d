"""The knowledge base: material synonyms, waste codes, both UNIDO search modes."""

from __future__ import annotations

import pytest

from symdesk.matching.knowledge import KnowledgeBase, knowledge_base, read_rules
from symdesk.paths import resources_dir


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return knowledge_base()


@pytest.mark.parametrize(
    "name",
    [
        "опилки",
        "древесная стружка",
        "Sawdust",
        "Опилки и стружка древесные",
        "Отходы древесины",
        "ЩЕПА",
    ],
)
def test_wood_synonyms(kb: KnowledgeBase, name: str) -> None:
    assert kb.material_classes(name)[0] == "wood_waste"


def test_specific_synonym_wins(kb: KnowledgeBase) -> None:
    assert kb.material_classes("HDPE regrind")[0] == "plastics_hdpe"
    assert kb.material_classes("Bottom ash") == ["slag_bottom_ash"]
    assert kb.material_classes("металлическая стружка")[0] == "metal_swarf"
    assert "steam" in kb.material_classes("пар 6 бар")
    assert "steam" not in kb.material_classes("парк")


def test_ewc_code_mapping(kb: KnowledgeBase) -> None:
    assert kb.material_classes("", "10 01 02")[0] == "fly_ash"
    assert kb.material_classes("", "030105")[0] == "wood_waste"
    assert kb.material_classes("", "020799")[0] == "spent_grain"  # by sub-chapter 02 07


def test_receivers_for_fly_ash(kb: KnowledgeBase) -> None:
    top = kb.receivers(code="100102", limit=5)
    classes = [s.nace_class for s in top]
    assert classes[0] == "2351"
    assert "2361" in classes
    assert top[0].precedents and all(p.reference for p in top[0].precedents)
    assert any(p.ewc_code == "100102" for p in top[0].precedents)
    assert all(len(s.nace_class) == 4 and s.nace_class.isdigit() for s in top)


def test_provider_bonus(kb: KnowledgeBase) -> None:
    plain = {s.nace_class: s.score for s in kb.receivers(code="100202", limit=30)}
    bonus = {
        s.nace_class: s.score
        for s in kb.receivers(code="100202", provider_activity="24100", limit=30)
    }
    assert bonus["2351"] > plain["2351"]


def test_exclude_cases_removes_precedents(kb: KnowledgeBase) -> None:
    before = kb.receivers(code="100102", limit=20)
    assert any(p.case_id == "1" for s in before for p in s.precedents)
    after = kb.receivers(code="100102", limit=20, exclude_cases={"1"})
    assert not any(p.case_id == "1" for s in after for p in s.precedents)
    assert not any(r.startswith("lit.") and _only_case(kb, r, "1") for s in after for r in s.rules)


def _only_case(kb: KnowledgeBase, rule_id: str, case: str) -> bool:
    rule = next(r for r in kb.literature_rules if r.rule_id == rule_id)
    cases = {e.case_id for e in kb.exchanges if e.exchange_id in rule.exchange_ids}
    return cases == {case}


def test_text_only_query_uses_rules(kb: KnowledgeBase) -> None:
    classes = [s.nace_class for s in kb.receivers(text="Опилки древесные", limit=5)]
    assert "1629" in classes


def test_suggest_for_brewery(kb: KnowledgeBase) -> None:
    offers = [m.material_class for m in kb.suggest_for_activity("11050").likely_offers]
    assert "spent_grain" in offers[:3]
    assert "co2" in offers


def test_determinism(kb: KnowledgeBase) -> None:
    assert kb.receivers(code="150101", text="картон") == kb.receivers(code="150101", text="картон")
    assert kb.suggest_for_activity("1610") == kb.suggest_for_activity("1610")


def test_rules_are_well_formed(kb: KnowledgeBase) -> None:
    rules = read_rules(resources_dir() / "knowledge" / "rules.yaml")
    for rule in rules:
        assert rule.material in kb.materials
        assert rule.provenance == "rule of thumb" and rule.reasoning
        if rule.kind == "uses":
            assert all(len(a) == 4 for a in rule.activities)
    assert all(r.exchange_ids and r.references for r in kb.literature_rules)


def test_every_activity_code_of_the_exchanges_is_in_the_classifier() -> None:
    import csv

    from symdesk.classifiers.reference import activity_by_code
    from symdesk.paths import resources_dir

    known = activity_by_code()
    with (resources_dir() / "knowledge" / "exchanges.csv").open(encoding="utf-8") as f:
        codes = {c for row in csv.DictReader(f) for col in ("provider_nace", "receiver_nace") for c in row[col].split(";") if c}
    assert sorted(codes - set(known)) == []
