"""Checking a document against its definition.

Each problem is a ``FieldIssue`` naming the section, the row (in repeats) and
the field, so the editor can mark the cell and an import report can name
file / sheet / row / column. ``complete=False`` is the draft check: required
answers may be missing, but what is given must be well-formed.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from symdesk.domain.codes import normalise_activity_code, normalise_unp, normalise_waste_code
from symdesk.domain.issues import N_
from symdesk.domain.stream import ALLOWED_DIMENSIONS, Category
from symdesk.domain.units import UNITS, Period
from symdesk.questionnaire.definition import Field, FormDefinition, Section, is_filled
from symdesk.questionnaire.document import QuantityValue, QuestionnaireDocument, RepeatRow


@dataclass(frozen=True)
class FieldIssue:
    section: str
    field: str
    message: str  # msgid with {placeholders}
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None  # 0-based row of a repeat section

    def render(self, translate: Any = None) -> str:
        text = translate(self.message) if translate else self.message
        return text.format(**self.params) if self.params else text


def relevant(f: Field, values: dict[str, Any]) -> bool:
    """Whether ``f`` is asked, given the other answers of its section or row."""
    return f.relevant is None or f.relevant.holds(values.get(f.relevant.field))


def _check_value(f: Field, value: Any, known_activity_classes: Container[str] | None) -> list[tuple[str, dict[str, Any]]]:
    problems: list[tuple[str, dict[str, Any]]] = []
    if f.type in ("integer", "decimal") and isinstance(value, int | float):
        if f.min is not None and value < f.min:
            problems.append((N_("Must be at least {min}"), {"min": f.min}))
        if f.max is not None and value > f.max:
            problems.append((N_("Must be at most {max}"), {"max": f.max}))
    if f.type == "date" and isinstance(value, date) and value > date.today():
        problems.append((N_("The date is in the future"), {}))
    if f.type == "text" and f.max_length and isinstance(value, str) and len(value) > f.max_length:
        problems.append((N_("At most {count} characters"), {"count": f.max_length}))
    if f.type == "select_one" and f.choices and value not in {c.value for c in f.choices}:
        problems.append((N_("«{value}» is not one of the choices"), {"value": value}))
    if f.type == "select_multiple":
        allowed = {c.value for c in f.choices}
        for item in value:
            if item not in allowed:
                problems.append((N_("«{value}» is not one of the choices"), {"value": item}))
    if f.check == "unp" and normalise_unp(str(value)) is None:
        problems.append((N_("UNP «{value}» is not 9 characters of the allowed form"), {"value": value}))
    if f.check == "oked":
        for code in value if isinstance(value, list) else [value]:
            digits = normalise_activity_code(str(code))
            if digits is None:
                problems.append((N_("«{value}» is not an OKED code"), {"value": code}))
            elif known_activity_classes is not None and digits[:4] not in known_activity_classes:
                problems.append(
                    (N_("OKED code {value}: {cls} is not a NACE Rev. 2 class"), {"value": code, "cls": f"{digits[:2]}.{digits[2:4]}"})
                )
    if f.check == "waste_code" and normalise_waste_code(str(value)) is None:
        problems.append((N_("«{value}» is not a waste code (6 digits EWC or 7 digits national)"), {"value": value}))
    if f.check == "email" and "@" not in str(value):
        problems.append((N_("«{value}» is not an e-mail address"), {"value": value}))
    return problems


def _check_quantity(value: QuantityValue, category: Any) -> list[tuple[str, dict[str, Any]]]:
    problems: list[tuple[str, dict[str, Any]]] = []
    if value.amount is not None and value.amount < 0:
        problems.append((N_("Quantity cannot be negative"), {}))
    if value.amount is not None and not value.unit:
        problems.append((N_("A quantity needs a unit"), {}))
    if value.unit:
        unit = UNITS.get(value.unit)
        if unit is None:
            problems.append((N_("Unknown unit «{value}»"), {"value": value.unit}))
        elif category in {c.value for c in Category} and unit.dimension not in ALLOWED_DIMENSIONS[Category(category)]:
            problems.append((N_("Unit {unit} does not fit the category {category}"), {"unit": unit.label_en, "category": category}))
    if value.period and value.period not in {p.value for p in Period}:
        problems.append((N_("Unknown period «{value}»"), {"value": value.period}))
    return problems


def _check_fields(
    section: Section,
    values: dict[str, Any],
    row: int | None,
    complete: bool,
    known_activity_classes: Container[str] | None,
) -> list[FieldIssue]:
    issues: list[FieldIssue] = []
    for f in section.fields:
        if not relevant(f, values):
            continue
        value = values.get(f.name)
        filled = not value.is_empty() if isinstance(value, QuantityValue) else is_filled(value)
        if not filled:
            if complete and f.required:
                issues.append(FieldIssue(section.name, f.name, N_("This field is required"), row=row))
            continue
        if isinstance(value, QuantityValue):
            found = _check_quantity(value, values.get("category"))
        else:
            found = _check_value(f, value, known_activity_classes)
        issues += [FieldIssue(section.name, f.name, message, params, row) for message, params in found]
    return issues


def validate_document(
    definition: FormDefinition,
    document: QuestionnaireDocument,
    *,
    complete: bool,
    known_activity_classes: Container[str] | None = None,
) -> list[FieldIssue]:
    """Every problem of ``document``; an empty list means it may be saved (as complete, if asked)."""
    issues: list[FieldIssue] = []
    for section in definition.sections:
        if section.repeat:
            rows: list[RepeatRow] = document.rows.get(section.name, [])
            for i, repeat_row in enumerate(rows):
                if not repeat_row.is_empty():
                    issues += _check_fields(section, repeat_row.values, i, True, known_activity_classes)
        else:
            issues += _check_fields(section, document.values, None, complete, known_activity_classes)
    return issues
