"""Rows from a CSV or xlsx file, with row numbers as the user sees them.

CSV comes in the two dialects people produce: comma-separated, and
semicolon-separated with decimal commas (Excel in a Russian locale); in
UTF-8 with or without BOM, or Windows-1251. xlsx is opened read-only with
formulas read as their cached values.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from symdesk.domain.issues import N_

# A zip bomb guard: no real questionnaire or classifier expands past this.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


class TableError(Exception):
    """A file that cannot be read at all; ``message`` is a msgid with ``{path}``."""

    def __init__(self, message: str, path: Path | str, **params: object):
        self.message = message
        self.params = {"path": str(path), **params}
        super().__init__(message.format(**self.params))


@dataclass(frozen=True)
class Row:
    number: int  # 1-based, as shown by Excel or a text editor
    cells: tuple[str, ...]

    def is_empty(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass(frozen=True)
class Table:
    path: Path
    sheet: str
    rows: list[Row]


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, otherwise Windows-1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _sniff_delimiter(text: str) -> str:
    first_lines = "\n".join(text.splitlines()[:20])
    counts = {d: first_lines.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(path: Path) -> Table:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableError(N_("File not found: {path}"), path) from None
    except OSError as exc:
        raise TableError(N_("Cannot read {path}: {reason}"), path, reason=exc.strerror) from None
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows = [Row(n, tuple(cells)) for n, cells in enumerate(reader, start=1)]
    return Table(path, "", rows)


def check_xlsx_archive(path: Path) -> None:
    """Refuse what is not a readable, reasonably sized xlsx before openpyxl sees it."""
    if not path.exists():
        raise TableError(N_("File not found: {path}"), path)
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE container: an old .xls, or an xlsx encrypted with a password.
        raise TableError(
            N_("{path} is password-protected or in the old .xls format; save it as .xlsx without a password"),
            path,
        )
    if not head.startswith(b"PK"):
        raise TableError(N_("{path} is not an Excel .xlsx file"), path)
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        raise TableError(N_("{path} is damaged or truncated"), path) from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TableError(N_("{path} unpacks to more than 200 MB; refusing to open it"), path)
    if "xl/workbook.xml" not in names:
        raise TableError(N_("{path} is not an Excel .xlsx file"), path)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    """The first (or the named) sheet of an xlsx as text rows."""
    import defusedxml  # noqa: F401 - openpyxl uses defusedxml when it is installed
    import openpyxl

    check_xlsx_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise TableError(N_("{path} is damaged or not a workbook: {reason}"), path, reason=str(exc)) from None
    try:
        ws = workbook[sheet] if sheet else workbook.worksheets[0]
        rows = [
            Row(n, tuple(_cell_text(v) for v in values))
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
        return Table(path, ws.title, rows)
    finally:
        workbook.close()


def read_table(path: Path | str) -> Table:
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return read_csv(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    raise TableError(N_("{path}: expected a .csv or .xlsx file"), path)


def iter_data_rows(table: Table, header_row: int) -> Iterator[Row]:
    for row in table.rows:
        if row.number > header_row and not row.is_empty():
            yield row
