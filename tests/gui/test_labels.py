"""Numbers, units and coded values as the user reads them in each language."""

from __future__ import annotations

from symdesk.gui.dialogs.resident_editor import parse_decimal, split_codes
from symdesk.gui.labels import (
    coordinate_text,
    period_label,
    quantity_text,
    status_label,
    unit_label,
)
from symdesk.i18n import _, set_language


def test_numbers_and_units_follow_the_language():
    set_language("ru")
    assert quantity_text(300000.0) == "300\u00a0000"
    assert quantity_text(2.5) == "2,5"
    assert coordinate_text(53.164213) == "53,164213"
    assert unit_label("m3") == "м³"
    assert period_label("year") == _("per year")
    set_language("en")
    assert quantity_text(300000.0) == "300,000"
    assert coordinate_text(29.27) == "29.27"
    assert unit_label("Gcal_h") == "Gcal/h"
    assert period_label("day") == "per day"


def test_status_labels_start_with_a_capital():
    assert status_label("suspended") == "Suspended"
    assert status_label("left") == "Left the zone"
    assert status_label("unknown") == "unknown"


def test_editor_reads_what_people_type():
    assert parse_decimal(" 53,17 ") == 53.17
    assert parse_decimal("29.27") == 29.27
    assert parse_decimal("53,164\u00a0") == 53.164
    assert parse_decimal("") is None
    assert split_codes("16100, 35.11;3511 ,") == ["16100", "35.11", "3511"]
