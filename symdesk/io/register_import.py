"""Reading a consolidated register (one row per stream) and planning its import.

``read_register`` turns a CSV or xlsx file into typed rows, listing every
cell it cannot read. ``plan_register`` matches the rows against the
database (residents by УНП, else by normalised name; streams by resident,
direction, category and normalised name), merges them with what is stored,
validates every resulting record through the domain and maps each issue to
its row and column. ``RegisterPlan.write`` stores the result; callers write
only a plan without problems, in the same unit of work.

Rules for cells: a column missing from the file leaves that field of a
matched stream as it is (a new stream gets the default); a blank cell in a
column that is there clears it. Resident fields (УНП, ОКЭД, coordinates) are
only ever filled in, never cleared, since a register repeats them per row.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from symdesk.classifiers.reference import activity_classes
from symdesk.domain.codes import normalise_unp
from symdesk.domain.issues import Issue
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.domain.units import Period
from symdesk.files.tabular import Table, read_table
from symdesk.i18n import N_, current_language
from symdesk.io.problems import ImportProblem
from symdesk.io.register_columns import (
    BY_FIELD,
    BY_KEY,
    COLUMNS,
    ENUM_OF_COLUMN,
    RESIDENT,
    STREAM,
    STREAM_REQUIRED,
    Column,
    column_for_header,
    fold,
    parse_enum,
    period_words,
)
from symdesk.questionnaire.values import (
    ValueProblem,
    parse_boolean,
    parse_number,
    parse_period,
    parse_unit,
    split_list,
)
from symdesk.storage.repository import ResidentRepository, StreamRepository

HEADER_SEARCH_ROWS = 30  # title rows above the header are skipped

# Legal forms dropped when residents are compared by name.
LEGAL_FORMS_LONG = (
    "иностранное общество с ограниченной ответственностью",
    "совместное общество с ограниченной ответственностью",
    "общество с ограниченной ответственностью",
    "общество с дополнительной ответственностью",
    "открытое акционерное общество",
    "закрытое акционерное общество",
    "публичное акционерное общество",
    "акционерное общество",
    "частное производственное унитарное предприятие",
    "частное торговое унитарное предприятие",
    "частное унитарное предприятие",
    "республиканское унитарное предприятие",
    "коммунальное унитарное предприятие",
    "иностранное унитарное предприятие",
    "унитарное предприятие",
    "совместное предприятие",
    "индивидуальный предприниматель",
)
LEGAL_FORMS_SHORT = frozenset(
    {
        "ооо", "оао", "зао", "сооо", "иооо", "чуп", "чпуп", "чтуп", "уп", "руп", "куп", "кпуп", "иуп", "одо",
        "ао", "пао", "сп", "ип", "ooo", "oao", "zao", "llc", "jsc", "cjsc", "ojsc", "ltd", "jv",
    }
)
_QUOTES = re.compile(r"[«»\"“”„‟'`’‘]")


def resident_name_key(name: str) -> str:
    """A resident's name for matching: case, quotes, legal forms, spaces and ё/е ignored."""
    text = _QUOTES.sub(" ", str(name).lower().replace("ё", "е"))
    for form in LEGAL_FORMS_LONG:
        text = text.replace(form, " ")
    words = [w for w in re.split(r"[\W_]+", text) if w and w not in LEGAL_FORMS_SHORT]
    return "".join(words) or fold(name)


def stream_name_key(name: str) -> str:
    """A stream's name for matching: case, quotes, spaces and ё/е ignored."""
    return re.sub(r"\s+", "", _QUOTES.sub("", str(name).lower().replace("ё", "е")))


# --- reading the file -------------------------------------------------------


@dataclass
class RegisterRow:
    number: int
    resident: dict[str, Any]  # resident field → value, for the resident columns the file has
    stream: dict[str, Any]  # stream field → value, for the stream columns the file has
    has_stream: bool


@dataclass
class ParsedRegister:
    path: Path
    sheet: str
    headers: dict[str, str]  # column key → header as written in the file
    rows: list[RegisterRow]
    problems: list[ImportProblem]
    language: str = ""  # of the file's headers: names the columns it lacks

    def column_name(self, key: str) -> str:
        return self.headers.get(key) or BY_KEY[key].header(self.language or current_language())

    def problem(self, message: str, row: int | None, key: str = "", **params: Any) -> ImportProblem:
        return ImportProblem(
            self.path.name, message, params, sheet=self.sheet, row=row, column=self.column_name(key) if key else ""
        )


def _find_header(table: Table) -> tuple[int, dict[str, int], dict[str, str], list[tuple[str, str]]] | None:
    """Header row number, key → cell index, key → header text, duplicated headers."""
    for row in table.rows[:HEADER_SEARCH_ROWS]:
        found: dict[str, int] = {}
        texts: dict[str, str] = {}
        duplicates: list[tuple[str, str]] = []
        for index, text in enumerate(row.cells):
            if not text.strip():
                continue
            key = column_for_header(text)
            if key is None:
                continue
            if key in found:
                duplicates.append((texts[key], text.strip()))
                continue
            found[key] = index
            texts[key] = text.strip()
        if "resident" in found and "name" in found:
            return row.number, found, texts, duplicates
    return None


def _headers_language(headers: dict[str, str]) -> str:
    english = {fold(h) for c in COLUMNS for h in (c.key, *c.en)}
    in_english = sum(fold(text) in english for text in headers.values())
    return "en" if in_english * 2 > len(headers) else "ru"


def read_register(path: Path | str) -> ParsedRegister:
    """Every row of the register as typed values, with every unreadable cell listed.

    Raises ``TableError`` for a file that cannot be read at all.
    """
    path = Path(path)
    table = read_table(path)
    parsed = ParsedRegister(path, table.sheet, {}, [], [])
    header = _find_header(table)
    if header is None:
        names = ", ".join(f"«{BY_KEY[k].header(current_language())}»" for k in ("resident", *STREAM_REQUIRED))
        parsed.problems.append(
            parsed.problem(N_("No header row found: the register needs the columns {columns}"), None, columns=names)
        )
        return parsed
    header_row, index, parsed.headers, duplicates = header
    parsed.language = _headers_language(parsed.headers)
    for first, second in duplicates:
        parsed.problems.append(
            parsed.problem(
                N_("Columns «{first}» and «{second}» mean the same; keep one"), header_row, first=first, second=second
            )
        )
    for column in COLUMNS:
        if column.required and column.key not in index:
            parsed.problems.append(
                parsed.problem(
                    N_("Column «{column}» is missing"), header_row, column=column.header(parsed.language)
                )
            )
    if parsed.problems:
        return parsed
    for row in table.rows:
        if row.number <= header_row or row.is_empty():
            continue
        cells = {key: (row.cells[i].strip() if i < len(row.cells) else "") for key, i in index.items()}
        parsed.rows.append(_read_row(parsed, row.number, cells))
    if not parsed.rows:
        parsed.problems.append(parsed.problem(N_("The register has no rows below its header"), header_row))
    return parsed


def _read_row(parsed: ParsedRegister, number: int, cells: dict[str, str]) -> RegisterRow:
    row = RegisterRow(number, {}, {}, has_stream=False)
    row.has_stream = any(cells[k] for k in cells if BY_KEY[k].target == STREAM)
    unit_period = ""
    for key, text in cells.items():
        column = BY_KEY[key]
        try:
            value = _read_cell(column, text)
        except ValueProblem as exc:
            parsed.problems.append(parsed.problem(exc.message, number, key, **exc.params))
            continue
        if key == "unit":
            value, unit_period = value
        target = row.resident if column.target == RESIDENT else row.stream
        target[column.field] = value
    if "unit" in cells and unit_period and not cells.get("period"):
        row.stream["period"] = Period(unit_period)
    if "code" in cells and "code_system" not in cells:
        row.stream["code_system"] = None  # guessed again from the code's length
    if "confidential" in row.stream and row.stream["confidential"] is None:
        row.stream["confidential"] = False
    return row


def _read_cell(column: Column, text: str) -> Any:
    blank = not text
    if column.kind == "number":
        return None if blank else parse_number(text)
    if column.kind == "boolean":
        return None if blank else parse_boolean(text)
    if column.kind == "codes":
        return split_list(text)
    if column.kind == "unit":
        return parse_unit(text) if not blank else ("", "")
    if column.kind == "period":
        if blank:
            return None
        return Period(period_words().get(fold(text)) or parse_period(text))
    if column.kind == "enum":
        if blank:
            return None
        value = parse_enum(ENUM_OF_COLUMN[column.key], text)
        if value is None:
            raise ValueProblem(_ENUM_MESSAGES[column.key], value=text)
        return value
    return text


_ENUM_MESSAGES = {
    "direction": N_("«{value}» is neither an offer nor a need"),
    "category": N_("«{value}» is not a category (waste, by-product, material, water, heat, steam, …)"),
    "code_system": N_("«{value}» is not a code system (ewc or national)"),
    "hazard_class": N_("«{value}» is not a hazard class (1–4 or non-hazardous)"),
    "regularity": N_("«{value}» is not a regularity (continuous, seasonal, batch, one-off)"),
    "handling": N_("«{value}» is not a way of handling (landfill, sold, recycled, …)"),
    "readiness": N_("«{value}» is not a readiness (ready, with conditions, not ready)"),
}


# --- matching and merging with the database -----------------------------------


@dataclass
class RegisterPlan:
    problems: list[ImportProblem] = field(default_factory=list)
    residents_to_save: list[Resident] = field(default_factory=list)
    streams_to_save: list[Stream] = field(default_factory=list)
    residents_created: int = 0
    residents_matched: int = 0
    streams_created: int = 0
    streams_updated: int = 0
    streams_unchanged: int = 0

    def write(self, session: Session) -> None:
        """Store the planned residents and streams (call only for a plan without problems)."""
        residents = ResidentRepository(session)
        for resident in self.residents_to_save:
            residents.add(resident)
        streams = StreamRepository(session)
        for stream in self.streams_to_save:
            streams.add(stream)


@dataclass
class _FileResident:
    """One resident as the file describes it, over all its rows."""

    first_row: int
    name: str
    values: dict[str, Any] = field(default_factory=dict)  # non-blank resident fields
    value_rows: dict[str, int] = field(default_factory=dict)
    record: Resident | None = None
    created: bool = False


def _issue_problem(parsed: ParsedRegister, row: int, target: str, issue: Issue, default_key: str) -> ImportProblem:
    column = BY_FIELD.get((target, issue.field))
    return parsed.problem(issue.message, row, column.key if column else default_key, **issue.params)


def _resident_key(row: RegisterRow, unp_by_name: dict[str, set[str]]) -> tuple[str, str]:
    unp = normalise_unp(row.resident.get("unp") or "")
    if unp:
        return ("unp", unp)
    name_key = resident_name_key(row.resident.get("name") or "")
    unps = unp_by_name.get(name_key, set())
    if len(unps) == 1:
        return ("unp", next(iter(unps)))
    return ("name", name_key)


def plan_register(session: Session, parsed: ParsedRegister, zone_id: Callable[[], str]) -> RegisterPlan:
    """Match, merge and validate every row; nothing is written here.

    ``zone_id`` is called (once) when a new resident has to be created.
    """
    plan = RegisterPlan(problems=list(parsed.problems))
    known_classes = activity_classes()

    # 1. Each row's resident fields on their own, through the domain.
    rows = parsed.rows
    for row in rows:
        name = row.resident.get("name") or ""
        if not name:
            plan.problems.append(parsed.problem(N_("The row names no resident"), row.number, "resident"))
            continue
        probe = Resident(
            zone_id="",
            name=name,
            unp=row.resident.get("unp") or "",
            activity_codes=list(row.resident.get("activity_codes") or []),
            latitude=row.resident.get("latitude"),
            longitude=row.resident.get("longitude"),
        )
        probe.normalise()
        for issue in probe.validate(known_classes):
            plan.problems.append(_issue_problem(parsed, row.number, RESIDENT, issue, "resident"))
        row.resident.update(unp=probe.unp, activity_codes=probe.activity_codes)

    # 2. Group rows into residents: by УНП, else by normalised name.
    unp_by_name: dict[str, set[str]] = {}
    for row in rows:
        unp = normalise_unp(row.resident.get("unp") or "")
        if unp and row.resident.get("name"):
            unp_by_name.setdefault(resident_name_key(row.resident["name"]), set()).add(unp)
    file_residents: dict[tuple[str, str], _FileResident] = {}
    row_resident: dict[int, _FileResident] = {}
    for row in rows:
        if not row.resident.get("name"):
            continue
        key = _resident_key(row, unp_by_name)
        fr = file_residents.get(key)
        if fr is None:
            fr = file_residents[key] = _FileResident(row.number, row.resident["name"])
        row_resident[row.number] = fr
        for name in ("unp", "activity_codes", "latitude", "longitude"):
            value = row.resident.get(name)
            if value in (None, "", []):
                continue
            if name in fr.values and fr.values[name] != value:
                column = BY_FIELD[(RESIDENT, name)].key
                plan.problems.append(
                    parsed.problem(
                        N_("Differs from row {other} for the same resident"), row.number, column,
                        other=fr.value_rows[name],
                    )
                )
            else:
                fr.values[name] = value
                fr.value_rows[name] = row.number

    # 3. Match residents with the database (one query for all of them).
    stored = ResidentRepository(session).list()
    by_unp: dict[str, Resident] = {r.unp: r for r in stored if r.unp}
    by_name: dict[str, list[Resident]] = {}
    for r in sorted(stored, key=lambda r: (r.meta.created_at is None, r.meta.created_at, r.id)):
        by_name.setdefault(resident_name_key(r.name), []).append(r)
        if r.short_name and resident_name_key(r.short_name) != resident_name_key(r.name):
            by_name.setdefault(resident_name_key(r.short_name), []).append(r)
    zone: list[str] = []
    matched_ids: set[str] = set()
    shared: dict[str, Resident] = {}  # one record per stored resident, however the rows named it
    for (how, key), fr in file_residents.items():
        match: Resident | None = None
        if how == "unp":
            match = by_unp.get(key)
            if match is None:
                candidates = [r for r in by_name.get(resident_name_key(fr.name), []) if not r.unp]
                match = candidates[0] if len(candidates) == 1 else None
        else:
            candidates = by_name.get(key, [])
            if len(candidates) > 1:
                plan.problems.append(
                    parsed.problem(
                        N_("«{name}» matches {count} residents; give the UNP"), fr.first_row, "resident",
                        name=fr.name, count=len(candidates),
                    )
                )
                continue
            match = candidates[0] if candidates else None
        if match is not None:
            record = shared.get(match.id) or copy.deepcopy(match)
            before = asdict(record)
            if not record.unp and fr.values.get("unp"):
                record.unp = fr.values["unp"]
            for name in ("activity_codes", "latitude", "longitude"):
                if name in fr.values:
                    setattr(record, name, fr.values[name])
            if asdict(record) != before and all(r is not record for r in plan.residents_to_save):
                plan.residents_to_save.append(record)
            fr.record = shared[record.id] = record
            if record.id not in matched_ids:
                matched_ids.add(record.id)
                plan.residents_matched += 1
        else:
            if not zone:
                zone.append(zone_id())
            record = Resident(
                zone_id=zone[0],
                name=fr.name,
                unp=fr.values.get("unp", ""),
                activity_codes=list(fr.values.get("activity_codes", [])),
                latitude=fr.values.get("latitude"),
                longitude=fr.values.get("longitude"),
            )
            record.normalise()
            fr.record, fr.created = record, True
            plan.residents_to_save.append(record)
            plan.residents_created += 1

    # 4. Streams: identity, duplicates, merge with the stored one, domain validation.
    existing: dict[tuple[str, str, str, str], Stream] = {}
    stored_streams = StreamRepository(session).list()
    stored_streams.sort(key=lambda s: (s.meta.created_at is None, s.meta.created_at, s.id))
    for s in stored_streams:
        existing.setdefault((s.resident_id, s.direction.value, s.category.value, stream_name_key(s.name)), s)
    seen: dict[tuple[str, str, str, str], int] = {}
    for row in rows:
        if not row.has_stream:
            continue
        values = row.stream
        missing = [k for k in STREAM_REQUIRED if values.get(BY_KEY[k].field) in (None, "")]
        for key in missing:
            if not _cell_was_unreadable(parsed, row.number, key):
                plan.problems.append(parsed.problem(_MISSING[key], row.number, key))
        fr = row_resident.get(row.number)
        if missing or fr is None or fr.record is None:
            continue
        direction: Direction = values["direction"]
        category: Category = values["category"]
        identity = (fr.record.id, direction.value, category.value, stream_name_key(values["name"]))
        if identity in seen:
            plan.problems.append(
                parsed.problem(
                    N_("Same resident, direction, category and name as row {other}"), row.number, "name",
                    other=seen[identity],
                )
            )
            continue
        seen[identity] = row.number
        old = None if fr.created else existing.get(identity)
        if old is None:
            stream = Stream(resident_id=fr.record.id, direction=direction, category=category, name=values["name"])
        else:
            stream = copy.deepcopy(old)
        for name, value in values.items():
            setattr(stream, name, value)
        if old is None:
            stream.questionnaire_id = None
        stream.normalise()
        issues = stream.validate()
        for issue in issues:
            plan.problems.append(_issue_problem(parsed, row.number, STREAM, issue, "name"))
        if issues:
            continue
        if old is None:
            plan.streams_created += 1
            plan.streams_to_save.append(stream)
        elif _stream_data(stream) == _stream_data(old):
            plan.streams_unchanged += 1
        else:
            plan.streams_updated += 1
            plan.streams_to_save.append(stream)
    plan.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return plan


_MISSING = {
    "direction": N_("Say whether this is an offer or a need"),
    "category": N_("The stream needs a category"),
    "name": N_("The stream needs a name"),
}


def _cell_was_unreadable(parsed: ParsedRegister, row: int, key: str) -> bool:
    column = parsed.column_name(key)
    return any(p.row == row and p.column == column for p in parsed.problems)


def _stream_data(stream: Stream) -> dict[str, Any]:
    data = {k: v for k, v in asdict(stream).items() if k != "meta"}
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in data.items()}


