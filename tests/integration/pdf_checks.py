"""Reading the reports back with poppler, for the report tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from symdesk.domain.opportunity import Opportunity

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts")), reason="poppler-utils not installed"
)


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The text of the PDF (or of pages first..last), no-break spaces as spaces."""
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.replace("\xa0", " ")


def flat(text: str) -> str:
    """Text with every run of white space as one space (table cells wrap names over lines)."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[: page_count(path)]


def assert_well_formed(path: Path, expected_pages: int) -> list[str]:
    """Page count as reported, every page has text besides its running header and footer,
    DejaVu embedded and no base-14 font; returns the pages' text."""
    assert page_count(path) == expected_pages
    texts = pages(path)
    assert len(texts) == expected_pages
    for number, text in enumerate(texts, start=1):
        body = [line for line in text.splitlines() if line.strip()]
        assert len(body) >= 3, f"page {number} is (nearly) empty: {body}"
        assert re.search(rf"\b{number}\b.*\b{expected_pages}\b", body[-1]), body[-1]  # "стр. N из M"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all("DejaVu" in row for row in rows), fonts
    assert all(" yes " in row for row in rows), fonts  # embedded
    assert "Helvetica" not in fonts and "Times" not in fonts and "Courier" not in fonts
    return texts


def number_text(value: float) -> str:
    """A figure as the reports print it (``opportunity_pages.number``), as pdftotext gives it back."""
    from symdesk.reports.opportunity_pages import number

    return number(value).replace("\xa0", " ")


def engine_totals(opportunities: Sequence[Opportunity]) -> dict[str, float]:
    """The core's totals of potential benefits (``services.matching.benefit_totals``)."""
    from symdesk.services import matching

    return matching.benefit_totals(opportunities)
