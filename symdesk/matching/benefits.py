"""What an opportunity is worth: tonnes, money, CO2e, water and energy per year.

Every figure names the factor keys it used (resources/matching/factors.csv),
so a report can print the factor, its value and its source beside the
result; a figure without its assumptions is not something an administration
can defend in front of a ministry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from symdesk.domain.stream import CODED_CATEGORIES, Category, Handling, Stream
from symdesk.domain.units import GCAL_IN_MWH, UNITS, Dimension, YearlyAmount, yearly_amount
from symdesk.matching.settings import Factors

# Handling that ends in a landfill, a heap or a furnace: using it elsewhere diverts it.
DIVERTED_HANDLING = frozenset({Handling.LANDFILL, Handling.STORED, Handling.INCINERATED})

# EWC prefixes of organic (biodegradable) wastes, whose landfilling emits methane.
ORGANIC_EWC_PREFIXES = (
    "02",  # agriculture, food processing
    "03",  # wood, paper and board processing
    "150101",  # paper and cardboard packaging
    "150103",  # wooden packaging
    "190805",  # sludges from urban wastewater treatment
    "190812",
    "190814",
    "200101",  # paper and cardboard
    "200108",  # biodegradable kitchen waste
    "200138",  # wood
    "200201",  # biodegradable garden waste
)

# Where a need has no price, the default tariff for its category: factor key, canonical unit → tariff unit.
DEFAULT_PRICE = {
    Category.HEAT: ("heat_price_byn_per_gcal", 1 / GCAL_IN_MWH),
    Category.WATER: ("water_price_byn_per_m3", 1.0),
    Category.ELECTRICITY: ("electricity_price_byn_per_mwh", 1.0),
}

VALUE_FIELDS = (
    "landfill_diverted_t",
    "disposal_cost_avoided_byn",
    "purchase_cost_avoided_byn",
    "transport_cost_byn",
    "net_savings_byn",
    "co2e_avoided_t",
    "transport_co2e_t",
    "net_co2e_avoided_t",
    "water_reused_m3",
    "energy_recovered_mwh",
    "energy_recovered_gcal",
)


@dataclass(slots=True)
class Benefits:
    """Yearly benefits of one opportunity (or a sum); ``factor_keys`` per figure."""

    landfill_diverted_t: float = 0.0
    disposal_cost_avoided_byn: float = 0.0
    purchase_cost_avoided_byn: float = 0.0
    transport_cost_byn: float = 0.0  # carrying the matched tonnes the distance between the sites
    net_savings_byn: float = 0.0  # disposal and purchase costs avoided, less the transport
    co2e_avoided_t: float = 0.0
    transport_co2e_t: float = 0.0
    net_co2e_avoided_t: float = 0.0
    water_reused_m3: float = 0.0
    energy_recovered_mwh: float = 0.0
    energy_recovered_gcal: float = 0.0
    matched_amount: float | None = None  # yearly, canonical unit of the dimension
    matched_dimension: Dimension | None = None
    factor_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def _use(self, figure: str, *keys: str) -> None:
        self.factor_keys[figure] = tuple(dict.fromkeys((*self.factor_keys.get(figure, ()), *keys)))


@lru_cache(maxsize=65536, typed=True)  # 1 and 1.0 give amounts that print differently
def _yearly_of(quantity: float | None, unit: str, period: object) -> YearlyAmount | None:
    if quantity is None or unit not in UNITS:
        return None
    return yearly_amount(quantity, unit, period)  # type: ignore[arg-type]


def yearly(stream: Stream) -> YearlyAmount | None:
    """``stream.yearly()``, remembered by quantity, unit and period: scoring and pricing a pair ask several times.

    Keyed by the values, not the stream, so an edited stream is never served a stale amount.
    """
    return _yearly_of(stream.quantity, stream.unit, stream.period)


def is_organic(stream: Stream) -> bool:
    return len(stream.code) == 6 and stream.code.startswith(ORGANIC_EWC_PREFIXES)


def matched_amount(offer: Stream, need: Stream) -> tuple[float, Dimension] | None:
    """The yearly amount exchanged: the smaller of supply and demand, or whichever is known."""
    s, d = yearly(offer), yearly(need)
    if s is not None and d is not None:
        if s.dimension != d.dimension:
            return None
        return min(s.value, d.value), s.dimension
    known = s or d
    return (known.value, known.dimension) if known else None


def estimate_benefits(offer: Stream, need: Stream, distance_km: float | None, factors: Factors) -> Benefits:
    """Yearly benefits of the offer meeting the need, from the matched amount and the factors.

    The factors each figure used are noted as (figure, factor) steps and
    turned into ``factor_keys`` once per distinct list of steps (a run has a
    few dozen): a run prices every kept pair, a million in a national register.
    """
    matched = matched_amount(offer, need)
    if matched is None:
        return Benefits()
    amount, dim = matched
    offer_unit = UNITS.get(offer.unit)
    if offer_unit and offer_unit.is_rate:
        return Benefits()  # a capacity, not a yearly amount: nothing to add up
    used: list[tuple[str, str]] = []
    tonnes = amount if dim is Dimension.MASS else None
    landfill = disposal = purchase = co2e = mwh = water = transport_co2e = transport_cost = 0.0

    if tonnes is not None and offer.category in CODED_CATEGORIES and offer.handling in DIVERTED_HANDLING:
        landfill = tonnes
        if offer.price_byn is not None and offer.price_byn < 0 and offer.unit == "t":
            disposal = tonnes * -offer.price_byn  # what the holder pays today
        else:
            disposal = tonnes * factors["disposal_cost_byn_per_t"]
            used.append(("disposal_cost_avoided_byn", "disposal_cost_byn_per_t"))
        if is_organic(offer) and offer.handling is not Handling.INCINERATED:
            co2e += tonnes * factors["landfill_organic_co2e_t_per_t"]
            used.append(("co2e_avoided_t", "landfill_organic_co2e_t_per_t"))

    need_unit = UNITS.get(need.unit)
    if need.price_byn is not None and need.price_byn > 0 and need_unit and need_unit.dimension is dim:
        purchase = need.price_byn * amount / need_unit.factor
    elif need.price_byn is None and need.category in DEFAULT_PRICE and dim in (Dimension.ENERGY, Dimension.VOLUME):
        key, per_canonical = DEFAULT_PRICE[need.category]
        purchase = factors[key] * amount * per_canonical
        used.append(("purchase_cost_avoided_byn", key))

    if offer.category in (Category.HEAT, Category.STEAM, Category.ELECTRICITY):
        if dim is Dimension.ENERGY:
            mwh = amount
        elif dim is Dimension.MASS and offer.category is Category.STEAM:
            used.append(("energy_recovered_mwh", "steam_energy_mwh_per_t"))
            used.append(("energy_recovered_gcal", "steam_energy_mwh_per_t"))
            mwh = amount * factors["steam_energy_mwh_per_t"]
    gcal = 0.0
    if mwh:
        gcal = mwh / GCAL_IN_MWH
        if need.category is Category.ELECTRICITY:
            co2e += mwh * factors["grid_co2_t_per_mwh"]
            used.append(("co2e_avoided_t", "grid_co2_t_per_mwh"))
        elif need.category is Category.FUEL_GAS:
            pass  # counted by volume below when given in m³
        else:
            co2e += gcal * factors["heat_gas_boiler_co2_t_per_gcal"]
            used.append(("co2e_avoided_t", "heat_gas_boiler_co2_t_per_gcal"))
    else:
        mwh = 0.0
    if offer.category is Category.FUEL_GAS and dim is Dimension.VOLUME:
        co2e += amount / 1000.0 * factors["natural_gas_co2_t_per_thousand_m3"]
        used.append(("co2e_avoided_t", "natural_gas_co2_t_per_thousand_m3"))

    if offer.category is Category.WATER and need.category is Category.WATER and dim in (Dimension.VOLUME, Dimension.MASS):
        water = amount  # 1 t of water ≈ 1 m³

    if tonnes is not None and distance_km is not None and offer.category in CODED_CATEGORIES:
        transport_co2e = tonnes * distance_km * factors["truck_co2_kg_per_tkm"] / 1000.0
        used.append(("transport_co2e_t", "truck_co2_kg_per_tkm"))
        transport_cost = tonnes * distance_km * factors["transport_cost_byn_per_tkm"]
        used.append(("transport_cost_byn", "transport_cost_byn_per_tkm"))
    return Benefits(
        landfill, disposal, purchase, transport_cost, disposal + purchase - transport_cost, co2e, transport_co2e,
        co2e - transport_co2e, water, mwh, gcal, round(amount, 6), dim, dict(factor_keys_of(tuple(used))),
    )


@lru_cache(maxsize=4096)
def factor_keys_of(used: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, ...]]:
    """Which factors each figure used, from the steps ``estimate_benefits`` noted; the net figures
    name what their parts used. Figures in the order first used, keys once each."""
    keys: dict[str, tuple[str, ...]] = {}

    def use(figure: str, *more: str) -> None:
        keys[figure] = tuple(dict.fromkeys((*keys.get(figure, ()), *more)))

    for figure, key in used:
        use(figure, key)
    use("net_savings_byn", *(key for figure in ("disposal_cost_avoided_byn", "purchase_cost_avoided_byn",
                                                "transport_cost_byn") for key in keys.get(figure, ())))
    if not keys["net_savings_byn"]:
        del keys["net_savings_byn"]
    use("net_co2e_avoided_t", *keys.get("co2e_avoided_t", ()), *keys.get("transport_co2e_t", ()))
    if not keys["net_co2e_avoided_t"]:
        del keys["net_co2e_avoided_t"]
    return keys


def sum_benefits(items: Iterable[Benefits]) -> Benefits:
    """Zone total: figures added up, factor keys united (the amounts have no common unit)."""
    total = Benefits()
    for item in items:
        for name in VALUE_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(item, name))
        for figure, keys in item.factor_keys.items():
            total._use(figure, *keys)
    total.factor_keys = dict(sorted(total.factor_keys.items()))
    return total

