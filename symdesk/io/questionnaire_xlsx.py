"""Reading a filled questionnaire workbook back into a ``QuestionnaireDocument``.

Works on templates written by ``template_xlsx`` and on what people make of
them: sheets found by name in either language, questions found by their label
text, table headers matched by name (moved or extra columns are fine), empty
rows skipped, merged cells read as their top-left value, numbers with decimal
commas, units written many ways. Every value that cannot be read becomes an
``ImportProblem`` naming sheet, row and column; the caller writes nothing for
a file with problems.

The workbook is untrusted: its archive is checked before openpyxl opens it
(``check_xlsx_archive``), formulas are read as their cached values, hidden
ids are accepted only as well-formed UUIDs, and text longer than Excel
allows is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from symdesk.domain.issues import N_
from symdesk.domain.stream import Stream
from symdesk.files.tabular import TableError, check_xlsx_archive
from symdesk.io.problems import ImportProblem
from symdesk.io.xlsx_layout import (
    EXCEL_MAX_TEXT,
    ID_KEYS,
    META_SHEET,
    Column,
    field_names,
    fold_header,
    repeat_columns,
    sheet_names,
    sheet_title,
    valid_uuid,
)
from symdesk.questionnaire.definition import Field, FormDefinition, Section
from symdesk.questionnaire.document import QuantityValue, QuestionnaireDocument, RepeatRow
from symdesk.questionnaire.values import ValueProblem, is_blank, parse_field_value, parse_quantity

HEADER_SCAN_ROWS = 20  # a header row is looked for this far down (title rows may precede it)
MAX_ROWS = 20_000  # rows read from one sheet; more is not a questionnaire
MAX_COLUMNS = 200

Grid = dict[tuple[int, int], Any]  # (row, column), 1-based → cell value; blanks absent


@dataclass(frozen=True)
class Location:
    sheet: str
    row: int | None = None
    column: str = ""


@dataclass
class ReadWorkbook:
    """What was read from one file; ``document`` is None when the file could not be read at all."""

    path: Path
    document: QuestionnaireDocument | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    # (section, row index in the document or None, field name) → where it is in the file
    locations: dict[tuple[str, int | None, str], Location] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)  # section → sheet title
    # Questions (scalar fields) and table columns (per repeat section) not found in the
    # file: the caller keeps their stored answers instead of erasing them.
    missing_fields: set[str] = field(default_factory=set)
    missing_columns: dict[str, set[str]] = field(default_factory=dict)

    def problem(self, message: str, sheet: str = "", row: int | None = None, column: str = "", **params: Any) -> None:
        self.problems.append(ImportProblem(str(self.path), message, params, sheet, row, column))

    def location_of(self, section: str, row: int | None, field_name: str) -> Location:
        found = self.locations.get((section, row, field_name))
        if found is None and row is not None:
            found = self.locations.get((section, row, ""))
        return found or Location(self.sheets.get(section, ""))


# ---------------------------------------------------------------- cells


def _grid(ws: Any, read: ReadWorkbook) -> Grid:
    """The sheet's non-blank values; merged cells repeat their top-left value down the merged rows."""
    grid: Grid = {}
    for (r, c), cell in ws._cells.items():  # only the cells that exist: a sparse sheet stays cheap
        value = cell.value
        if value is None or r > MAX_ROWS or c > MAX_COLUMNS:
            continue
        if isinstance(value, str):
            if len(value) > EXCEL_MAX_TEXT:
                read.problem(N_("Text longer than Excel allows ({count} characters)"), ws.title, r,
                             cell.column_letter, count=len(value))
                continue
            if not value.strip():
                continue
        grid[(r, c)] = value
    for merged in ws.merged_cells.ranges:
        top = grid.get((merged.min_row, merged.min_col))
        if top is None:
            continue
        for r in range(merged.min_row + 1, min(merged.max_row, MAX_ROWS) + 1):
            grid[(r, merged.min_col)] = top  # down a column: «the same category for these rows»
    return grid


def _merged_end(ws: Any, row: int, column: int) -> int:
    """The last column of a horizontally merged range starting at (row, column)."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return merged.max_col
    return column


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


# ---------------------------------------------------------------- meta and sheets


def _read_meta(wb: Any, read: ReadWorkbook) -> None:
    if META_SHEET not in wb.sheetnames:
        return
    ws = wb[META_SHEET]
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 200), max_col=2, values_only=True):
        if row and row[0] is not None:
            read.meta[_text(row[0])] = _text(row[1] if len(row) > 1 else None)


def _find_sheets(wb: Any, definition: FormDefinition, read: ReadWorkbook) -> dict[str, Any]:
    by_fold = {fold_header(title): title for title in wb.sheetnames if title != META_SHEET}
    found: dict[str, Any] = {}
    for section in definition.sections:
        title = read.meta.get(f"sheet:{section.name}")
        if title not in wb.sheetnames:
            title = next((by_fold[n] for n in sheet_names(section) if n in by_fold), None)
        if title is not None:
            found[section.name] = wb[title]
            read.sheets[section.name] = title
    return found


# ---------------------------------------------------------------- values


def _blank_boolean(f: Field) -> bool | None:
    """An unanswered yes/no as the database reads it: no, or unknown where a stream allows it."""
    kind, attribute = f.target
    if kind == "stream" and attribute in Stream.__dataclass_fields__:
        default = Stream.__dataclass_fields__[attribute].default
        return default if isinstance(default, bool) or default is None else False
    return False


def _parse(read: ReadWorkbook, f: Field, raw: Any, where: Location) -> Any:
    try:
        value = parse_field_value(f, raw)
    except ValueProblem as exc:
        read.problem(exc.message, where.sheet, where.row, where.column, **exc.params)
        return None
    if value is None and f.type == "boolean":
        return _blank_boolean(f)
    return value


def _read_scalar(ws: Any, section: Section, document: QuestionnaireDocument, read: ReadWorkbook) -> None:
    grid = _grid(ws, read)
    names = {n: f for f in section.fields for n in field_names(f)}
    seen: set[str] = set()
    for r in sorted({r for r, _ in grid}):
        for c in range(1, 4):  # the question stands in one of the first columns
            label = grid.get((r, c))
            f = names.get(fold_header(label)) if isinstance(label, str) else None
            if f is None or f.name in seen:
                continue
            seen.add(f.name)
            where = Location(ws.title, r, _text(label))
            read.locations[(section.name, None, f.name)] = where
            raw = grid.get((r, _merged_end(ws, r, c) + 1))
            document.values[f.name] = _parse(read, f, raw, where)
            break
    read.missing_fields |= {f.name for f in section.fields if f.name not in seen}


def _header_row(grid: Grid, columns: list[Column]) -> tuple[int, dict[int, Column], dict[int, str]]:
    """The row holding the most known headers, with the column each header stands in."""
    best: tuple[int, dict[int, Column], dict[int, str]] = (0, {}, {})
    top = sorted((rc, v) for rc, v in grid.items() if rc[0] <= HEADER_SCAN_ROWS and isinstance(v, str))
    for r in sorted({rc[0] for rc, _ in top}):
        mapping: dict[int, Column] = {}
        captions: dict[int, str] = {}
        taken: set[int] = set()
        for (row, c), value in top:
            if row != r:
                continue
            key = fold_header(value)
            for i, column in enumerate(columns):
                if i not in taken and key in column.names():
                    mapping[c], captions[c] = column, value.strip()
                    taken.add(i)
                    break
        if len(mapping) > len(best[1]):
            best = (r, mapping, captions)
    return best


def _read_repeat(ws: Any, section: Section, document: QuestionnaireDocument, read: ReadWorkbook) -> None:
    grid = _grid(ws, read)
    columns = repeat_columns(section)
    header, mapping, captions = _header_row(grid, columns)
    rows: list[RepeatRow] = []
    document.rows[section.name] = rows
    if len(mapping) < 2:
        read.problem(N_("No header row with the column names found on this sheet"), ws.title)
        return
    present = {(col.field.name if col.field else "", col.part) for col in mapping.values()}
    read.missing_columns[section.name] = {
        f.name for f in section.fields
        if not any((f.name, part) in present for part in ("value", "amount", "unit", "period"))
    }
    last = max((r for r, _ in grid), default=header)
    for r in range(header + 1, last + 1):
        cells = {c: grid.get((r, c)) for c in mapping}
        values_here = [v for c, v in cells.items() if mapping[c].part != "id" and not is_blank(v)]
        if not values_here:
            continue  # an empty row (a hidden id alone does not make a stream)
        index = len(rows)
        row = RepeatRow()
        quantity: dict[str, dict[str, Any]] = {}
        for c, column in mapping.items():
            raw = cells[c]
            where = Location(ws.title, r, captions[c])
            if column.part == "id":
                row.stream_id = valid_uuid(raw) if not is_blank(raw) else None
                continue
            f = column.field
            assert f is not None
            if column.part == "value":
                read.locations[(section.name, index, f.name)] = where
                row.values[f.name] = _parse(read, f, raw, where)
            else:
                if column.part == "amount":
                    read.locations[(section.name, index, f.name)] = where
                quantity.setdefault(f.name, {})[column.part] = (raw, where)
        for name, parts in quantity.items():
            amount, unit, period = (parts.get(p, (None, None))[0] for p in ("amount", "unit", "period"))
            try:
                row.values[name] = parse_quantity(amount, unit, period)
            except ValueProblem as exc:
                # Name the cell that failed: a bad number is the amount's, a bad unit the unit's.
                part = "amount" if "number" in exc.message else "period" if "period" in exc.message else "unit"
                where = (parts.get(part) or next(iter(parts.values())))[1]
                read.problem(exc.message, where.sheet, where.row, where.column, **exc.params)
                row.values[name] = QuantityValue()
        for f in section.fields:
            if f.type == "boolean" and f.name not in row.values:
                row.values[f.name] = _blank_boolean(f)
        read.locations[(section.name, index, "")] = Location(ws.title, r, "")
        rows.append(row)


# ---------------------------------------------------------------- the workbook


def read_questionnaire_workbook(path: Path | str, definition: FormDefinition) -> ReadWorkbook:
    """Read one file; problems (not exceptions) describe whatever is wrong with it."""
    import defusedxml  # noqa: F401 - openpyxl parses with defusedxml when it is installed
    import openpyxl

    path = Path(path)
    read = ReadWorkbook(path)
    try:
        check_xlsx_archive(path)
    except TableError as exc:
        read.problem(exc.message, **exc.params)
        return read
    try:
        wb = openpyxl.load_workbook(path, data_only=True)  # formulas as their cached values
    except Exception as exc:  # openpyxl raises many kinds for broken files
        read.problem(N_("{path} is damaged or not a workbook: {reason}"), path=str(path), reason=str(exc) or type(exc).__name__)
        return read
    try:
        _read_meta(wb, read)
        form_id = read.meta.get("form_id")
        if form_id and form_id != definition.form_id:
            read.problem(N_("This workbook holds another form ({form}), not {expected}"), META_SHEET,
                         form=form_id, expected=definition.form_id)
            return read
        sheets = _find_sheets(wb, definition, read)
        if not sheets:
            read.problem(N_("{path} is not a questionnaire workbook: none of its sheets is a section of the form"),
                         path=str(path))
            return read
        document = QuestionnaireDocument(definition.form_id, definition.version)
        for key in ID_KEYS:
            setattr(document, key, valid_uuid(read.meta.get(key)) if read.meta.get(key) else None)
        for section in definition.sections:
            ws = sheets.get(section.name)
            if ws is None:
                # A sheet left out would silently erase its answers (all the offers, say): refuse.
                title = sheet_title(section, read.meta.get("language") or "ru")
                read.problem(N_("The sheet «{title}» is missing"), title, title=title)
                continue
            if section.repeat:
                _read_repeat(ws, section, document, read)
            else:
                _read_scalar(ws, section, document, read)
        read.document = document
        return read
    finally:
        wb.close()
