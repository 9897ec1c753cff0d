"""Where things stand in a questionnaire workbook: shared by the writer and the reader.

The template writer (``template_xlsx``) and the importer (``questionnaire_xlsx``)
both take their sheet names, column lists and fixed captions from here, so a
file written by one is always understood by the other. Captions exist in both
languages because a template is written in the language asked for, whatever
language the program speaks, and a returned file is read whichever language it
was written in (headers are matched by name, not by position).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from symdesk.domain.units import PERIOD_LABELS, UNITS, Period
from symdesk.questionnaire.definition import Field, FormDefinition, Section, Text

META_SHEET = "_symdesk"
LISTS_SHEET = "lists"
META_KEYS = ("form_id", "form_version", "questionnaire_id", "resident_id", "campaign_id", "language")
ID_KEYS = ("questionnaire_id", "resident_id", "campaign_id")

REPEAT_ROWS = 200  # empty rows prepared (unlocked, with drop-downs) in each repeat sheet
MAX_SHEET_TITLE = 31  # Excel's limit
EXCEL_MAX_TEXT = 32_767

# Fixed captions of the template, in both languages.
LABEL_HEADER = Text("Вопрос", "Question")
VALUE_HEADER = Text("Ответ", "Answer")
UNIT_HEADER = Text("Единица измерения", "Unit")
PERIOD_HEADER = Text("Период", "Period")
ID_HEADER = Text("ID", "ID")
YES_NO = (Text("да", "yes"), Text("нет", "no"))
REQUIRED_MARK = " *"
COMMENT_AUTHOR = "symdesk"

# Other ways people write the headers of the quantity's unit and period columns.
UNIT_ALIASES = ("единица", "ед. изм.", "ед.изм", "ед", "единицы измерения", "unit of measure", "units")
PERIOD_ALIASES = ("за период", "periodicity", "в период", "per")
ID_ALIASES = ("id", "uuid", "идентификатор")


def fold_header(text: object) -> str:
    """Case, ё/е, spaces and punctuation ignored: «Количество, т *» ~ «количество т»."""
    return re.sub(r"[\W_]+", "", str(text or "").lower().replace("ё", "е"))


def sheet_title(section: Section, language: str) -> str:
    """A section's sheet name: its label without the part in brackets, within Excel's limits."""
    text = section.label.get(language).split("(")[0].strip()
    text = re.sub(r"[\[\]:*?/\\]", " ", text).strip() or section.name
    return text[:MAX_SHEET_TITLE].strip()


def sheet_names(section: Section) -> set[str]:
    """Every folded name a section's sheet may carry."""
    return {fold_header(sheet_title(section, lang)) for lang in ("ru", "en")} | {
        fold_header(section.name), fold_header(section.label.ru), fold_header(section.label.en)
    }


@dataclass(frozen=True)
class Column:
    """One column of a repeat sheet: a field's value, or one of the three parts of a quantity."""

    field: Field | None  # None for the stream id column
    part: str  # "value", "amount", "unit", "period", "id"

    def header(self, language: str) -> str:
        if self.part == "unit":
            return UNIT_HEADER.get(language)
        if self.part == "period":
            return PERIOD_HEADER.get(language)
        if self.part == "id":
            return ID_HEADER.get(language)
        assert self.field is not None
        return field_caption(self.field, language)

    def names(self) -> set[str]:
        """The folded headers this column is recognised by, in either language."""
        if self.part == "unit":
            return {fold_header(t) for t in (UNIT_HEADER.ru, UNIT_HEADER.en, *UNIT_ALIASES)}
        if self.part == "period":
            return {fold_header(t) for t in (PERIOD_HEADER.ru, PERIOD_HEADER.en, *PERIOD_ALIASES)}
        if self.part == "id":
            return {fold_header(t) for t in ID_ALIASES}
        assert self.field is not None
        return field_names(self.field)


def field_caption(f: Field, language: str) -> str:
    return f.label.get(language) + (REQUIRED_MARK if f.required else "")


def field_names(f: Field) -> set[str]:
    """A field's label in either language, also cut before a bracket or comma («Коды ОКЭД»)."""
    names = {fold_header(f.name)}
    for label in (f.label.ru, f.label.en):
        names.add(fold_header(label))
        for short in (label.split("(")[0], label.split(",")[0]):
            if len(fold_header(short)) >= 3:
                names.add(fold_header(short))
    return names


def repeat_columns(section: Section) -> list[Column]:
    """The columns of a repeat sheet, left to right; the stream id is last (hidden)."""
    columns: list[Column] = []
    for f in section.fields:
        if f.type == "quantity":
            columns += [Column(f, "amount"), Column(f, "unit"), Column(f, "period")]
        else:
            columns.append(Column(f, "value"))
    quantities = [f for f in section.fields if f.type == "quantity"]
    if len(quantities) > 1:
        raise ValueError(f"section {section.name}: a repeat sheet holds at most one quantity")
    columns.append(Column(None, "id"))
    return columns


def unit_labels(language: str) -> list[str]:
    return [u.label_en if language == "en" else u.label_ru for u in UNITS.values()]


def unit_label(code: str, language: str) -> str:
    u = UNITS.get(code)
    return (u.label_en if language == "en" else u.label_ru) if u else code


def period_labels(language: str) -> list[str]:
    return [PERIOD_LABELS[p][1 if language == "en" else 0] for p in Period]


def period_label(code: str, language: str) -> str:
    try:
        return PERIOD_LABELS[Period(code)][1 if language == "en" else 0]
    except ValueError:
        return code


def yes_no_labels(language: str) -> list[str]:
    return [t.get(language) for t in YES_NO]


def list_key(f: Field) -> str:
    """The lists-sheet column a field's drop-down refers to (choice lists shared by fields)."""
    if f.type == "boolean":
        return "yes_no"
    return "choices:" + "|".join(c.value for c in f.choices)


def lists_of(definition: FormDefinition, language: str) -> dict[str, list[str]]:
    """Every drop-down list of the template, by key, in the order of the lists sheet."""
    lists: dict[str, list[str]] = {"units": unit_labels(language), "periods": period_labels(language)}
    for section in definition.sections:
        for f in section.fields:
            if f.type == "boolean" or (f.type == "select_one" and f.choices):
                lists.setdefault(list_key(f), yes_no_labels(language) if f.type == "boolean"
                                 else [c.label.get(language) for c in f.choices])
    return lists


def valid_uuid(text: object) -> str | None:
    """``text`` as a canonical UUID string, or None (hidden sheets come from untrusted files)."""
    try:
        return str(uuid.UUID(str(text).strip()))
    except (ValueError, AttributeError, TypeError):
        return None
