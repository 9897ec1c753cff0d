from __future__ import annotations

import pytest

from symdesk.domain.codes import (
    format_activity_code,
    format_ewc_code,
    normalise_activity_code,
    normalise_unp,
    normalise_waste_code,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("190123456", "190123456"),
        (" 190 123 456 ", "190123456"),
        ("1А0123456", "1А0123456"),  # Cyrillic letter in second place
        ("1A0123456", "1А0123456"),  # Latin look-alike read as Cyrillic
        ("12345678", None),
        ("1234567890", None),
        ("12345678Х", None),
        ("ABCDEFGHI", None),
        ("", None),
    ],
)
def test_unp(text: str, expected: str | None) -> None:
    assert normalise_unp(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("35110", "35110"), ("35.11", "3511"), ("3511", "3511"), ("35.11.0", "35110"), ("35.1", None), ("abc", None)],
)
def test_activity_code_forms(text: str, expected: str | None) -> None:
    assert normalise_activity_code(text) == expected


def test_activity_code_display() -> None:
    assert format_activity_code("3511") == "35.11"
    assert format_activity_code("35110") == "35110"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 01 02", ("ewc", "100102")),
        ("10 01 04*", ("ewc", "100104")),
        ("5960200", ("national", "5960200")),
        ("59602О0", ("national", "5960200")),  # Cyrillic О typed for zero
        ("12345", None),
        ("ab", None),
    ],
)
def test_waste_code(text: str, expected: tuple[str, str] | None) -> None:
    assert normalise_waste_code(text) == expected


def test_ewc_display() -> None:
    assert format_ewc_code("100102") == "10 01 02"
