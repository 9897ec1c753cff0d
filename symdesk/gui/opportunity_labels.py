"""Names of an opportunity's score components and benefit figures, as the user reads them.

Component names and benefit names come from ``symdesk.domain.figures`` (shared
with the CLI and the reports); this module adds how the GUI formats them.
The engine stores components and benefits under plain keys
(``symdesk.matching.settings.COMPONENTS``, ``symdesk.matching.benefits.VALUE_FIELDS``)
so that JSON and reports stay language-free; the GUI names them here, once,
so that the table, the details pane and the network view agree. A key this
version does not know is shown as stored rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symdesk.domain.figures import BENEFIT_LABELS as FIGURE_NAMES
from symdesk.domain.figures import COMPONENT_LABELS
from symdesk.domain.labels import label
from symdesk.domain.opportunity import MatchKind, OpportunityStatus
from symdesk.domain.stream import OpportunityKind
from symdesk.domain.units import CANONICAL_UNIT, Dimension
from symdesk.gui.labels import capitalised, unit_label
from symdesk.i18n import N_, _, format_number

# Benefit figure → (its name, the unit it is counted in). Units are unit codes
# (shown through ``unit_label``) or the two that are not quantities of a stream.
BYN, CO2E = "BYN", "tCO2e"
_UNITS = {
    "landfill_diverted_t": "t", "disposal_cost_avoided_byn": BYN, "purchase_cost_avoided_byn": BYN,
    "transport_cost_byn": BYN, "net_savings_byn": BYN,
    "co2e_avoided_t": CO2E, "transport_co2e_t": CO2E, "net_co2e_avoided_t": CO2E, "water_reused_m3": "m3",
    "energy_recovered_mwh": "MWh", "energy_recovered_gcal": "Gcal",
}
# Names from the domain (the CLI and the reports use the same), units as the GUI shows them.
BENEFIT_LABELS: dict[str, tuple[str, str]] = {key: (name, _UNITS[key]) for key, (name, _unit) in FIGURE_NAMES.items()}

# The one figure the table shows, first that is not zero.
HEADLINE_ORDER = ("landfill_diverted_t", "energy_recovered_mwh", "water_reused_m3", "net_co2e_avoided_t")


def component_label(name: str) -> str:
    msgid = COMPONENT_LABELS.get(name)
    return _(msgid) if msgid else name


def unit_text(unit: str) -> str:
    if unit == BYN:
        return _("BYN")
    if unit == CO2E:
        return _("t CO2e")
    return unit_label(unit)


def per_year(value: float, unit: str, decimals: int = 1) -> str:
    """«1 200 т/год», «35,5 МВт·ч/год»."""
    return _("{amount} {unit}/yr").format(amount=format_number(value, decimals), unit=unit_text(unit))


# Yearly amounts in the canonical unit of ``matched_dimension``.
AMOUNT_LABELS: dict[str, str] = {
    "matched_amount": N_("Amount exchanged"),
    "supply_amount": N_("Offered"),
    "demand_amount": N_("Needed"),
}


def benefit_rows(benefits: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, «value unit/yr») of every figure that is not zero, in the engine's order.

    Keys this version does not name are left out: the figures behind them
    are in the CLI's JSON, and a raw key means nothing to the reader.
    """
    rows: list[tuple[str, str]] = []
    for key, msgid in AMOUNT_LABELS.items():
        amount = yearly_amount(benefits, key)
        if amount:
            rows.append((_(msgid), amount))
    for key, (msgid, unit) in BENEFIT_LABELS.items():
        value = benefits.get(key)
        if isinstance(value, int | float) and value:
            rows.append((_(msgid), per_year(value, unit)))
    return rows


def matched_amount(benefits: Mapping[str, Any]) -> str:
    """The yearly amount exchanged in its canonical unit, or empty."""
    return yearly_amount(benefits, "matched_amount")


def yearly_amount(benefits: Mapping[str, Any], key: str) -> str:
    """One of the yearly amounts in the canonical unit of the matched dimension, or empty."""
    value, dimension = benefits.get(key), benefits.get("matched_dimension")
    if not isinstance(value, int | float) or not value or not dimension:
        return ""
    try:
        unit = CANONICAL_UNIT[Dimension(dimension)]
    except (ValueError, KeyError):
        return format_number(value, 1)
    return per_year(value, unit)


def benefit_headline(benefits: Mapping[str, Any]) -> tuple[str, float]:
    """The figure the table shows («1 200 т/год») and the number it sorts by."""
    for key in HEADLINE_ORDER:
        value = benefits.get(key)
        if isinstance(value, int | float) and value > 0:
            return per_year(value, BENEFIT_LABELS[key][1]), float(value)
    text = matched_amount(benefits)
    return text, float(benefits.get("matched_amount") or 0.0) if text else 0.0


def _enum_label(enum: type[Any], value: str) -> str:
    try:
        return capitalised(_(label(enum(value))))
    except ValueError:
        return str(value)


def match_kind_label(value: str) -> str:
    return _enum_label(MatchKind, value)


def category_label(value: str) -> str:
    """The opportunity's kind (by-products, water, energy…): the table's «category»."""
    return _enum_label(OpportunityKind, value)


def opportunity_status_label(value: str) -> str:
    return _enum_label(OpportunityStatus, value)
