"""Screening every declared offer → need pair of a zone at once, on arrays.

A zone's declared pairs are ranked by ``scoring.score_pair`` and only the
best few of each offer and need are kept (``run.MAX_PAIRS_PER_STREAM``). To
know which those are, every linked pair must be scored — 88 000 of them in a
200-resident zone — while fewer than a fifth are kept. Doing that one pair at
a time in Python (evidence, reasons, a breakdown of eight components) took
some 55 µs a pair, six seconds for a large zone and hours for a national
register. Here the very same rules are applied to numpy arrays: the
candidate keys of ``pairs.NeedIndex`` cross offers with needs, the vetoes of
``pairs._blocked`` and the evidence of ``pairs._evaluate`` become boolean
masks, and the components of ``score_pair`` become columns; the pairs kept
are explained (reasons, breakdown) from the same columns by
``pair_records.py``. ``_evaluate`` and ``score_pair`` remain the definition:
tests check that the screen finds the same pairs with the same totals,
reasons and breakdowns on every pair of shuffled zones.

This module finds the candidates (by key, and by cell of a spatial grid) and
keeps the best; ``pair_scorer.py`` scores and explains them on the columns
that ``columns.py`` makes of the streams.

Exactness matters more than speed here, because a ranking that changed with
the code path would not be reproducible: similarities and totals are rounded
by Python's own ``round``, sums run in ``score_pair``'s order, distances use
``haversine_km``'s formula (and, where stored, the function itself).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from symdesk.domain.resident import Resident
from symdesk.domain.stream import Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled
from symdesk.matching.columns import sorted_unique
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pair_scorer import PairScorer
from symdesk.matching.pairs import (
    NeedIndex,
    Prepared,
    live,
    prepare,
)
from symdesk.matching.reach import (
    UNKNOWN_CELL,
    Grid,
    longest_reach_km,
)
from symdesk.matching.settings import Weights, default_weights

# Offers screened together: bounds the arrays of one block to a few million pairs.
OFFERS_PER_BLOCK = 4000
# A total (0..100, two decimals) in hundredths is at most this.
CENTS = 10_000


@dataclass(frozen=True)
class Screened:
    """Scored candidate pairs: ``offers[offer_index[k]]`` → ``needs[need_index[k]]`` scores ``total[k]``.

    ``total`` is the total ``score_pair`` gives the pair (0..100, rounded to
    two decimals). Offers and needs are the live ones, each sorted by id.
    """

    offers: list[Stream]
    needs: list[Stream]
    offer_index: np.ndarray
    need_index: np.ndarray
    total: np.ndarray
    context: PairScorer | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.total)

    def pair_keys(self) -> list[tuple[str, str]]:
        """(offer id, need id) of every pair, in the screen's order."""
        o, n = self.offers, self.needs
        return [(o[i].id, n[j].id) for i, j in zip(self.offer_index.tolist(), self.need_index.tolist(), strict=True)]

    def subset(self, mask_or_index: np.ndarray) -> Screened:
        return Screened(
            self.offers,
            self.needs,
            self.offer_index[mask_or_index],
            self.need_index[mask_or_index],
            self.total[mask_or_index],
            self.context,
        )


def best_of_each(screened: Screened, limit: int) -> Screened:
    """The pairs among the ``limit`` best of their offer or of their need.

    Matching is generous on purpose, and in a large zone a common waste can
    meet hundreds of needs; nobody pursues the fiftieth-best partner. A pair
    stays if either side would rank it among its best — a local rule, so one
    edit changes only nearby pairs.

    Best first by total, ties by offer id and then need id — the offers and
    needs are sorted by id, so their indices order them the same way.
    """
    if not len(screened):
        return screened
    codes = screened.offer_index * max(len(screened.needs), 1) + screened.need_index
    if not (codes[1:] > codes[:-1]).all():  # a screen is in (offer, need) order already; anything else is put in it
        screened = screened.subset(np.argsort(codes, kind="stable"))
    o, n, t = screened.offer_index, screened.need_index, screened.total
    kept = np.zeros(len(t), dtype=bool)
    # Totals are 0..100 to two decimals: in hundredths, below the group's number, one integer sorts
    # by group and then best first (a stable sort of int64 keys; ``lexsort`` on both took twice as long).
    below = CENTS - np.rint(t * 100.0).astype(np.int64)
    for group in (o, n):
        # Stable: pairs of equal group and total keep their (offer, need) order, the tie-break.
        order = np.argsort(group * (CENTS + 1) + below, kind="stable")
        g = group[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        position = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
        kept[order[position < limit]] = True
    keep = np.flatnonzero(kept)
    keep = keep[np.lexsort((n[keep], o[keep]))]
    return screened.subset(keep)


def joined(screened: Screened, offer_index: np.ndarray, need_index: np.ndarray, total: np.ndarray) -> Screened:
    """``screened`` and more pairs of the same offers and needs (another part's), in (offer, need) order."""
    oi = np.concatenate([screened.offer_index, offer_index])
    nj = np.concatenate([screened.need_index, need_index])
    order = np.lexsort((nj, oi))
    return Screened(screened.offers, screened.needs, oi[order], nj[order],
                    np.concatenate([screened.total, total])[order], screened.context)


def screen_pairs(
    offers: Iterable[Stream],
    needs: Iterable[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights | None = None,
    touching: Collection[str] | None = None,
    cancelled: CancelledFn | None = None,
    progress: ProgressFn | None = None,
    share: tuple[float, float] | None = None,
) -> Screened:
    """Every pair ``pairs.candidate_pairs`` finds, with the total ``score_pair`` gives it, sorted by ids.

    With ``touching``, only the pairs whose offer or need is one of those
    stream ids (a re-run after a questionnaire edit). With ``share`` (from, to),
    only the pairs of that part of the offers (fractions of them, taken in the
    order of their grid cells, so a part holds neighbouring sites: two
    processes screen a register, ``helper.py``); the offers and
    needs listed, and the scorer, are still every one, so parts join
    (``joined``). ``progress`` hears (offers screened, offers, "pairs") after
    each block of offers.
    """
    if share is not None and touching is not None:
        raise ValueError("a re-run's screen is not shared")
    weights = weights or default_weights()
    live_offers = sorted((prepare(s, kb) for s in live(offers, residents_by_id)), key=lambda p: p.stream.id)
    live_needs = sorted((prepare(s, kb) for s in live(needs, residents_by_id)), key=lambda p: p.stream.id)
    grid = Grid.around(
        [residents_by_id.get(p.stream.resident_id) for p in (*live_offers, *live_needs)], longest_reach_km(weights)
    )
    offer_cells = np.array([grid.cell(residents_by_id.get(p.stream.resident_id)) for p in live_offers], dtype=np.int64)
    need_cells = np.array([grid.cell(residents_by_id.get(p.stream.resident_id)) for p in live_needs], dtype=np.int64)
    everything = np.arange(len(live_needs))
    if touching is None:
        offer_ids = np.argsort(offer_cells, kind="stable")  # by cell, so a share holds neighbouring sites
        if share is not None:
            offer_ids = offer_ids[round(share[0] * len(offer_ids)) : round(share[1] * len(offer_ids))]
        passes = [(offer_ids, everything)]
        # Every stream takes part: its columns are made once and each block is scored as it is found.
        scorer: PairScorer | None = PairScorer(live_offers, live_needs, residents_by_id, kb, weights)
    else:
        ids = set(touching)
        edited_offer = np.array([p.stream.id in ids for p in live_offers], dtype=bool)
        edited_needs = np.array([i for i, p in enumerate(live_needs) if p.stream.id in ids], dtype=np.int64)
        # An edited offer meets every need; any other offer only the edited needs.
        passes = [(np.flatnonzero(edited_offer), everything), (np.flatnonzero(~edited_offer), edited_needs)]
        # Few streams take part: columns are made for those only, once their pairs are known.
        scorer = None
    parts = []
    done, work = 0, sum(len(offer_ids) for offer_ids, need_ids in passes if len(need_ids))
    for offer_ids, need_ids in passes:
        if not len(offer_ids) or not len(need_ids):
            continue
        index = NeedIndex([live_needs[j] for j in need_ids], weights)
        spatial = _SpatialNeeds(index, need_ids, need_cells[need_ids], grid)
        # Blocks of offers from the same cells share their (key, cell) groups: fewer, larger crossings.
        offer_ids = offer_ids[np.argsort(offer_cells[offer_ids], kind="stable")]
        for start in range(0, len(offer_ids), OFFERS_PER_BLOCK):
            block = offer_ids[start : start + OFFERS_PER_BLOCK]
            check_cancelled(cancelled)
            oi, nj = _linked(block, live_offers, offer_cells, spatial)
            parts.append(scorer.score(oi, nj) if scorer is not None else (oi, nj))
            done += len(block)
            if progress is not None:
                progress(done, work, "pairs")
    empty = np.zeros(0, dtype=np.int64)
    oi = np.concatenate([p[0] for p in parts]) if parts else empty
    nj = np.concatenate([p[1] for p in parts]) if parts else empty
    if scorer is None:
        used_o, used_n = sorted_unique(oi), sorted_unique(nj)
        scorer = PairScorer(
            [live_offers[i] for i in used_o.tolist()], [live_needs[j] for j in used_n.tolist()],
            residents_by_id, kb, weights, offer_positions=used_o, need_positions=used_n,
        )
        local_o, local_n, total = scorer.score(np.searchsorted(used_o, oi), np.searchsorted(used_n, nj))
        oi, nj = used_o[local_o], used_n[local_n]
    else:
        total = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    order = np.lexsort((nj, oi))
    return Screened(
        [p.stream for p in live_offers], [p.stream for p in live_needs], oi[order], nj[order], total[order], scorer
    )


def _linked(
    block: np.ndarray, offers: Sequence[Prepared], offer_cells: np.ndarray, needs: _SpatialNeeds
) -> tuple[np.ndarray, np.ndarray]:
    """(offer, need) indices of every pair of the block sharing a key of the need index within
    neighbouring cells, once each."""
    index = needs.index
    by_key: dict[tuple[str, ...], dict[int, list[int]]] = {}
    os_: list[np.ndarray] = []
    ns: list[np.ndarray] = []
    for i in block.tolist():
        keys, hot_groups = index.offer_keys(offers[i])
        cell = int(offer_cells[i])
        for key in keys:
            if key in index.keys:
                by_key.setdefault(key, {}).setdefault(cell, []).append(i)
        for group in hot_groups:
            found = needs.hot(group, cell, offers[i].stream.temperature_c)  # type: ignore[arg-type]
            if len(found):
                os_.append(np.full(len(found), i, dtype=np.int64))
                ns.append(found)
    # Every offer of a (key, cell) meets every need near it: the groups' offers and needs are laid end
    # to end and all the crossings made at once (a register has a hundred thousand small groups).
    group_offers: list[int] = []
    offer_counts: list[int] = []
    group_needs: list[np.ndarray] = []
    for key, cells in by_key.items():
        for cell, offer_list in cells.items():
            n = needs.near(key, cell)
            if len(n):
                group_offers.extend(offer_list)
                offer_counts.append(len(offer_list))
                group_needs.append(n)
    if group_needs:
        o, n = _crossed(np.array(group_offers, dtype=np.int64), np.array(offer_counts, dtype=np.int64), group_needs)
        os_.append(o)
        ns.append(n)
    if not os_:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    width = len(needs.need_ids) or 1
    codes = sorted_unique(np.concatenate(os_) * width + np.concatenate(ns))
    return codes // width, needs.need_ids[codes % width]


def _crossed(
    offers: np.ndarray, offer_counts: np.ndarray, group_needs: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Every group's offers × needs, group after group and offer after offer: what
    ``np.repeat(group_offers, len(needs))`` and ``np.tile(needs, len(group_offers))`` give for each
    group, concatenated (``offers`` holds the groups' offers end to end, ``offer_counts`` how many each)."""
    need_counts = np.array([len(n) for n in group_needs], dtype=np.int64)
    pairs = offer_counts * need_counts
    flat = np.concatenate(group_needs)
    need_starts = np.cumsum(need_counts) - need_counts
    pair_starts = np.cumsum(pairs) - pairs
    position = np.arange(int(pairs.sum()), dtype=np.int64) - np.repeat(pair_starts, pairs)
    needs = flat[np.repeat(need_starts, pairs) + position % np.repeat(need_counts, pairs)]
    return np.repeat(offers, np.repeat(need_counts, offer_counts)), needs


class _SpatialNeeds:
    """The needs of a need index by key and by cell: an offer meets only needs in neighbouring cells
    or of unknown place (an unknown distance is never beyond reach)."""

    def __init__(self, index: NeedIndex, need_ids: np.ndarray, cells: np.ndarray, grid: Grid):
        self.index, self.need_ids, self.cells, self.grid = index, need_ids, cells, grid
        self._by_key: dict[tuple[str, ...], tuple[np.ndarray, dict[int, np.ndarray]]] = {}
        self._hot: dict[str, dict[int, tuple[list[float], np.ndarray]]] = {}

    def near(self, key: tuple[str, ...], cell: int) -> np.ndarray:
        found = self._by_key.get(key)
        if found is None:
            ids = np.array(self.index.keys[key], dtype=np.int64)
            cells = self.cells[ids]
            if (cells == cells[0]).all():
                found = (ids, {int(cells[0]): ids})
            else:
                order = np.argsort(cells, kind="stable")
                ids, cells = ids[order], cells[order]
                starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
                ends = np.r_[starts[1:], len(cells)]
                found = (ids, {int(cells[a]): ids[a:b] for a, b in zip(starts, ends, strict=True)})
            self._by_key[key] = found
        everything, by_cell = found
        if cell == UNKNOWN_CELL or (len(by_cell) == 1 and cell in by_cell):
            return everything
        parts = [by_cell[c] for c in self.grid.cells_near(cell) if c in by_cell]
        return np.concatenate(parts) if parts else everything[:0]

    def hot(self, group: str, cell: int, temperature: float) -> np.ndarray:
        """Needs of the group's hot list in reach whose temperature the offer reaches."""
        by_cell = self._hot.get(group)
        if by_cell is None:
            temps, ids = self.index.hot[group]
            lists: dict[int, tuple[list[float], list[int]]] = {}
            for t, i in zip(temps, ids, strict=True):  # already in temperature order
                entry = lists.setdefault(int(self.cells[i]), ([], []))
                entry[0].append(t)
                entry[1].append(i)
            by_cell = self._hot[group] = {c: (t, np.array(i, dtype=np.int64)) for c, (t, i) in lists.items()}
        visit: Iterable[int] = by_cell if cell == UNKNOWN_CELL else self.grid.cells_near(cell)
        parts = []
        for c in visit:
            if c in by_cell:
                temps, ids = by_cell[c]
                parts.append(ids[: bisect_right(temps, temperature)])
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


