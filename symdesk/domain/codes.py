"""Identifiers met on Belarusian forms: УНП, ОКЭД activity codes, waste codes.

Each ``normalise_*`` function returns the canonical form or ``None`` when the
text cannot be read as such a code; callers turn ``None`` into an ``Issue``.
"""

from __future__ import annotations

import re

# Latin letters that people (and OCR) type in place of look-alike Cyrillic ones.
LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXaceopxy", "АВСЕНКМОРТХасеорху")
# Letters typed (or recognised by OCR) in place of digits in codes.
CYRILLIC_TO_LATIN_DIGITLIKE = str.maketrans({"О": "0", "о": "0", "O": "0", "o": "0", "З": "3"})

_UNP_LETTERS = "АВСЕНКМ"
_UNP_RE = re.compile(rf"^\d(?:\d|[{_UNP_LETTERS}])\d{{7}}$")


def normalise_unp(text: str) -> str | None:
    """Return the 9-character УНП in canonical form, or None if it is malformed.

    A legal entity's УНП is nine digits; individual entrepreneurs and some
    registrations carry a Cyrillic letter in second place. Spaces are ignored
    and Latin look-alike letters are read as Cyrillic.
    """
    compact = re.sub(r"[\s\-]", "", text or "").upper().translate(LATIN_TO_CYRILLIC)
    return compact if _UNP_RE.match(compact) else None


def normalise_activity_code(text: str) -> str | None:
    """Read an ОКЭД code written as ``35110``, ``35.11``, ``3511`` or ``35.11.0``.

    Returns the digits only: four for a NACE class, five for an ОКЭД subclass.
    Whether the class exists is checked against the classifier by the caller.
    """
    digits = re.sub(r"[\s.]", "", text or "")
    if re.fullmatch(r"\d{4,5}", digits):
        return digits
    return None


def format_activity_code(code: str) -> str:
    """``3511`` → ``35.11``; five-digit ОКЭД subclasses are shown as they are."""
    return f"{code[:2]}.{code[2:]}" if len(code) == 4 else code


def normalise_waste_code(text: str) -> tuple[str, str] | None:
    """Return ``(code_system, digits)`` for a waste code, guessing the system by length.

    EWC codes have six digits (often written ``10 01 02`` or ``10 01 02*``);
    codes of the Belarusian classifier have seven.
    """
    cleaned = (text or "").translate(CYRILLIC_TO_LATIN_DIGITLIKE)
    digits = re.sub(r"[\s.*]", "", cleaned)
    if not digits.isdigit():
        return None
    if len(digits) == 6:
        return ("ewc", digits)
    if len(digits) == 7:
        return ("national", digits)
    return None


def format_ewc_code(code: str) -> str:
    """``100102`` → ``10 01 02``, the way the List of Waste prints codes."""
    return f"{code[0:2]} {code[2:4]} {code[4:6]}" if len(code) == 6 else code
