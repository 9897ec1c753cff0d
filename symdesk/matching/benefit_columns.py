"""The benefits of many offer → need pairs at once, on arrays: ``benefits.estimate_benefits`` for columns.

A run prices every declared pair it keeps: 15,500 in a 200-resident zone,
three quarters of a million in a national register. ``estimate_benefits``
prices one pair, with its branches written plainly, and stays the
definition; here each branch becomes a mask over the pairs, and the same
arithmetic runs in the same order on float64 (IEEE, like Python's floats),
so every figure is the same to the last bit. Which factors each figure used
follows from which branches a pair took: a code per pair, turned into
``factor_keys`` once per distinct code. Tests compare the stored JSON of both
on every kept pair of shuffled zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from symdesk.domain.figure_row import FigureNames, FigureRow
from symdesk.domain.stream import CODED_CATEGORIES, Category, Handling, Stream
from symdesk.domain.units import GCAL_IN_MWH, UNITS, Dimension
from symdesk.matching.benefits import (
    DEFAULT_PRICE,
    DIVERTED_HANDLING,
    factor_keys_of,
    is_organic,
    yearly,
)
from symdesk.matching.columns import rounded
from symdesk.matching.components import BENEFIT_FIELDS, shared_factor_keys
from symdesk.matching.settings import Factors

DIMENSIONS = tuple(Dimension)
_PRICE_KEYS = tuple(dict.fromkeys(key for key, _ in DEFAULT_PRICE.values()))
STORED_KEYS = (*BENEFIT_FIELDS, "matched_dimension", "factor_keys", "supply_amount", "demand_amount")
# Benefits as stored, each a row of these names (a million rows in a national register).
_STORED = FigureNames(STORED_KEYS)
_STORED_WITHOUT_AMOUNTS = FigureNames(STORED_KEYS[:-2])

# The branches that name factors, as bits of a pair's code (in estimate_benefits's order).
_DISPOSAL, _ORGANIC, _STEAM, _GRID, _HEAT, _GAS, _TRANSPORT = (1 << k for k in range(7))
_PURCHASE_SHIFT = 7  # then the default-price key's index + 1


def _dimension(d: Dimension | None) -> int:
    return -1 if d is None else DIMENSIONS.index(d)


def _offer_columns(offers: Sequence[Stream]) -> dict[str, np.ndarray]:
    rows = []
    for s in offers:
        y, unit = yearly(s), UNITS.get(s.unit)
        price = s.price_byn
        rows.append((
            np.nan if y is None else y.value,
            _dimension(y.dimension if y else None),
            bool(unit and unit.is_rate),
            s.category in CODED_CATEGORIES,
            s.handling in DIVERTED_HANDLING,
            price is not None and price < 0 and s.unit == "t",
            np.nan if price is None else price,
            is_organic(s) and s.handling is not Handling.INCINERATED,
            s.category in (Category.HEAT, Category.STEAM, Category.ELECTRICITY),
            s.category is Category.STEAM,
            s.category is Category.FUEL_GAS,
            s.category is Category.WATER,
        ))
    return _as_columns(
        {"amount": float, "dimension": int, "rate": bool, "coded": bool, "diverted": bool, "pays": bool, "price": float,
         "organic": bool, "energy": bool, "steam": bool, "fuel_gas": bool, "water": bool},
        rows,
    )


def _need_columns(needs: Sequence[Stream]) -> dict[str, np.ndarray]:
    rows = []
    for s in needs:
        y, unit = yearly(s), UNITS.get(s.unit)
        price = s.price_byn
        default = DEFAULT_PRICE.get(s.category)
        rows.append((
            np.nan if y is None else y.value,
            _dimension(y.dimension if y else None),
            price is not None and price > 0,
            price is None,
            np.nan if price is None else price,
            _dimension(unit.dimension) if unit else -2,  # -2: no unit, never a dimension
            unit.factor if unit else np.nan,
            0 if default is None else _PRICE_KEYS.index(default[0]) + 1,
            np.nan if default is None else default[1],
            s.category is Category.ELECTRICITY,
            s.category is Category.FUEL_GAS,
            s.category is Category.WATER,
        ))
    return _as_columns(
        {"amount": float, "dimension": int, "priced": bool, "unpriced": bool, "price": float, "unit_dimension": int,
         "unit_factor": float, "price_key": int, "per_canonical": float, "electricity": bool, "fuel_gas": bool,
         "water": bool},
        rows,
    )


_DTYPES = {float: np.float64, int: np.int64, bool: np.bool_}


def _as_columns(types: dict[str, type], rows: list[tuple[Any, ...]]) -> dict[str, np.ndarray]:
    """One array per field of the rows (a stream each), typed."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in types]
    return {name: np.array(col, dtype=_DTYPES[t]) for (name, t), col in zip(types.items(), columns, strict=True)}


SideColumns = tuple[dict[str, np.ndarray], dict[str, np.ndarray]]


def side_columns(offers: Sequence[Stream], needs: Sequence[Stream]) -> SideColumns:
    """What pricing reads of each offer and each need, as columns: made once for many ``pair_benefits``."""
    return _offer_columns(offers), _need_columns(needs)


def pair_benefits(
    offers: Sequence[Stream],
    needs: Sequence[Stream],
    oi: np.ndarray,
    nj: np.ndarray,
    km: np.ndarray,
    factors: Factors,
    columns: SideColumns | None = None,
    *,
    amounts: bool = True,
) -> tuple[list[FigureRow], np.ndarray, np.ndarray, np.ndarray]:
    """The stored benefits of each pair ``offers[oi[k]]`` → ``needs[nj[k]]`` at ``km[k]`` (NaN: unknown),
    as ``components.benefits_json(estimate_benefits(...))`` with the supply and demand amounts added
    (rows that read as those dicts: ``FigureRow``);
    and what ``components.cost_warnings`` compares: the money saved, the transport cost, and where to warn.
    ``columns``: ``side_columns(offers, needs)``, when pairs are priced a part at a time. Without
    ``amounts``, the supply and demand amounts are left out: exactly ``benefits_json``'s dict (a
    suggested receiver has no demand of its own)."""
    o, n = columns or side_columns(offers, needs)
    count = len(oi)
    s, d = o["amount"][oi], n["amount"][nj]
    sd, dd = o["dimension"][oi], n["dimension"][nj]
    s_known, d_known = ~np.isnan(s), ~np.isnan(d)
    both = s_known & d_known
    amount = np.where(both, np.where(d < s, d, s), np.where(s_known, s, d))  # min(s, d): s unless d is smaller
    dim = np.where(s_known, sd, dd)
    priced = (both & (sd == dd)) | (s_known ^ d_known)
    priced &= ~o["rate"][oi]
    amount = np.where(priced, amount, 0.0)
    mass = priced & (dim == DIMENSIONS.index(Dimension.MASS))
    code = np.zeros(count, dtype=np.int64)
    zero = np.zeros(count)

    landfill_branch = mass & o["coded"][oi] & o["diverted"][oi]
    landfill = np.where(landfill_branch, amount, zero)
    pays = landfill_branch & o["pays"][oi]
    by_factor = landfill_branch & ~pays
    disposal = np.where(pays, amount * -o["price"][oi], np.where(by_factor, amount * factors["disposal_cost_byn_per_t"], zero))
    code |= np.where(by_factor, _DISPOSAL, 0)
    organic = landfill_branch & o["organic"][oi]
    co2e = np.where(organic, zero + amount * factors["landfill_organic_co2e_t_per_t"], zero)
    code |= np.where(organic, _ORGANIC, 0)

    by_price = priced & n["priced"][nj] & (n["unit_dimension"][nj] == dim)
    key = n["price_key"][nj]
    by_default = priced & ~by_price & n["unpriced"][nj] & (key > 0) & (
        (dim == DIMENSIONS.index(Dimension.ENERGY)) | (dim == DIMENSIONS.index(Dimension.VOLUME))
    )
    tariffs = np.array([np.nan, *(factors[k] for k in _PRICE_KEYS)])
    with np.errstate(invalid="ignore"):
        purchase = np.where(
            by_price, n["price"][nj] * amount / n["unit_factor"][nj],
            np.where(by_default, tariffs[key] * amount * n["per_canonical"][nj], zero),
        )
    code |= np.where(by_default, key << _PURCHASE_SHIFT, 0)

    energy = priced & o["energy"][oi]
    steam_mass = energy & ~(dim == DIMENSIONS.index(Dimension.ENERGY)) & mass & o["steam"][oi]
    mwh = np.where(energy & (dim == DIMENSIONS.index(Dimension.ENERGY)), amount,
                   np.where(steam_mass, amount * factors["steam_energy_mwh_per_t"], zero))
    code |= np.where(steam_mass, _STEAM, 0)
    recovered = mwh != 0  # ``if mwh:`` (NaN never: amounts are numbers)
    gcal = np.where(recovered, mwh / GCAL_IN_MWH, zero)
    mwh = np.where(recovered, mwh, zero)
    grid = recovered & n["electricity"][nj]
    heat = recovered & ~n["electricity"][nj] & ~n["fuel_gas"][nj]
    co2e = np.where(grid, co2e + mwh * factors["grid_co2_t_per_mwh"], co2e)
    co2e = np.where(heat, co2e + gcal * factors["heat_gas_boiler_co2_t_per_gcal"], co2e)
    code |= np.where(grid, _GRID, 0) | np.where(heat, _HEAT, 0)
    gas = priced & o["fuel_gas"][oi] & (dim == DIMENSIONS.index(Dimension.VOLUME))
    co2e = np.where(gas, co2e + amount / 1000.0 * factors["natural_gas_co2_t_per_thousand_m3"], co2e)
    code |= np.where(gas, _GAS, 0)

    water_dims = (dim == DIMENSIONS.index(Dimension.VOLUME)) | (dim == DIMENSIONS.index(Dimension.MASS))
    water = np.where(priced & o["water"][oi] & n["water"][nj] & water_dims, amount, zero)

    trucked = mass & ~np.isnan(km) & o["coded"][oi]
    transport_co2e = np.where(trucked, amount * km * factors["truck_co2_kg_per_tkm"] / 1000.0, zero)
    transport_cost = np.where(trucked, amount * km * factors["transport_cost_byn_per_tkm"], zero)
    code |= np.where(trucked, _TRANSPORT, 0)

    net_savings = disposal + purchase - transport_cost
    net_co2e = co2e - transport_co2e
    matched = np.where(priced, amount, np.nan)
    figures = [landfill, disposal, purchase, transport_cost, net_savings, co2e, transport_co2e, net_co2e, water, mwh,
               gcal]
    columns: list[list[Any]] = [_floats(f) for f in figures]
    columns.append([None if a != a else a for a in rounded(matched, 6).tolist()])
    names = [d.value for d in DIMENSIONS]
    columns.append([names[k] if p else None for k, p in zip(dim.tolist(), priced.tolist(), strict=True)])
    keys_of = {c: shared_factor_keys(factor_keys_of(_steps(c))) for c in set(code.tolist())}
    empty = shared_factor_keys({})
    columns.append([keys_of[c] if p else empty for c, p in zip(code.tolist(), priced.tolist(), strict=True)])
    layout = _STORED
    if amounts:
        columns.append([None if a != a else a for a in s.tolist()])
        columns.append([None if a != a else a for a in d.tolist()])
    else:
        layout = _STORED_WITHOUT_AMOUNTS
    stored = [FigureRow(layout, row) for row in zip(*columns, strict=True)] if count else []
    saved = disposal + purchase
    return stored, saved, transport_cost, (saved > 0) & (transport_cost > saved)


_ZERO = 0.0


def _floats(column: np.ndarray) -> list[float]:
    """The column as Python floats, every +0.0 one shared object: most figures of most pairs are zero
    (as ``Benefits``'s defaults are one constant), and 24 bytes a figure is 200 MB in a national register."""
    out = np.empty(len(column), dtype=object)
    out[:] = column.tolist()
    out[column.view(np.int64) == 0] = _ZERO  # the bits of +0.0 only: -0.0 keeps its sign
    return out.tolist()


def _steps(code: int) -> tuple[tuple[str, str], ...]:
    """The (figure, factor) steps ``estimate_benefits`` notes for a pair that took the branches of ``code``."""
    steps: list[tuple[str, str]] = []
    if code & _DISPOSAL:
        steps.append(("disposal_cost_avoided_byn", "disposal_cost_byn_per_t"))
    if code & _ORGANIC:
        steps.append(("co2e_avoided_t", "landfill_organic_co2e_t_per_t"))
    if code >> _PURCHASE_SHIFT:
        steps.append(("purchase_cost_avoided_byn", _PRICE_KEYS[(code >> _PURCHASE_SHIFT) - 1]))
    if code & _STEAM:
        steps += [("energy_recovered_mwh", "steam_energy_mwh_per_t"), ("energy_recovered_gcal", "steam_energy_mwh_per_t")]
    if code & _GRID:
        steps.append(("co2e_avoided_t", "grid_co2_t_per_mwh"))
    if code & _HEAT:
        steps.append(("co2e_avoided_t", "heat_gas_boiler_co2_t_per_gcal"))
    if code & _GAS:
        steps.append(("co2e_avoided_t", "natural_gas_co2_t_per_thousand_m3"))
    if code & _TRANSPORT:
        steps += [("transport_co2e_t", "truck_co2_kg_per_tkm"), ("transport_cost_byn", "transport_cost_byn_per_tkm")]
    return tuple(steps)

