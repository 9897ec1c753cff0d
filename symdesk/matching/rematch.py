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

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from symdesk.domain.collector import collector_paused
from symdesk.domain.opportunity import Opportunity
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Direction, Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.matching.chains import chain_opportunities
from symdesk.matching.columns import sorted_unique
from symdesk.matching.company_mode import (
    MIN_SCORE,
    PER_RESIDENT,
    best_totals,
    company_type_opportunities,
)
from symdesk.matching.helper import worth_sharing
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pair_records import pair_opportunities
from symdesk.matching.pair_scorer import PairScorer
from symdesk.matching.pairs import StreamClasses, prepare
from symdesk.matching.pooling import pool_group, pools_by_group
from symdesk.matching.receiver_mode import activity_class, receiver_opportunities, suggested_classes
from symdesk.matching.run import MAX_PAIRS_PER_STREAM, STEPS, match_zone
from symdesk.matching.screen import Screened, best_of_each, screen_pairs
from symdesk.matching.state import (
    MatchResult,
    MatchState,
    Settings,
    by_asked_resident,
    by_offer,
    declared_receivers,
)


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
    found = _pairs(state, offers, needs, by_resident, settings, touched, cancelled)
    kept_pairs, new_pairs, pairs = found.kept, found.new, found.in_order
    check_cancelled(cancelled)

    progress(1, total, "receivers")
    declared = declared_receivers(pairs)
    changed_classes = {activity_class(code) for key in edited_residents
                       for r in (by_resident.get(key), state.residents.get(key)) if r is not None
                       for code in r.activity_codes} - {""}
    again = _receivers_again(offers, touched, declared, state.declared, changed_classes, by_resident, kb)
    redone = {o.id for o in again}
    new_receivers = receiver_opportunities(
        again, by_resident, kb, weights, factors,
        declared={(o, r) for o in redone for r in declared.get(o, ())}, language=settings.language,
    )
    kept_receivers = [o for s in offers if s.id not in redone for o in state.receivers.get(s.id, ())]
    check_cancelled(cancelled)

    progress(2, total, "company_type")
    classes_of = StreamClasses(kb)
    asking = _asked_again(state, residents, touched_residents, touched_before, touched_now, classes_of, settings)
    new_guesses = company_type_opportunities(
        live_streams, by_resident, kb, weights, classes_of, language=settings.language, asking=asking
    )
    kept_guesses = [o for key in sorted(by_resident) if key not in asking for o in state.guesses.get(key, ())]
    check_cancelled(cancelled)

    progress(3, total, "pooling")
    touched_groups = {g for s in touched_before if (g := pool_group(s, state.residents, classes_of)) is not None}
    touched_groups |= {g for s in touched_now if (g := pool_group(s, by_resident, classes_of)) is not None}
    pooled = pools_by_group(live_streams, by_resident, weights, classes_of, settings.material_names,
                            known=state.pools, touched=touched_groups)
    kept_pools = [o for group, o in pooled.items() if group not in touched_groups]
    new_pools = [o for group, o in pooled.items() if group in touched_groups]
    check_cancelled(cancelled)

    progress(4, total, "chains")
    # A chain whose links are all the previous run's is the previous run's chain.
    explained = {id(o) for o in new_pairs}
    chains = chain_opportunities(pairs, {s.id: s.name for s in offers}, known=state.chains,
                                 unchanged=lambda link: id(link) not in explained)
    chains_before = {id(o) for o in state.chains.values()}
    kept_chains = [o for o in chains if id(o) in chains_before]
    new_chains = [o for o in chains if id(o) not in chains_before]
    check_cancelled(cancelled)
    progress(5, total, "")
    # What the full run's ``ranked_list`` would list: guesses, pools and chains keep the first of an id.
    once: dict[str, Opportunity] = {o.meta.id: o for o in (*kept_guesses, *kept_pools, *kept_chains)}
    for o in (*new_guesses, *new_pools, *new_chains):
        once.setdefault(o.meta.id, o)
    made_now = {id(o) for o in (*new_guesses, *new_pools, *new_chains)}
    fresh = [*new_pairs, *new_receivers, *(o for o in once.values() if id(o) in made_now)]
    ranked = _merged(state.opportunities, [*kept_pairs, *kept_receivers, *kept_guesses, *kept_pools, *kept_chains],
                     fresh)
    return MatchResult(ranked, MatchState(
        settings, by_resident, by_id, found.everything, found.kept_screen, pairs,
        by_offer([*kept_receivers, *new_receivers]), by_asked_resident([*kept_guesses, *new_guesses]), pooled,
        {o.id: o for o in chains}, declared, ranked,
    ))


def _merged(before: Sequence[Opportunity], kept: Sequence[Opportunity], fresh: list[Opportunity]) -> list[Opportunity]:
    """The kept and fresh opportunities best first, ties by id: the kept are in ``before``'s order
    already, and each fresh one goes where a binary search of them puts it."""
    keep = {id(o) for o in kept}
    ranked = [o for o in before if id(o) in keep]
    fresh.sort(key=_best_first)
    if len(ranked) != len(kept):  # never: every kept opportunity is one of the previous run's
        return sorted([*kept, *fresh], key=_best_first)
    merged: list[Opportunity] = []
    start = 0
    for o in fresh:
        at = bisect_left(ranked, _best_first(o), lo=start, key=_best_first)
        merged += ranked[start:at]
        merged.append(o)
        start = at
    merged += ranked[start:]
    return merged


def _best_first(o: Opportunity) -> tuple[float, str]:
    return -o.score, o.meta.id


def _receivers_again(
    offers: Sequence[Stream],
    touched: set[str],
    declared: Mapping[str, set[str]],
    declared_before: Mapping[str, set[str]],
    changed_classes: set[str],
    by_resident: Mapping[str, Resident],
    kb: KnowledgeBase,
) -> list[Stream]:
    """The offers whose suggested receivers an edit can change: the touched ones; those suggesting a
    class an edited resident had or has; and those with a declared pair gained or lost to a
    resident of a class they suggest (a declared receiver is not suggested again, and one no
    longer declared may be)."""
    nothing: set[str] = set()
    classes_of: dict[str, frozenset[str]] = {}

    def classes(key: str) -> frozenset[str]:
        found = classes_of.get(key)
        if found is None:
            r = by_resident.get(key)
            found = classes_of[key] = frozenset(activity_class(c) for c in r.activity_codes) if r else frozenset()
        return found

    again = []
    for o in offers:
        if o.id in touched:
            again.append(o)
            continue
        now, then = declared.get(o.id, nothing), declared_before.get(o.id, nothing)
        if not changed_classes and now == then:
            continue
        suggested = suggested_classes(kb, o, by_resident)
        if not changed_classes.isdisjoint(suggested) or any(not classes(r).isdisjoint(suggested) for r in now ^ then):
            again.append(o)
    return again


def _asked_again(
    state: MatchState,
    residents: Sequence[Resident],
    touched_residents: set[str],
    touched_before: Sequence[Stream],
    touched_now: Sequence[Stream],
    classes_of: StreamClasses,
    settings: Settings,
) -> set[str]:
    """The residents whose company-type guesses an edit can change: the touched ones; those with a
    kept guess on a touched stream (as it was); and those for whom a touched stream (as it is now)
    could give a guess scoring at least their least kept one (or the least score kept, with fewer
    than ``PER_RESIDENT``), at best, next door. Anything below would rank under what is kept."""
    was = {s.id for s in touched_before}
    # What each touched stream offers a guess: needs answer "gives off?", offers answer "needs?".
    answers = {(Direction.OFFER if s.direction is Direction.NEED else Direction.NEED, c)
               for s in touched_now for c in classes_of(s)}
    best_by_activity: dict[str, dict[tuple[Direction, str], float]] = {}
    asking = set(touched_residents)
    for r in residents:
        if r.id in asking or not r.activity_codes:
            continue
        kept = state.guesses.get(r.id, ())
        if any(o.members[3] in was for o in kept):
            asking.add(r.id)
            continue
        act = activity_class(r.activity_codes[0])
        best = best_by_activity.get(act)
        if best is None:
            best = best_by_activity[act] = best_totals(settings.kb, act, settings.weights)
        threshold = min(o.score for o in kept) if len(kept) >= PER_RESIDENT else MIN_SCORE
        if any(best.get(answer, -1.0) >= threshold for answer in answers):
            asking.add(r.id)
    return asking


def _edited(now: Mapping[str, object], before: Mapping[str, object]) -> set[str]:
    """The keys added, removed or whose record is no longer equal."""
    return {key for key in now.keys() | before.keys()
            if (a := now.get(key)) is not (b := before.get(key)) and (a is None or b is None or a != b)}


@dataclass(frozen=True)
class _Pairs:
    """The declared pairs of a re-match: those the previous run made that nothing touched (``kept``),
    those explained now (``new``), all of them in the order of the kept pairs (``in_order``), the
    kept pairs and every pair scored (the last three: the next state's)."""

    kept: list[Opportunity]
    new: list[Opportunity]
    in_order: list[Opportunity]
    kept_screen: Screened
    everything: Screened


def _pairs(
    state: MatchState,
    offers: Sequence[Stream],
    needs: Sequence[Stream],
    by_resident: Mapping[str, Resident],
    settings: Settings,
    touched: set[str],
    cancelled: CancelledFn | None,
) -> _Pairs:
    """The declared pairs kept after the edit, and every pair scored."""
    kb, weights = settings.kb, settings.weights
    fresh = screen_pairs(offers, needs, by_resident, kb, weights, touching=touched, cancelled=cancelled)
    old = state.screened
    # The previous run's pairs of untouched streams, at their places among the live offers and needs
    # now (an untouched stream and its resident are unchanged, so it is still live). Both lists are
    # by id, so the pairs stay in (offer, need) order.
    offer_at = {s.id: k for k, s in enumerate(fresh.offers)}
    need_at = {s.id: k for k, s in enumerate(fresh.needs)}
    offer_to = np.array([-1 if s.id in touched else offer_at[s.id] for s in old.offers], dtype=np.int64)
    need_to = np.array([-1 if s.id in touched else need_at[s.id] for s in old.needs], dtype=np.int64)
    oi, nj = offer_to[old.offer_index], need_to[old.need_index]
    untouched = (oi >= 0) & (nj >= 0)
    everything = _merged_pairs(fresh, oi[untouched], nj[untouched], old.total[untouched])
    kept = best_of_each(everything, MAX_PAIRS_PER_STREAM)
    # The kept pairs the previous run kept too, untouched: its opportunities, found by their positions then.
    offer_from = _inverse(offer_to, len(fresh.offers))
    need_from = _inverse(need_to, len(fresh.needs))
    before_o, before_n = offer_from[kept.offer_index], need_from[kept.need_index]
    width = max(len(old.needs), 1)
    codes = before_o * width + before_n
    kept_before = state.kept.offer_index * width + state.kept.need_index  # in (offer, need) order
    at = np.minimum(np.searchsorted(kept_before, codes), max(len(kept_before) - 1, 0))
    found = (before_o >= 0) & (before_n >= 0)
    if len(kept_before):
        found &= kept_before[at] == codes
    else:
        found[:] = False
    pairs: list[Opportunity | None] = [None] * len(kept)
    reused = [state.pairs[k] for k in at[found].tolist()]
    for k, o in zip(np.flatnonzero(found).tolist(), reused, strict=True):
        pairs[k] = o
    explained: list[Opportunity] = []
    new_at = np.flatnonzero(~found)  # touched, or newly among the best of its offer or need
    if len(new_at):
        oi, nj = kept.offer_index[new_at], kept.need_index[new_at]
        used_o, used_n = sorted_unique(oi), sorted_unique(nj)
        offer_streams, need_streams = fresh.offers, fresh.needs
        scorer = PairScorer(
            [prepare(offer_streams[i], kb) for i in used_o.tolist()], [prepare(need_streams[j], kb) for j in used_n.tolist()],
            by_resident, kb, weights, offer_positions=used_o, need_positions=used_n,
        )
        explained = pair_opportunities(Screened(offer_streams, need_streams, oi, nj, kept.total[new_at], scorer),
                                       settings.factors, settings.material_names, cancelled=cancelled)
        for k, o in zip(new_at.tolist(), explained, strict=True):
            pairs[k] = o
    return _Pairs(reused, explained, pairs, replace(kept, context=None), replace(everything, context=None))  # type: ignore[arg-type]


def _inverse(to: np.ndarray, size: int) -> np.ndarray:
    """For each of ``size`` places, the position whose ``to`` is that place, -1 for none."""
    found = np.full(size, -1, dtype=np.int64)
    mapped = np.flatnonzero(to >= 0)
    found[to[mapped]] = mapped
    return found


def _merged_pairs(fresh: Screened, offer_index: np.ndarray, need_index: np.ndarray, total: np.ndarray) -> Screened:
    """``fresh`` and other pairs of the same offers and needs, both in (offer, need) order and none
    in both, as one screen in that order (``screen.joined`` for two ordered parts, without a sort)."""
    width = max(len(fresh.needs), 1)
    others = offer_index * width + need_index
    places = np.searchsorted(others, fresh.offer_index * width + fresh.need_index) + np.arange(len(fresh))
    size = len(others) + len(fresh)
    mine = np.zeros(size, dtype=bool)
    mine[places] = True
    oi, nj, t = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64), np.empty(size, dtype=np.float64)
    oi[places], nj[places], t[places] = fresh.offer_index, fresh.need_index, fresh.total
    oi[~mine], nj[~mine], t[~mine] = offer_index, need_index, total
    return Screened(fresh.offers, fresh.needs, oi, nj, t, fresh.context)
