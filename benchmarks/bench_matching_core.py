"""Timing of the pair-by-pair definition of matching: candidate pairs, scoring and benefits.

The app ranks pairs with the array screen (symdesk/matching/screen.py, timed by
bench_matching.py); this times the pair-by-pair code the screen is tested
against (pairs.candidate_pairs, scoring.score_all), which tests and tools still use.

Runs on the demo zone and on a synthetic zone made by replicating the demo's
residents with shifted coordinates (so distances, and hence scores, differ).
Figures are printed, not asserted: machines differ. bench_matching.py measures
the issue's targets on a zone drawn from the classifiers instead, with the
re-match after an edit, memory, the naive search and the service path.

    .venv/bin/python benchmarks/bench_matching_core.py [RESIDENTS]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from symdesk.demo.zone_file import read_demo_zone
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Direction, Stream
from symdesk.matching.benefits import estimate_benefits, sum_benefits
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.pairs import candidate_pairs
from symdesk.matching.scoring import score_all
from symdesk.matching.settings import default_factors, default_weights


def synthetic_zone(n_residents: int) -> tuple[list[Resident], list[Stream]]:
    """Copies of the demo residents, each copy shifted about 2 km further east and north."""
    demo = read_demo_zone()
    residents: list[Resident] = []
    streams: list[Stream] = []
    by_resident: dict[str, list[Stream]] = {}
    for s in demo.streams:
        by_resident.setdefault(s.resident_id, []).append(s)
    copy = 0
    while len(residents) < n_residents:
        for r in demo.residents:
            if len(residents) >= n_residents:
                break
            rid = f"{r.id}#{copy}"
            shift = 0.02 * copy
            residents.append(
                replace(
                    r,
                    latitude=None if r.latitude is None else r.latitude + shift,
                    longitude=None if r.longitude is None else r.longitude + shift,
                    meta=RecordMeta(id=rid),
                )
            )
            for s in by_resident.get(r.id, []):
                streams.append(replace(s, resident_id=rid, meta=RecordMeta(id=f"{s.id}#{copy}")))
        copy += 1
    return residents, streams


def run(label: str, residents: list[Resident], streams: list[Stream]) -> None:
    kb, weights, factors = knowledge_base(), default_weights(), default_factors()
    offers = [s for s in streams if s.direction is Direction.OFFER]
    needs = [s for s in streams if s.direction is Direction.NEED]
    rs = {r.id: r for r in residents}
    by_id = {s.id: s for s in streams}
    t0 = time.perf_counter()
    pairs = candidate_pairs(offers, needs, rs, kb, weights)
    t1 = time.perf_counter()
    scores = score_all(pairs, by_id, rs, weights, kb)
    t2 = time.perf_counter()
    total = sum_benefits(
        estimate_benefits(by_id[s.offer_id], by_id[s.need_id], s.distance_km, factors) for s in scores
    )
    t3 = time.perf_counter()
    print(
        f"{label}: {len(residents)} residents, {len(offers)} offers, {len(needs)} needs -> "
        f"{len(pairs)} pairs | candidate_pairs {t1 - t0:.3f} s, scoring {t2 - t1:.3f} s, "
        f"benefits {t3 - t2:.3f} s, total {t3 - t0:.3f} s"
    )
    print(
        f"  all-pairs benefits (upper bound, pairs overlap): diverted {total.landfill_diverted_t:,.0f} t/y, "
        f"net CO2e {total.net_co2e_avoided_t:,.0f} t/y"
    )


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    knowledge_base()  # load outside the timings
    demo = read_demo_zone()
    run("demo zone", demo.residents, demo.streams)
    residents, streams = synthetic_zone(n)
    run("synthetic zone", residents, streams)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
