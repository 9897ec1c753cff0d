"""The pieces the Excel template and import share: names, headers, codes typed into cells."""

from __future__ import annotations

import pytest

from symdesk.io.xlsx_layout import fold_header, repeat_columns, sheet_title, valid_uuid
from symdesk.questionnaire.definition import default_definition
from symdesk.questionnaire.values import parse_field_value, tidy_unp

D = default_definition()


@pytest.mark.parametrize(
    ("typed", "unp"),
    [("19O123456", "190123456"), ("190 123 456", "190123456"), (190123456, "190123456"),
     (190123456.0, "190123456"), ("1A2345678", "1А2345678"), ("12345", "12345")],
)
def test_unp_as_typed(typed: object, unp: str) -> None:
    assert tidy_unp(typed) == unp


def test_codes_excel_took_for_numbers() -> None:
    assert parse_field_value(D.section("offers").field("code"), 30105) == "030105"
    assert parse_field_value(D.section("offers").field("code"), 5960200.0) == "5960200"
    assert parse_field_value(D.section("resident").field("activity_codes"), 16100) == ["16100"]
    assert parse_field_value(D.section("resident").field("unp"), 190123456) == "190123456"


def test_sheet_titles_fit_excel_and_columns_are_distinct() -> None:
    for section in D.sections:
        for language in ("ru", "en"):
            title = sheet_title(section, language)
            assert 0 < len(title) <= 31 and not set(title) & set("[]:*?/\\")
    for section in D.repeat_sections:
        names = [n for c in repeat_columns(section) for n in c.names()]
        assert len(names) == len(set(names))
    assert fold_header("  Количество, т/год * ") == fold_header("количество т год")
    assert valid_uuid("not-a-uuid") is None and valid_uuid(" 12345678-1234-5678-1234-567812345678 ")
