"""Reading the reports back, for the report, chart and export tests: poppler, drawings, fixtures.

The PDFs are read with poppler-utils (``pdftotext``, ``pdfinfo``, ``pdffonts``)
as a reader would see them; the charts and the network picture are checked on
their reportlab drawings before they reach a PDF. The fixtures are shared by
assignment (``russian = pdf_helpers.russian``) so that a module using them
needs no import that linters take for unused.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from reportlab.graphics.shapes import Drawing, Group

from symdesk.domain.opportunity import Opportunity
from symdesk.i18n import current_language, set_language

N = TypeVar("N")

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed; apt-get install poppler-utils",
)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def russian() -> Iterator[None]:
    """Print in Russian, the reports' language in the zones, then go back to the language before."""
    before = current_language()
    set_language("ru")
    yield
    set_language(before)


@pytest.fixture
def matched(demo_db):  # type: ignore[no-untyped-def]
    """The demo zone after a matching run (its opportunities stored)."""
    from symdesk.services import matching

    matching.run_matching(demo_db)
    return demo_db


# ---------------------------------------------------------------- poppler


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def fonts(path: Path) -> list[list[str]]:
    """The rows of ``pdffonts``, split into columns (name type encoding emb sub uni object ID)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def assert_dejavu_embedded(path: Path) -> None:
    """Every font of the PDF is an embedded DejaVu (so Cyrillic shows anywhere; no base-14 font)."""
    found = fonts(path)
    assert found, "no fonts in the PDF"
    for row in found:
        assert "DejaVu" in row[0], row
        assert row[-5] == "yes", f"font not embedded: {row}"


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The text of the PDF (or of pages first..last) as laid out, no-break spaces as spaces."""
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.replace("\xa0", " ")


def pages_text(path: Path) -> list[str]:
    """The text of every page in drawing order (a table cell's lines stay together)."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def flat(text: str) -> str:
    """Text with every run of white space as one space (table cells wrap names over lines)."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def squash(text: str) -> str:
    """Text with spaces, line breaks and hyphens removed (and no-break spaces), so that wrapped and
    hyphenated names compare equal to the originals."""
    return re.sub(r"[\s\-\u00ad\u00a0]", "", text)


def spaced(text: str) -> str:
    """Whitespace (no-break spaces of Russian numbers included) collapsed to single spaces."""
    return re.sub(r"[\s\u00a0]+", " ", text).strip()


# ---------------------------------------------------------------- meeting reports


def assert_well_formed(path: Path, expected_pages: int) -> list[str]:
    """A meeting report: page count as reported, every page has text besides its running header and
    footer, the footer numbers the page, only embedded DejaVu fonts; returns the pages' text (as laid out)."""
    assert page_count(path) == expected_pages
    texts = pdf_text(path).split("\f")[:expected_pages]
    assert len(texts) == expected_pages
    for number, text in enumerate(texts, start=1):
        body = [line for line in text.splitlines() if line.strip()]
        assert len(body) >= 3, f"page {number} is (nearly) empty: {body}"
        assert re.search(rf"\b{number}\b.*\b{expected_pages}\b", body[-1]), body[-1]  # "стр. N из M"
    assert_dejavu_embedded(path)
    return texts


def number_text(value: float) -> str:
    """A figure as the meeting reports print it (``opportunity_pages.number``), as pdftotext gives it back."""
    from symdesk.reports.opportunity_pages import number

    return number(value).replace("\xa0", " ")


def engine_totals(opportunities: Sequence[Opportunity]) -> dict[str, float]:
    """The core's totals of potential benefits (``services.matching.benefit_totals``)."""
    from symdesk.services import matching

    return matching.benefit_totals(opportunities)


# ---------------------------------------------------------------- drawings


def drawn(drawing: Drawing, kind: type[N]) -> list[N]:
    """Every shape of type ``kind`` in the drawing, groups searched through, in drawing order."""
    found: list[N] = []

    def walk(node: Any) -> None:
        if isinstance(node, kind):
            found.append(node)
        if isinstance(node, Group):
            for child in node.contents:
                walk(child)

    walk(drawing)
    return found
