"""The classifiers shipped in resources/classifiers, loaded once per process.

Every entry becomes a ``CodeEntry`` whatever its classifier, so that search,
pickers and reports handle waste and activity codes alike.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from symdesk.paths import resources_dir

EWC = "ewc"
NATIONAL = "national"
ACTIVITY = "activity"
SYSTEMS = (EWC, NATIONAL, ACTIVITY)


@dataclass(frozen=True)
class CodeEntry:
    system: str  # ewc | national | activity
    code: str  # digits (EWC 6, national 7, activity 4) or a section letter
    name_ru: str
    name_en: str
    level: str = "entry"  # entry | chapter | subchapter | section | division | group | class
    hazardous: bool | None = None
    hazard_class: str = ""  # national classifier: 1–4 or «неопасные»
    parent: str = ""

    def name(self, language: str) -> str:
        if language == "en":
            return self.name_en or self.name_ru
        return self.name_ru or self.name_en

    @property
    def display_code(self) -> str:
        """The code as people write it: ``10 01 02*``, ``10 01``, ``16.10``, ``16.1``."""
        code = self.code
        if self.system == EWC:
            pairs = " ".join(code[i : i + 2] for i in range(0, len(code), 2))
            return pairs + ("*" if self.hazardous else "")
        if self.system == ACTIVITY and code.isdigit() and len(code) in (3, 4, 5):
            return f"{code[:2]}.{code[2:4]}" + code[4:] if len(code) != 5 else code
        return code


def _rows(name: str) -> list[dict[str, str]]:
    path: Path = resources_dir() / "classifiers" / name
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def ewc_entries() -> tuple[CodeEntry, ...]:
    return tuple(
        CodeEntry(
            EWC, r["code"], r["name_ru"], r["name_en"], "entry", r["hazardous"] == "1", parent=r["code"][:4]
        )
        for r in _rows("ewc.csv")
    )


@cache
def ewc_headings() -> tuple[CodeEntry, ...]:
    return tuple(
        CodeEntry(EWC, r["code"], r["name_ru"], r["name_en"], r["level"], parent=r["code"][:2] if r["level"] == "subchapter" else "")
        for r in _rows("ewc_headings.csv")
    )


@cache
def activities() -> tuple[CodeEntry, ...]:
    return tuple(
        CodeEntry(ACTIVITY, r["code"], r["name_ru"], r["name_en"], r["level"], parent=r["parent"])
        for r in _rows("activities.csv")
    )


@cache
def activity_classes() -> frozenset[str]:
    """The four-digit NACE Rev. 2 classes: what the first four digits of an ОКЭД code must be."""
    return frozenset(e.code for e in activities() if e.level == "class")


@cache
def ewc_by_code() -> dict[str, CodeEntry]:
    return {e.code: e for e in (*ewc_headings(), *ewc_entries())}


@cache
def activity_by_code() -> dict[str, CodeEntry]:
    return {e.code: e for e in activities()}


def describe_activity(code: str, language: str = "ru") -> str:
    """Name of the NACE class an ОКЭД code belongs to, or an empty string."""
    entry = activity_by_code().get(code[:4])
    return entry.name(language) if entry else ""
