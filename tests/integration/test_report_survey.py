"""Survey status report from the demo zone: who answered, what is missing, per site and sector."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from symdesk.cli import main
from symdesk.domain.tasks import TaskCancelled
from symdesk.i18n import _, format_number
from symdesk.services import reports
from symdesk.services.questionnaires import list_questionnaires
from symdesk.services.report_zone_state import sector_of, survey_data
from symdesk.services.residents import list_residents
from symdesk.services.zones import zone_overview
from tests import pdf_helpers
from tests.integration.zone_state_pdf import assert_well_formed, needs_poppler, spaced, squash

pytestmark = needs_poppler
russian = pdf_helpers.russian


def test_survey_report_from_the_demo_zone(demo_db, tmp_path: Path, russian: None) -> None:
    out = tmp_path / "survey.pdf"
    seen: list[tuple[int, int]] = []
    result = reports.write_report(demo_db, "survey", out, reports.ReportOptions(author="Администрация СЭЗ"),
                                  progress=lambda done, total, _what: seen.append((done, total)))
    assert result.path == out and out.exists()
    assert seen and seen[-1][0] == seen[-1][1]
    texts = assert_well_formed(out, result.pages)
    whole = "\n".join(texts)
    flat = squash(whole)

    zone = zone_overview(demo_db).zone
    assert zone is not None and squash(zone.name) in flat
    assert "Администрация СЭЗ" in whole
    assert _("page {page} of {pages}").format(page=result.pages, pages=result.pages) in texts[-1]

    # The figures equal what the questionnaire service says, independently of the report's code.
    residents = list_residents(demo_db)
    campaign = zone_overview(demo_db).campaigns[0]
    statuses = Counter(q.status for q in list_questionnaires(demo_db, campaign_id=campaign.id))
    planned = sum(1 for r in residents if r.status == "planned")
    totals = result.totals
    assert totals["residents"] == len(residents)
    assert totals["answered"] == sum(statuses.values())
    assert totals["verified"] == statuses["verified"]
    assert totals["complete_or_verified"] == statuses["verified"] + statuses["complete"]
    assert totals["draft"] == statuses["draft"]
    assert totals["expected"] == len(residents) - planned
    assert totals["not_surveyed"] == totals["expected"] - totals["answered"]
    first = spaced(texts[0])
    for label, key in (("Residents of the zone", "residents"), ("Questionnaires received", "answered"),
                       ("Complete or verified", "complete_or_verified"), ("Not surveyed yet", "not_surveyed")):
        assert f"{_(label)} {format_number(totals[key], 0)}" in first
    share = 100 * totals["complete_or_verified"] / totals["expected"]
    assert f"{format_number(share, 0)} %" in first

    # Every resident is listed; those without a questionnaire are named under "What is missing".
    for r in residents:
        assert squash(r.short_name or r.name) in flat, r.name
    missing_part = squash(whole.split(_("What is missing"))[-1])
    answered = {q.resident_id for q in list_questionnaires(demo_db, campaign_id=campaign.id)}
    not_surveyed = [r for r in residents if r.id not in answered and r.status != "planned"]
    assert len(not_surveyed) == totals["not_surveyed"] > 0
    for r in not_surveyed:
        assert squash(r.short_name or r.name) in missing_part
    # Sites and sectors have their summary rows.
    for site in zone_overview(demo_db).sites:
        assert squash(site.name) in flat
    letter, name, _division = sector_of(["16100"], "ru")
    assert letter == "C" and name.startswith("Обрабатывающ")
    assert squash(f"{letter} — {name}") in flat


def test_missing_answers_are_the_empty_required_fields(demo_db) -> None:
    data = survey_data(demo_db, reports.ReportOptions())
    drafts = [r for r in data.residents if r.status == "draft"]
    assert drafts and any(r.missing for r in drafts)
    assert all(not r.missing for r in data.residents if r.status in ("complete", "verified"))
    assert {label for r in drafts for label in r.missing} <= {"Дата заполнения", "Date"}


def test_cancelling_leaves_no_file(demo_db, tmp_path: Path) -> None:
    out = tmp_path / "survey.pdf"
    with pytest.raises(TaskCancelled):
        reports.write_report(demo_db, "survey", out, cancelled=lambda: True)
    assert not out.exists()
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


def test_cli_writes_the_report(
    demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], russian: None
) -> None:
    out = tmp_path / "status.pdf"
    code = main(["--db", str(demo_db_path), "report", "survey", "--out", str(out), "--lang", "en", "--json"])
    assert code == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["path"] == str(out) and shown["pages"] >= 2 and shown["totals"]["answered"] > 0
    assert "Survey status" in " ".join(assert_well_formed(out, shown["pages"]))


@pytest.mark.parametrize("key", ["survey", "efficiency", "roadmap"])
def test_an_empty_database_prints_and_stays_empty(db, tmp_path: Path, key: str) -> None:
    from symdesk.storage.repository import CampaignRepository, ZoneRepository
    from symdesk.storage.uow import unit_of_work

    out = tmp_path / f"{key}.pdf"
    result = reports.write_report(db, key, out)
    texts = assert_well_formed(out, result.pages)
    assert _(reports.report(key).title) in texts[0]
    with unit_of_work(db) as session:
        assert ZoneRepository(session).list() == [] and CampaignRepository(session).list() == []
