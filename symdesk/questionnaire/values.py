"""Reading what people type into a questionnaire's cells.

Shared by the Excel importer, the register importer and the editor: numbers
with decimal commas and thousands spaces («1 234,5»), units written any of
the usual ways («т/год», «тонн в год», «м3», «куб.м», «Гкал»), yes/no in
either language, dates as Excel stores them or as «01.05.2026», choices by
value or by their label in Russian or English. Each ``parse_*`` returns the
value or raises ``ValueProblem`` with a msgid naming what was expected.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from functools import cache
from typing import Any

from symdesk.domain.codes import (
    CYRILLIC_TO_LATIN_DIGITLIKE,
    normalise_activity_code,
    normalise_unp,
    normalise_waste_code,
)
from symdesk.domain.issues import N_
from symdesk.domain.units import UNITS, Period
from symdesk.paths import resources_dir
from symdesk.questionnaire.definition import Field
from symdesk.questionnaire.document import QuantityValue

SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


class ValueProblem(ValueError):
    def __init__(self, message: str, **params: Any):
        self.message = message
        self.params = params
        super().__init__(message.format(**params) if params else message)


def fold_key(text: str) -> str:
    """Case, ё/е, spaces and dots ignored: the key typed-in words are compared by."""
    return re.sub(r"[\s.\u00a0]+", "", str(text).strip().lower().replace("ё", "е"))


@cache
def unit_aliases() -> dict[str, str]:
    with (resources_dir() / "classifiers" / "unit_aliases.csv").open(encoding="utf-8", newline="") as f:
        aliases = {fold_key(r["alias"]): r["unit"] for r in csv.DictReader(f)}
    for unit in UNITS.values():  # the labels the app itself writes
        aliases.setdefault(fold_key(unit.label_ru), unit.code)
        aliases.setdefault(fold_key(unit.label_en), unit.code)
        aliases.setdefault(fold_key(unit.code), unit.code)
    return aliases


@cache
def period_aliases() -> dict[str, str]:
    with (resources_dir() / "classifiers" / "period_aliases.csv").open(encoding="utf-8", newline="") as f:
        aliases = {fold_key(r["alias"]): r["period"] for r in csv.DictReader(f)}
    for period in Period:
        aliases.setdefault(fold_key(period.value), period.value)
    return aliases


def parse_number(raw: Any) -> float:
    """``1 234,5`` / ``1,234.5`` / ``1234`` → float; Excel numbers pass through."""
    if isinstance(raw, bool):
        raise ValueProblem(N_("«{value}» is not a number"), value=raw)
    if isinstance(raw, int | float):
        return float(raw)
    text = SPACES.sub("", str(raw)).replace("−", "-")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueProblem(N_("«{value}» is not a number"), value=raw) from None


def parse_integer(raw: Any) -> int:
    value = parse_number(raw)
    if not value.is_integer():
        raise ValueProblem(N_("«{value}» is not a whole number"), value=raw)
    return int(value)


YES = {"да", "д", "yes", "y", "true", "1", "+", "x", "х", "истина", "есть"}
NO = {"нет", "н", "no", "n", "false", "0", "-", "ложь"}


def parse_boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    key = fold_key(raw)
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueProblem(N_("«{value}» is not yes or no"), value=raw)


def parse_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueProblem(N_("«{value}» is not a date (dd.mm.yyyy)"), value=raw)


def parse_choice(f: Field, raw: Any) -> str:
    """A choice by its value or its Russian or English label."""
    key = fold_key(raw)
    for choice in f.choices:
        if key in (fold_key(choice.value), fold_key(choice.label.ru), fold_key(choice.label.en)):
            return choice.value
    raise ValueProblem(N_("«{value}» is not one of the choices"), value=raw)


def split_list(raw: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]+", str(raw)) if part.strip()]


def parse_code(f: Field, raw: Any) -> str | list[str]:
    """Codes with spaces, dots, stars and letters that look like digits tidied up."""
    numeric = isinstance(raw, int | float) and not isinstance(raw, bool)
    items = split_list(_code_text(raw)) if f.multiple else [_code_text(raw)]
    tidy = []
    for item in items:
        if f.classifier == "activity":
            tidy.append(normalise_activity_code(item.replace("О", "0").replace("O", "0")) or item)
        else:
            if numeric and len(item) == 5 and item.isdigit():
                item = "0" + item  # EWC chapters 01–09 lose their leading zero in a number cell
            read = normalise_waste_code(item)
            tidy.append(read[1] if read else item)
    return tidy if f.multiple else tidy[0]


def tidy_unp(raw: Any) -> str:
    """An УНП with spaces dropped and look-alike letters read right; left as typed if unreadable.

    Latin letters that look Cyrillic (the letter in second place) become Cyrillic;
    an «О» or «З» elsewhere, typed for a digit, becomes the digit.
    """
    text = _code_text(raw)
    read = normalise_unp(text)
    if read is None and len(compact := re.sub(r"[\s\-]", "", text)) == 9:
        digits = compact[0].translate(CYRILLIC_TO_LATIN_DIGITLIKE) + compact[1] + compact[2:].translate(CYRILLIC_TO_LATIN_DIGITLIKE)
        read = normalise_unp(digits) or normalise_unp(digits[0] + digits[1].translate(CYRILLIC_TO_LATIN_DIGITLIKE) + digits[2:])
    return read or text


def _code_text(raw: Any) -> str:
    """A code typed into a cell Excel took for a number: 190123456.0 → «190123456»."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def parse_unit(raw: Any) -> tuple[str, str]:
    """Unit and (maybe) period from one cell: «т/год» → (t, year), «Гкал/ч» → (Gcal_h, '')."""
    whole = fold_key(raw)
    if not whole:
        return "", ""
    aliases = unit_aliases()
    if whole in aliases:
        return aliases[whole], ""
    text = str(raw).strip().lower().replace("ё", "е")
    parts = re.split(r"\s*/\s*|\s+в\s+|\s+per\s+|\s+за\s+", text, maxsplit=1)
    if len(parts) == 2:
        unit = aliases.get(fold_key(parts[0]))
        period = period_aliases().get(fold_key(parts[1])) or period_aliases().get(fold_key("в" + parts[1]))
        if unit and period:
            return unit, period
    raise ValueProblem(N_("Unknown unit «{value}»"), value=raw)


def parse_period(raw: Any) -> str:
    key = fold_key(raw)
    if not key:
        return ""
    period = period_aliases().get(key)
    if period is None:
        raise ValueProblem(N_("Unknown period «{value}»"), value=raw)
    return period


def parse_quantity(amount: Any, unit: Any, period: Any) -> QuantityValue:
    """Three cells (amount, unit, period) → one value; the unit cell may carry the period."""
    value = QuantityValue()
    if not is_blank(amount):
        value.amount = parse_number(amount)
    if not is_blank(unit):
        value.unit, value.period = parse_unit(unit)
    if not is_blank(period):
        value.period = parse_period(period)
    if value.amount is not None and value.unit and not value.period and not UNITS[value.unit].is_rate:
        value.period = Period.YEAR.value
    return value


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_field_value(f: Field, raw: Any) -> Any:
    """One cell's text or Excel value → the field's value (``None`` for a blank cell).

    ``quantity`` fields span three cells: use ``parse_quantity``.
    """
    if is_blank(raw):
        return [] if f.type == "select_multiple" or (f.type == "code" and f.multiple) else None
    if f.type == "text":
        if f.check == "unp":
            return tidy_unp(raw)
        return _code_text(raw) if isinstance(raw, float) else str(raw).strip()
    if f.type == "integer":
        return parse_integer(raw)
    if f.type == "decimal":
        return parse_number(raw)
    if f.type == "boolean":
        return parse_boolean(raw)
    if f.type == "date":
        return parse_date(raw)
    if f.type == "select_one":
        return parse_choice(f, raw)
    if f.type == "select_multiple":
        return [parse_choice(f, item) for item in split_list(raw)]
    if f.type == "code":
        return parse_code(f, raw)
    raise ValueProblem(N_("This field spans several cells"))
