"""What every command module shares: the parser class, exit codes, output helpers."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

# How a command uses the database given by --db (or the default one).
CREATE_DB = "create"  # create or migrate it if needed
EXISTING_DB = "existing"  # it must exist
OPTIONAL_DB = "optional"  # only when --db is given


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def command(parser: argparse.ArgumentParser, handler: Any, db: str = CREATE_DB) -> None:
    """Attach the function that runs a (sub)command and how it opens the database."""
    parser.set_defaults(handler=handler, db_mode=db)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):  # an opportunity's benefits (FigureRow)
        return dict(value)
    raise TypeError(type(value))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    texts = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in texts]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in texts:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


