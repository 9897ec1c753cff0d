"""Matching runs over a real database: stable identity, status kept, changes only where things changed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from symdesk.cli import main
from symdesk.domain.issues import ValidationError
from symdesk.domain.opportunity import EXPLANATION_FIELDS, Opportunity, OpportunityStatus
from symdesk.services.database import check_db
from symdesk.services.errors import UserError
from symdesk.services.matching import (
    FOUND_FIELDS,
    find_opportunity,
    found_values,
    get_opportunity,
    list_opportunities,
    run_matching,
    set_opportunity_status,
)
from symdesk.services.residents import resident_details
from symdesk.services.streams import save_streams
from symdesk.storage.db import Database
from symdesk.storage.repository import OpportunityRepository
from symdesk.storage.uow import unit_of_work


def test_rerun_keeps_identity_and_status(demo_db: Database) -> None:
    first = run_matching(demo_db)
    assert first.found >= 100 and first.new == first.found
    ranked = list_opportunities(demo_db)
    assert [o.score for o in ranked] == sorted((o.score for o in ranked), reverse=True)
    best = ranked[0]
    set_opportunity_status(demo_db, best.id, OpportunityStatus.DISCUSSING, note="звонок 12.05")
    rejected = ranked[1]
    with pytest.raises(ValidationError):
        set_opportunity_status(demo_db, rejected.id, OpportunityStatus.REJECTED)
    set_opportunity_status(demo_db, rejected.id, OpportunityStatus.REJECTED, reason="нет транспорта")
    revisions = {o.id: o.meta.revision for o in list_opportunities(demo_db)}

    second = run_matching(demo_db)
    assert (second.found, second.new, second.updated, second.unchanged) == (first.found, 0, 0, first.found)
    again = {o.id: o for o in list_opportunities(demo_db)}
    assert {k: o.meta.revision for k, o in again.items()} == revisions  # nothing rewritten
    assert again[best.id].status is OpportunityStatus.DISCUSSING and "звонок" in again[best.id].notes
    assert again[rejected.id].status is OpportunityStatus.REJECTED  # never proposed again as new


def test_a_rerun_compares_stored_json_as_text_without_loading_records(demo_db: Database) -> None:
    """The stored JSON text is exactly what the re-run writes for an unchanged finding, so
    unchanged opportunities are recognised from plain columns; Cyrillic is stored as itself."""
    run_matching(demo_db)
    with unit_of_work(demo_db) as session:
        repo = OpportunityRepository(session)
        stored = {row[0]: row[1:] for row in repo.columns("id", *FOUND_FIELDS, json_as_text=True)}
        records = {o.id: o for o in repo.list()}
    assert stored and stored.keys() == records.keys()
    for key, opportunity in records.items():
        assert stored[key] == found_values(opportunity)
    reasons_text = "".join(row[FOUND_FIELDS.index("reasons")] for row in stored.values())
    assert "\\u04" not in reasons_text
    assert any("\u0400" <= ch <= "\u04ff" for ch in reasons_text)


def test_a_changed_stream_updates_only_its_opportunities(demo_db: Database) -> None:
    run_matching(demo_db)
    before = {o.id: o for o in list_opportunities(demo_db)}
    target = list_opportunities(demo_db, match_kind="pair")[0]
    offer = next(s for s in resident_details(demo_db, target.provider_id or "").offers if s.id == target.offer_id)
    offer.quantity = (offer.quantity or 1) * 0.01
    save_streams(demo_db, [offer])
    summary = run_matching(demo_db)
    # What refers to the offer: its pairs and suggested receivers, a pool it is in, chains through its pairs.
    touched = {o.id for o in before.values() if o.offer_id == offer.id or offer.id in o.members}
    touched |= {o.id for o in before.values() if touched & set(o.members)}
    # A chain's links are the best pair between two residents and the best few chains per middle
    # resident are kept, so a changed pair may reshape the chains through its two residents.
    ends = {target.provider_id, target.receiver_id}
    pairs = {o.id: o for o in list_opportunities(demo_db, include_inactive=True)} | before

    def residents_of(chain: Opportunity) -> set[str | None]:
        return {r for link in chain.members if link in pairs for r in (pairs[link].provider_id, pairs[link].receiver_id)}

    touched |= {o.id for o in before.values() if o.match_kind.value == "chain" and ends & residents_of(o)}
    after = {o.id: o for o in list_opportunities(demo_db, include_inactive=True)}
    changed = {k for k in before if after[k].meta.revision != before[k].meta.revision}
    assert changed and changed <= touched and summary.updated + summary.deactivated == len(changed)


def test_opportunities_of_a_deleted_stream_become_inactive(demo_db: Database) -> None:
    from symdesk.services.residents import delete_resident

    run_matching(demo_db)
    target = list_opportunities(demo_db, match_kind="pair")[0]
    delete_resident(demo_db, target.provider_id or "")
    summary = run_matching(demo_db)
    assert summary.deactivated >= 1
    assert target.id not in {o.id for o in list_opportunities(demo_db)}
    assert target.id in {o.id for o in list_opportunities(demo_db, include_inactive=True)}
    assert check_db(demo_db).ok


def test_cli_match_list_show_set_status(capsys: pytest.CaptureFixture[str], demo_db_path: Path) -> None:
    db = ["--lang", "en", "--db", str(demo_db_path)]
    assert main([*db, "match", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["found"] == summary["new"] > 0
    # "Run and list": the ten best follow, in full, as `opportunities show` gives them.
    top = summary["top"]
    assert len(top) == 10 and [o["score"] for o in top] == sorted((o["score"] for o in top), reverse=True)
    assert all(o["components"] and o["reasons"] and o["provider_name"] for o in top)
    assert main([*db, "opportunities", "list", "--limit", "10", "--json"]) == 0
    assert [o["id"] for o in json.loads(capsys.readouterr().out)] == [o["id"] for o in top]
    assert main([*db, "match", "--top", "3"]) == 0
    printed = capsys.readouterr().out
    assert top[0]["id"][:8] in printed and top[3]["id"][:8] not in printed
    assert main([*db, "match", "--top", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["top"] == []
    assert main([*db, "opportunities", "list", "--kind", "energy", "--json"]) == 0
    energy = json.loads(capsys.readouterr().out)
    assert energy and all(o["kind"] == "energy" for o in energy)
    assert all({"component", "value", "weight", "contribution"} <= set(c) for c in energy[0]["components"])
    oid = energy[0]["id"]
    assert main([*db, "opportunities", "set-status", oid[:8], "negotiating", "--note", "встреча"]) == 0
    capsys.readouterr()
    assert main([*db, "opportunities", "show", oid[:8], "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "negotiating" and "встреча" in shown["notes"]
    assert main([*db, "opportunities", "set-status", oid[:8], "new"]) == 1
    assert "cannot go from" in capsys.readouterr().err


def test_a_resident_without_coordinates_is_measured_from_its_site(db: Database, tmp_path: Path) -> None:
    """Heat reaches 3 km: the resident on the site pairs with a neighbour 1 km away, not with one 11 km away,
    and the export prints the distance the score used."""
    from openpyxl import load_workbook

    from symdesk.domain.resident import Resident
    from symdesk.domain.stream import Category, Direction, Stream
    from symdesk.domain.zone import Site, Zone
    from symdesk.services.exports import export_opportunities
    from symdesk.storage.repository import (
        ResidentRepository,
        SiteRepository,
        StreamRepository,
        ZoneRepository,
    )
    from symdesk.storage.uow import unit_of_work

    with unit_of_work(db) as s:
        zone = ZoneRepository(s).add(Zone(name="СЭЗ «Тест»"))
        site = SiteRepository(s).add(Site(zone.id, "Участок 1", latitude=53.0, longitude=27.0))
        on_site = ResidentRepository(s).add(Resident(zone_id=zone.id, name="ООО «Котельная»", site_id=site.id))
        near = ResidentRepository(s).add(Resident(zone_id=zone.id, name="ООО «Теплица»", latitude=53.009, longitude=27.0))
        far = ResidentRepository(s).add(Resident(zone_id=zone.id, name="ООО «Сушилка»", latitude=53.1, longitude=27.0))
        streams = StreamRepository(s)
        streams.add(Stream(on_site.id, Direction.OFFER, Category.HEAT, "Тепло дымовых газов", temperature_c=90.0))
        for r in (near, far):
            streams.add(Stream(r.id, Direction.NEED, Category.HEAT, "Тепло для обогрева", temperature_c=60.0))
    run_matching(db)
    pairs = list_opportunities(db, match_kind="pair")
    assert [(o.provider_id, o.receiver_id) for o in pairs] == [(on_site.id, near.id)]
    distance = next(c for c in pairs[0].components if c["component"] == "distance")
    assert distance["note"] is None and 0.6 < distance["value"] < 0.8  # 1.0 km of 3 km
    out = tmp_path / "opportunities.xlsx"
    export_opportunities(db, out)
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header) if h and ("км" in str(h) or "km" in str(h)))
    assert 0.9 < float(sheet.cell(row=2, column=column + 1).value) < 1.1


def test_precedents_in_the_reasons_are_named_in_the_language_of_the_run(demo_db: Database) -> None:
    import re

    from symdesk.i18n import set_language

    def precedent_materials() -> list[str]:
        return [
            r["params"]["material"]
            for o in list_opportunities(demo_db, match_kind="receiver")
            for r in o.reasons
            if r["message"].startswith("Precedent:")
        ]

    set_language("ru")
    run_matching(demo_db)
    russian = precedent_materials()
    set_language("en")
    run_matching(demo_db)
    english = precedent_materials()
    assert russian and len(russian) == len(english)
    assert all(re.search("[а-яё]", m, re.IGNORECASE) for m in russian)
    assert not any(re.search("[а-яё]", m, re.IGNORECASE) for m in english)


def test_records_read_in_one_select_equal_the_orm_records(demo_db: Database) -> None:
    """``Repository.records`` builds records straight from rows; they must be exactly what ``get`` reads,
    enums, dates, JSON and metadata included — and with ``leave_out`` the same but for those fields."""
    run_matching(demo_db)
    deactivated = list_opportunities(demo_db, match_kind="pair")[-1]
    set_opportunity_status(demo_db, deactivated.id, OpportunityStatus.REJECTED, reason="далеко")
    with unit_of_work(demo_db) as session:
        repo = OpportunityRepository(session)
        fast = repo.records()
        light = repo.records(leave_out=EXPLANATION_FIELDS)
        slow = {o.id: repo.get(o.id) for o in fast}
    assert len(fast) == len(slow) > 100
    for o in fast:
        assert o == slow[o.id] and o.meta == slow[o.id].meta
    rejected = next(o for o in fast if o.id == deactivated.id)
    assert rejected.status is OpportunityStatus.REJECTED and rejected.status_changed_at is not None
    assert rejected.status_changed_at.tzinfo is not None
    assert any(o.components and o.reasons for o in fast)
    for o, whole in zip(light, fast, strict=True):
        assert o.components == [] and o.reasons == []
        assert replace(o, components=whole.components, reasons=whole.reasons) == whole
    assert light[0].components is not light[1].components  # each its own new list


def test_filters_in_sql_equal_filtering_every_record(demo_db: Database) -> None:
    """The list's filters run in SQL; they must keep exactly what testing each record would keep,
    order included (best first, ties by id)."""
    run_matching(demo_db)
    pool = list_opportunities(demo_db, match_kind="pooling")[0]
    member = next(m for m in pool.members if m not in (pool.provider_id, pool.receiver_id))
    first = list_opportunities(demo_db, match_kind="pair")[0]
    set_opportunity_status(demo_db, first.id, OpportunityStatus.DISCUSSING)
    with unit_of_work(demo_db) as session:
        every = OpportunityRepository(session).list()
    gone = next(o for o in every if o.match_kind.value == "receiver")
    gone.active = False  # one inactive record, as a re-run leaves them
    with unit_of_work(demo_db) as session:
        OpportunityRepository(session).add(gone)
    with unit_of_work(demo_db) as session:
        every = OpportunityRepository(session).list()

    def expected(kind=None, match_kind=None, status=None, min_score=0.0, resident_id=None, include_inactive=False):
        kept = [
            o for o in every
            if (include_inactive or o.active) and kind in (None, o.kind) and match_kind in (None, o.match_kind.value)
            and status in (None, o.status.value) and o.score >= min_score
            and (resident_id is None or resident_id in (o.provider_id, o.receiver_id) or resident_id in o.members)
        ]
        return [o.id for o in sorted(kept, key=lambda o: (-o.score, o.id))]

    cases = [
        {}, {"include_inactive": True}, {"match_kind": "receiver", "include_inactive": True}, {"kind": "energy"}, {"match_kind": "receiver"}, {"status": "discussing"},
        {"min_score": 60.0}, {"resident_id": first.provider_id}, {"resident_id": member},
        {"resident_id": first.receiver_id, "match_kind": "pair", "min_score": 50.0, "include_inactive": True},
    ]
    for filters in cases:
        wanted = expected(**filters)
        assert wanted, filters
        for explanations in (True, False):
            assert [o.id for o in list_opportunities(demo_db, explanations=explanations, **filters)] == wanted, filters


def test_an_opportunity_is_found_by_the_start_of_its_id(demo_db: Database) -> None:
    run_matching(demo_db)
    target = list_opportunities(demo_db)[0]
    assert find_opportunity(demo_db, target.id[:8].upper()) == get_opportunity(demo_db, target.id)
    assert find_opportunity(demo_db, target.id).components
    for too_short_or_wrong in (target.id[:3], "zzzzzzzz", "%%%%"):
        with pytest.raises(UserError):
            find_opportunity(demo_db, too_short_or_wrong)
    with pytest.raises(UserError):
        get_opportunity(demo_db, "0" * 36)


def _stored_table(db: Database) -> list[tuple]:
    with unit_of_work(db) as session:
        return sorted(OpportunityRepository(session).columns(
            "id", "active", "deleted", "status", "revision", *FOUND_FIELDS, json_as_text=True
        ))


def _edit_the_zone(db: Database) -> None:
    """A questionnaire edit: one offer's amount and one need's name changed, one resident gone."""
    from symdesk.services.residents import delete_resident

    pair = list_opportunities(db, match_kind="pair")[0]
    provider = resident_details(db, pair.provider_id or "")
    offer = next(s for s in provider.offers if s.id == pair.offer_id)
    offer.quantity = (offer.quantity or 1) * 40
    receiver = resident_details(db, pair.receiver_id or "")
    need = receiver.needs[-1]
    need.name = f"{need.name} и древесные опилки"
    save_streams(db, [offer, need])
    other = list_opportunities(db, match_kind="pair")[-1]
    delete_resident(db, other.receiver_id or "")


def test_a_rerun_in_the_same_program_stores_what_a_fresh_program_stores(
    demo_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run of a program starts from the first's results (``matching.rematch``) and compares
    only what it found again; the table it leaves equals what a program started afresh leaves."""
    import shutil

    from symdesk.services import matching as matching_service
    from symdesk.services.database import open_db

    compared: list[int | None] = []
    columns = OpportunityRepository.columns

    def spy(self: OpportunityRepository, *names: str, **kwargs: object) -> list[tuple]:
        if "components" in names:  # what a finding is compared on
            ids = kwargs.get("ids")
            compared.append(None if ids is None else len(ids))  # type: ignore[arg-type]
        return columns(self, *names, **kwargs)  # type: ignore[arg-type]

    summaries, tables = [], []
    for fresh_program in (False, True):
        path = tmp_path / f"zone-{fresh_program}.sqlite3"
        shutil.copy(demo_db_path, path)
        db = open_db(path)
        try:
            run_matching(db)
            _edit_the_zone(db)
            if fresh_program:
                monkeypatch.setattr(matching_service, "_last_run", None)
            monkeypatch.setattr(OpportunityRepository, "columns", spy)
            compared.clear()
            summaries.append(run_matching(db))
            monkeypatch.setattr(OpportunityRepository, "columns", columns)
            tables.append([row[:4] + row[5:] for row in _stored_table(db)])  # revisions: as each history has it
            if not fresh_program:
                # Only what was found again was read back, not the whole table; the revisions this run
                # remembers (worked out, not read again) are those stored.
                assert compared and all(n is not None and n < summaries[-1].found / 2 for n in compared)
                last = matching_service._last_run
                assert last is not None
                with unit_of_work(db) as session:
                    assert dict(last.revisions) == dict(OpportunityRepository(session).columns("id", "revision"))
            else:
                assert compared == [None]
        finally:
            db.close()
    assert summaries[0] == summaries[1]
    assert summaries[0].updated + summaries[0].new + summaries[0].deactivated > 0
    assert tables[0] == tables[1]


def test_a_rerun_after_another_program_wrote_puts_its_figures_right(demo_db: Database) -> None:
    """Another program (or a bundle import) may have written an opportunity since this program's last
    run: its revision moved, so it is compared with what is found again, and a figure written there is
    put right. A status changed meanwhile is compared too, and kept."""
    run_matching(demo_db)
    target = list_opportunities(demo_db, match_kind="pair")[0]
    with unit_of_work(demo_db) as session:
        repo = OpportunityRepository(session)
        record = repo.get(target.id)
        record.score = 1.0
        repo.add(record)
    other = list_opportunities(demo_db, match_kind="pair")[1]
    set_opportunity_status(demo_db, other.id, OpportunityStatus.DISCUSSING, note="звонок")
    summary = run_matching(demo_db)
    assert (summary.updated, summary.new, summary.deactivated) == (1, 0, 0)
    assert summary.unchanged == summary.found - 1
    assert get_opportunity(demo_db, target.id).score == target.score
    assert get_opportunity(demo_db, other.id).status is OpportunityStatus.DISCUSSING


def test_a_cancelled_rerun_stores_nothing_and_the_next_one_starts_from_the_last_stored(demo_db: Database) -> None:
    from symdesk.domain.tasks import TaskCancelled
    from symdesk.services import matching as matching_service

    run_matching(demo_db)
    last = matching_service._last_run
    _edit_the_zone(demo_db)
    before = _stored_table(demo_db)
    with pytest.raises(TaskCancelled):
        run_matching(demo_db, progress=lambda *_: None, cancelled=lambda: True)
    assert _stored_table(demo_db) == before and matching_service._last_run is last
    summary = run_matching(demo_db)
    assert summary.new + summary.updated + summary.deactivated > 0
    assert matching_service._last_run is not last


def test_listing_the_first_few_reads_only_them_and_picks_a_residents_right(demo_db: Database) -> None:
    run_matching(demo_db)
    everything = list_opportunities(demo_db, explanations=False)
    assert [o.id for o in list_opportunities(demo_db, explanations=False, limit=7)] == [o.id for o in everything[:7]]
    resident = everything[0].provider_id or ""
    theirs = list_opportunities(demo_db, resident_id=resident)
    assert len(theirs) > 3
    assert [o.id for o in list_opportunities(demo_db, resident_id=resident, limit=3)] == [o.id for o in theirs[:3]]
