"""Reading the state-of-the-zone report PDFs back with poppler, for the report tests.

The poppler helpers themselves are in ``tests.pdf_helpers``; these reports are
read in drawing order (``pdftotext -raw``), so that a table cell's lines stay together.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdf_helpers import (
    assert_dejavu_embedded,
    needs_poppler,
    page_count,
    pages_text,
    spaced,
    squash,
)

__all__ = ["assert_well_formed", "needs_poppler", "spaced", "squash"]


def assert_well_formed(path: Path, pages: int) -> list[str]:
    """Page count as reported, only embedded DejaVu fonts, text on every page; returns the pages' text."""
    assert page_count(path) == pages
    assert_dejavu_embedded(path)
    texts = pages_text(path)
    assert len(texts) == pages
    for number, text in enumerate(texts, 1):
        assert len(text.strip()) > 40, f"page {number} is (nearly) empty"
    return texts
