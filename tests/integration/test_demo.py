"""The demo zone: big and varied enough to show every part of the product."""

from __future__ import annotations

from collections import Counter

import pytest

from symdesk.demo.zone_file import read_demo_zone
from symdesk.domain.geo import haversine_km
from symdesk.domain.stream import HazardClass, OpportunityKind
from symdesk.domain.tasks import TaskCancelled
from symdesk.services.database import check_db
from symdesk.services.demo import database_is_empty, load_demo
from symdesk.services.residents import list_residents
from symdesk.storage.db import Database


def test_demo_zone_shape() -> None:
    demo = read_demo_zone()
    assert len(demo.residents) >= 40
    assert len({r.unp for r in demo.residents}) == len(demo.residents)
    centre = (demo.zone.latitude, demo.zone.longitude)
    for r in demo.residents:
        assert r.latitude is not None and r.longitude is not None
        assert haversine_km(*centre, r.latitude, r.longitude) < 6  # type: ignore[arg-type]
    for direction in ("offer", "need"):
        kinds = {s.kind for s in demo.streams if s.direction == direction}
        assert kinds == set(OpportunityKind), direction
    hazards = Counter(s.hazard_class for s in demo.streams)
    assert hazards[HazardClass.CLASS_2] + hazards[HazardClass.CLASS_1] >= 1
    sectors = {r.activity_codes[0][:2] for r in demo.residents}
    assert len(sectors) >= 15


def test_demo_loads_validated_and_twice_changes_nothing(db: Database) -> None:
    first = load_demo(db)
    before = check_db(db)
    second = load_demo(db)
    after = check_db(db)
    assert first == second
    assert before.counts == after.counts and after.ok
    assert before.counts["residents"] == first.residents
    assert before.counts["streams"] == first.offers + first.needs
    summaries = list_residents(db)
    assert sum(r.offers for r in summaries) == first.offers


def test_cancelled_demo_load_leaves_nothing(db: Database) -> None:
    calls = {"n": 0}

    def cancel_after_some_work() -> bool:
        calls["n"] += 1
        return calls["n"] > 30

    with pytest.raises(TaskCancelled):
        load_demo(db, cancelled=cancel_after_some_work)
    assert database_is_empty(db)


def test_demo_load_reports_progress(db: Database) -> None:
    seen: list[tuple[int, int]] = []
    load_demo(db, progress=lambda done, total, _what: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)


def test_demo_questionnaires_are_varied_and_valid(demo_db: Database) -> None:
    from symdesk.services.questionnaires import check_document, list_questionnaires, open_document

    rows = list_questionnaires(demo_db)
    statuses = Counter(q.status for q in rows)
    assert set(statuses) == {"draft", "complete", "verified"} and min(statuses.values()) >= 5
    residents = list_residents(demo_db)
    assert len(residents) - 8 <= len(rows) < len(residents)  # most, not all, residents answered
    for q in rows:
        doc = open_document(demo_db, questionnaire_id=q.id)
        assert check_document(doc, complete=q.status != "draft") == [], q.resident_name
        if q.status != "draft":
            assert doc.values["electricity_mwh"] and doc.values["water_m3"]
    # the streams of answered residents belong to their questionnaire
    assert sum(q.offers + q.needs for q in rows) > 200


def test_demo_in_progress_has_a_follow_up_history_and_keeps_the_users(demo_db) -> None:
    from collections import Counter

    from symdesk.domain.opportunity import OpportunityStatus
    from symdesk.services.demo import demo_follow_up
    from symdesk.services.matching import list_opportunities, set_opportunity_status

    assert demo_follow_up(demo_db) == 7
    statuses = Counter(o.status for o in list_opportunities(demo_db))
    assert statuses[OpportunityStatus.IMPLEMENTED] == 2 and statuses[OpportunityStatus.NEGOTIATING] == 2
    assert statuses[OpportunityStatus.DISCUSSING] == 2 and statuses[OpportunityStatus.REJECTED] == 1
    rejected = list_opportunities(demo_db, status="rejected")[0]
    assert rejected.reject_reason and rejected.match_kind.value == "pair"
    implemented = list_opportunities(demo_db, status="implemented")
    assert all(o.notes for o in implemented) and len({o.provider_id for o in implemented}) == 2
    # The user's own follow-up is never overwritten by loading the demo again.
    target = list_opportunities(demo_db, status="new")[0]
    set_opportunity_status(demo_db, target.id, OpportunityStatus.DISCUSSING)
    assert demo_follow_up(demo_db) == 0
    assert Counter(o.status for o in list_opportunities(demo_db))[OpportunityStatus.DISCUSSING] == 3
