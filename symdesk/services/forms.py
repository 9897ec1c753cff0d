"""The printed blank questionnaire, for the GUI's Print and ``symdesk form blank``."""

from __future__ import annotations

from pathlib import Path

from symdesk.files.atomic import atomic_output
from symdesk.i18n import N_
from symdesk.questionnaire.definition import FormDefinition, default_definition
from symdesk.reports.blank_form import build_blank_form
from symdesk.services.errors import UserError


def write_blank_form(out_path: Path | str, *, language: str = "ru", definition: FormDefinition | None = None) -> Path:
    """Write the blank questionnaire as an A4 PDF to ``out_path`` and return its path.

    Labels, hints and choices come from ``definition`` (the shipped form by
    default) in ``language``; the other texts follow the current language of
    ``symdesk.i18n``. The PDF is written to a temporary file beside
    ``out_path`` and renamed, so a failure never leaves a half-written file;
    a problem with the file raises ``UserError``.
    """
    out_path = Path(out_path)
    definition = definition or default_definition()
    folder = out_path.parent
    if not folder.is_dir():
        raise UserError(N_("Cannot write {path}: the folder {folder} does not exist"), path=str(out_path),
                        folder=str(folder))
    try:
        with atomic_output(out_path) as temp:
            build_blank_form(definition, temp, language)
    except OSError as exc:
        raise UserError(N_("Cannot write {path}: {reason}"), path=str(out_path), reason=exc.strerror or str(exc)) from None
    return out_path
