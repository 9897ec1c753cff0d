"""Cluster roadmap from the demo zone: the network's clusters, their opportunities in stages, owners, benefits."""

from __future__ import annotations

from pathlib import Path

import pytest

from symdesk.domain.stream import HazardClass
from symdesk.i18n import _, ngettext
from symdesk.reports.state_common import amount
from symdesk.services import reports
from symdesk.services.errors import UserError
from symdesk.services.matching import list_opportunities, run_matching
from symdesk.services.network import zone_network
from symdesk.services.residents import list_residents
from symdesk.services.streams import save_streams
from symdesk.services.zones import zone_overview
from symdesk.storage.repository import StreamRepository
from symdesk.storage.uow import unit_of_work
from tests import pdf_helpers
from tests.integration.zone_state_pdf import assert_well_formed, needs_poppler, spaced, squash

pytestmark = needs_poppler
russian = pdf_helpers.russian


def cluster_title(number: int, residents: int, opportunities: int) -> str:
    return _("Cluster {number}: {residents}, {opportunities}").format(
        number=number,
        residents=ngettext("{count} resident", "{count} residents", residents).format(count=residents),
        opportunities=ngettext("{count} opportunity", "{count} opportunities", opportunities).format(count=opportunities),
    )


def make_one_offer_hazardous(db) -> str:  # type: ignore[no-untyped-def]
    """Mark the offer of the best waste opportunity of the largest cluster hazard class 2; its id."""
    net = zone_network(db, min_score=0.0, statuses=(), match_kinds=())
    wanted = set(net.clusters[0].opportunity_ids)
    with unit_of_work(db) as session:
        streams = {s.id: s for s in StreamRepository(session).list()}
    target = next(o for o in list_opportunities(db) if o.id in wanted and o.offer_id
                  and streams[o.offer_id].category.value == "waste")
    offer = streams[target.offer_id]
    offer.hazard_class = HazardClass.CLASS_2
    save_streams(db, [offer])
    return target.id


def test_roadmap_from_the_demo_zone(demo_db, tmp_path: Path, russian: None) -> None:
    run_matching(demo_db)
    hazardous = make_one_offer_hazardous(demo_db)
    run_matching(demo_db)
    out = tmp_path / "roadmap.pdf"
    result = reports.write_report(demo_db, "roadmap", out, reports.ReportOptions(author="СЭЗ"))
    texts = assert_well_formed(out, result.pages)
    whole = "\n".join(texts)
    flat = squash(whole)
    zone = zone_overview(demo_db).zone
    assert zone is not None and squash(zone.name) in flat

    # One section per cluster of the network analysis, with its residents and opportunities counted.
    net = zone_network(demo_db, min_score=0.0, statuses=(), match_kinds=())
    assert net.clusters and result.totals["clusters"] == len(net.clusters)
    live = {o.id: o for o in list_opportunities(demo_db, include_inactive=True)}
    for cluster in net.clusters:
        count = sum(1 for i in cluster.opportunity_ids if i in live)
        assert squash(cluster_title(cluster.number, len(cluster.resident_ids), count)) in flat
    assert result.totals["opportunities"] == sum(
        sum(1 for i in c.opportunity_ids if i in live) for c in net.clusters)
    assert result.totals["opportunities"] == sum(result.totals[f"stage{n}_opportunities"] for n in (1, 2, 3))

    # The opportunity whose offer needs licensed handling is at stage 3, and only such ones are.
    with unit_of_work(demo_db) as session:
        streams = {s.id: s for s in StreamRepository(session).list()}
    in_clusters = [live[i] for c in net.clusters for i in c.opportunity_ids if i in live]
    licensed = [o for o in in_clusters if o.offer_id and streams[o.offer_id].hazard_class
                and streams[o.offer_id].hazard_class.needs_licensed_handler]
    assert hazardous in {o.id for o in licensed}
    assert result.totals["stage3_opportunities"] == len(licensed)
    # Text under each cluster's stage 3 heading, up to the next cluster's stage 1.
    stage3 = " ".join(squash(part.split(_("Stage 1. Quick wins"))[0])
                      for part in whole.split(_("Stage 3. Needing licences"))[1:])
    target = live[hazardous]
    assert squash(streams[target.offer_id].name) in stage3
    assert squash(_("Hazard class {hazard_class}: needs licensed handling").format(hazard_class="2")) in stage3

    # Benefits: printed on the first page as computed, never more than the opportunities' own sum.
    first = spaced(texts[0])
    for key in ("landfill_diverted_t", "byn", "water_reused_m3", "energy_recovered_mwh"):
        assert amount(result.totals[key]).replace("\xa0", " ") in first
    raw = sum(float(o.benefits.get("landfill_diverted_t") or 0) for o in in_clusters)
    assert 0 < result.totals["landfill_diverted_t"] <= raw + 1e-6
    # Owners: the residents of the clusters are named.
    names = {r.id: r.short_name or r.name for r in list_residents(demo_db)}
    for cluster in net.clusters:
        for rid in cluster.resident_ids:
            assert squash(names[rid]) in flat


def test_one_cluster_or_a_clear_refusal(demo_db, tmp_path: Path) -> None:
    run_matching(demo_db)
    net = zone_network(demo_db, min_score=0.0, statuses=(), match_kinds=())
    out = tmp_path / "one.pdf"
    result = reports.write_report(demo_db, "roadmap", out, reports.ReportOptions(cluster=1))
    assert result.totals["clusters"] == 1 and result.totals["clusters_in_zone"] == len(net.clusters)
    assert_well_formed(out, result.pages)
    with pytest.raises(UserError):
        reports.write_report(demo_db, "roadmap", tmp_path / "none.pdf",
                             reports.ReportOptions(cluster=len(net.clusters) + 1))
    assert not (tmp_path / "none.pdf").exists()


def test_an_empty_zone_still_prints(db, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    result = reports.write_report(db, "roadmap", out)
    assert result.totals["clusters"] == 0
    texts = assert_well_formed(out, result.pages)
    assert result.pages == 1 and _("The network analysis found no cluster: run the matching first.") in spaced(texts[0])


def test_a_long_stage_lists_its_best_and_counts_them_all(demo_db, tmp_path: Path, monkeypatch) -> None:
    """A register's cluster holds thousands of opportunities: each stage lists the best few, says how many
    it holds, and every count and figure stays that of the whole stage."""
    from symdesk.reports import roadmap_report

    run_matching(demo_db)
    monkeypatch.setattr(roadmap_report, "ROWS_PER_STAGE", 10**6)
    whole = reports.write_report(demo_db, "roadmap", tmp_path / "whole.pdf", reports.ReportOptions())
    monkeypatch.setattr(roadmap_report, "ROWS_PER_STAGE", 2)
    out = tmp_path / "cut.pdf"
    cut = reports.write_report(demo_db, "roadmap", out, reports.ReportOptions())
    assert cut.totals == pytest.approx(whole.totals) and cut.pages < whole.pages
    longest = max(whole.totals[f"stage{n}_opportunities"] for n in (1, 2, 3))
    assert longest > 2
    text = squash("\n".join(assert_well_formed(out, cut.pages)))
    note = _("The best {shown} of the stage's {count} opportunities; the figures above count them all, and "
             "the Excel export lists them.")
    tail = squash(note.split("{count}")[1])
    assert tail in text
    assert tail not in squash("\n".join(assert_well_formed(tmp_path / "whole.pdf",
                                                                                       whole.pages)))
