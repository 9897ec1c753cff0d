"""Import of the Belarusian waste classifier from the administration's own file.

No machine-readable public copy exists, so the product ships none: the user
imports the official list (xlsx or csv with columns code, name, hazard class).
Every row that cannot be taken is reported with its row number and reason;
the accepted rows replace the previous list as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from symdesk.classifiers.reference import NATIONAL, CodeEntry
from symdesk.domain.codes import CYRILLIC_TO_LATIN_DIGITLIKE
from symdesk.domain.issues import N_
from symdesk.files.tabular import Table, read_table

HEADER_ALIASES = {
    "code": ("код", "code", "кодотхода", "кодотходов", "wastecode"),
    "name": ("наименование", "name", "наименованиеотхода", "наименованиеотходов", "название"),
    "hazard_class": ("классопасности", "hazardclass", "степеньопасности", "класс", "hazard", "опасность"),
}

HAZARD_ALIASES = {
    "1": "1", "2": "2", "3": "3", "4": "4",
    "i": "1", "ii": "2", "iii": "3", "iv": "4",
    "1класс": "1", "2класс": "2", "3класс": "3", "4класс": "4",
    "неопасные": "non_hazardous", "неопасный": "non_hazardous", "неопасное": "non_hazardous",
    "неопасн": "non_hazardous", "но": "non_hazardous", "nonhazardous": "non_hazardous",
}


def header_key(text: str) -> str:
    """Header comparison ignores case, spaces and punctuation."""
    return re.sub(r"[\W_]+", "", text.lower().replace("ё", "е"))


@dataclass(frozen=True)
class RejectedRow:
    row: int
    column: str
    message: str  # msgid
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class ClassifierImport:
    path: Path
    sheet: str
    entries: list[CodeEntry]
    rejected: list[RejectedRow]


def _find_header(table: Table) -> tuple[int, dict[str, int]]:
    for row in table.rows[:15]:
        keys = [header_key(c) for c in row.cells]
        found = {}
        for field_name, aliases in HEADER_ALIASES.items():
            for i, key in enumerate(keys):
                if key in aliases:
                    found[field_name] = i
                    break
        if "code" in found and "name" in found:
            return row.number, found
    return 0, {"code": 0, "name": 1, "hazard_class": 2}  # no header: the documented column order


def normalise_hazard_class(text: str) -> str | None:
    key = header_key(text)
    if not key:
        return ""
    return HAZARD_ALIASES.get(key)


def parse_classifier(path: Path | str) -> ClassifierImport:
    table = read_table(path)
    header_row, columns = _find_header(table)
    entries: dict[str, CodeEntry] = {}
    rejected: list[RejectedRow] = []

    def cell(cells: tuple[str, ...], name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for row in table.rows:
        if row.number <= header_row or row.is_empty():
            continue
        raw_code = cell(row.cells, "code")
        code = re.sub(r"[\s.\-]", "", raw_code.translate(CYRILLIC_TO_LATIN_DIGITLIKE))
        name = cell(row.cells, "name")
        hazard_text = cell(row.cells, "hazard_class")
        hazard = normalise_hazard_class(hazard_text)
        if not (code.isdigit() and len(code) == 7):
            rejected.append(RejectedRow(row.number, "code", N_("«{value}» is not a 7-digit code"), {"value": raw_code}))
            continue
        if not name:
            rejected.append(RejectedRow(row.number, "name", N_("The name is empty")))
            continue
        if hazard is None:
            rejected.append(
                RejectedRow(row.number, "hazard_class", N_("Unknown hazard class «{value}»"), {"value": hazard_text})
            )
            continue
        previous = entries.get(code)
        if previous and (previous.name_ru != name or previous.hazard_class != hazard):
            rejected.append(
                RejectedRow(row.number, "code", N_("Code {value} appears twice with different data"), {"value": code})
            )
            continue
        entries[code] = CodeEntry(NATIONAL, code, name, "", "entry", hazard in ("1", "2", "3", "4") or None, hazard)
    return ClassifierImport(Path(path), table.sheet, list(entries.values()), rejected)
