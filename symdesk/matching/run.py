"""One matching run over a zone: every match kind, in one ranked list.

The order of work follows the evidence: declared pairs first (what the
residents said), then suggested receivers for offers (what the literature
says about who uses a material), company-type guesses (what a kind of
company usually has or needs), pools of like streams, and finally chains and
loops built on the declared pairs. Pure: it reads residents and streams and
returns opportunities; storing them is the service's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import replace
from operator import attrgetter

from symdesk.domain.collector import collector_paused
from symdesk.domain.opportunity import Opportunity
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Direction, Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.matching.chains import chain_opportunities
from symdesk.matching.company_mode import company_type_opportunities
from symdesk.matching.helper import MAIN_SCREENS, Job, SharedRun, worth_sharing
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pair_records import pair_opportunities
from symdesk.matching.pairs import StreamClasses
from symdesk.matching.pooling import pools_by_group
from symdesk.matching.receiver_mode import (
    explained_receivers,
    look_up_suggestions,
    receiver_opportunities,
)
from symdesk.matching.screen import best_of_each, screen_pairs
from symdesk.matching.settings import Factors, Weights
from symdesk.matching.state import (
    MatchResult,
    MatchState,
    Settings,
    by_asked_resident,
    by_offer,
    declared_receivers,
)

# A pair is kept when it is among the best this many of its offer or of its need.
MAX_PAIRS_PER_STREAM = 5
STEPS = ("pairs", "receivers", "company_type", "pooling", "chains")


def find_opportunities(
    residents: Sequence[Resident],
    streams: Sequence[Stream],
    kb: KnowledgeBase,
    weights: Weights,
    factors: Factors,
    material_names: Mapping[str, str],
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    language: str = "en",
    shared: bool | None = None,
) -> list[Opportunity]:
    """Every opportunity of the zone, best first (ties by id); deterministic.

    ``material_names`` and ``language`` name materials in the reasons (classes and literature
    precedents), in the language the results are read in. ``shared``: whether helper processes
    take part of the work (``helper.py``); by default a large zone's run is shared on two
    cores. The result is the same either way."""
    return match_zone(residents, streams, Settings(kb, weights, factors, material_names, language), progress,
                      cancelled, shared, keep_state=False).opportunities


@collector_paused()
def match_zone(
    residents: Sequence[Resident],
    streams: Sequence[Stream],
    settings: Settings,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    shared: bool | None = None,
    keep_state: bool = True,
) -> MatchResult:
    """``find_opportunities``, and with ``keep_state`` what a re-match after an edit starts from
    (``rematch.py``; a run shared with helpers keeps none)."""
    kb, weights, factors = settings.kb, settings.weights, settings.factors
    material_names, language = settings.material_names, settings.language
    progress = progress or no_progress
    by_resident = {r.id: r for r in residents}
    live_streams = [s for s in streams if s.resident_id in by_resident]
    offers = [s for s in live_streams if s.direction is Direction.OFFER]
    needs = [s for s in live_streams if s.direction is Direction.NEED]
    total = len(STEPS) + 1
    if shared is None:
        shared = worth_sharing(len(live_streams))
    helping = (
        SharedRun(Job(residents, live_streams, kb, weights, material_names, language, MAX_PAIRS_PER_STREAM), offers,
                  cancelled)
        if shared else nullcontext()
    )
    with helping as helpers:

        def explaining(done: int, work: int, what: str) -> None:
            progress(work + done, 2 * work, what)
            if helpers is not None:
                helpers.meanwhile()  # the second helper starts as soon as the first has ended

        progress(0, total, "pairs")
        # The pairs step is screening (most of it in a national register), then explaining the kept.
        screened = screen_pairs(
            offers, needs, by_resident, kb, weights, cancelled=cancelled,
            share=(0.0, MAIN_SCREENS) if helpers is not None else None,
            progress=lambda done, work, what: progress(done, 2 * work, what),
        )
        kept = best_of_each(screened, MAX_PAIRS_PER_STREAM)
        # Every scored pair (6 million in a national register): only the kept are explained, and
        # only a one-process run keeps them all, for a re-match.
        everything = kept_now = None
        if keep_state and helpers is None:
            everything, kept_now = replace(screened, context=None), replace(kept, context=None)
        del screened
        if helpers is not None:
            kept = helpers.joined_kept(kept)
        pairs = pair_opportunities(kept, factors, material_names, cancelled=cancelled, progress=explaining)
        del kept
        if helpers is not None:
            # Found by the helpers meanwhile: the guesses and pools, and the receivers to explain here.
            guesses, pools = helpers.guesses_and_pools()
            # Steps in the order they are done here, so that a progress bar only moves forward.
            progress(3, total, "chains")
            chains = chain_opportunities(pairs, {s.id: s.name for s in offers})
            progress(4, total, "receivers")
            # Waiting for the receivers' helper, look up the suggestions they will be explained with.
            readings = helpers.kept_receivers(lambda ready: look_up_suggestions(offers, by_resident, kb, ready))
            receivers = explained_receivers(readings, offers, by_resident, kb, weights, factors, language=language)
            del readings  # 287,000 rows in a national register, not held through the sort
            check_cancelled(cancelled)

    if not shared:
        progress(1, total, "receivers")
        declared = {(o.offer_id, o.receiver_id) for o in pairs}
        receivers = receiver_opportunities(
            offers, by_resident, kb, weights, factors, declared=declared, language=language
        )
        del declared  # 745,000 pairs of ids in a national register (90 MB), not needed past this step
        check_cancelled(cancelled)

        classes_of = StreamClasses(kb)
        progress(2, total, "company_type")
        guesses = company_type_opportunities(live_streams, by_resident, kb, weights, classes_of, language=language)
        check_cancelled(cancelled)

        progress(3, total, "pooling")
        pooled = pools_by_group(live_streams, by_resident, weights, classes_of, material_names)
        pools = list(pooled.values())
        check_cancelled(cancelled)

        progress(4, total, "chains")
        chains = chain_opportunities(pairs, {s.id: s.name for s in offers})
    progress(5, total, "")

    ranked = ranked_list(pairs, receivers, guesses, pools, chains)
    state = None
    if everything is not None and kept_now is not None:
        state = MatchState(
            settings, {r.id: r for r in residents}, {s.id: s for s in streams}, everything, kept_now, pairs,
            by_offer(receivers), by_asked_resident(guesses), pooled, {o.id: o for o in chains},
            declared_receivers(pairs), ranked,
        )
    return MatchResult(ranked, state)


def ranked_list(
    pairs: Sequence[Opportunity], receivers: Sequence[Opportunity], guesses: Sequence[Opportunity],
    pools: Sequence[Opportunity], chains: Sequence[Opportunity],
) -> list[Opportunity]:
    """A run's opportunities of every kind in one list, best first, ties by id.

    Each kind keys its ids apart (``opportunity_key``), and pairs and receivers are one per (offer,
    need) and (offer, resident) as they are made: only the few guesses, pools and chains, which may
    be reached along two paths, are looked at for repeats (the first found is kept)."""
    once: dict[str, Opportunity] = {}
    for o in (*guesses, *pools, *chains):
        once.setdefault(o.meta.id, o)
    ranked = [*pairs, *receivers, *once.values()]
    # Best first, ties by id: two stable sorts on plain keys, faster than one on (score, id) tuples.
    ranked.sort(key=attrgetter("meta.id"))
    ranked.sort(key=attrgetter("score"), reverse=True)
    return ranked
