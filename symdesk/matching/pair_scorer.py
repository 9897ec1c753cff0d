"""Scoring pairs of stream columns: the pair rules and the score on arrays.

``PairScorer`` applies ``pairs._blocked``, the evidence of ``pairs._evaluate``,
the reach rule and every component of ``scoring.score_pair`` to arrays of
(offer, need) indices; ``pair_records.py`` turns the columns of the pairs
kept into opportunities. Tests hold both equal to the pair-by-pair definition.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from symdesk.domain.issues import N_
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Stream
from symdesk.matching.columns import (
    REGULARITIES,
    IntSets,
    Vocab,
    contains,
    overlap,
    rounded,
    stream_columns,
)
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.nearby import SiteArrays
from symdesk.matching.pairs import (
    LEVEL_ORDER,
    MatchLevel,
    Prepared,
    Reason,
    category_msg,
    level_rank,
)
from symdesk.matching.scoring import (
    NEUTRAL,
    REGULARITY_FIT,
    activity_classes,
    precedents_by_class,
    weight_table,
)
from symdesk.matching.settings import Weights

LEVEL_BITS = {lv: 1 << i for i, lv in enumerate(LEVEL_ORDER)}


class PairScorer:
    """Per-stream columns of both sides, and the scoring of pairs of them."""

    def __init__(
        self,
        offers: list[Prepared],
        needs: list[Prepared],
        residents_by_id: Mapping[str, Resident],
        kb: KnowledgeBase,
        weights: Weights,
        *,
        offer_positions: np.ndarray | None = None,
        need_positions: np.ndarray | None = None,
    ):
        """``offers`` and ``needs`` are the streams scored; when they are a part of a screen's
        (a re-match), ``*_positions`` give each one's position among the screen's offers or needs."""
        self.offer_positions, self.need_positions = offer_positions, need_positions
        self.kb, self.weights = kb, weights
        self.offers, self.needs = offers, needs
        self.table = weight_table(weights)
        residents = Vocab()
        self.residents: list[Resident | None] = []
        for p in (*offers, *needs):
            if p.stream.resident_id not in residents:
                residents.id(p.stream.resident_id)
                self.residents.append(residents_by_id.get(p.stream.resident_id))
        words, classes, codes, groups, dims = Vocab(), Vocab(), Vocab(), Vocab(), Vocab()
        self.o = stream_columns(offers, residents, words, classes, codes, groups, dims, weights)
        self.n = stream_columns(needs, residents, words, classes, codes, groups, dims, weights)
        self.width = max(len(needs), 1)
        self.n_words = self.n["stems"].membership(self.width)
        self.n_classes = self.n["classes"].membership(self.width)
        self.n_name_classes = self.n["name_classes"].membership(self.width)
        self.materials = groups.id("materials")
        self.kb_keys = Vocab()
        self.o_kb = np.array([self.kb_keys.id(_kb_key(p.stream)) for p in offers], dtype=np.int64)
        class_sets = Vocab()
        self.n_res_classes = np.array(
            [class_sets.id(_receiver_classes(residents_by_id.get(p.stream.resident_id))) for p in needs],
            dtype=np.int64,
        )
        self.kb_key_list = list(self.kb_keys)
        self.activity_ids = Vocab()
        self.set_members = IntSets.of(
            [[self.activity_ids.id(c) for c in sorted(cs)] if cs else [] for cs in class_sets]
        )
        self.kb_counts: dict[int, list[tuple[int, int]]] = {}
        self.sites = SiteArrays(self.residents)

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
        levels, sim, _ = self.evidence(oi, nj)
        keep = levels != 0
        oi, nj, km, levels, sim = oi[keep], nj[keep], km[keep], levels[keep], sim[keep]
        values, _, _ = self.values(oi, nj, km, levels, sim)
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

    def evidence(self, oi: np.ndarray, nj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bits of ``LEVEL_ORDER`` for each pair, its name similarity rounded as ``PairEvidence`` keeps it,
        and unrounded (as the reasons quote it)."""
        o, n, w = self.o, self.n, self.weights
        inter = overlap(oi, nj, o["stems"], self.n_words, self.width)
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
            shared = overlap(oi[p], nj[p], o["name_classes"], self.n_name_classes, self.width)
            veto = (o["name_classes"].sizes[oi[p]] > 0) & (n["name_classes"].sizes[nj[p]] > 0) & (shared == 0)
            sub[p[veto]] = False
            chapter[p[veto]] = False
        first = o["first_class"][oi]
        same_class = (first >= 0) & contains(self.n_classes, first * self.width + nj)
        levels |= np.where(materials & exact, LEVEL_BITS[MatchLevel.CODE_EXACT], 0)
        levels |= np.where(materials & sub, LEVEL_BITS[MatchLevel.CODE_SUBCHAPTER], 0)
        levels |= np.where(materials & chapter, LEVEL_BITS[MatchLevel.CODE_CHAPTER], 0)
        levels |= np.where(materials & same_class, LEVEL_BITS[MatchLevel.MATERIAL_CLASS], 0)
        serves = ~materials & (((o["served"][oi] >> n["group"][nj]) & 1) == 1)
        serves &= ~(n["varied"][nj] & ~varied_ok)
        levels |= np.where(serves, LEVEL_BITS[MatchLevel.CATEGORY], 0)
        levels |= np.where((materials | serves) & text, LEVEL_BITS[MatchLevel.TEXT], 0)
        return levels, sim, raw_sim

    def _km(self, oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
        """Distance between the two residents of each pair (``haversine_km``'s formula), NaN when unknown."""
        return self.sites.km(self.o["resident"][oi], self.n["resident"][nj])

    def local(self, oi: np.ndarray, nj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A screen's offer and need positions as this scorer's own."""
        if self.offer_positions is not None:
            oi = np.searchsorted(self.offer_positions, oi)
        if self.need_positions is not None:
            nj = np.searchsorted(self.need_positions, nj)
        return oi, nj

    # -- the score (scoring.score_pair) -------------------------------------------------

    def values(
        self, oi: np.ndarray, nj: np.ndarray, km: np.ndarray, levels: np.ndarray, sim: np.ndarray
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Each component's value for each pair; whether quantities compare; the precedent counts."""
        o, n, table, w = self.o, self.n, self.table, self.weights
        rank = level_rank(w)
        strongest = np.full(len(oi), -1, dtype=np.int64)
        fit = np.full(len(oi), -np.inf)
        for lv in sorted(LEVEL_ORDER, key=rank.__getitem__):  # weakest first: the strongest present wins
            present = (levels & LEVEL_BITS[lv]) != 0
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
        return rounded(raw, 2)

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
        found = contains(codes, wanted)
        count = np.zeros(len(oi), dtype=np.int64)
        if found.any():
            at = np.searchsorted(codes, wanted[found])
            np.maximum.at(count, pair[found], values[at])
        return count


_REGULARITY_TABLE = np.full((len(REGULARITIES) + 1, len(REGULARITIES) + 1), NEUTRAL)
for (_a, _b), _v in REGULARITY_FIT.items():
    _REGULARITY_TABLE[REGULARITIES.index(_a), REGULARITIES.index(_b)] = _v


def evidence_reasons(offer: Stream, need: Stream, bits: int, similarity: float, shared: tuple[str, ...]) -> list[Reason]:
    """The reasons ``pairs._evaluate`` gives, in its order, from the evidence bits."""
    reasons: list[Reason] = []
    if bits & LEVEL_BITS[MatchLevel.CODE_EXACT]:
        reasons.append((N_("Same waste code {code}"), {"code": offer.code}))
    elif bits & LEVEL_BITS[MatchLevel.CODE_SUBCHAPTER]:
        reasons.append((N_("Same waste code sub-chapter {prefix}"), {"prefix": offer.code[:4]}))
    elif bits & LEVEL_BITS[MatchLevel.CODE_CHAPTER]:
        reasons.append((N_("Same waste code chapter {prefix}"), {"prefix": offer.code[:2]}))
    if shared:
        reasons.append((N_("Same material class: {classes}"), {"classes": ", ".join(shared)}))
    category = bits & LEVEL_BITS[MatchLevel.CATEGORY]
    if category:
        reasons.append((N_("Same kind of resource: {category}"), {"category": category_msg(need.category)}))
    if bits & LEVEL_BITS[MatchLevel.TEXT]:
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


