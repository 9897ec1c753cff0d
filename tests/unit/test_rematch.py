"""A re-match after an edit finds exactly what a full run finds, redoing only what the edit touches.

``rematch`` starts from the previous run's state and redoes the pairs,
receivers, guesses and pools that the edited residents and streams can
change. Each test edits shuffled copies of the demo zone the way a
questionnaire edit does (records replaced, never changed in place), and
compares every field of every opportunity, in order, with a full run of the
edited zone; then edits again from the re-match's own state.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import pytest

from benchmarks.compare import every_field
from symdesk.domain.opportunity import MatchKind, Opportunity
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import Direction, Stream
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.rematch import rematch
from symdesk.matching.run import find_opportunities, match_zone
from symdesk.matching.settings import default_factors, default_weights
from symdesk.matching.state import MatchResult, MatchState, Settings
from tests.unit.test_matching_speed_paths import shuffled_zone

Zone = tuple[list[Resident], list[Stream]]


def settings(**weights: float) -> Settings:
    kb = knowledge_base()
    return Settings(kb, replace(default_weights(), **weights), default_factors(),
                    {k: m.name_ru for k, m in kb.materials.items()}, "ru")


def fields_of(found: list[Opportunity]) -> list[tuple]:
    return [every_field(o) for o in found]


def full_run(zone: Zone, how: Settings) -> list[Opportunity]:
    return match_zone(*zone, how, keep_state=False).opportunities


def state_of(result: MatchResult) -> MatchState:
    assert result.state is not None
    return result.state


# -- edits, each as a questionnaire edit makes it: new records, the old ones left as they were ----------

def _stream_of(zone: Zone, rng: random.Random, direction: Direction | None = None) -> int:
    streams = zone[1]
    candidates = [k for k, s in enumerate(streams) if direction is None or s.direction is direction]
    return rng.choice(candidates)


def edit_quantity(zone: Zone, rng: random.Random) -> Zone:
    residents, streams = zone
    k = _stream_of(zone, rng)
    streams = [*streams]
    streams[k] = replace(streams[k], quantity=(streams[k].quantity or 1.0) * rng.choice([0.1, 3.0, 40.0]))
    return residents, streams


def edit_name_and_code(zone: Zone, rng: random.Random) -> Zone:
    residents, streams = zone
    k, other = _stream_of(zone, rng), rng.choice(streams)
    streams = [*streams]
    streams[k] = replace(streams[k], name=other.name, code=other.code, category=other.category)
    return residents, streams


def remove_stream(zone: Zone, rng: random.Random) -> Zone:
    residents, streams = zone
    k = _stream_of(zone, rng)
    return residents, streams[:k] + streams[k + 1:]


def delete_stream(zone: Zone, rng: random.Random) -> Zone:
    residents, streams = zone
    k = _stream_of(zone, rng, Direction.NEED)
    streams = [*streams]
    streams[k] = replace(streams[k], meta=replace(streams[k].meta, deleted=True))
    return residents, streams


def add_streams(zone: Zone, rng: random.Random) -> Zone:
    """A resident declares two more streams copied from others' (a common material, so it meets many)."""
    residents, streams = zone
    owner = rng.choice(residents).id
    added = [replace(rng.choice(streams), resident_id=owner, meta=RecordMeta(id=f"added-{rng.random()}"))
             for _ in range(2)]
    return residents, [*streams, *added]


def confidential(zone: Zone, rng: random.Random) -> Zone:
    residents, streams = zone
    k = _stream_of(zone, rng, Direction.OFFER)
    streams = [*streams]
    streams[k] = replace(streams[k], confidential=not streams[k].confidential)
    return residents, streams


def _resident_edit(change: Callable[[Resident, random.Random], Resident]) -> Callable[[Zone, random.Random], Zone]:
    def edit(zone: Zone, rng: random.Random) -> Zone:
        residents, streams = zone
        owners = sorted({s.resident_id for s in streams})
        chosen = rng.choice(owners)
        k = next(i for i, r in enumerate(residents) if r.id == chosen)
        residents = [*residents]
        residents[k] = change(residents[k], rng)
        return residents, streams

    edit.__name__ = change.__name__
    return edit


def moved(r: Resident, rng: random.Random) -> Resident:
    return replace(r, latitude=None if r.latitude is None else r.latitude + rng.uniform(-0.2, 0.2),
                   longitude=None if r.longitude is None else r.longitude + rng.uniform(-0.2, 0.2))


def new_activity(r: Resident, rng: random.Random) -> Resident:
    return replace(r, activity_codes=[rng.choice(["16100", "10710", "23610", "38320", "01130", "35300"])])


def left(r: Resident, rng: random.Random) -> Resident:
    return replace(r, status=ResidentStatus.LEFT)


def renamed(r: Resident, rng: random.Random) -> Resident:
    return replace(r, name=f"{r.name} (новое название)")


def remove_resident(zone: Zone, rng: random.Random) -> Zone:
    residents, streams = zone
    gone = rng.choice(sorted({s.resident_id for s in streams}))
    return [r for r in residents if r.id != gone], streams


def add_resident(zone: Zone, rng: random.Random) -> Zone:
    """A new resident, a copy of another with its streams (new ids), next door to it."""
    residents, streams = zone
    model = rng.choice([r for r in residents if r.latitude is not None])
    newcomer = replace(moved(model, rng), meta=RecordMeta(id=f"new-{rng.random()}"))
    copies = [replace(s, resident_id=newcomer.id, meta=RecordMeta(id=f"{s.id}-copy-{newcomer.id}"))
              for s in streams if s.resident_id == model.id]
    return [*residents, newcomer], [*streams, *copies]


EDITS = [edit_quantity, edit_name_and_code, remove_stream, delete_stream, add_streams, confidential,
         _resident_edit(moved), _resident_edit(new_activity), _resident_edit(left), _resident_edit(renamed),
         remove_resident, add_resident]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_a_rematch_after_an_edit_finds_what_a_full_run_finds(edit: Callable[[Zone, random.Random], Zone]) -> None:
    how = settings()
    zone = shuffled_zone(11)
    state = state_of(match_zone(*zone, how))
    rng = random.Random(edit.__name__)
    for _ in range(3):  # each time from the state the re-match left
        zone = edit(zone, rng)
        again = rematch(state, *zone, how)
        assert fields_of(again.opportunities) == fields_of(full_run(zone, how)), edit.__name__
        state = state_of(again)


def test_a_rematch_after_several_edits_at_once_finds_what_a_full_run_finds() -> None:
    how = settings()
    zone = shuffled_zone(12)
    state = state_of(match_zone(*zone, how))
    rng = random.Random(5)
    for _ in range(4):
        for edit in rng.sample(EDITS, 3):
            zone = edit(zone, rng)
        again = rematch(state, *zone, how)
        assert fields_of(again.opportunities) == fields_of(full_run(zone, how))
        state = state_of(again)


def test_what_an_edit_does_not_touch_is_kept_not_made_again() -> None:
    how = settings()
    zone = shuffled_zone(13)
    first = match_zone(*zone, how)
    zone = edit_quantity(zone, random.Random(1))
    again = rematch(first.state, *zone, how)
    before = {id(o) for o in first.opportunities}
    kept = [o for o in again.opportunities if id(o) in before]
    # Most opportunities are the previous run's own objects, of every kind that is kept by what it depends on.
    assert len(kept) > 0.8 * len(again.opportunities)
    assert {o.match_kind for o in kept} >= {MatchKind.PAIR, MatchKind.RECEIVER, MatchKind.COMPANY_TYPE, MatchKind.POOLING}
    # Nothing edited: the previous run's list, as it was.
    same = rematch(state_of(again), *zone, how)
    assert [id(o) for o in same.opportunities] == [id(o) for o in again.opportunities]


def test_a_rematch_under_other_settings_is_a_full_run() -> None:
    zone = shuffled_zone(14)
    state = state_of(match_zone(*zone, settings()))
    stricter = settings(text_min_similarity=0.6)
    again = rematch(state, *zone, stricter)
    assert fields_of(again.opportunities) == fields_of(full_run(zone, stricter))
    assert fields_of(again.opportunities) != fields_of(state.opportunities)


def test_find_opportunities_is_match_zone_without_a_state() -> None:
    zone = shuffled_zone(15)
    how = settings()
    kb, weights, factors = how.kb, how.weights, how.factors
    found = find_opportunities(*zone, kb, weights, factors, how.material_names, language=how.language)
    result = match_zone(*zone, how)
    assert fields_of(found) == fields_of(result.opportunities)
    assert result.state is not None and result.state.opportunities is result.opportunities
    assert match_zone(*zone, how, keep_state=False).state is None


@pytest.mark.parametrize("step", ["pairs", "receivers", "company_type", "pooling", "chains"])
def test_a_cancelled_rematch_raises_and_leaves_its_state_as_it_was(step: str) -> None:
    """Cancelling stops the re-match at the step (its progress says which), and the state it
    started from still gives the right re-match afterwards."""
    from symdesk.domain.tasks import TaskCancelled

    how = settings()
    zone = shuffled_zone(16)
    state = state_of(match_zone(*zone, how))
    zone = edit_quantity(zone, random.Random(3))
    steps: list[str] = []
    with pytest.raises(TaskCancelled):
        rematch(state, *zone, how, progress=lambda _done, _total, what: steps.append(what),
                cancelled=lambda: bool(steps) and steps[-1] == step)
    assert steps[-1] == step and steps == ["pairs", "receivers", "company_type", "pooling", "chains"][:len(steps)]
    assert fields_of(rematch(state, *zone, how).opportunities) == fields_of(full_run(zone, how))
