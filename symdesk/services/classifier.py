"""Importing the official Belarusian waste classifier."""

from __future__ import annotations

from pathlib import Path

from symdesk.classifiers.national import ClassifierImport, parse_classifier
from symdesk.domain.issues import N_
from symdesk.services.errors import UserError
from symdesk.storage.db import Database
from symdesk.storage.repository import NationalCode, NationalCodeRepository
from symdesk.storage.uow import unit_of_work


def import_classifier(
    db: Database, path: Path | str, *, strict: bool = False, dry_run: bool = False
) -> ClassifierImport:
    """Replace the national waste list with the accepted rows of ``path``.

    Rejected rows are returned for the report. With ``strict`` a file with
    any rejected row changes nothing; a file with no usable row never does.
    """
    result = parse_classifier(path)
    if not result.entries:
        raise UserError(N_("{path}: no usable rows; nothing imported"), path=str(path))
    if dry_run or (strict and result.rejected):
        return result
    with unit_of_work(db) as session:
        NationalCodeRepository(session).replace_all(
            [NationalCode(e.code, e.name_ru, e.hazard_class, Path(path).name) for e in result.entries]
        )
    return result
