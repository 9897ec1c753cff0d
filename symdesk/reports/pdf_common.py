"""What every symdesk PDF shares: fonts, page templates, the page-numbered canvas, styles.

reportlab's built-in fonts have no Cyrillic, so every PDF uses the shipped
DejaVu Sans (embedded as a TrueType subset). ``SymdeskDocTemplate`` offers a
portrait and a landscape page template with margins for binding (left edge of
portrait pages, top edge of landscape ones, which a binder turns to the left);
``NumberedCanvas`` draws the running header and the "page N of M" footer
after the whole document is laid out, so M is known.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from symdesk import fonts
from symdesk.i18n import _

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
FONT_CONDENSED = "DejaVuSansCondensed"
FONT_CONDENSED_BOLD = "DejaVuSansCondensed-Bold"

_FONT_FILES = {
    FONT: fonts.REGULAR,
    FONT_BOLD: fonts.BOLD,
    FONT_ITALIC: fonts.ITALIC,
    FONT_BOLD_ITALIC: fonts.BOLD_ITALIC,
    FONT_CONDENSED: fonts.CONDENSED,
    FONT_CONDENSED_BOLD: fonts.CONDENSED_BOLD,
}
_fonts_lock = threading.Lock()
_fonts_registered = False

PORTRAIT = A4
LANDSCAPE = landscape(A4)
GREY = colors.HexColor("#555555")
LIGHT_GREY = colors.HexColor("#999999")
RULE = colors.HexColor("#444444")


def register_fonts() -> None:
    """Register the DejaVu fonts with reportlab (once per process; thread-safe)."""
    global _fonts_registered
    with _fonts_lock:
        if _fonts_registered:
            return
        for name, filename in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(fonts.font_path(filename))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
        pdfmetrics.registerFontFamily(
            FONT_CONDENSED, normal=FONT_CONDENSED, bold=FONT_CONDENSED_BOLD,
            italic=FONT_CONDENSED, boldItalic=FONT_CONDENSED_BOLD,
        )
        _fonts_registered = True


def text_width(text: str, font: str = FONT, size: float = 10) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(text, font, size)


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    label: ParagraphStyle
    hint: ParagraphStyle
    small: ParagraphStyle
    table_header: ParagraphStyle
    table_hint: ParagraphStyle
    table_cell: ParagraphStyle


def make_styles(base_size: float = 9.5) -> Styles:
    """Paragraph styles in DejaVu Sans; every size is at least 7 pt."""
    register_fonts()

    def style(name: str, **kw: Any) -> ParagraphStyle:
        kw.setdefault("fontName", FONT)
        kw.setdefault("fontSize", base_size)
        kw.setdefault("leading", kw["fontSize"] * 1.22)
        kw.setdefault("alignment", TA_LEFT)
        return ParagraphStyle(name, **kw)

    return Styles(
        title=style("Title", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=3),
        subtitle=style("Subtitle", fontSize=9, textColor=GREY, spaceAfter=2),
        heading=style("Heading", fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4),
        body=style("Body"),
        label=style("Label"),
        hint=style("Hint", fontSize=7.5, textColor=GREY),
        small=style("Small", fontSize=8),
        # Table headers break long words at the soft hyphens of ``soft_hyphenate``.
        table_header=style("TableHeader", fontName=FONT_CONDENSED_BOLD, fontSize=7.5, leading=8.6,
                           embeddedHyphenation=1),
        table_hint=style("TableHint", fontName=FONT_CONDENSED, fontSize=7, leading=8, textColor=GREY,
                         embeddedHyphenation=1),
        table_cell=style("TableCell", fontName=FONT_CONDENSED, fontSize=8),
    )


def escape(text: str) -> str:
    """Text for a Paragraph: its markup characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table(data: Sequence[Sequence[Any]], *, style: Sequence[tuple[Any, ...]] = (), **kwargs: Any) -> Table:
    """A platypus Table whose cells default to DejaVu Sans (reportlab's default is Helvetica,
    which a table names in the file even when every cell is a Paragraph)."""
    result = Table(data, **kwargs)
    result.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9), *style]))
    return result


_VOWELS = set("аеёиоуыэюяaeiouyАЕЁИОУЫЭЮЯAEIOUY")
_NO_SYLLABLE_START = set("йьъЙЬЪ")
SOFT_HYPHEN = "\u00ad"


def _break_points(word: str) -> list[int]:
    """Where a Russian or English word may be hyphenated (a simple syllable rule)."""
    points = []
    for i in range(2, len(word) - 1):
        before, after = word[:i], word[i:]
        if not (word[i - 1].isalpha() and word[i].isalpha()) or word[i] in _NO_SYLLABLE_START:
            continue
        if not (any(ch in _VOWELS for ch in before) and any(ch in _VOWELS for ch in after)):
            continue
        if len(after.rstrip(",.;:)")) < 2:
            continue
        a, b = word[i - 1] in _VOWELS, word[i] in _VOWELS
        next_is_vowel = i + 1 < len(word) and word[i + 1] in _VOWELS
        if (a and not b and next_is_vowel) or (a and b) or (not a and not b):
            points.append(i)
    return points


def soft_hyphenate(text: str) -> str:
    """``text`` with soft hyphens where its words may break, for narrow table headers.

    Abbreviations in capitals (ОКЭД, BYN) and short words are left whole.
    """
    words = []
    for word in text.split(" "):
        if len(word) < 6 or word.isupper():
            words.append(word)
            continue
        points = _break_points(word)
        pieces = [word[i:j] for i, j in zip([0, *points], [*points, len(word)], strict=True)]
        words.append(SOFT_HYPHEN.join(pieces))
    return " ".join(words)


# ---------------------------------------------------------------- pages


@dataclass(frozen=True)
class Margins:
    left: float
    right: float
    top: float
    bottom: float


# Portrait pages are bound on the left; landscape pages are turned so that
# their top edge is at the binding.
PORTRAIT_MARGINS = Margins(left=25 * mm, right=15 * mm, top=20 * mm, bottom=18 * mm)
LANDSCAPE_MARGINS = Margins(left=15 * mm, right=15 * mm, top=25 * mm, bottom=15 * mm)
HEADER_GAP = 6 * mm  # from the frame's top to the header's baseline
FOOTER_GAP = 8 * mm  # from the frame's bottom to the footer's baseline


class NumberedCanvas(Canvas):
    """A canvas that keeps every page until ``save`` so it can print "page N of M".

    The text comes from the document template: ``header_left``, ``header_right``
    (not on the first page) and ``footer_left``.
    """

    doc: SymdeskDocTemplate | None = None

    def __init__(self, *args: Any, **kwargs: Any):
        # The page preamble names the initial font: keep Helvetica out of the file.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_running_text(total)
            super().showPage()
        super().save()

    def _draw_running_text(self, total: int) -> None:
        doc = self.doc
        page = self.getPageNumber()
        width, height = self._pagesize
        margins = PORTRAIT_MARGINS if width < height else LANDSCAPE_MARGINS
        left, right = margins.left, width - margins.right
        self.saveState()
        self.setFillColor(GREY)
        self.setStrokeColor(LIGHT_GREY)
        self.setLineWidth(0.4)
        if doc is not None and page > 1 and (doc.header_left or doc.header_right):
            y = height - margins.top + HEADER_GAP
            self.setFont(FONT, 8)
            self.drawString(left, y, doc.header_left)
            self.drawRightString(right, y, doc.header_right)
            self.line(left, y - 2 * mm, right, y - 2 * mm)
        y = margins.bottom - FOOTER_GAP
        self.setFont(FONT, 8)
        if doc is not None and doc.footer_left:
            self.drawString(left, y, doc.footer_left)
        self.drawRightString(right, y, _("page {page} of {pages}").format(page=page, pages=total))
        self.restoreState()


class SymdeskDocTemplate(BaseDocTemplate):
    """An A4 document with "portrait" and "landscape" page templates and running text.

    Switch templates in the story with ``NextPageTemplate("landscape")``
    followed by a ``PageBreak``.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        title: str,
        header_left: str = "",
        header_right: str = "",
        footer_left: str = "",
        subject: str = "",
        first: str = "portrait",
    ):
        register_fonts()
        self.header_left = header_left
        self.header_right = header_right
        self.footer_left = footer_left
        super().__init__(
            str(path),
            pagesize=PORTRAIT,
            leftMargin=PORTRAIT_MARGINS.left,
            rightMargin=PORTRAIT_MARGINS.right,
            topMargin=PORTRAIT_MARGINS.top,
            bottomMargin=PORTRAIT_MARGINS.bottom,
            title=title,
            subject=subject,
            author="symdesk",
            creator="symdesk",
            initialFontName=FONT,
        )
        templates = [self._template("portrait", PORTRAIT, PORTRAIT_MARGINS),
                     self._template("landscape", LANDSCAPE, LANDSCAPE_MARGINS)]
        templates.sort(key=lambda t: t.id != first)
        self.addPageTemplates(templates)

    @staticmethod
    def _template(name: str, size: tuple[float, float], m: Margins) -> PageTemplate:
        frame = Frame(m.left, m.bottom, size[0] - m.left - m.right, size[1] - m.top - m.bottom,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)
        return PageTemplate(id=name, frames=[frame], pagesize=size)

    @staticmethod
    def frame_width(template: str = "portrait") -> float:
        size, m = (PORTRAIT, PORTRAIT_MARGINS) if template == "portrait" else (LANDSCAPE, LANDSCAPE_MARGINS)
        return size[0] - m.left - m.right

    @staticmethod
    def frame_height(template: str = "portrait") -> float:
        size, m = (PORTRAIT, PORTRAIT_MARGINS) if template == "portrait" else (LANDSCAPE, LANDSCAPE_MARGINS)
        return size[1] - m.top - m.bottom

    def build_story(self, story: Sequence[Flowable]) -> None:
        """Lay out ``story`` and write the file, numbering the pages."""
        doc = self
        canvas_class = type("BoundNumberedCanvas", (NumberedCanvas,), {"doc": doc})
        self.build(list(story), canvasmaker=canvas_class)
