"""Leave-one-case-out evaluation of the knowledge base's "who can use this waste" ranking.

For every case in resources/knowledge/exchanges.csv the knowledge base is
rebuilt without that case's exchanges (so the literature rules derived from
them go too; hand-written rules of thumb stay), and each of the case's
exchanges is asked as a query: its EWC code, its material name and its
provider's activity. We record where the true receiver lands. A receiver given
in the literature only as a group or division (e.g. "01.1") counts as found
by any class inside it.

Beside it, a popularity baseline: the most frequent receiver classes among
the remaining exchanges with the same EWC chapter, then overall. Figures are
printed, never asserted.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from symdesk.matching.knowledge import (
    Exchange,
    KnowledgeBase,
    _representative_class,
    read_exchanges,
    read_materials,
    read_rules,
)
from symdesk.paths import resources_dir

KS = (1, 5, 10)


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
        for r in e.receiver_nace:
            nace = _representative_class(r)
            overall[nace] += 1
            if ewc and any(c[:2] == ewc[:2] for c in e.ewc_codes):
                chapter[nace] += 1
    ranked = [n for n, _ in sorted(chapter.items(), key=lambda kv: (-kv[1], kv[0]))]
    ranked += [
        n for n, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0])) if n not in ranked
    ]
    return ranked[:limit]


def evaluate() -> dict[str, dict[tuple[int, int], float]]:
    d = resources_dir() / "knowledge"
    materials, exchanges, rules = (
        read_materials(d / "materials.yaml"),
        read_exchanges(d / "exchanges.csv"),
        read_rules(d / "rules.yaml"),
    )
    hits: dict[str, Counter[tuple[int, int]]] = {
        "knowledge base": Counter(),
        "popularity": Counter(),
    }
    queries = 0
    cases = sorted({e.case_id for e in exchanges}, key=int)
    for case in cases:
        rest = [e for e in exchanges if e.case_id != case]
        kb = KnowledgeBase(materials, rest, rules)
        for e in (e for e in exchanges if e.case_id == case):
            queries += 1
            ewc = e.ewc_codes[0] if e.ewc_codes else ""
            text = f"{e.material} {e.material_detail}".strip()
            provider = e.provider_nace[0] if e.provider_nace else ""
            ranked = [
                s.nace_class
                for s in kb.receivers(
                    code=ewc, text=text, provider_activity=provider, limit=max(KS)
                )
            ]
            baseline = _popularity(rest, ewc, max(KS))
            for name, ranking in (("knowledge base", ranked), ("popularity", baseline)):
                for level in (4, 2):
                    rank = _rank(ranking, e.receiver_nace, level)
                    for k in KS:
                        if rank is not None and rank <= k:
                            hits[name][(level, k)] += 1
    print(
        f"leave-one-case-out over {len(exchanges)} exchanges in {len(cases)} cases: {queries} queries"
    )
    header = "method".ljust(16) + "".join(
        f"{lvl}@{k}".rjust(12) for lvl in ("class", "division") for k in KS
    )
    print(header)
    result: dict[str, dict[tuple[int, int], float]] = {}
    for name, counter in hits.items():
        result[name] = {
            key: counter[key] / queries for key in ((lvl, k) for lvl in (4, 2) for k in KS)
        }
        print(
            name.ljust(16)
            + "".join(f"{result[name][(lvl, k)]:12.3f}" for lvl in (4, 2) for k in KS)
        )
    return result


if __name__ == "__main__":
    evaluate()
