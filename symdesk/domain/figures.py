"""Names and units of the figures an opportunity carries: score components and benefits.

Stored opportunities keep component and benefit *keys* (``material_fit``,
``landfill_diverted_t``…); the GUI, the CLI and the reports name them with
``_(COMPONENT_LABELS[key])`` so that all three say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symdesk.domain.issues import N_

COMPONENT_LABELS: dict[str, str] = {
    "material_fit": N_("Material fit"),
    "quantity_coverage": N_("Quantity coverage"),
    "distance": N_("Distance"),
    "regularity_fit": N_("Regularity fit"),
    "hazard": N_("Hazard and regulation"),
    "price_signal": N_("Price signal"),
    "data_completeness": N_("Data completeness"),
    "kb_confidence": N_("Precedents"),
    # pooling
    "participants": N_("Participants"),
    "compactness": N_("Compactness of the sites"),
    "quantity_known": N_("Quantities known"),
    "commitment": N_("Commitment to share"),
    # chains
    "weakest_link": N_("Weakest link"),
    "mean_link": N_("Mean link score"),
}

# key -> (msgid, unit msgid)
BENEFIT_LABELS: dict[str, tuple[str, str]] = {
    "landfill_diverted_t": (N_("Diverted from landfill"), N_("t/yr")),
    "disposal_cost_avoided_byn": (N_("Disposal cost avoided"), N_("BYN/yr")),
    "purchase_cost_avoided_byn": (N_("Purchase cost avoided"), N_("BYN/yr")),
    "transport_cost_byn": (N_("Transport cost"), N_("BYN/yr")),
    "net_savings_byn": (N_("Net savings"), N_("BYN/yr")),
    "co2e_avoided_t": (N_("CO2e avoided"), N_("t/yr")),
    "transport_co2e_t": (N_("Transport CO2e"), N_("t/yr")),
    "net_co2e_avoided_t": (N_("Net CO2e avoided"), N_("t/yr")),
    "water_reused_m3": (N_("Water reused"), N_("m³/yr")),
    "energy_recovered_mwh": (N_("Energy recovered"), N_("MWh/yr")),
    "energy_recovered_gcal": (N_("Heat recovered"), N_("Gcal/yr")),
}

def money_saved(benefits: Mapping[str, Any]) -> float:
    """The money an exchange saves a year: disposal and purchase costs avoided, less the transport.

    Opportunities stored before transport was costed have no net figure; for
    them this is the costs avoided, as it was then printed.
    """
    net = benefits.get("net_savings_byn")
    if net is None:
        return float(benefits.get("disposal_cost_avoided_byn") or 0.0) + float(benefits.get("purchase_cost_avoided_byn") or 0.0)
    return float(net or 0.0)


# The figures that add up across opportunities (matched_amount and its
# dimension describe one exchange and do not).
BENEFIT_KEYS: tuple[str, ...] = tuple(BENEFIT_LABELS)

# Colours of the NACE sections in the network view and the report's network
# picture, so that a resident has the same colour on screen and on paper.
SECTOR_COLOURS: dict[str, str] = {
    "A": "#7cb342",  # agriculture
    "B": "#8d6e63",  # mining
    "C": "#1e88e5",  # manufacturing
    "D": "#fbc02d",  # energy
    "E": "#00897b",  # water, waste
    "F": "#f4511e",  # construction
    "G": "#8e24aa",  # trade
    "H": "#546e7a",  # transport
    "I": "#d81b60",
    "J": "#3949ab",
    "K": "#6d4c41",
    "L": "#c0ca33",
    "M": "#039be5",
    "N": "#5e35b1",
    "O": "#757575",
    "P": "#43a047",
    "Q": "#e53935",
    "R": "#fb8c00",
    "S": "#9e9d24",
    "T": "#a1887f",
    "U": "#90a4ae",
}
UNKNOWN_SECTOR_COLOUR = "#bdbdbd"

# A network of more residents than this is crowded: its pictures (the GUI's network view and the
# report's) name only some residents, the most connected first, so that the names stay readable.
NAMED_IN_A_PICTURE = 60
