"""The resident report from the demo zone: its opportunities, partners, totals, questionnaire, confidentiality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdesk.domain.opportunity import OpportunityStatus
from symdesk.i18n import _
from symdesk.services import matching, reports
from symdesk.services.confidentiality import CONFIDENTIAL_PARTY
from symdesk.services.errors import UserError
from symdesk.services.residents import find_resident, list_residents
from symdesk.services.zones import zone_overview
from symdesk.storage.repository import StreamRepository
from symdesk.storage.uow import unit_of_work
from tests import pdf_helpers
from tests.pdf_helpers import (
    assert_well_formed,
    engine_totals,
    flat,
    needs_poppler,
    number_text,
    pdf_text,
)

pytestmark = [needs_poppler, pytest.mark.usefixtures("russian")]
russian = pdf_helpers.russian
matched = pdf_helpers.matched


def test_resident_report_lists_what_it_gives_and_takes(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    best = matching.list_opportunities(matched)[0]
    resident = find_resident(matched, best.provider_id)
    out = tmp_path / "resident.pdf"
    result = reports.write_report(matched, "resident", out, reports.ReportOptions(resident_id=resident.id))
    texts = assert_well_formed(out, result.pages)
    text = flat("\n".join(texts))
    mine = matching.list_opportunities(matched, resident_id=resident.id)
    assert result.totals["supplies"] == sum(1 for o in mine if o.provider_id == resident.id)
    assert result.totals["receives"] == sum(1 for o in mine if o.receiver_id == resident.id and o.provider_id != resident.id)
    expected = engine_totals([o for o in mine if o.status is not OpportunityStatus.REJECTED])
    for key, value in expected.items():
        assert result.totals[key] == pytest.approx(value)
        assert number_text(value) in text, (key, number_text(value))
    assert resident.name in flat(texts[0])
    zone = zone_overview(matched).zone
    assert zone is not None and zone.name in text
    assert resident.unp in text
    # Partners by name (the best one's receiver is not confidential in the demo unless marked so).
    receiver = find_resident(matched, best.receiver_id)
    if receiver.id not in best.confidential_parties:
        assert receiver.display_name in text


def test_confidential_partner_is_never_named(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    best = matching.list_opportunities(matched)[0]
    partner = best.receiver_id
    with unit_of_work(matched) as session:
        repo = StreamRepository(session)
        for stream in repo.list(resident_id=partner):
            stream.confidential = True
            repo.add(stream)
    matching.run_matching(matched)
    name = next(r.short_name or r.name for r in list_residents(matched) if r.id == partner)
    # Handed to the supplier: the partner who asked for confidentiality is not named, without any option.
    result = reports.write_report(matched, "resident", tmp_path / "r.pdf",
                                  reports.ReportOptions(resident_id=best.provider_id))
    texts = [flat(t) for t in assert_well_formed(result.path, result.pages)]
    again = matching.find_opportunity(matched, best.id)
    assert partner in again.confidential_parties
    # The pair's own page names the material but not the partner. (Opportunities that do not
    # involve the partner's confidential streams, such as "a possible user of this offer",
    # may still name it: confidentiality belongs to streams.)
    heading = flat(f"1. {find_stream_name(matched, best.offer_id)}")
    page = next(t for t in texts if heading in t and _("Score breakdown") in t)
    assert name not in page and _(CONFIDENTIAL_PARTY) in page
    hidden = [o for o in matching.list_opportunities(matched, resident_id=best.provider_id)
              if partner in o.confidential_parties]
    assert hidden
    # The confidential resident's own report names itself.
    own = reports.write_report(matched, "resident", tmp_path / "own.pdf", reports.ReportOptions(resident_id=partner))
    assert find_resident(matched, partner).name in flat(pdf_text(own.path))


def test_resident_without_opportunities_and_unknown_resident(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    involved = {rid for o in matching.list_opportunities(matched) for rid in (o.provider_id, o.receiver_id)}
    lonely = [r for r in list_residents(matched) if r.id not in involved]
    if lonely:
        result = reports.write_report(matched, "resident", tmp_path / "lonely.pdf",
                                      reports.ReportOptions(resident_id=lonely[0].id))
        assert_well_formed(result.path, result.pages)
        assert result.totals["supplies"] == result.totals["receives"] == 0
    with pytest.raises(UserError):
        reports.write_report(matched, "resident", tmp_path / "x.pdf", reports.ReportOptions(resident_id="nobody"))


def test_cli_report_resident_by_unp(matched, demo_db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from symdesk.cli import main

    best = matching.list_opportunities(matched)[0]
    resident = find_resident(matched, best.provider_id)
    out = tmp_path / "cli.pdf"
    code = main(["--db", str(demo_db_path), "report", "resident", resident.unp, "--out", str(out), "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0 and set(printed) == {"path", "pages", "totals"}
    assert printed["totals"]["supplies"] >= 1
    assert resident.name in flat(pdf_text(out))


def find_stream_name(db, stream_id: str) -> str:  # type: ignore[no-untyped-def]
    with unit_of_work(db) as session:
        return StreamRepository(session).get(stream_id).name
