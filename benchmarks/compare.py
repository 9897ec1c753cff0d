"""Opportunities as plain values, to compare two runs field by field (benchmarks and tests)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from symdesk.domain.opportunity import Opportunity


def every_field(o: Opportunity) -> tuple[Any, ...]:
    """An opportunity as plain values: its id for its metadata, its benefits as a dict, its sequences as lists."""
    plain = []
    for f in fields(o):
        value = getattr(o, f.name)
        if f.name == "meta":
            value = value.id
        elif f.name == "benefits":
            value = dict(value)
        elif isinstance(value, tuple | list):
            value = list(value)
        plain.append(value)
    return tuple(plain)
