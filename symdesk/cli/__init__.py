"""The ``symdesk`` command line: every job the GUI does, headless.

Each group of commands lives in its own module with a ``register(sub)``
function that adds its parsers and attaches a handler (``common.command``).
Errors are one line on stderr and a non-zero exit status: 1 for a problem
with the data or files, 2 for bad arguments. ``--json`` output is stable and
documented in the README.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from symdesk import __version__
from symdesk.cli import (
    database_cmds,
    export_cmds,
    form_cmds,
    knowledge_cmds,
    matching_cmds,
    network_cmds,
    questionnaire_cmds,
    reference_cmds,
    register_cmds,
    report_cmds,
    residents_cmds,
    xlsx_cmds,
)
from symdesk.cli.common import (
    CREATE_DB,
    EXISTING_DB,
    EXIT_ERROR,
    EXIT_USAGE,
    Parser,
    UsageError,
)
from symdesk.config import load_settings
from symdesk.domain.issues import ValidationError
from symdesk.domain.tasks import TaskCancelled
from symdesk.files.tabular import TableError
from symdesk.i18n import _, set_language
from symdesk.services import database as database_service
from symdesk.services.errors import UserError, describe
from symdesk.storage.errors import StorageError

__all__ = ["EXIT_USAGE", "UsageError", "apply_language", "load_settings", "main", "parse_args", "run", "set_language",
           "start_language"]

GROUPS = (database_cmds, residents_cmds, reference_cmds, questionnaire_cmds, xlsx_cmds, register_cmds, form_cmds, knowledge_cmds, matching_cmds, network_cmds, report_cmds, export_cmds)


def build_parser() -> Parser:
    parser = Parser(prog="symdesk", description=_("Industrial symbiosis desk for special economic zones."))
    parser.add_argument("--version", action="version", version=f"symdesk {__version__}")
    parser.add_argument("--db", metavar="PATH", help=_("database file (default: in the user's data directory)"))
    parser.add_argument("--lang", choices=("ru", "en"), help=_("language of messages"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    gui = sub.add_parser("gui", help=_("open the application window (the default)"))
    gui.add_argument("--demo-if-empty", action="store_true", help=_("load the demo zone into an empty database"))
    for group in GROUPS:
        group.register(sub)
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def run(args: argparse.Namespace) -> int:
    """Run a parsed non-GUI command; errors become one line on stderr."""
    db = None
    try:
        mode = args.db_mode
        if mode in (CREATE_DB, EXISTING_DB) or args.db:
            db = database_service.open_db(args.db, create=mode == CREATE_DB)
        return int(args.handler(db, args))
    except (UserError, StorageError, TableError, ValidationError) as exc:
        print(f"symdesk: {describe(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except (KeyboardInterrupt, TaskCancelled):
        print("symdesk: " + _("interrupted"), file=sys.stderr)
        return 130
    finally:
        if db is not None:
            db.close()


def apply_language(args: argparse.Namespace) -> None:
    set_language(args.lang or load_settings().language)


def start_language(argv: Sequence[str]) -> None:
    """The language of messages before the command line is parsed: ``--lang`` if given before the
    command, else the settings'. The help and usage errors are written while parsing, so they
    must already be in the language asked for (``symdesk --lang en report --help``)."""
    set_language(_language_option(argv) or load_settings().language)


def _language_option(argv: Sequence[str]) -> str | None:
    """The top-level ``--lang`` value (a command's own ``--lang``, such as a report's, is not it)."""
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--lang":
            return tokens[i + 1] if i + 1 < len(tokens) else None
        if token.startswith("--lang="):
            return token.split("=", 1)[1]
        if token == "--db":
            i += 2
            continue
        if not token.startswith("-"):
            return None  # the command: what follows is its own
        i += 1
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for every command except the GUI (see ``symdesk.__main__``)."""
    argv = sys.argv[1:] if argv is None else argv
    start_language(argv)
    try:
        args = parse_args(argv)
    except UsageError as exc:
        print(f"symdesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    apply_language(args)
    if args.command in (None, "gui"):
        print("symdesk: " + _("run «symdesk» without a command to open the window"), file=sys.stderr)
        return EXIT_USAGE
    return run(args)
