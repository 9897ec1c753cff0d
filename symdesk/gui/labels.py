"""Coded values and units as the user reads them in widgets.

The names themselves are the core's (``symdesk.domain.labels``, units'
``label_ru``/``label_en``), so the CLI, reports and the GUI agree and the
translators see each name once; this module only translates them and gives
a label its capital letter where it starts a table cell or a combo item.
"""

from __future__ import annotations

from symdesk.domain.labels import label
from symdesk.domain.resident import ResidentStatus
from symdesk.domain.units import UNITS, Period
from symdesk.i18n import _, current_language, format_number

# The grey of secondary text (hints, units, sources) on every page.
MUTED = "#6b6b6b"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_label(value: str) -> str:
    """«Active» / «Действует»; a value this version does not know is shown as stored."""
    try:
        status = ResidentStatus(value)
    except ValueError:
        return str(value)
    return capitalised(_(label(status)))


def unit_label(code: str) -> str:
    """``m3`` → «м³» in Russian, «m³» in English; unknown codes as they are."""
    unit = UNITS.get(code)
    if unit is None:
        return code
    return unit.label_en if current_language() == "en" else unit.label_ru


def period_label(period: Period | str | None) -> str:
    """``year`` → «per year» in the current language; empty for no period."""
    if not period:
        return ""
    try:
        return _(label(Period(period)))
    except ValueError:
        return str(period)


def quantity_text(value: float) -> str:
    """«300 000», «2,5» in Russian; «300,000», «2.5» in English."""
    return format_number(value, 3)


def coordinate_text(value: float) -> str:
    """A latitude or longitude to 7 decimals (about a centimetre), in the language's way."""
    return format_number(value, 7)
