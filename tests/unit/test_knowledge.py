"""The knowledge base: material synonyms, waste codes, both UNIDO search modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from symdesk.matching.knowledge import (
    KnowledgeBase,
    knowledge_base,
    read_exchanges,
    read_materials,
    read_rules,
)
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


# -- DOMAIN.md examples: the receivers a surveyor would name first -------------


@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        ({"code": "030105", "text": "опилки"}, "1629", 3),  # wood waste → pellet maker
        ({"text": "Опилки древесные"}, "1629", 1),
        ({"code": "170107", "text": "строительные отходы"}, "0812", 3),  # → crushed stone
        ({"text": "бой бетона"}, "4211", 3),  # secondary aggregate for road bases
        ({"code": "160504", "text": "CO2 от брожения"}, "0113", 1),  # → greenhouse
        ({"text": "углекислый газ"}, "0113", 1),
        ({"text": "пивная дробина"}, "1091", 3),  # spent grain → feed
        ({"code": "150101", "text": "макулатура картон"}, "1721", 3),  # → corrugated packaging
        ({"text": "HDPE regrind"}, "2222", 3),  # → plastic packaging (mesh bags)
        ({"code": "100102", "text": "зола-унос"}, "2351", 1),  # fly ash → cement
        ({"text": "барда"}, "2015", 3),  # vinasse → fertiliser
    ],
)
def test_domain_examples(kb: KnowledgeBase, query: dict[str, str], expected: str, within: int) -> None:
    found = kb.receivers(limit=10, **query)
    classes = [s.nace_class for s in found]
    assert expected in classes[:within], classes
    hit = found[classes.index(expected)]
    assert hit.precedents or hit.rules  # every answer says why


def test_every_receiver_is_traceable(kb: KnowledgeBase) -> None:
    hand = {r.rule_id for r in kb.hand_rules}
    literature = {r.rule_id: r for r in kb.literature_rules}
    for query in ({"code": "100202"}, {"text": "wood chips"}, {"code": "020704", "text": "Paddy husk"}):
        for s in kb.receivers(limit=20, **query):
            assert s.precedents or s.rules
            assert all(p.reference and p.exchange_id for p in s.precedents)
            assert all(r in hand or r in literature for r in s.rules)


def test_name_and_code_disagreeing(kb: KnowledgeBase) -> None:
    """«Coke oven gas» filed under 10 02 02 (slag): the name is believed more than the code."""
    weights = kb.class_weights("Coke oven gas", "100202")
    assert weights["fuel_gas"] > weights["slag_bottom_ash"] > 0
    assert kb.class_weights("Black furnace slag", "100202") == {"slag_bottom_ash": 1.0}
    # the exact code listed, its sub-chapter's other classes add nothing
    assert set(kb.class_weights("", "020402")) == {"lime_carbonate"}


# -- held-out cases: nothing learnt from them may remain -----------------------


def _case_precedents(kb: KnowledgeBase, case: str, **query: str) -> list[str]:
    return [p.exchange_id for s in kb.receivers(limit=50, **query) for p in s.precedents if p.case_id == case]


@pytest.mark.parametrize(
    ("case", "query"),
    [
        ("1", {"code": "100202", "text": "Black furnace slag", "provider_activity": "2410"}),
        ("46", {"code": "160504", "text": "CO2", "provider_activity": "1081"}),
    ],
)
def test_held_out_case_is_rebuilt_without_it(kb: KnowledgeBase, case: str, query: dict[str, str]) -> None:
    assert _case_precedents(kb, case, **query)  # the case does speak to this query
    held_out = kb.receivers(limit=50, exclude_cases={case}, **query)
    assert not any(p.case_id == case for s in held_out for p in s.precedents)
    # the same answer as a knowledge base that never saw the case: counts,
    # literature rules and word rarities are all rebuilt without it
    d = resources_dir() / "knowledge"
    rest = [e for e in read_exchanges(d / "exchanges.csv") if e.case_id != case]
    fresh = KnowledgeBase(read_materials(d / "materials.yaml"), rest, read_rules(d / "rules.yaml"))
    assert held_out == fresh.receivers(limit=50, **query)
    cited = {r for s in held_out for r in s.rules if r.startswith("lit.")}
    assert cited <= {r.rule_id for r in fresh.literature_rules}
    case_ids = {e.exchange_id for e in kb.exchanges if e.case_id == case}
    assert not any(set(r.exchange_ids) & case_ids for r in kb.without_cases({case}).literature_rules)


def test_without_cases_is_cached_and_keeps_the_rules(kb: KnowledgeBase) -> None:
    assert kb.without_cases({"1"}) is kb.without_cases(frozenset({"1"}))
    assert kb.without_cases({"no such case"}) is kb
    sub = kb.without_cases({"1"})
    assert sub.hand_rules == kb.hand_rules and "1" not in sub.case_ids
    assert len(sub.exchanges) == len(kb.exchanges) - sum(e.case_id == "1" for e in kb.exchanges)


def test_every_rule_of_thumb_gives_its_reasoning_in_russian_and_english(kb: KnowledgeBase) -> None:
    """The reasoning is shown beside a suggestion in the user's language (Russian first)."""
    import re

    cyrillic = re.compile(r"[а-яё]", re.IGNORECASE)
    assert len(kb.hand_rules) > 80
    for rule in kb.hand_rules:
        assert rule.reasoning and not cyrillic.search(rule.reasoning), rule.rule_id
        assert cyrillic.search(rule.reasoning_ru), rule.rule_id
        assert rule.reasoning_in("ru") == rule.reasoning_ru
        assert rule.reasoning_in("en") == rule.reasoning


def test_the_interface_shows_rule_reasoning_in_its_language(kb: KnowledgeBase) -> None:
    from symdesk.gui.precedents import rule_texts
    from symdesk.i18n import set_language

    pellets = next(r for r in kb.hand_rules if r.rule_id == "u.wood.pellets")
    set_language("ru")
    assert rule_texts(["u.wood.pellets", "no.such.rule"]) == [pellets.reasoning_ru]
    assert "опилки" in pellets.reasoning_ru.lower()
    set_language("en")
    assert rule_texts(["u.wood.pellets"]) == ["Sawdust and chips are the feedstock of pellets/briquettes and "
                                             "particle boards, and sawmill chips of pulp mills; they are boiler "
                                             "fuel and animal bedding."]


def test_every_precedent_material_has_a_russian_name(kb: KnowledgeBase) -> None:
    """Precedents are listed in the user's language; the literature's English name stays for English."""
    import re

    cyrillic = re.compile(r"[а-яё]", re.IGNORECASE)
    assert all(cyrillic.search(e.material_ru) for e in kb.exchanges), [
        e.material for e in kb.exchanges if not cyrillic.search(e.material_ru)
    ]
    precedent = kb.receivers(code="030105", text="опилки", limit=3)[0].precedents[0]
    exchange = next(e for e in kb.exchanges if e.exchange_id == precedent.exchange_id)
    assert precedent.material_in("ru") == exchange.material_ru != exchange.material
    assert precedent.material_in("en") == exchange.material


def test_precedent_countries_are_named_in_the_users_language(kb: KnowledgeBase) -> None:
    import re

    countries = {e.country for e in kb.exchanges if e.country}
    assert len(countries) > 5
    cited = [p for s in kb.receivers(code="100202", text="slag", limit=10) for p in s.precedents]
    assert cited
    for p in cited:
        assert re.search("[а-яё]", p.country_in("ru"), re.IGNORECASE), p.country
        assert p.country_in("en") == p.country
    assert all(re.search("[а-яё]", e.country_ru, re.IGNORECASE) for e in kb.exchanges if e.country)
    china = next(e for e in kb.exchanges if e.country == "China")
    assert china.country_ru == "Китай"


def test_shipped_country_names_are_what_the_build_script_makes_of_cldr(kb: KnowledgeBase) -> None:
    """exchange_countries.csv is built by tools/build_knowledge.py from Babel's CLDR data, not typed."""
    import csv
    import importlib.util

    tool = Path(__file__).resolve().parents[2] / "tools" / "build_knowledge.py"
    spec = importlib.util.spec_from_file_location("build_knowledge", tool)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with (resources_dir() / "knowledge" / "exchange_countries.csv").open(encoding="utf-8") as f:
        shipped = [(r["country"], r["country_ru"]) for r in csv.DictReader(f)]
    assert shipped == module.country_names_ru(sorted({e.country for e in kb.exchanges if e.country}))
    assert module.country_names_ru(["Atlantis"]) == [("Atlantis", "")]


def _answer(found: list) -> list[tuple]:
    return [(s.nace_class, s.score, [p.exchange_id for p in s.precedents], s.rules) for s in found]


def test_receivers_remembered_and_indexed_answer_as_asked_afresh() -> None:
    """``receivers`` remembers an answer per material and kind of provider, and reads only the
    exchanges that share a chapter, class or word with the material. Asked in one go, a zone's
    worth of questions must be answered as a knowledge base that reads every exchange and
    remembers nothing answers each of them."""
    parts = _parts()
    remembering = KnowledgeBase(*parts)
    afresh = KnowledgeBase(*parts)
    afresh._sharing = lambda code, classes, words: list(range(len(afresh.exchanges)))  # type: ignore[method-assign]

    providers = ["", "0111", "1610", "1620", "1629", "2410", "2351", "3511", "3811", "3821", "9999", "10", "011"]
    providers += sorted({p.ljust(4, "1")[:4] for e in remembering.exchanges[::7] for p in e.provider_nace})
    providers += sorted({p[:2] + "98" for e in remembering.exchanges[::5] for p in e.provider_nace})  # same division only
    questions = []
    for e in remembering.exchanges[::3]:
        code = e.ewc_codes[0] if e.ewc_codes else ""
        text = f"{e.material} {e.material_detail}".strip()
        questions += [(code, text), (code, ""), ("", text), (code[:4] + "99" if code else "", text)]
    questions += [("", "опилки"), ("030105", "опилки"), ("", "бой стекла"), ("170904", "смешанные строительные отходы")]
    checked = 0
    for code, text in questions:
        for provider in providers[::2] if checked % 2 else providers[1::2]:
            got = _answer(remembering.receivers(code=code, text=text, provider_activity=provider))
            afresh.forget_answers()
            assert got == _answer(afresh.receivers(code=code, text=text, provider_activity=provider)), (code, text, provider)
            checked += 1
    assert checked > 1000
    assert len(remembering._answer_cache) < checked / 2  # providers alike shared answers


def test_company_type_answers_read_only_their_division_and_say_the_same() -> None:
    """``suggest_for_activity`` reads only the exchanges and rules that name a code of the activity's
    division (or a code too short to have one): for every activity class of the classifier, and odd
    activities, it must answer as a knowledge base that reads them all."""
    from symdesk.classifiers.reference import activity_classes

    parts = _parts()
    indexed, reading_all = KnowledgeBase(*parts), KnowledgeBase(*parts)
    reading_all._of_division = lambda act, kind: (  # type: ignore[method-assign]
        reading_all.exchanges, [r for r in reading_all.hand_rules if r.kind == kind]
    )
    activities = [*sorted(activity_classes()), "", "0", "01", "011", "16.10", "9999"]
    answered = 0
    for act in activities:
        got, expected = indexed.suggest_for_activity(act), reading_all.suggest_for_activity(act)
        for mine, theirs in ((got.likely_offers, expected.likely_offers), (got.likely_needs, expected.likely_needs)):
            assert _answer_of(mine) == _answer_of(theirs), act
            answered += bool(mine)
    assert answered > 200


def _answer_of(found: list) -> list[tuple]:
    return [(s.material_class, s.score, [p.exchange_id for p in s.precedents], s.rules) for s in found]


def test_a_precedent_weighs_for_a_provider_as_activity_fit_says() -> None:
    """``receivers`` tells how like a precedent's provider the asking provider is from the provider's
    prefixes that the material's precedents name (``_provider_weight``): it must give what
    ``_activity_fit`` of the precedent's provider codes says (a prefix: same class or group, the
    division alone, or nothing), for every precedent of many materials and providers."""
    from symdesk.matching import knowledge

    kb = KnowledgeBase(*_parts())
    providers = ["", "0", "01", "011", "0111", "1610", "16", "2410", "2499", "3511", "3599", "9999"]
    providers += sorted({p.ljust(4, "1")[:4] for e in kb.exchanges for p in e.provider_nace})
    providers += sorted({p[:2] + "98" for e in kb.exchanges for p in e.provider_nace})
    checked = 0
    for e0 in kb.exchanges[::4]:
        code = e0.ewc_codes[0] if e0.ewc_codes else ""
        text = f"{e0.material} {e0.material_detail}".strip()
        material = kb._material(code, text)
        for provider in providers:
            likeness = frozenset(material.likeness(provider))
            for e, _ in material.weighed:
                fit = max(knowledge._activity_fit(p, provider) for p in e.provider_nace) if provider else 0.0
                expected = (knowledge.PROVIDER_SAME_CLASS if fit >= 0.6
                            else knowledge.PROVIDER_SAME_DIVISION if fit > 0 else 1.0)
                got = kb._provider_weight(e, provider[:2], likeness) if likeness else 1.0
                assert got == expected, (e.exchange_id, provider, e.provider_nace)
                checked += 1
    assert checked > 10_000


def _parts() -> tuple:
    d = resources_dir() / "knowledge"
    return read_materials(d / "materials.yaml"), read_exchanges(d / "exchanges.csv"), read_rules(d / "rules.yaml")


@pytest.mark.parametrize("seed", range(20))
def test_best_scores_equal_sorting_everything(seed: int) -> None:
    """``_best_scores`` keeps the first n of all scores sorted best first, ties (to 9 decimals) by key:
    with ties, scores that differ past the rounding, and fewer items than n."""
    import random

    from symdesk.matching.knowledge import _best_scores

    rng = random.Random(seed)
    base = [rng.choice([1.0, 2.5, 0.3]) for _ in range(40)]
    scores = {f"{k:04d}": s + rng.choice([0.0, 0.0, 1e-12, -1e-12, 3e-10, 1e-6, rng.random()]) for k, s in enumerate(base)}
    items = list(scores.items())
    rng.shuffle(items)
    by_score = lambda kv: (-round(kv[1], 9), kv[0])  # noqa: E731 (the order answers are ranked in)
    for n in (0, 1, 3, 10, 39, 40, 41):
        assert _best_scores(dict(items), n) == sorted(items, key=by_score)[:n]


def test_receiver_precedent_counts_are_the_answers_counted() -> None:
    """A pair's knowledge-base confidence reads how many precedents each class's answer cites: counted
    without citing them, the same as counting the answer's, for every material of the demo zone."""
    from symdesk.demo.zone_file import read_demo_zone
    from symdesk.matching.knowledge import KnowledgeBase

    kb = KnowledgeBase.from_files()
    asked = {(s.code or "", s.name) for s in read_demo_zone().streams} | {("170504", ""), ("", "опилки"), ("99", "x")}
    for code, text in sorted(asked):
        for limit in (3, 50):
            expected = {s.nace_class: len(s.precedents) for s in kb.receivers(code=code, text=text, limit=limit)}
            assert kb.receiver_precedent_counts(code=code, text=text, limit=limit) == expected, (code, text)
    capped = kb.receiver_precedent_counts(code="120103", text="Отходы припоя и съём (шлак оловянно-свинцовый)", limit=50)
    assert max(capped.values()) == 10  # a class cited by more precedents than an answer lists
