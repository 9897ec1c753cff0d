"""``form blank``: the printed blank questionnaire as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from symdesk.cli.common import EXIT_OK, OPTIONAL_DB, command
from symdesk.i18n import _, current_language, set_language
from symdesk.services import forms as forms_service


def register(sub: Any) -> None:
    form = sub.add_parser("form", help=_("the questionnaire form"))
    fsub = form.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(form))
    blank = fsub.add_parser("blank", help=_("print the blank questionnaire to a PDF file (A4)"))
    blank.add_argument("--out", metavar="FILE", required=True, type=Path, help=_("the PDF file to write"))
    blank.add_argument("--lang", dest="form_lang", choices=("ru", "en"),
                       help=_("language of the form (default: the language of messages)"))
    command(blank, cmd_form_blank, OPTIONAL_DB)


def cmd_form_blank(db: Any, args: argparse.Namespace) -> int:
    language = args.form_lang or current_language()
    if language != current_language():
        set_language(language)  # the form's own texts (headings, legend) follow it too
    path = forms_service.write_blank_form(args.out, language=language)
    print(_("Blank questionnaire written: {path}").format(path=path))
    return EXIT_OK
