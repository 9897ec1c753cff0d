"""Reading the state-of-the-zone report PDFs back with poppler, for the report tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed; apt-get install poppler-utils",
)


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def pages_text(path: Path) -> list[str]:
    """The text of every page in drawing order (a table cell's lines stay together)."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def squash(text: str) -> str:
    """Text with spaces, line breaks and hyphens removed (and no-break spaces), so that wrapped and
    hyphenated names compare equal to the originals."""
    return re.sub(r"[\s\-\u00ad\u00a0]", "", text)


def spaced(text: str) -> str:
    """Whitespace (no-break spaces of Russian numbers included) collapsed to single spaces."""
    return re.sub(r"[\s\u00a0]+", " ", text).strip()


def fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def assert_well_formed(path: Path, pages: int) -> list[str]:
    """Page count as reported, only embedded DejaVu fonts, text on every page; returns the pages' text."""
    assert page_count(path) == pages
    found = fonts(path)
    assert found, "no fonts in the PDF"
    for row in found:
        assert "DejaVu" in row[0], row
        assert row[-5] == "yes", f"font not embedded: {row}"  # columns: name type encoding emb sub uni object ID
    texts = pages_text(path)
    assert len(texts) == pages
    for number, text in enumerate(texts, 1):
        assert len(text.strip()) > 40, f"page {number} is (nearly) empty"
    return texts
