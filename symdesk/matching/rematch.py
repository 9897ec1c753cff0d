"""A re-match after a questionnaire edit: the run ``match_zone`` would make, redoing only what the edit touches.

Each kind of opportunity depends on a known part of the zone, so the edited
residents and streams (found by comparing the records with the previous run's
``MatchState``) say which results can have changed:

* declared pairs: a pair's score depends on its two streams and their
  residents only, so only the pairs touching a *touched* stream (one of an
  edited resident, or of a resident whose streams were edited) are scored
  again; the others keep their score. Which pairs are kept (the best few of
  each offer and need) is chosen again from all of them, and only the kept
  pairs that are new or touched are explained;
* suggested receivers of an offer depend on the offer, its provider, the
  residents of the classes suggested for it and the offer's declared pairs:
  they are found again for the touched offers, the offers whose kept pairs
  changed and the offers suggesting a class of an edited resident (before or
  after the edit);
* a company-type guess about a resident depends on that resident and on the
  streams of the materials suggested for its activity: guesses are made
  again about the touched residents and about those whose suggested materials
  include one of a touched stream's classes;
* pools and chains span the zone and are quick: they are found again.

The result equals a full run's, field by field (tests hold it to that on
random edits); the opportunities nothing touched are the previous run's own
objects. A zone large enough to be matched with helper processes, or other
settings, get a full run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from symdesk.domain.collector import collector_paused
from symdesk.domain.opportunity import Opportunity
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Direction, Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.matching.chains import chain_opportunities
from symdesk.matching.columns import sorted_unique
from symdesk.matching.company_mode import company_type_opportunities, likely_classes
from symdesk.matching.helper import worth_sharing
from symdesk.matching.pair_records import pair_opportunities
from symdesk.matching.pair_scorer import PairScorer
from symdesk.matching.pairs import StreamClasses, prepare
from symdesk.matching.pooling import pool_group, pools_by_group
from symdesk.matching.receiver_mode import activity_class, receiver_opportunities, suggested_classes
from symdesk.matching.run import MAX_PAIRS_PER_STREAM, STEPS, match_zone, ranked_list
from symdesk.matching.screen import Screened, best_of_each, joined, screen_pairs
from symdesk.matching.state import MatchResult, MatchState, Settings, by_key, declared_receivers


@collector_paused()
def rematch(
    state: MatchState | None,
    residents: Sequence[Resident],
    streams: Sequence[Stream],
    settings: Settings,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> MatchResult:
    """The zone's opportunities as ``match_zone`` finds them, starting from the previous run's ``state``."""
    by_resident = {r.id: r for r in residents}
    live_streams = [s for s in streams if s.resident_id in by_resident]
    if state is None or not state.settings.same_as(settings) or worth_sharing(len(live_streams)):
        return match_zone(residents, streams, settings, progress, cancelled)
    progress = progress or no_progress
    by_id = {s.id: s for s in streams}
    edited_residents = _edited(by_resident, state.residents)
    touched_residents = set(edited_residents)
    for key in _edited(by_id, state.streams):
        touched_residents.update(s.resident_id for s in (by_id.get(key), state.streams.get(key)) if s is not None)
    if not touched_residents:
        return MatchResult(list(state.opportunities), state)
    # Every stream of a touched resident, before and after the edit.
    touched_before = [s for s in state.streams.values() if s.resident_id in touched_residents]
    touched_now = [s for s in streams if s.resident_id in touched_residents]
    touched = {s.id for s in (*touched_before, *touched_now)}
    kb, weights, factors = settings.kb, settings.weights, settings.factors
    offers = [s for s in live_streams if s.direction is Direction.OFFER]
    needs = [s for s in live_streams if s.direction is Direction.NEED]
    total = len(STEPS) + 1

    progress(0, total, "pairs")
    pairs, everything = _pairs(state, offers, needs, by_resident, settings, touched, cancelled)
    check_cancelled(cancelled)

    progress(1, total, "receivers")
    declared = declared_receivers(pairs)
    changed_classes = {activity_class(code) for key in edited_residents
                       for r in (by_resident.get(key), state.residents.get(key)) if r is not None
                       for code in r.activity_codes} - {""}
    nothing: set[str] = set()
    again = [
        o for o in offers
        if o.id in touched or declared.get(o.id, nothing) != state.declared.get(o.id, nothing)
        or (changed_classes and not changed_classes.isdisjoint(suggested_classes(kb, o, by_resident)))
    ]
    found_again = by_key(receiver_opportunities(
        again, by_resident, kb, weights, factors,
        declared={(o, r) for o, rs in declared.items() for r in rs}, language=settings.language,
    ), "offer")
    redone = {o.id for o in again}
    receivers = [o for s in offers for o in (found_again if s.id in redone else state.receivers).get(s.id, ())]
    check_cancelled(cancelled)

    progress(2, total, "company_type")
    classes_of = StreamClasses(kb)
    # A guess that a resident gives off a material looks for neighbours' needs of it, and the other way round.
    needed, offered = set(), set()
    for s in (*touched_before, *touched_now):
        (needed if s.direction is Direction.NEED else offered).update(classes_of(s))
    asking = set(touched_residents)
    for r in residents:
        if r.activity_codes and r.id not in asking:
            gives, takes = likely_classes(kb, activity_class(r.activity_codes[0]))
            if not gives.isdisjoint(needed) or not takes.isdisjoint(offered):
                asking.add(r.id)
    guessed = by_key(company_type_opportunities(
        live_streams, by_resident, kb, weights, classes_of, language=settings.language, asking=asking
    ), "asked")
    guesses = [o for key in sorted(by_resident) for o in (guessed if key in asking else state.guesses).get(key, ())]
    check_cancelled(cancelled)

    progress(3, total, "pooling")
    touched_groups = {g for s in touched_before if (g := pool_group(s, state.residents, classes_of)) is not None}
    touched_groups |= {g for s in touched_now if (g := pool_group(s, by_resident, classes_of)) is not None}
    pooled = pools_by_group(live_streams, by_resident, weights, classes_of, settings.material_names,
                            known=state.pools, touched=touched_groups)
    check_cancelled(cancelled)

    progress(4, total, "chains")
    chains = chain_opportunities(pairs, {s.id: s.name for s in offers})
    progress(5, total, "")
    ranked = _merged(state.opportunities, ranked_list(pairs, receivers, guesses, list(pooled.values()), chains,
                                                      sort=False))
    return MatchResult(ranked, MatchState(
        settings, by_resident, by_id, everything, {(o.offer_id, o.need_id): o for o in pairs},
        by_key(receivers, "offer"), by_key(guesses, "asked"), pooled, declared, ranked,
    ))


def _merged(before: Sequence[Opportunity], now: list[Opportunity]) -> list[Opportunity]:
    """``now`` best first, ties by id: the opportunities kept from ``before`` are in that order already,
    and a sort of two ordered runs merges them."""
    was = {id(o) for o in before}
    is_now = {id(o) for o in now}
    ranked = [o for o in before if id(o) in is_now]
    ranked += sorted((o for o in now if id(o) not in was), key=_best_first)
    ranked.sort(key=_best_first)
    return ranked


def _best_first(o: Opportunity) -> tuple[float, str]:
    return -o.score, o.meta.id


def _edited(now: Mapping[str, object], before: Mapping[str, object]) -> set[str]:
    """The keys added, removed or whose record is no longer equal."""
    return {key for key in now.keys() | before.keys()
            if (a := now.get(key)) is not (b := before.get(key)) and (a is None or b is None or a != b)}


def _pairs(
    state: MatchState,
    offers: Sequence[Stream],
    needs: Sequence[Stream],
    by_resident: Mapping[str, Resident],
    settings: Settings,
    touched: set[str],
    cancelled: CancelledFn | None,
) -> tuple[list[Opportunity], Screened]:
    """The kept declared pairs after the edit, and every scored pair (the next state's)."""
    kb, weights = settings.kb, settings.weights
    fresh = screen_pairs(offers, needs, by_resident, kb, weights, touching=touched, cancelled=cancelled)
    old = state.screened
    # The previous run's pairs of untouched streams, at their places among the live offers and needs
    # now (an untouched stream and its resident are unchanged, so it is still live).
    offer_at = {s.id: k for k, s in enumerate(fresh.offers)}
    need_at = {s.id: k for k, s in enumerate(fresh.needs)}
    offer_to = np.array([-1 if s.id in touched else offer_at[s.id] for s in old.offers], dtype=np.int64)
    need_to = np.array([-1 if s.id in touched else need_at[s.id] for s in old.needs], dtype=np.int64)
    oi, nj = offer_to[old.offer_index], need_to[old.need_index]
    untouched = (oi >= 0) & (nj >= 0)
    everything = joined(fresh, oi[untouched], nj[untouched], old.total[untouched])
    kept = best_of_each(everything, MAX_PAIRS_PER_STREAM)
    reused: list[Opportunity] = []
    new_at: list[int] = []
    offer_streams, need_streams = fresh.offers, fresh.needs
    for k, (i, j) in enumerate(zip(kept.offer_index.tolist(), kept.need_index.tolist(), strict=True)):
        offer_id, need_id = offer_streams[i].id, need_streams[j].id
        found = None if offer_id in touched or need_id in touched else state.pairs.get((offer_id, need_id))
        if found is None:
            new_at.append(k)  # touched, or newly among the best of its offer or need
        else:
            reused.append(found)
    explained: list[Opportunity] = []
    if new_at:
        at = np.array(new_at, dtype=np.int64)
        oi, nj = kept.offer_index[at], kept.need_index[at]
        used_o, used_n = sorted_unique(oi), sorted_unique(nj)
        scorer = PairScorer(
            [prepare(offer_streams[i], kb) for i in used_o.tolist()], [prepare(need_streams[j], kb) for j in used_n.tolist()],
            by_resident, kb, weights, offer_positions=used_o, need_positions=used_n,
        )
        explained = pair_opportunities(Screened(offer_streams, need_streams, oi, nj, kept.total[at], scorer),
                                       settings.factors, settings.material_names, cancelled=cancelled)
    return reused + explained, replace(everything, context=None)
