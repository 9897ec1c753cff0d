"""Screening every declared offer → need pair of a zone at once, on arrays.

A zone's declared pairs are ranked by ``scoring.score_pair`` and only the
best few of each offer and need are kept (``run.MAX_PAIRS_PER_STREAM``). To
know which those are, every linked pair must be scored — 115 000 of them in a
200-resident zone — while only a third are ever shown. Doing that one pair at
a time in Python (evidence, reasons, a breakdown of eight components) took
some 55 µs a pair, six seconds for a large zone and hours for a national
register. Here the very same rules are applied to numpy arrays: the
candidate keys of ``pairs.NeedIndex`` cross offers with needs, the vetoes of
``pairs._blocked`` and the evidence of ``pairs._evaluate`` become boolean
masks, and the components of ``score_pair`` become columns; the pairs kept
are explained (reasons, breakdown) from the same columns. ``_evaluate`` and
``score_pair`` remain the definition: tests check that the screen finds the
same pairs with the same totals, reasons and breakdowns on every pair of
shuffled zones.

Exactness matters more than speed here, because a ranking that changed with
the code path would not be reproducible: similarities and totals are rounded
by Python's own ``round``, sums run in ``score_pair``'s order, distances use
``haversine_km``'s formula (and, where stored, the function itself).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from symdesk.domain.geo import EARTH_RADIUS_KM
from symdesk.domain.issues import N_
from symdesk.domain.resident import Resident
from symdesk.domain.stream import CODED_CATEGORIES, Category, Regularity, Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled
from symdesk.domain.units import UNITS
from symdesk.matching.benefits import yearly
from symdesk.matching.components import distance_value
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pairs import (
    LEVEL_ORDER,
    VARIED_CATEGORIES,
    MatchLevel,
    NeedIndex,
    PairEvidence,
    Prepared,
    Reason,
    category_msg,
    level_rank,
    live,
    prepare,
)
from symdesk.matching.reach import (
    UNKNOWN_CELL,
    Grid,
    longest_reach_km,
    reach_km,
    resident_distance_km,
)
from symdesk.matching.scoring import (
    DISPOSAL_HANDLING,
    HAZARD_VALUE,
    NEUTRAL,
    REGULARITY_FIT,
    ScoreBreakdown,
    activity_classes,
    fields_present,
    precedents_by_class,
    shared_component,
    weight_table,
)
from symdesk.matching.settings import Weights, default_weights

# Offers screened together: bounds the arrays of one block to a few million pairs.
OFFERS_PER_BLOCK = 4000
_REGULARITIES = tuple(Regularity)
_BIT = {lv: 1 << i for i, lv in enumerate(LEVEL_ORDER)}


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
    context: _Context | None = field(default=None, repr=False, compare=False)

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

    def explained(self) -> Iterator[tuple[PairEvidence, ScoreBreakdown]]:
        """Each pair's evidence and score breakdown, equal to what ``pairs._evaluate`` and ``score_pair`` give.

        Built from the screen's columns instead of pair by pair: explaining
        the pairs kept is most of a large run, and the columns already hold
        every figure. Tests compare both on every pair of shuffled zones.
        """
        if self.context is not None and len(self):
            yield from self.context.explain(self.offer_index, self.need_index, self.total)


def best_of_each(screened: Screened, limit: int) -> Screened:
    """The pairs among the ``limit`` best of their offer or of their need (``run.best_per_stream``).

    Best first by total, ties by offer id and then need id — the offers and
    needs are sorted by id, so their indices order them the same way.
    """
    if not len(screened):
        return screened
    o, n, t = screened.offer_index, screened.need_index, screened.total
    kept = np.zeros(len(t), dtype=bool)
    for group in (o, n):
        order = np.lexsort((n, o, -t, group))
        g = group[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        position = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
        kept[order[position < limit]] = True
    keep = np.flatnonzero(kept)
    keep = keep[np.lexsort((n[keep], o[keep]))]
    return screened.subset(keep)


def screen_pairs(
    offers: Iterable[Stream],
    needs: Iterable[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights | None = None,
    touching: Collection[str] | None = None,
    cancelled: CancelledFn | None = None,
    progress: ProgressFn | None = None,
) -> Screened:
    """Every pair ``pairs.candidate_pairs`` finds, with the total ``score_pair`` gives it, sorted by ids.

    With ``touching``, only the pairs whose offer or need is one of those
    stream ids (a re-run after a questionnaire edit). ``progress`` hears
    (offers screened, offers, "pairs") after each block of offers.
    """
    weights = weights or default_weights()
    live_offers = sorted((prepare(s, kb) for s in live(offers, residents_by_id)), key=lambda p: p.stream.id)
    live_needs = sorted((prepare(s, kb) for s in live(needs, residents_by_id)), key=lambda p: p.stream.id)
    ctx = _Context(live_offers, live_needs, residents_by_id, kb, weights)
    grid = Grid.around(ctx.residents, longest_reach_km(weights))
    offer_cells = np.array([grid.cell(residents_by_id.get(p.stream.resident_id)) for p in live_offers], dtype=np.int64)
    need_cells = np.array([grid.cell(residents_by_id.get(p.stream.resident_id)) for p in live_needs], dtype=np.int64)
    everything = np.arange(len(live_needs))
    if touching is None:
        passes = [(np.arange(len(live_offers)), everything)]
    else:
        ids = set(touching)
        edited_offer = np.array([p.stream.id in ids for p in live_offers], dtype=bool)
        edited_needs = np.array([i for i, p in enumerate(live_needs) if p.stream.id in ids], dtype=np.int64)
        # An edited offer meets every need; any other offer only the edited needs.
        passes = [(np.flatnonzero(edited_offer), everything), (np.flatnonzero(~edited_offer), edited_needs)]
    parts = []
    done, work = 0, sum(len(offer_ids) for offer_ids, need_ids in passes if len(need_ids))
    for offer_ids, need_ids in passes:
        if not len(offer_ids) or not len(need_ids):
            continue
        index = NeedIndex([live_needs[j] for j in need_ids], weights)
        spatial = _SpatialNeeds(index, need_ids, need_cells[need_ids], grid)
        for start in range(0, len(offer_ids), OFFERS_PER_BLOCK):
            block = offer_ids[start : start + OFFERS_PER_BLOCK]
            check_cancelled(cancelled)
            oi, nj = _linked(block, live_offers, offer_cells, spatial)
            parts.append(ctx.score(oi, nj))
            done += len(block)
            if progress is not None:
                progress(done, work, "pairs")
    empty = np.zeros(0, dtype=np.int64)
    oi = np.concatenate([p[0] for p in parts]) if parts else empty
    nj = np.concatenate([p[1] for p in parts]) if parts else empty
    total = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    order = np.lexsort((nj, oi))
    return Screened(
        [p.stream for p in live_offers], [p.stream for p in live_needs], oi[order], nj[order], total[order], ctx
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
    for key, cells in by_key.items():
        for cell, offer_list in cells.items():
            n = needs.near(key, cell)
            if len(n):
                o = np.array(offer_list, dtype=np.int64)
                os_.append(np.repeat(o, len(n)))
                ns.append(np.tile(n, len(o)))
    if not os_:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    width = len(needs.need_ids) or 1
    codes = np.unique(np.concatenate(os_) * width + np.concatenate(ns))
    return codes // width, needs.need_ids[codes % width]


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


class _Vocab(dict):
    """Strings to small integers, assigned in order of first use."""

    def id(self, key: object) -> int:
        found = self.get(key)
        if found is None:
            found = self[key] = len(self)
        return found


@dataclass
class _Sets:
    """A set of small integers per stream, flattened: stream k holds ``items[ptr[k]:ptr[k + 1]]``."""

    ptr: np.ndarray
    items: np.ndarray
    sizes: np.ndarray

    @classmethod
    def of(cls, sets: list[Iterable[int]]) -> _Sets:
        lists = [sorted(set(s)) for s in sets]
        sizes = np.array([len(x) for x in lists], dtype=np.int64)
        ptr = np.r_[0, np.cumsum(sizes)].astype(np.int64)
        items = np.fromiter((x for s in lists for x in s), dtype=np.int64, count=int(sizes.sum()))
        return cls(ptr, items, sizes)

    def membership(self, width: int) -> np.ndarray:
        """Sorted codes ``item * width + stream`` for fast "is x in the set of stream k"."""
        owners = np.repeat(np.arange(len(self.sizes), dtype=np.int64), self.sizes)
        return np.sort(self.items * width + owners)


def _contains(sorted_codes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    if not len(sorted_codes):
        return np.zeros(len(codes), dtype=bool)
    at = np.searchsorted(sorted_codes, codes)
    at[at == len(sorted_codes)] = 0
    return sorted_codes[at] == codes


def _overlap(oi: np.ndarray, nj: np.ndarray, offer_sets: _Sets, need_members: np.ndarray, width: int) -> np.ndarray:
    """How many items of each pair's offer set are also in its need's set."""
    sizes = offer_sets.sizes[oi]
    pair = np.repeat(np.arange(len(oi), dtype=np.int64), sizes)
    starts = np.cumsum(sizes) - sizes
    items = offer_sets.items[offer_sets.ptr[oi][pair] + np.arange(int(sizes.sum())) - starts[pair]]
    hit = _contains(need_members, items * width + nj[pair])
    return np.bincount(pair, weights=hit, minlength=len(oi)).astype(np.int64)


class _Context:
    """Per-stream columns of both sides, and the scoring of pairs of them."""

    def __init__(
        self,
        offers: list[Prepared],
        needs: list[Prepared],
        residents_by_id: Mapping[str, Resident],
        kb: KnowledgeBase,
        weights: Weights,
    ):
        self.kb, self.weights = kb, weights
        self.offers, self.needs = offers, needs
        self.table = weight_table(weights)
        residents = _Vocab()
        self.residents: list[Resident | None] = []
        for p in (*offers, *needs):
            if p.stream.resident_id not in residents:
                residents.id(p.stream.resident_id)
                self.residents.append(residents_by_id.get(p.stream.resident_id))
        words, classes, codes, groups, dims = _Vocab(), _Vocab(), _Vocab(), _Vocab(), _Vocab()
        self.o = _columns(offers, residents, words, classes, codes, groups, dims, weights)
        self.n = _columns(needs, residents, words, classes, codes, groups, dims, weights)
        self.width = max(len(needs), 1)
        self.n_words = self.n["stems"].membership(self.width)
        self.n_classes = self.n["classes"].membership(self.width)
        self.n_name_classes = self.n["name_classes"].membership(self.width)
        self.materials = groups.id("materials")
        self.kb_keys = _Vocab()
        self.o_kb = np.array([self.kb_keys.id(_kb_key(p.stream)) for p in offers], dtype=np.int64)
        class_sets = _Vocab()
        self.n_res_classes = np.array(
            [class_sets.id(_receiver_classes(residents_by_id.get(p.stream.resident_id))) for p in needs],
            dtype=np.int64,
        )
        self.kb_key_list = list(self.kb_keys)
        self.activity_ids = _Vocab()
        self.set_members = _Sets.of(
            [[self.activity_ids.id(c) for c in sorted(cs)] if cs else [] for cs in class_sets]
        )
        self.kb_counts: dict[int, list[tuple[int, int]]] = {}
        self.latitude = np.array([_nan(r and r.latitude) for r in self.residents], dtype=np.float64)
        self.longitude = np.array([_nan(r and r.longitude) for r in self.residents], dtype=np.float64)

    # -- evidence (pairs._blocked and pairs._evaluate) --------------------------------

    def score(self, oi: np.ndarray, nj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        o, n = self.o, self.n
        keep = o["resident"][oi] != n["resident"][nj]
        oi, nj = oi[keep], nj[keep]
        km = self._km(oi, nj)
        keep = ~(km > o["reach"][oi])  # unknown distances are never beyond reach
        oi, nj, km = oi[keep], nj[keep], km[keep]
        keep = ~self._blocked(oi, nj)
        oi, nj, km = oi[keep], nj[keep], km[keep]
        levels, sim, _ = self._evidence(oi, nj)
        keep = levels != 0
        oi, nj, km, levels, sim = oi[keep], nj[keep], km[keep], levels[keep], sim[keep]
        values, _, _ = self._values(oi, nj, km, levels, sim)
        return oi, nj, self._totals(values, len(oi))

    def _blocked(self, oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
        o, n = self.o, self.n
        ot, nt, op, np_ = o["temperature"][oi], n["temperature"][nj], o["pressure"][oi], n["pressure"][nj]
        with np.errstate(invalid="ignore"):
            blocked = n["heat_or_steam"][nj] & ~np.isnan(nt) & (np.isnan(ot) | (ot < nt))
            blocked |= n["steam"][nj] & ~np.isnan(np_) & (np.isnan(op) | (op < np_))
        waste_water = o["wastewater"][oi]
        water = n["water"][nj]
        blocked |= water & n["drinking"][nj] & waste_water
        blocked |= water & waste_water & ~o["treated"][oi] & ~n["wastewater_text"][nj]
        blocked |= water & n["wastewater_name"][nj] & o["water"][oi] & ~waste_water
        blocked |= n["no_secondary"][nj] & (o["secondary"][oi] | waste_water)
        return blocked

    def _evidence(self, oi: np.ndarray, nj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bits of ``LEVEL_ORDER`` for each pair, its name similarity rounded as ``PairEvidence`` keeps it,
        and unrounded (as the reasons quote it)."""
        o, n, w = self.o, self.n, self.weights
        inter = _overlap(oi, nj, o["stems"], self.n_words, self.width)
        a, b = o["stems"].sizes[oi], n["stems"].sizes[nj]
        union = a + b - inter
        empty = (a == 0) | (b == 0)
        # Word counts are small: each (shared, all) similarity is worked out once, in Python, in a table.
        inter = np.where(empty, 0, inter)
        union = np.where(empty, 1, union)
        shape = (int(inter.max(initial=0)) + 1, int(union.max(initial=1)) + 1)
        raw_table = [[x / y if y else 0.0 for y in range(shape[1])] for x in range(shape[0])]
        lookup = inter, union
        raw_sim = np.array(raw_table, dtype=np.float64)[lookup]
        sim = np.array([[round(v, 6) for v in row] for row in raw_table], dtype=np.float64)[lookup]
        text = np.array([[v >= w.text_min_similarity for v in row] for row in raw_table], dtype=bool)[lookup]
        varied_ok = np.array([[v >= w.category_min_similarity for v in row] for row in raw_table], dtype=bool)[lookup]
        levels = np.zeros(len(oi), dtype=np.int64)
        materials = (o["group"][oi] == self.materials) & (n["group"][nj] == self.materials)
        oc, nc = o["code"][oi], n["code"][nj]
        six = o["six"][oi] & n["six"][nj]
        exact = (oc >= 0) & (oc == nc)
        sub = six & ~exact & (o["code4"][oi] == n["code4"][nj])
        chapter = six & ~exact & ~sub & (o["code2"][oi] == n["code2"][nj])
        prefix = materials & (sub | chapter)
        if prefix.any():
            p = np.flatnonzero(prefix)
            shared = _overlap(oi[p], nj[p], o["name_classes"], self.n_name_classes, self.width)
            veto = (o["name_classes"].sizes[oi[p]] > 0) & (n["name_classes"].sizes[nj[p]] > 0) & (shared == 0)
            sub[p[veto]] = False
            chapter[p[veto]] = False
        first = o["first_class"][oi]
        same_class = (first >= 0) & _contains(self.n_classes, first * self.width + nj)
        levels |= np.where(materials & exact, _BIT[MatchLevel.CODE_EXACT], 0)
        levels |= np.where(materials & sub, _BIT[MatchLevel.CODE_SUBCHAPTER], 0)
        levels |= np.where(materials & chapter, _BIT[MatchLevel.CODE_CHAPTER], 0)
        levels |= np.where(materials & same_class, _BIT[MatchLevel.MATERIAL_CLASS], 0)
        serves = ~materials & (((o["served"][oi] >> n["group"][nj]) & 1) == 1)
        serves &= ~(n["varied"][nj] & ~varied_ok)
        levels |= np.where(serves, _BIT[MatchLevel.CATEGORY], 0)
        levels |= np.where((materials | serves) & text, _BIT[MatchLevel.TEXT], 0)
        return levels, sim, raw_sim

    def _km(self, oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
        """Distance between the two residents of each pair (``haversine_km``'s formula), NaN when unknown."""
        ro, rn = self.o["resident"][oi], self.n["resident"][nj]
        p1, p2 = np.radians(self.latitude[ro]), np.radians(self.latitude[rn])
        dp, dl = p2 - p1, np.radians(self.longitude[rn] - self.longitude[ro])
        a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))

    def explain(
        self, oi: np.ndarray, nj: np.ndarray, totals: np.ndarray
    ) -> Iterator[tuple[PairEvidence, ScoreBreakdown]]:
        """Evidence with its reasons, and the score with its components, for each pair (in order)."""
        km = self._km(oi, nj)
        levels, sim, raw_sim = self._evidence(oi, nj)
        values, known, precedents = self._values(oi, nj, km, levels, sim)
        table = self.table
        weights = table.weights
        rank = level_rank(self.weights)
        columns = [values[name].tolist() for name, _ in weights]
        at_distance = [name for name, _ in weights].index("distance")
        residents, o_res, n_res = self.residents, self.o["resident"].tolist(), self.n["resident"].tolist()
        rows = zip(
            oi.tolist(), nj.tolist(), levels.tolist(), sim.tolist(), raw_sim.tolist(),
            known.tolist(), precedents.tolist(), totals.tolist(), zip(*columns, strict=True), strict=True,
        )
        for i, j, bits, similarity, raw, comparable, cases, total, component_values in rows:
            o, n = self.offers[i], self.needs[j]
            offer, need = o.stream, n.stream
            # Stored distances come from haversine_km itself, not its array twin (they may differ in the last digit).
            km = resident_distance_km(residents[o_res[i]], residents[n_res[j]])
            component_values = list(component_values)
            component_values[at_distance] = distance_value(km, offer.category, self.weights)
            present = tuple(lv for lv in LEVEL_ORDER if bits & _BIT[lv])
            shared: tuple[str, ...] = ()
            if bits & _BIT[MatchLevel.MATERIAL_CLASS]:
                shared = tuple(c for c in o.f.classes if c in n.f.classes)
            evidence = PairEvidence(
                offer_id=offer.id,
                need_id=need.id,
                offer_resident_id=offer.resident_id,
                need_resident_id=need.resident_id,
                level=present[0] if len(present) == 1 else max(present, key=rank.__getitem__),
                levels=present,
                similarity=similarity,
                shared_classes=shared,
                reasons=_reasons(offer, need, bits, raw, shared),
            )
            notes: dict[str, Reason] = {"kb_confidence": (N_("Precedent cases: {count}"), {"count": cases})}
            if not comparable:
                notes["quantity_coverage"] = (N_("Quantities cannot be compared"), {})
            if km is None:
                notes["distance"] = (N_("Site coordinates missing"), {})
            components = tuple(
                shared_component(table, name, value, weight, 100.0 * weight * value, notes.get(name))
                for (name, weight), value in zip(weights, component_values, strict=True)
            )
            flags: list[Reason] = []
            if offer.hazard_class is not None and offer.hazard_class.needs_licensed_handler:
                flags.append(
                    (
                        N_("Hazard class {hazard_class}: needs licensed handling"),
                        {"hazard_class": offer.hazard_class.value},
                    )
                )
            yield evidence, ScoreBreakdown(offer.id, need.id, total, components, km, flags)

    # -- the score (scoring.score_pair) -------------------------------------------------

    def _values(
        self, oi: np.ndarray, nj: np.ndarray, km: np.ndarray, levels: np.ndarray, sim: np.ndarray
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Each component's value for each pair; whether quantities compare; the precedent counts."""
        o, n, table, w = self.o, self.n, self.table, self.weights
        rank = level_rank(w)
        strongest = np.full(len(oi), -1, dtype=np.int64)
        fit = np.full(len(oi), -np.inf)
        for lv in sorted(LEVEL_ORDER, key=rank.__getitem__):  # weakest first: the strongest present wins
            present = (levels & _BIT[lv]) != 0
            strongest[present] = LEVEL_ORDER.index(lv)
            fit = np.where(present, np.maximum(fit, table.fit[lv]), fit)
        category = strongest == LEVEL_ORDER.index(MatchLevel.CATEGORY)
        base = table.category_base
        fit = np.where(category, np.maximum(fit, base + (1 - base) * sim), fit)

        supply, demand = o["yearly"][oi], n["yearly"][nj]
        known = ~np.isnan(supply) & ~np.isnan(demand) & (o["dimension"][oi] == n["dimension"][nj]) & (demand > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            coverage = np.where(known, np.clip(np.minimum(supply, demand) / demand, 0.0, 1.0), NEUTRAL)
            limit = o["reach"][oi]
            distance = np.where(
                np.isnan(km), NEUTRAL, np.where(limit > 0, np.clip(1.0 - km / limit, 0.0, 1.0), 0.0)
            )
            price = self._price(oi, nj)
        regularity = _REGULARITY_TABLE[o["regularity"][oi], n["regularity"][nj]]
        completeness = (o["filled"][oi] + n["filled"][nj] + ~np.isnan(km)) / (o["asked"][oi] + n["asked"][nj] + 1)
        precedents = self._precedents(oi, nj)
        saturation = max(self.weights.kb_precedents_for_full_confidence, 1)
        values = {
            "material_fit": fit,
            "quantity_coverage": coverage,
            "distance": distance,
            "regularity_fit": regularity,
            "hazard": o["hazard"][oi],
            "price_signal": price,
            "data_completeness": completeness,
            "kb_confidence": np.clip(precedents / saturation, 0.0, 1.0),
        }
        return values, known, precedents

    def _totals(self, values: dict[str, np.ndarray], count: int) -> np.ndarray:
        """``score_pair``'s total: points added in component order, divided, rounded by Python."""
        table = self.table
        points = None
        for component, weight in table.weights:
            p = (100.0 * weight) * values[component]
            points = p if points is None else points + p
        raw = points / table.total if points is not None else np.zeros(count)
        return np.fromiter(map(round, raw.tolist(), repeat(2)), dtype=np.float64, count=len(raw))

    def _price(self, oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
        o, n = self.o, self.n
        raw = o["price"][oi]
        po, pn = o["price_per_unit"][oi], n["price_per_unit"][nj]
        comparable = ~np.isnan(po) & ~np.isnan(pn) & (o["unit_dimension"][oi] >= 0)
        comparable &= o["unit_dimension"][oi] == n["unit_dimension"][nj]
        return np.select(
            [
                ~np.isnan(raw) & (raw <= 0),
                o["disposal"][oi] & np.isnan(raw),
                ~comparable,
                pn <= 0,
                po <= pn,
            ],
            [1.0, 0.9, NEUTRAL, 0.2, 1.0],
            default=np.clip(pn / po, 0.0, 1.0),
        )

    def _precedents(self, oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
        """Precedents of the receiver's activity classes using the offer's material, as ``kb_confidence`` counts.

        The knowledge base is asked once per material (``precedents_by_class``);
        the best of each receiver's classes is then looked up on arrays.
        """
        k, sets = self.o_kb[oi], self.n_res_classes[nj]
        width = len(self.activity_ids) + 1
        materials = np.flatnonzero(np.bincount(k, minlength=len(self.kb_key_list))).tolist()  # the distinct keys
        for key in materials:
            if key not in self.kb_counts:
                code, name = self.kb_key_list[key]
                counts = precedents_by_class(self.kb, code, name)
                known = [(self.activity_ids[c], n) for c, n in counts.items() if c in self.activity_ids]
                self.kb_counts[key] = known
        table = sorted((key * width + c, n) for key in materials for c, n in self.kb_counts[key])
        codes = np.array([c for c, _ in table], dtype=np.int64)
        values = np.array([n for _, n in table], dtype=np.int64)
        members = self.set_members
        sizes = members.sizes[sets]
        pair = np.repeat(np.arange(len(oi), dtype=np.int64), sizes)
        starts = np.cumsum(sizes) - sizes
        classes = members.items[members.ptr[sets][pair] + np.arange(int(sizes.sum())) - starts[pair]]
        wanted = k[pair] * width + classes
        found = _contains(codes, wanted)
        count = np.zeros(len(oi), dtype=np.int64)
        if found.any():
            at = np.searchsorted(codes, wanted[found])
            np.maximum.at(count, pair[found], values[at])
        return count


_REGULARITY_TABLE = np.full((len(_REGULARITIES) + 1, len(_REGULARITIES) + 1), NEUTRAL)
for (_a, _b), _v in REGULARITY_FIT.items():
    _REGULARITY_TABLE[_REGULARITIES.index(_a), _REGULARITIES.index(_b)] = _v


def _reasons(offer: Stream, need: Stream, bits: int, similarity: float, shared: tuple[str, ...]) -> list[Reason]:
    """The reasons ``pairs._evaluate`` gives, in its order, from the evidence bits."""
    reasons: list[Reason] = []
    if bits & _BIT[MatchLevel.CODE_EXACT]:
        reasons.append((N_("Same waste code {code}"), {"code": offer.code}))
    elif bits & _BIT[MatchLevel.CODE_SUBCHAPTER]:
        reasons.append((N_("Same waste code sub-chapter {prefix}"), {"prefix": offer.code[:4]}))
    elif bits & _BIT[MatchLevel.CODE_CHAPTER]:
        reasons.append((N_("Same waste code chapter {prefix}"), {"prefix": offer.code[:2]}))
    if shared:
        reasons.append((N_("Same material class: {classes}"), {"classes": ", ".join(shared)}))
    category = bits & _BIT[MatchLevel.CATEGORY]
    if category:
        reasons.append((N_("Same kind of resource: {category}"), {"category": category_msg(need.category)}))
    if bits & _BIT[MatchLevel.TEXT]:
        reasons.append((N_("Similar names ({similarity:.0%} of words shared)"), {"similarity": similarity}))
    if category and need.temperature_c is not None and offer.temperature_c is not None:
        reasons.append(
            (
                N_("Offer at {offer} °C meets the {need} °C needed"),
                {"offer": offer.temperature_c, "need": need.temperature_c},
            )
        )
    if category and need.pressure_mpa is not None and offer.pressure_mpa is not None:
        reasons.append(
            (
                N_("Offer at {offer} MPa meets the {need} MPa needed"),
                {"offer": offer.pressure_mpa, "need": need.pressure_mpa},
            )
        )
    return reasons


def _kb_key(offer: Stream) -> tuple[str, str]:
    return (offer.code if len(offer.code) == 6 else "", offer.name)


def _receiver_classes(resident: Resident | None) -> frozenset[str] | None:
    if resident is None or not resident.activity_codes:
        return None
    return activity_classes(tuple(resident.activity_codes))


def _nan(x: float | None) -> float:
    return np.nan if x is None else float(x)


def _columns(
    side: list[Prepared],
    residents: _Vocab,
    words: _Vocab,
    classes: _Vocab,
    codes: _Vocab,
    groups: _Vocab,
    dims: _Vocab,
    weights: Weights,
) -> dict:
    """What the screen reads of each stream of one side, as arrays (index = position in ``side``)."""
    heat_or_steam, coded_categories = (Category.HEAT, Category.STEAM), CODED_CATEGORIES
    secondary, regularities = (Category.WASTE, Category.BY_PRODUCT), len(_REGULARITIES)
    rows = []
    stems, class_sets, name_class_sets = [], [], []
    for p in side:
        s, f = p.stream, p.f
        code, category, price = s.code, s.category, s.price_byn
        six, coded = len(code) == 6, category in coded_categories
        amount = yearly(s)
        unit = UNITS.get(s.unit)
        per_unit = None if price is None or unit is None or unit.factor == 0 else price / unit.factor
        filled, asked = fields_present(s)
        rows.append(
            (
                residents.id(s.resident_id),
                groups.id(f.group),
                sum(1 << groups.id(g) for g in f.served),
                _nan(s.temperature_c),
                _nan(s.pressure_mpa),
                category in heat_or_steam,
                category is Category.STEAM,
                category is Category.WATER,
                category in VARIED_CATEGORIES,
                f.wastewater,
                f.wastewater_text,
                f.wastewater_name,
                f.treated,
                f.drinking,
                category in secondary,
                s.secondary_acceptable is False,
                codes.id(code) if code else -1,
                six,
                codes.id(("4", code[:4])) if six else -1,
                codes.id(("2", code[:2])) if six else -1,
                classes.id(f.classes[0]) if f.classes else -1,
                np.nan if amount is None else amount.value,
                -1 if amount is None else dims.id(amount.dimension),
                _nan(price),
                _nan(per_unit),
                -1 if unit is None else dims.id(unit.dimension),
                s.handling in DISPOSAL_HANDLING,
                regularities if s.regularity is None else _REGULARITIES.index(s.regularity),
                HAZARD_VALUE.get(s.hazard_class, 1.0) if s.hazard_class else (0.7 if coded else 1.0),
                filled,
                asked,
                reach_km(category, weights),
            )
        )
        stems.append([words.id(t) for t in f.stems])
        class_sets.append([classes.id(c) for c in f.classes])
        name_class_sets.append([classes.id(c) for c in p.name_classes] if coded and six else [])
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in _COLUMN_NAMES]
    out: dict = {
        name: np.array(values, dtype=dtype)
        for (name, dtype), values in zip(_COLUMN_NAMES.items(), columns, strict=True)
    }
    out["stems"] = _Sets.of(stems)
    out["classes"] = _Sets.of(class_sets)
    out["name_classes"] = _Sets.of(name_class_sets)
    return out


_COLUMN_NAMES: dict[str, type] = {
    "resident": np.int64,
    "group": np.int64,
    "served": np.int64,
    "temperature": np.float64,
    "pressure": np.float64,
    "heat_or_steam": bool,
    "steam": bool,
    "water": bool,
    "varied": bool,
    "wastewater": bool,
    "wastewater_text": bool,
    "wastewater_name": bool,
    "treated": bool,
    "drinking": bool,
    "secondary": bool,
    "no_secondary": bool,
    "code": np.int64,
    "six": bool,
    "code4": np.int64,
    "code2": np.int64,
    "first_class": np.int64,
    "yearly": np.float64,
    "dimension": np.int64,
    "price": np.float64,
    "price_per_unit": np.float64,
    "unit_dimension": np.int64,
    "disposal": bool,
    "regularity": np.int64,
    "hazard": np.float64,
    "filled": np.int64,
    "asked": np.int64,
    "reach": np.float64,
}
