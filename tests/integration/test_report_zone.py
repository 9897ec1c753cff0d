"""The zone opportunity report from the demo zone, read back with poppler."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdesk.domain.opportunity import OpportunityStatus
from symdesk.domain.tasks import TaskCancelled
from symdesk.i18n import _, current_language
from symdesk.services import matching, reports
from symdesk.services.confidentiality import CONFIDENTIAL_PARTY
from symdesk.services.residents import list_residents
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


def names(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.id: r.short_name or r.name for r in list_residents(db)}


def test_zone_report_prints_the_engines_figures(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "zone.pdf"
    result = reports.write_report(matched, "zone", out, reports.ReportOptions(author="Администрация СЭЗ"))
    assert result.path == out and out.exists()
    texts = assert_well_formed(out, result.pages)
    assert result.pages >= 8
    opportunities = matching.list_opportunities(matched)
    expected = engine_totals([o for o in opportunities if o.status is not OpportunityStatus.REJECTED])
    summary = flat(texts[1])
    for key, value in expected.items():
        assert result.totals[key] == pytest.approx(value)
        assert number_text(value) in summary, (key, number_text(value))
    assert result.totals["opportunities"] == len(opportunities)
    everything = flat("\n".join(texts))
    zone = zone_overview(matched).zone
    assert zone is not None and zone.name in flat(texts[0]) and zone.name in everything
    assert "Администрация СЭЗ" in flat(texts[0])
    who = names(matched)
    for o in opportunities[:5]:  # the top opportunities and their parties have pages
        assert who[o.provider_id] in everything and who[o.receiver_id] in everything
    assert str(len(opportunities)) in summary
    # How each was found, so a reader tells declared exchanges from proposals to confirm.
    pairs = sum(1 for o in opportunities if o.match_kind.value == "pair")
    assert "Возможности по способу выявления" in summary and f"Предложение и потребность {pairs} " in summary
    # The ranked list reaches the last opportunity; the appendix states the factors and their sources.
    assert f" {len(opportunities)} " in everything
    assert "IPCC 2006" in everything and "≈" in everything


def test_filters_narrow_the_report(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    best = matching.list_opportunities(matched)[0]
    matching.set_opportunity_status(matched, best.id, OpportunityStatus.DISCUSSING, note="Встреча 12.11")
    out = tmp_path / "zone.pdf"
    options = reports.ReportOptions(statuses=("discussing",), min_score=10.0)
    result = reports.write_report(matched, "zone", out, options)
    texts = assert_well_formed(out, result.pages)
    assert result.totals["opportunities"] == 1
    assert result.totals["landfill_diverted_t"] == pytest.approx(engine_totals([best])["landfill_diverted_t"])
    text = flat("\n".join(texts))
    assert "Встреча 12.11" in text  # its notes on its page
    strict = reports.write_report(matched, "zone", tmp_path / "strict.pdf", reports.ReportOptions(min_score=80.0))
    assert strict.totals["opportunities"] == len(matching.list_opportunities(matched, min_score=80.0))


def test_for_residents_hides_a_confidential_party(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    best = matching.list_opportunities(matched)[0]
    secret = best.provider_id
    with unit_of_work(matched) as session:
        repo = StreamRepository(session)
        for stream in repo.list(resident_id=secret):
            stream.confidential = True
            repo.add(stream)
    matching.run_matching(matched)
    again = matching.find_opportunity(matched, best.id)
    assert secret in again.confidential_parties  # the engine keeps the party's wish
    name = names(matched)[secret]
    staff = reports.write_report(matched, "zone", tmp_path / "staff.pdf", reports.ReportOptions())
    public = reports.write_report(matched, "zone", tmp_path / "public.pdf", reports.ReportOptions(for_residents=True))
    assert name in flat(pdf_text(staff.path))
    text = flat("\n".join(assert_well_formed(public.path, public.pages)))
    assert name not in text
    assert _(CONFIDENTIAL_PARTY) in text
    assert public.totals == staff.totals  # it still counts


def test_english_report_and_language_restored(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = reports.write_report(matched, "zone", tmp_path / "en.pdf", reports.ReportOptions(language="en"))
    text = flat(pdf_text(result.path))
    assert "Industrial symbiosis opportunities" in text and "page 1 of" in text
    assert current_language() == "ru"


class Stop:
    """Asks to cancel once ``after`` progress steps were reported."""

    def __init__(self, after: int):
        self.after = after
        self.steps: list[tuple[int, int, str]] = []

    def progress(self, done: int, total: int, what: str) -> None:
        self.steps.append((done, total, what))

    def cancelled(self) -> bool:
        return len(self.steps) >= self.after


def test_cancel_leaves_no_file(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "zone.pdf"
    for after_steps in (2, 6):  # while gathering the data, and while laying out the pages
        stop = Stop(after_steps)
        with pytest.raises(TaskCancelled):
            reports.write_report(matched, "zone", out, reports.ReportOptions(), progress=stop.progress,
                                 cancelled=stop.cancelled)
        assert not out.exists() and list(folder.iterdir()) == []
    assert stop.steps[-1][1] > 4  # the layout's own steps (flowables), not the four of gathering


def test_empty_zone_still_prints(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = reports.write_report(db, "zone", tmp_path / "empty.pdf", reports.ReportOptions())
    assert_well_formed(result.path, result.pages)
    assert result.totals["opportunities"] == 0


def test_cli_report_zone_json(matched, demo_db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from symdesk.cli import main

    out = tmp_path / "cli.pdf"
    code = main(["--db", str(demo_db_path), "report", "zone", "--out", str(out), "--min-score", "50",
                 "--status", "new", "--for-residents", "--author", "СЭЗ", "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(printed) == {"path", "pages", "totals"}
    assert Path(printed["path"]) == out and printed["pages"] == len(pdf_text(out).split("\f")) - 1
    assert printed["totals"]["opportunities"] == len(matching.list_opportunities(matched, min_score=50, status="new"))
    code = main(["--db", str(demo_db_path), "report", "zone", "--out", str(tmp_path / "no" / "x.pdf")])
    assert code != 0


def test_a_long_ranked_list_is_cut_but_every_figure_counts_all(matched, demo_db_path: Path, tmp_path: Path,
                                                                capsys) -> None:  # type: ignore[no-untyped-def]
    """A register's hundred thousand opportunities would be thousands of pages: the ranked list stops at
    the limit and says so, while the summary and the totals still count every opportunity."""
    from symdesk.cli import main

    opportunities = matching.list_opportunities(matched)
    whole = reports.write_report(matched, "zone", tmp_path / "all.pdf", reports.ReportOptions(list_limit=0))
    out = tmp_path / "cut.pdf"
    code = main(["--db", str(demo_db_path), "report", "zone", "--out", str(out), "--limit", "5", "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0 and printed["pages"] < whole.pages
    assert printed["totals"]["listed"] == 5 and whole.totals["listed"] == len(opportunities)
    assert {k: v for k, v in printed["totals"].items() if k != "listed"} == pytest.approx(
        {k: v for k, v in whole.totals.items() if k != "listed"})
    assert printed["totals"]["opportunities"] == len(opportunities) > 5
    everything = flat(pdf_text(out))
    hint = _("The best {shown} of {count} opportunities.").format(shown=5, count=number_text(len(opportunities)))
    assert hint in everything
    assert hint.replace("5", "6", 1) not in flat(pdf_text(tmp_path / "all.pdf"))
    assert _("The best {shown} of {count} opportunities.").split("{")[0] not in flat(pdf_text(tmp_path / "all.pdf"))
