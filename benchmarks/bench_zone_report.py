"""Timing of the zone opportunity report with about 500 opportunities.

    .venv/bin/python benchmarks/bench_zone_report.py [--opportunities K] [--synthetic N]

Loads the demo zone into a temporary SQLite file (with --synthetic, N more
residents of the synthetic zone of benchmarks/synthetic_zone.py, about 20
streams each, which match each other a great deal), runs the matching
service, and times ``symdesk report zone`` (``services.reports.write_report``)
on the best K opportunities (by a minimum score; ties may add a few), then on
all of them.
Prints the opportunities, pages, the time of gathering the data and of the
whole report, and the peak memory. Figures are printed, never asserted.
Target (issue 5, 2-core laptop): 500 opportunities in under 10 s.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_zone import synthetic_zone

from symdesk.services import matching, reports
from symdesk.services.database import open_db
from symdesk.services.demo import load_demo
from symdesk.services.report_meeting import zone_report_data
from symdesk.services.zones import current_zone_in
from symdesk.storage.repository import ResidentRepository, SiteRepository, StreamRepository
from symdesk.storage.uow import unit_of_work


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=500)
    parser.add_argument("--synthetic", type=int, default=0, help="synthetic residents added to the demo zone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.sqlite3")
        demo = load_demo(db)
        residents, streams = demo.residents, demo.offers + demo.needs
        if args.synthetic:
            zone = synthetic_zone(args.synthetic, seed=1)
            with unit_of_work(db) as session:
                zone_id = current_zone_in(session).id
                for site in zone.sites:
                    site.zone_id = zone_id
                    SiteRepository(session).add(site)
                for resident in zone.residents:
                    resident.zone_id = zone_id
                    ResidentRepository(session).add(resident)
                for stream in zone.streams:
                    StreamRepository(session).add(stream)
            residents += len(zone.residents)
            streams += len(zone.streams)
        start = time.perf_counter()
        summary = matching.run_matching(db)
        print(f"zone: {residents} residents, {streams} streams; "
              f"matching: {summary.found} opportunities in {time.perf_counter() - start:.2f} s")
        found = matching.list_opportunities(db)
        if not found:
            print("no opportunities: use more --residents")
            return 1
        k = min(args.opportunities, len(found))
        threshold = found[k - 1].score
        runs = [(f"best {k}", reports.ReportOptions(min_score=threshold))]
        if len(found) > k:
            runs.append(("all", reports.ReportOptions()))
        for name, options in runs:
            start = time.perf_counter()
            data = zone_report_data(db, options)
            gathered = time.perf_counter() - start
            start = time.perf_counter()
            result = reports.write_report(db, "zone", Path(tmp) / "zone.pdf", options)
            total = time.perf_counter() - start
            size = result.path.stat().st_size / 1024
            print(f"zone report, {name}: {int(result.totals['opportunities'])} opportunities, {result.pages} pages, "
                  f"{size:.0f} kB; data {gathered:.2f} s, whole report {total:.2f} s "
                  f"(target < 10 s for 500); {len(data.top)} opportunity pages")
        db.close()
    print(f"peak memory: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
