"""Timing of a full match and of a re-match after one questionnaire edit, on a synthetic zone.

    .venv/bin/python benchmarks/bench_matching.py [--residents N] [--seed S] [--naive] [--no-service]
        [--service-residents M] [--service-budget SECONDS]

Prints, for a zone of N residents with about 20 streams each
(benchmarks/synthetic_zone.py): the pairs found; the full match (candidate
pairs, then score and benefits of every pair, as ``services.matching`` does);
the re-match after one resident's questionnaire changed (only the pairs that
touch its streams); the peak memory of the process; for N ≤ 300 (or with
--naive) the naive all-pairs search beside the indexed one and whether both
find the same pairs; and for N ≤ 300 the whole service path into a temporary
SQLite file (``run_matching``: read, every match kind, store every
opportunity), step by step, stopped after --service-budget seconds.

Above 1,000 residents the pairs are scored as they are found and not kept,
since they need not fit in memory; progress is printed as it goes. Figures
are printed, never asserted: machines differ. Targets (issue 4, 2-core
laptop): 200 residents full match < 1 s, re-match < 0.2 s; 10,000 residents
< 60 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_zone import SyntheticZone, edit_one_resident, synthetic_zone

from symdesk.matching.benefits import estimate_benefits
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.pairs import (
    PairEvidence,
    all_pairs_reference,
    candidate_pairs,
    iter_candidate_pairs,
)
from symdesk.matching.scoring import score_pair
from symdesk.matching.settings import default_factors, default_weights

NAIVE_UP_TO = 300
KEEP_UP_TO = 1000


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def score_and_price(pairs: Iterable[PairEvidence], zone: SyntheticZone, keep: bool, progress: bool) -> dict:
    """Score and price every pair as the service does; returns counts and the time spent."""
    kb, weights, factors = knowledge_base(), default_weights(), default_factors()
    by_id = {s.id: s for s in zone.streams}
    residents = {r.id: r for r in zone.residents}
    kept: list = []
    n = 0
    scoring = 0.0
    start = time.perf_counter()
    for evidence in pairs:
        t = time.perf_counter()
        offer, need = by_id[evidence.offer_id], by_id[evidence.need_id]
        score = score_pair(
            evidence, offer, need, residents.get(offer.resident_id), residents.get(need.resident_id), weights, kb
        )
        benefits = estimate_benefits(offer, need, score.distance_km, factors)
        scoring += time.perf_counter() - t
        if keep:
            kept.append((evidence, score, benefits))
        n += 1
        if progress and n % 1_000_000 == 0:
            print(f"    … {n:,} pairs after {time.perf_counter() - start:.0f} s, peak {peak_mb():,.0f} MB", flush=True)
    return {"pairs": n, "total": time.perf_counter() - start, "scoring": scoring, "kept": kept}


def full_match(zone: SyntheticZone, keep: bool) -> dict:
    kb, weights = knowledge_base(), default_weights()
    residents = {r.id: r for r in zone.residents}
    if keep:
        t = time.perf_counter()
        pairs = candidate_pairs(zone.offers, zone.needs, residents, kb, weights)
        found = time.perf_counter() - t
        result = score_and_price(pairs, zone, keep, progress=False)
        result["candidate_pairs"] = found
        result["total"] += found
        result["keys"] = {p.key for p in pairs}
        return result
    pairs_iter = iter_candidate_pairs(zone.offers, zone.needs, residents, kb, weights)
    result = score_and_price(pairs_iter, zone, keep, progress=True)
    result["candidate_pairs"] = result["total"] - result["scoring"]
    return result


def estimate(zone: SyntheticZone, share: int = 50) -> None:
    """Pairs and time of the full match extrapolated from every ``share``-th offer (printed before a long run)."""
    kb, weights = knowledge_base(), default_weights()
    sample = {o.id for o in sorted(zone.offers, key=lambda o: o.id)[::share]}
    t = time.perf_counter()
    pairs = candidate_pairs(zone.offers, zone.needs, {r.id: r for r in zone.residents}, kb, weights, touching=sample)
    score_and_price(pairs, zone, keep=False, progress=False)
    spent = time.perf_counter() - t
    scale = len(zone.offers) / max(len(sample), 1)
    print(f"  estimate from {len(sample):,} offers (1 in {share}): ~{len(pairs) * scale:,.0f} pairs, "
          f"~{spent * scale:,.0f} s to find, score and price them all "
          f"({1e6 * spent / max(len(pairs), 1):.0f} µs a pair)", flush=True)


def rematch(zone: SyntheticZone, touching: set[str]) -> dict:
    kb, weights = knowledge_base(), default_weights()
    t = time.perf_counter()
    pairs = candidate_pairs(zone.offers, zone.needs, {r.id: r for r in zone.residents}, kb, weights, touching=touching)
    found = time.perf_counter() - t
    result = score_and_price(pairs, zone, keep=False, progress=False)
    result["candidate_pairs"] = found
    result["total"] += found
    result["keys"] = {p.key for p in pairs}
    return result


def service_path(n: int, seed: int, budget: float) -> None:
    """The whole ``run_matching`` into a temporary SQLite file, in a child process stopped after ``budget`` s.

    Every kind of opportunity is found and stored there (pairs, receivers,
    company types, pools, chains), so its time is the pairs' plus the other
    kinds' plus the database's; each step's time is printed as it ends.
    """
    child = multiprocessing.get_context("fork").Process(target=_service_child, args=(n, seed), daemon=True)
    t = time.perf_counter()
    child.start()
    child.join(budget)
    if child.is_alive():
        child.terminate()
        child.join()
        print(f"  service: not finished after {time.perf_counter() - t:.0f} s (budget --service-budget {budget:.0f}); "
              "stopped", flush=True)


def _service_child(n: int, seed: int) -> None:
    from symdesk.services.database import open_db
    from symdesk.services.matching import run_matching
    from symdesk.storage.repository import (
        ResidentRepository,
        SiteRepository,
        StreamRepository,
        ZoneRepository,
    )
    from symdesk.storage.uow import unit_of_work

    zone = synthetic_zone(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.sqlite3")
        t = time.perf_counter()
        with unit_of_work(db) as session:
            ZoneRepository(session).add(zone.zone)
            for repo, records in (
                (SiteRepository(session), zone.sites),
                (ResidentRepository(session), zone.residents),
                (StreamRepository(session), zone.streams),
            ):
                for record in records:
                    repo.add(record)  # type: ignore[attr-defined]
        print(f"  service ({n:,} residents): zone written to SQLite in {time.perf_counter() - t:.2f} s", flush=True)
        t = time.perf_counter()
        clock = _StepClock("run_matching")
        summary = run_matching(db, clock)
        clock.close()
        print(f"  service: run_matching (read, every match kind, store) {time.perf_counter() - t:.2f} s, "
              f"{summary.found:,} opportunities {summary.by_kind}, peak {peak_mb():,.0f} MB", flush=True)
        _, edited = edit_one_resident(zone)
        with unit_of_work(db) as session:
            repo = StreamRepository(session)
            for stream in edited:  # the same ids: an update of the resident's streams
                repo.add(stream)
        t = time.perf_counter()
        clock = _StepClock("re-run")
        summary = run_matching(db, clock)
        clock.close()
        print(f"  service: run_matching after one resident's edit {time.perf_counter() - t:.2f} s "
              f"({summary.new:,} new, {summary.updated:,} updated, {summary.unchanged:,} unchanged, "
              f"{summary.deactivated:,} deactivated; the service still re-matches the whole zone)", flush=True)
        db.engine.dispose()


class _StepClock:
    """A progress callback that prints how long each step of the run took."""

    def __init__(self, label: str):
        self.label, self.step, self.start = label, "read the zone", time.perf_counter()

    def __call__(self, _done: int, _total: int, what: str) -> None:
        what = what or "store the opportunities"
        if what != self.step:
            self.close()
            self.step, self.start = what, time.perf_counter()

    def close(self) -> None:
        print(f"    {self.label}: {self.step} {time.perf_counter() - self.start:.2f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive", action="store_true", help="also run the naive all-pairs search")
    parser.add_argument("--no-service", action="store_true", help="skip the service path into SQLite")
    parser.add_argument("--service-residents", type=int, default=0, help="zone size for the service path (default N)")
    parser.add_argument("--service-budget", type=float, default=120.0, help="stop the service path after this many s")
    args = parser.parse_args(argv)
    n = args.residents

    knowledge_base()  # loaded outside the timings, as in the app
    t = time.perf_counter()
    zone = synthetic_zone(n, args.seed)
    offers, needs = zone.offers, zone.needs
    print(f"synthetic zone: {n:,} residents, {len(zone.streams):,} streams ({len(offers):,} offers, "
          f"{len(needs):,} needs), generated in {time.perf_counter() - t:.2f} s, peak {peak_mb():,.0f} MB")

    keep = n <= KEEP_UP_TO
    if keep:
        first = full_match(zone, keep)
        first.pop("kept")
        print(f"  full match (cold caches): {first['pairs']:,} pairs in {first['total']:.2f} s "
              f"(candidate pairs {first['candidate_pairs']:.2f} s, score and benefits {first['scoring']:.2f} s)")
        again = full_match(zone, keep)
        again.pop("kept")
        print(f"  full match (warm, as on a second run): {again['total']:.2f} s "
              f"(candidate pairs {again['candidate_pairs']:.2f} s, score and benefits {again['scoring']:.2f} s)")
    else:
        # Too many pairs to wait for blindly: an estimate first, the re-match, then the long run.
        estimate(zone, share=max(1, len(offers) // 300))

    resident, new = edit_one_resident(zone)
    touching = {s.id for s in new}
    inc = rematch(zone, touching)
    print(f"  re-match after editing {resident.name} ({len(new)} streams): {inc['pairs']:,} pairs touch them, "
          f"{inc['total']:.3f} s (candidate pairs {inc['candidate_pairs']:.3f} s, "
          f"score and benefits {inc['scoring']:.3f} s)")
    print(f"  peak memory (process maxrss): {peak_mb():,.0f} MB", flush=True)

    if keep:
        kb, residents = knowledge_base(), {r.id: r for r in zone.residents}
        full_after = {p.key for p in candidate_pairs(zone.offers, zone.needs, residents, kb)}
        restricted = {k for k in full_after if k[0] in touching or k[1] in touching}
        print(f"  incremental pairs == full run restricted to the edited streams: {restricted == inc['keys']}")
        if n <= NAIVE_UP_TO or args.naive:
            t = time.perf_counter()
            naive = all_pairs_reference(zone.offers, zone.needs, residents, kb)
            naive_time = time.perf_counter() - t
            t = time.perf_counter()
            indexed = candidate_pairs(zone.offers, zone.needs, residents, kb)
            indexed_time = time.perf_counter() - t
            print(f"  naive all-pairs search {naive_time:.2f} s vs indexed {indexed_time:.2f} s "
                  f"(candidate pairs only, warm); same pairs: {naive == indexed}")
    else:
        full = full_match(zone, keep)
        print(f"  full match: {full['pairs']:,} pairs in {full['total']:.2f} s "
              f"(finding {full['candidate_pairs']:.2f} s, score and benefits {full['scoring']:.2f} s), "
              f"pairs not kept; peak memory {peak_mb():,.0f} MB", flush=True)
    if n <= NAIVE_UP_TO and not args.no_service:
        service_path(args.service_residents or n, args.seed, args.service_budget)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
