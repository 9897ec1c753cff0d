"""The shipped Cyrillic fonts (resources/fonts): one place for PDFs and the GUI to find them."""

from __future__ import annotations

from pathlib import Path

from symdesk.paths import resources_dir

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
ITALIC = "DejaVuSans-Oblique.ttf"
BOLD_ITALIC = "DejaVuSans-BoldOblique.ttf"
CONDENSED = "DejaVuSansCondensed.ttf"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold.ttf"


def font_path(name: str = REGULAR) -> Path:
    return resources_dir() / "fonts" / name
