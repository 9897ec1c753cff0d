"""Timing of a full match and of a re-match after one questionnaire edit, on a synthetic zone.

    .venv/bin/python benchmarks/bench_matching.py [--residents N] [--seed S] [--naive] [--full]
        [--no-service] [--service-residents M] [--service-budget SECONDS] [--repeat K] [--first-runs K]

Prints, for a zone of N residents with about 20 streams each
(benchmarks/synthetic_zone.py; above 300 residents a national register with
sites all over Belarus), with cold and with warm caches:

- ranking every declared pair: every offer → need pair in reach found and
  scored on arrays (``screen.screen_pairs``), and the best five of each offer
  and need chosen (``screen.best_of_each``);
- the full match of every kind (warm: the best of --repeat runs, 3 by
  default, as a shared machine's other jobs only add time; and, up to 300
  residents or with --first-runs K, as the first run of K fresh processes;
  ``run.find_opportunities``: the kept pairs
  explained and priced from the screen's columns (``pair_records``),
  receivers, company types, pools, chains), step by step — up to 1,000
  residents, or with --full;
- the re-match after one resident's questionnaire changed (only the pairs
  that touch its streams) and whether it equals the full run restricted to them;
- for N ≤ 300 (or with --naive) the naive all-pairs search beside the index
  and the screen, and whether all three find the same pairs;
- the peak memory of the process, of a shared run's helper processes
  (zones of 40,000 streams and more, ``matching/helper.py``) and of all
  added up while they run (sampled every 50 ms), and for N ≤ 300 the whole service path
  into a temporary SQLite file (``run_matching``: read, every kind, store),
  stopped after --service-budget seconds.

Figures are printed, never asserted: machines differ. Targets (issue 4,
2-core laptop): 200 residents full match < 1 s, re-match < 0.2 s; 10,000
residents < 60 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import every_field
from synthetic_zone import SyntheticZone, edit_one_resident, synthetic_zone

from symdesk.matching.helper import worth_sharing
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.pairs import all_pairs_reference, candidate_pairs
from symdesk.matching.places import located
from symdesk.matching.rematch import rematch
from symdesk.matching.run import MAX_PAIRS_PER_STREAM, find_opportunities, match_zone
from symdesk.matching.screen import Screened, best_of_each, screen_pairs
from symdesk.matching.settings import default_factors, default_weights
from symdesk.matching.state import MatchResult, Settings

NAIVE_UP_TO = 300
KEEP_UP_TO = 1000


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class TogetherPeak:
    """The peak of this process's memory and its children's added up, sampled every 50 ms from
    /proc (Linux): a shared run's helpers and main process hold memory at the same time."""

    def __init__(self) -> None:
        # Sampled, not the children's maxrss: Linux carries a forked child's maxrss (its parent's
        # memory at the fork) across the exec that starts the helper.
        self.peak_kb = self.children_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TogetherPeak:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            me, *children = [_rss_kb(pid) for pid in _process_tree(os.getpid())]
            self.peak_kb = max(self.peak_kb, me + sum(children))
            self.children_kb = max(self.children_kb, sum(children))


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmRSS")), 0)
    except OSError:
        return 0


def _process_tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found.extend(_process_tree(int(child)))
    except OSError:
        pass
    return found


def screen(zone: SyntheticZone, touching: set[str] | None = None) -> tuple[Screened, float]:
    """Every declared pair found and scored on arrays (``screen_pairs``), and the time it took."""
    t = time.perf_counter()
    screened = screen_pairs(zone.offers, zone.needs, located_residents(zone), knowledge_base(), default_weights(),
                            touching=touching)
    return screened, time.perf_counter() - t


def located_residents(zone: SyntheticZone) -> dict:
    return {r.id: r for r in located(zone.residents, zone.sites)}


def full_run(zone: SyntheticZone) -> tuple[float, dict[str, float], int, dict[str, int]]:
    """``find_opportunities`` — every match kind, every kept opportunity explained — timed step by step."""
    steps: dict[str, float] = {}
    clock = {"step": "pairs", "at": time.perf_counter()}

    def progress(_done: int, _total: int, what: str) -> None:
        what = what or "sort"
        if what != clock["step"]:
            now = time.perf_counter()
            steps[clock["step"]] = steps.get(clock["step"], 0.0) + now - clock["at"]
            clock.update(step=what, at=now)

    t = time.perf_counter()
    found = find_opportunities(list(located_residents(zone).values()), zone.streams, knowledge_base(),
                               default_weights(), default_factors(), {}, progress)
    total = time.perf_counter() - t
    steps[clock["step"]] = steps.get(clock["step"], 0.0) + time.perf_counter() - clock["at"]
    kinds: dict[str, int] = {}
    for o in found:
        kinds[o.match_kind.value] = kinds.get(o.match_kind.value, 0) + 1
    return total, steps, len(found), kinds


def print_full_run(label: str, zone: SyntheticZone, repeat: int = 1) -> None:
    """One full run, or the best of ``repeat`` (a shared machine's other jobs only ever add time)."""
    shared = worth_sharing(len(zone.streams))
    with TogetherPeak() if shared else nullcontext() as together:
        runs = [full_run(zone) for _ in range(max(1, repeat))]
    total, steps, n, kinds = min(runs, key=lambda run: run[0])
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
    each = f" (best of {len(runs)}: " + ", ".join(f"{run[0]:.2f}" for run in runs) + " s)" if len(runs) > 1 else ""
    how = "shared with helper processes" if shared else "one process"
    memory = f"peak {peak_mb():,.0f} MB"
    if together is not None:
        memory += f", the helpers' {together.children_kb / 1024:,.0f} MB, all at once {together.peak_kb / 1024:,.0f} MB"
    print(f"  full match, every kind ({label}): {total:.2f} s{each}, {how} — {parts}; {n:,} opportunities "
          f"{kinds}; {memory}", flush=True)


def print_first_runs(n: int, seed: int, processes: int) -> None:
    """The full match as the first run of ``processes`` fresh processes, one after the other: the
    first run a user waits for, measured more than once (the machine's other jobs only add time)."""
    context = multiprocessing.get_context("spawn")
    runs = []
    for _ in range(processes):
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(target=_first_run_child, args=(n, seed, sending))
        child.start()
        sending.close()
        runs.append(receiving.recv())
        child.join()
    total, steps = min(runs, key=lambda run: run[0])
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
    each = ", ".join(f"{run[0]:.2f}" for run in runs)
    print(f"  full match as the first run of a fresh process (knowledge base loaded, nothing remembered): "
          f"{total:.2f} s (best of {len(runs)}: {each} s) — {parts}", flush=True)


def _first_run_child(n: int, seed: int, sending: Connection) -> None:
    knowledge_base()
    total, steps, _, _ = full_run(synthetic_zone(n, seed))
    sending.send((total, steps))
    sending.close()


def service_path(n: int, seed: int, budget: float) -> None:
    """The whole ``run_matching`` into a temporary SQLite file, in a child process stopped after ``budget`` s.

    Every kind of opportunity is found and stored there (pairs, receivers,
    company types, pools, chains), so its time is the pairs' plus the other
    kinds' plus the database's; each step's time is printed as it ends.
    """
    # Not daemonic: a daemonic process may not start the helper a large zone's run shares its work with.
    child = multiprocessing.get_context("fork").Process(target=_service_child, args=(n, seed))
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
              f"{summary.deactivated:,} deactivated; re-matched from the first run's state)", flush=True)
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
    parser.add_argument("--full", action="store_true", help="run every match kind also above 1,000 residents")
    parser.add_argument("--no-service", action="store_true", help="skip the service path into SQLite")
    parser.add_argument("--service-residents", type=int, default=0, help="zone size for the service path (default N)")
    parser.add_argument("--service-budget", type=float, default=120.0, help="stop the service path after this many s")
    parser.add_argument("--repeat", type=int, default=3, help="warm full runs, the best printed (default 3)")
    parser.add_argument("--first-runs", type=int, default=None,
                        help=f"fresh processes timing a first full run (default 3 up to {NAIVE_UP_TO} residents, else 0)")
    args = parser.parse_args(argv)
    n = args.residents

    knowledge_base()  # loaded outside the timings, as in the app
    t = time.perf_counter()
    zone = synthetic_zone(n, args.seed)
    print(f"synthetic zone: {n:,} residents, {len(zone.streams):,} streams ({len(zone.offers):,} offers, "
          f"{len(zone.needs):,} needs), generated in {time.perf_counter() - t:.2f} s, peak {peak_mb():,.0f} MB")

    for label in ("cold caches", "warm, as on a second run"):
        screened, spent = screen(zone)
        t = time.perf_counter()
        kept = best_of_each(screened, MAX_PAIRS_PER_STREAM)
        chosen = time.perf_counter() - t
        print(f"  ranking every declared pair ({label}): {len(screened):,} pairs found and scored in {spent:.2f} s, "
              f"best {MAX_PAIRS_PER_STREAM} of each offer and need ({len(kept):,} pairs) chosen in {chosen:.2f} s; "
              f"peak {peak_mb():,.0f} MB", flush=True)
        del screened, kept  # the full run screens again; these would only add to its peak memory
        if n <= KEEP_UP_TO or args.full:
            print_full_run(label, zone, 1 if label.startswith("cold") else args.repeat)
        if n > KEEP_UP_TO:
            break

    first_runs = args.first_runs if args.first_runs is not None else (3 if n <= NAIVE_UP_TO else 0)
    if first_runs > 0:
        print_first_runs(n, args.seed, first_runs)

    before = match_zone(list(located_residents(zone).values()), zone.streams, bench_settings()) if n <= KEEP_UP_TO else None
    resident, new = edit_one_resident(zone)
    if before is not None:
        print_rematch(zone, before, resident.name, len(new), args.repeat)
    touching = {s.id for s in new}
    part, spent = screen(zone, touching)
    print(f"  of which the declared pairs touching the edited streams: {len(part):,} found and scored in {spent:.3f} s")
    if n <= KEEP_UP_TO:
        full_after, _ = screen(zone)
        expected = [k for k in full_after.pair_keys() if touching & set(k)]
        print(f"  incremental pairs == full run restricted to the edited streams: {part.pair_keys() == expected}")
        if n <= NAIVE_UP_TO or args.naive:
            kb, residents = knowledge_base(), located_residents(zone)
            t = time.perf_counter()
            naive = all_pairs_reference(zone.offers, zone.needs, residents, kb)
            naive_time = time.perf_counter() - t
            t = time.perf_counter()
            indexed = candidate_pairs(zone.offers, zone.needs, residents, kb)
            indexed_time = time.perf_counter() - t
            print(f"  candidate pairs only, warm: naive all-pairs search {naive_time:.2f} s, indexed one pair at a time "
                  f"{indexed_time:.2f} s, screen on arrays (with scores) {spent_full(zone):.2f} s; "
                  f"same pairs: {naive == indexed and [p.key for p in indexed] == full_after.pair_keys()}")
    print(f"  peak memory (process maxrss): {peak_mb():,.0f} MB", flush=True)
    if n <= NAIVE_UP_TO and not args.no_service:
        service_path(args.service_residents or n, args.seed, args.service_budget)
    return 0


def bench_settings() -> Settings:
    """What ``full_run`` matches with (``find_opportunities``' arguments there)."""
    return Settings(knowledge_base(), default_weights(), default_factors(), {}, "en")


def print_rematch(zone: SyntheticZone, before: MatchResult, name: str, edited: int, repeat: int) -> None:
    """The re-match after one resident's edit (``rematch.rematch``), from the state the full run before
    the edit left, the best of ``repeat``, step by step; and whether it equals a full run of the edited zone."""
    residents = list(located_residents(zone).values())
    runs = []
    for _ in range(max(1, repeat)):
        steps: dict[str, float] = {}
        clock = {"step": "compare", "at": time.perf_counter()}

        def progress(_done: int, _total: int, what: str) -> None:
            now = time.perf_counter()
            steps[clock["step"]] = steps.get(clock["step"], 0.0) + now - clock["at"]  # noqa: B023
            clock.update(step=what or "merge", at=now)  # noqa: B023

        t = time.perf_counter()
        again = rematch(before.state, residents, zone.streams, bench_settings(), progress)
        total = time.perf_counter() - t
        steps[clock["step"]] = steps.get(clock["step"], 0.0) + time.perf_counter() - clock["at"]
        runs.append((total, steps, again))
    total, steps, again = min(runs, key=lambda run: run[0])
    full = match_zone(residents, zone.streams, bench_settings(), keep_state=False).opportunities
    kept = len({id(o) for o in before.opportunities} & {id(o) for o in again.opportunities})
    parts = ", ".join(f"{k} {v:.3f} s" for k, v in steps.items())
    each = ", ".join(f"{run[0]:.3f}" for run in runs)
    print(f"  re-match after editing {name} ({edited} streams), every kind: {total:.3f} s (best of {len(runs)}: {each} s)"
          f" — {parts}; {len(again.opportunities):,} opportunities, {len(again.opportunities) - kept:,} made again, "
          f"the rest the full run's own; equal to a full run of the edited zone, field by field: "
          f"{[every_field(o) for o in again.opportunities] == [every_field(o) for o in full]}", flush=True)


def spent_full(zone: SyntheticZone) -> float:
    return screen(zone)[1]


if __name__ == "__main__":
    raise SystemExit(main())
