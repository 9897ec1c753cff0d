"""Leave-one-case-out evaluation of the knowledge base's "who can use this waste" ranking.

For every case in resources/knowledge/exchanges.csv the knowledge base is
rebuilt without that case's exchanges (``KnowledgeBase.without_cases``: the
precedents, the literature rules and the word rarities derived from them all
go; hand-written rules of thumb stay), and each of the case's exchanges is
asked as a query: its EWC code, its material name and its provider's
activity. We record where the true receiver lands. A receiver given in the
literature only as a group or division (e.g. "01.1") counts as found by any
class inside it.

Rows printed:

- *knowledge base*: what ``symdesk receivers`` answers;
- *literature only*: the same without any rule of thumb (what the held-out
  evaluation can vouch for on its own);
- *rules only*: rules of thumb without any precedent (no case is involved,
  so nothing can leak, but the rules were written by people who had read
  these cases: read this row as "how much the rules carry", not as an
  independent test of them);
- *popularity*: the baseline, the most frequent receiver classes among the
  remaining exchanges with the same EWC chapter, then overall.

Then the same figures per kind of material, to show where the ranking is
weak. ``--sensitivity`` also moves each evidence weight by ±25 % and prints
how class recall@5 changes. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import symdesk.matching.knowledge as knowledge
from symdesk.matching.knowledge import (
    Exchange,
    KnowledgeBase,
    _receiver_classes,
    read_exchanges,
    read_materials,
    read_rules,
)
from symdesk.paths import resources_dir

KS = (1, 5, 10)
LEVELS = ((4, "class"), (2, "division"))

# Kinds of material, by the query's surest material class, for the per-group figures.
GROUPS = {
    "energy and utilities": {
        "fuel_gas", "hydrogen", "co2", "heat", "steam", "process_water", "cooling_water",
        "wastewater", "liquid_fuels", "coal_residues", "olefins",
    },
    "minerals (ash, slag, C&D)": {
        "fly_ash", "slag_bottom_ash", "cd_waste", "concrete_bricks", "soil_stones", "gypsum",
        "lime_carbonate", "glass", "foundry_sand",
    },
    "organic and bio-based": {
        "wood_waste", "bark", "paper_cardboard", "pulp_sludge", "food_waste", "spent_grain",
        "stillage_marc", "whey_dairy", "animal_byproducts", "vegetable_oil_fat", "agri_residues",
        "manure", "sewage_sludge", "digestate_compost", "textiles",
    },
}  # fmt: skip
OTHER, UNCLASSIFIED = "chemicals, metals, plastics", "no material class"

WEIGHTS = (
    "W_EXACT", "W_SUBCHAPTER", "W_CHAPTER", "W_MATERIAL", "W_TEXT", "W_RULE",
    "PROVIDER_SAME_CLASS", "CODE_CONFLICT",
)  # fmt: skip


def _rank(ranking: list[str], truth: tuple[str, ...], level: int) -> int | None:
    """1-based rank of the first suggestion matching any true code, at class (4) or division (2) level."""
    for i, nace in enumerate(ranking, 1):
        for t in truth:
            if (level == 4 and nace.startswith(t)) or (level == 2 and nace[:2] == t[:2]):
                return i
    return None


def _popularity(rest: list[Exchange], ewc: str, limit: int) -> list[str]:
    """Receiver classes by frequency among exchanges of the same EWC chapter, then overall."""
    overall: Counter[str] = Counter()
    chapter: Counter[str] = Counter()
    for e in rest:
        for nace in _receiver_classes(e.receiver_nace):
            overall[nace] += 1
            if ewc and any(c[:2] == ewc[:2] for c in e.ewc_codes):
                chapter[nace] += 1
    ranked = [n for n, _ in sorted(chapter.items(), key=lambda kv: (-kv[1], kv[0]))]
    ranked += [
        n for n, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0])) if n not in ranked
    ]
    return ranked[:limit]


def _query(e: Exchange) -> tuple[str, str, str]:
    ewc = e.ewc_codes[0] if e.ewc_codes else ""
    text = f"{e.material} {e.material_detail}".strip()
    provider = e.provider_nace[0] if e.provider_nace else ""
    return ewc, text, provider


def _group(kb: KnowledgeBase, e: Exchange) -> str:
    ewc, text, _ = _query(e)
    weights = kb.class_weights(text, ewc)
    if not weights:
        return UNCLASSIFIED
    surest = max(sorted(weights), key=lambda k: weights[k])
    return next((name for name, keys in GROUPS.items() if surest in keys), OTHER)


Ranker = Callable[[Exchange], list[str]]


def forget_evidence(kb: KnowledgeBase) -> None:
    """Drop what ``kb`` and its held-out twins remember per material and answer, so moved weights
    take effect."""
    for each in (kb, *kb._without.values()):
        each.forget_answers()


def _rankers(d: Path) -> tuple[list[Exchange], dict[str, Ranker], KnowledgeBase]:
    """The methods compared, each a function from a held-out exchange to its ranking."""
    materials, exchanges, rules = (
        read_materials(d / "materials.yaml"),
        read_exchanges(d / "exchanges.csv"),
        read_rules(d / "rules.yaml"),
    )
    full = KnowledgeBase(materials, exchanges, rules)
    # Same material classification per exchange, so no need to classify again.
    literature = KnowledgeBase(materials, exchanges, [], _readings=full._readings)
    rules_only = KnowledgeBase(materials, [], rules)
    rest_of = {c: [e for e in exchanges if e.case_id != c] for c in full.case_ids}

    def ask(kb: KnowledgeBase) -> Ranker:
        def ranking(e: Exchange) -> list[str]:
            ewc, text, provider = _query(e)
            held_out = kb.without_cases({e.case_id})  # built once per case, then cached
            found = held_out.receivers(
                code=ewc, text=text, provider_activity=provider, limit=max(KS)
            )
            return [s.nace_class for s in found]

        return ranking

    return exchanges, {
        "knowledge base": ask(full),
        "literature only": ask(literature),
        "rules only": ask(rules_only),
        "popularity": lambda e: _popularity(rest_of[e.case_id], _query(e)[0], max(KS)),
    }, full


def _recall(rankings: dict[str, list[str]], exchanges: list[Exchange]) -> dict[tuple[int, int], float]:
    hits: Counter[tuple[int, int]] = Counter()
    for e in exchanges:
        for level, _ in LEVELS:
            rank = _rank(rankings[e.exchange_id], e.receiver_nace, level)
            for k in KS:
                hits[(level, k)] += rank is not None and rank <= k
    n = max(len(exchanges), 1)
    return {(level, k): hits[(level, k)] / n for level, _ in LEVELS for k in KS}


def evaluate(sensitivity: bool = False) -> dict[str, dict[tuple[int, int], float]]:
    started = time.perf_counter()
    d = resources_dir() / "knowledge"
    exchanges, rankers, full_kb = _rankers(d)
    rankings = {
        name: {e.exchange_id: rank(e) for e in exchanges} for name, rank in rankers.items()
    }
    cases = {e.case_id for e in exchanges}
    print(
        f"leave-one-case-out over {len(exchanges)} exchanges in {len(cases)} cases: "
        f"{len(exchanges)} queries"
    )
    header = "method".ljust(18) + "".join(f"{lvl}@{k}".rjust(12) for _, lvl in LEVELS for k in KS)
    print(header)
    result: dict[str, dict[tuple[int, int], float]] = {}
    for name, ranked in rankings.items():
        result[name] = _recall(ranked, exchanges)
        print(name.ljust(18) + "".join(f"{result[name][key]:12.3f}" for key in result[name]))

    kb = KnowledgeBase.from_files()
    groups: dict[str, list[Exchange]] = {}
    for e in exchanges:
        groups.setdefault(_group(kb, e), []).append(e)
    print("\nper kind of material (knowledge base / popularity)")
    print(
        "group".ljust(30)
        + "n".rjust(5)
        + "".join(f"{lvl}@{k}".rjust(14) for lvl, k in (("class", 1), ("class", 5), ("division", 5)))
    )
    for group in sorted(groups, key=lambda g: -len(groups[g])):
        members = groups[group]
        ours = _recall(rankings["knowledge base"], members)
        base = _recall(rankings["popularity"], members)
        print(
            group.ljust(30)
            + f"{len(members):5d}"
            + "".join(f"{ours[key]:8.2f}/{base[key]:.2f}" for key in ((4, 1), (4, 5), (2, 5)))
        )

    if sensitivity:
        print("\nsensitivity of class recall@5 to each evidence weight (×0.75 / ×1.25)")
        full_ranker = rankers["knowledge base"]
        for name in WEIGHTS:
            original = getattr(knowledge, name)
            moved = []
            for factor in (0.75, 1.25):
                setattr(knowledge, name, original * factor)
                try:
                    forget_evidence(full_kb)
                    ranked = {e.exchange_id: full_ranker(e) for e in exchanges}
                finally:
                    setattr(knowledge, name, original)
                    forget_evidence(full_kb)
                moved.append(_recall(ranked, exchanges)[(4, 5)])
            print(f"{name:<22}{original:8.2f}{moved[0]:10.3f}{moved[1]:10.3f}")
    print(f"\n{time.perf_counter() - started:.1f} s")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sensitivity", action="store_true", help="also move each weight by ±25 %%")
    evaluate(parser.parse_args().sensitivity)
