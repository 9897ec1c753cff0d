"""The printed blank questionnaire: an A4 PDF made from the form definition.

A surveyor fills it in by hand. Scalar sections are portrait pages with one
labelled answer area per field (lines, tick boxes, character boxes for codes
and dates); repeat sections (offers, needs) are ruled landscape tables with
one column per field and a legend of short codes under the table, so a cell
takes "2" rather than «побочный продукт».

Labels, hints and choices come from the definition in the chosen language;
everything else goes through ``symdesk.i18n._`` (the caller sets the language).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from symdesk.domain.units import PERIOD_LABELS, UNITS
from symdesk.i18n import _, format_number, pgettext
from symdesk.questionnaire.definition import Choice, Field, FormDefinition, Relevance, Section
from symdesk.reports.pdf_common import (
    FONT,
    FONT_CONDENSED,
    FONT_CONDENSED_BOLD,
    LIGHT_GREY,
    RULE,
    Styles,
    SymdeskDocTemplate,
    escape,
    make_styles,
    soft_hyphenate,
    table,
    text_width,
)

BOX = "\u2610"  # ☐ BALLOT BOX
TABLE_ROWS = 8
CODE_LENGTHS = {"unp": 9, "oked": 5, "waste_code": 7}
CLASSIFIER_CODE_LENGTHS = {"activity": 5, "waste": 7}
MULTIPLE_CODES = 3  # room for this many codes in a multiple code field
LABEL_WIDTH = 66 * mm  # the label column of scalar sections
LINE_PITCH = 8 * mm  # distance between handwriting lines


# ---------------------------------------------------------------- flowables


class WriteLines(Flowable):
    """``count`` ruled lines to write on, ``width`` wide (the cell's width when 0)."""

    def __init__(self, count: int = 1, width: float = 0, pitch: float = LINE_PITCH):
        super().__init__()
        self.count, self.line_width, self.pitch = count, width, pitch

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(self.line_width or avail_width, avail_width)
        self.height = self.count * self.pitch
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        for i in range(self.count):
            y = self.height - (i + 1) * self.pitch + 0.5
            c.line(0, y, self.width, y)


class CharBoxes(Flowable):
    """Rows of boxes for one character each: ``groups`` like ``[9]``, ``[5, 5, 5]``
    or ``[2, ".", 2, ".", 4]`` (a string is printed between the groups)."""

    def __init__(self, groups: Sequence[int | str], box_width: float = 5 * mm, box_height: float = 6.5 * mm,
                 gap: float = 4 * mm):
        super().__init__()
        self.groups, self.box_width, self.box_height, self.gap = list(groups), box_width, box_height, gap

    def _layout(self) -> list[tuple[float, int | str]]:
        x, placed = 0.0, []
        previous_was_boxes = False
        for group in self.groups:
            if isinstance(group, str):
                placed.append((x, group))
                x += text_width(group, FONT, 11) + 1.5 * mm
                previous_was_boxes = False
            else:
                if previous_was_boxes:
                    x += self.gap
                placed.append((x, group))
                x += group * self.box_width
                previous_was_boxes = True
        self._total_width = x
        return placed

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._placed = self._layout()
        self.width, self.height = self._total_width, self.box_height
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.5)
        for x, group in self._placed:
            if isinstance(group, str):
                c.setFont(FONT, 11)
                c.setFillColor(colors.black)
                c.drawString(x + 0.75 * mm, 1 * mm, group)
                continue
            c.setStrokeColor(RULE)
            c.rect(x, 0, group * self.box_width, self.box_height)
            c.setStrokeColor(LIGHT_GREY)
            for i in range(1, group):
                c.line(x + i * self.box_width, 0, x + i * self.box_width, self.box_height * 0.45)


# ---------------------------------------------------------------- short codes


def short_codes(choices: Sequence[Choice], language: str) -> list[str]:
    """What a surveyor writes in a table cell for each choice.

    Short numeric values (hazard classes "1"…"4") stand for themselves and the
    others of such a list take their label's first letter ("н" — неопасные);
    any other list is numbered 1, 2, 3…
    """
    if any(c.value.isdigit() and len(c.value) <= 2 for c in choices):
        codes: list[str] = []
        for c in choices:
            if c.value.isdigit() and len(c.value) <= 2:
                codes.append(c.value)
                continue
            letter = c.label.get(language)[:1].lower()
            codes.append(letter if letter and letter not in codes and not letter.isdigit() else c.value)
        return codes
    return [str(i) for i in range(1, len(choices) + 1)]


def _choice_legend(choices: Sequence[Choice], language: str) -> str:
    return ", ".join(
        f"{code}\u00a0—\u00a0{escape(c.label.get(language))}"
        for code, c in zip(short_codes(choices, language), choices, strict=True)
    )


def _relevance_codes(relevance: Relevance, section: Section, language: str) -> tuple[str, str]:
    """(the other field's label, its values as short codes and as labels) for ``relevance``."""
    try:
        other = section.field(relevance.field)
    except KeyError:
        return relevance.field, ", ".join(map(str, relevance.values or ()))
    values = [str(v) for v in relevance.values or ()]
    if other.choices:
        order = [c.value for c in other.choices]
        values.sort(key=lambda v: order.index(v) if v in order else len(order))
        codes = dict(zip(order, short_codes(other.choices, language), strict=True))
        return _ranges([codes.get(v, v) for v in values]), ", ".join(other.choice_label(v, language) for v in values)
    return ", ".join(values), ", ".join(values)


def _ranges(codes: list[str]) -> str:
    """"1, 2, 3, 5" → "1–3, 5": runs of three or more numbers become a range."""
    parts: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
        run.clear()

    for code in codes:
        if code.isdigit() and run and int(code) == run[-1] + 1:
            run.append(int(code))
        elif code.isdigit():
            flush()
            run.append(int(code))
        else:
            flush()
            parts.append(code)
    flush()
    return ", ".join(parts)


def _relevance_note(relevance: Relevance, section: Section, language: str) -> str:
    """The condition of ``relevance`` in words, for the answer's hint."""
    try:
        other = section.field(relevance.field).label.get(language)
    except KeyError:
        other = relevance.field
    if relevance.filled is not None:
        return _("only if «{field}» is answered").format(field=other)
    _codes, labels = _relevance_codes(relevance, section, language)
    return _("only if «{field}» is: {values}").format(field=other, values=labels)


# ---------------------------------------------------------------- the document


@dataclass
class _Context:
    definition: FormDefinition
    language: str
    styles: Styles
    story: list[Flowable] = field(default_factory=list)
    page: str = "portrait"

    def text(self, value: Any) -> str:
        return value.get(self.language) if value is not None else ""


def build_blank_form(definition: FormDefinition, out_path: Path | str, language: str) -> Path:
    """Write the blank questionnaire of ``definition`` to ``out_path`` (PDF) and return the path."""
    out_path = Path(out_path)
    ctx = _Context(definition, language, make_styles())
    title = definition.title.get(language)
    identity = _("Form {form_id}, version {version}").format(form_id=definition.form_id, version=definition.version)
    doc = SymdeskDocTemplate(
        out_path,
        title=title,
        subject=identity,
        header_left=title,
        header_right=_unp_header(definition, language),
        footer_left=identity,
    )
    _title_block(ctx, identity)
    for number, section in enumerate(definition.sections, start=1):
        if section.repeat:
            _repeat_section(ctx, section, number)
        else:
            _scalar_section(ctx, section, number)
    doc.build_story(ctx.story)
    return out_path


def _unp_header(definition: FormDefinition, language: str) -> str:
    """"УНП ______" in the running header, so that a loose sheet finds its resident."""
    for section in definition.scalar_sections:
        for f in section.fields:
            if f.check == "unp":
                return f"{f.label.get(language)}\u00a0" + "_" * 18
    return ""


def _title_block(ctx: _Context, identity: str) -> None:
    s = ctx.styles
    ctx.story.append(Paragraph(escape(ctx.definition.title.get(ctx.language)), s.title))
    ctx.story.append(Paragraph(escape(identity), s.subtitle))
    if ctx.definition.description is not None:
        ctx.story.append(Paragraph(escape(ctx.text(ctx.definition.description)), s.small))
    ctx.story.append(Spacer(0, 3 * mm))
    instruction = _(
        "Fill in by hand in block letters. Tick a box like this: {ticked}. Fields marked * are required. "
        "Write numbers like this: {example}."
    ).format(ticked="\u2612", example=format_number(1234.5))
    box = table([[Paragraph(escape(instruction), s.small)]], colWidths=[SymdeskDocTemplate.frame_width()], style=[
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eeeeee")),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ])
    ctx.story.append(box)


def _switch_page(ctx: _Context, template: str) -> None:
    if ctx.page != template:
        ctx.story.extend([NextPageTemplate(template), PageBreak()])
        ctx.page = template


# ---------------------------------------------------------------- scalar sections


def _scalar_section(ctx: _Context, section: Section, number: int) -> None:
    _switch_page(ctx, "portrait")
    s = ctx.styles
    heading = Paragraph(f"{number}.\u00a0{escape(ctx.text(section.label))}", s.heading)
    intro: list[Flowable] = [heading]
    if section.hint is not None:
        intro.append(Paragraph(escape(ctx.text(section.hint)), s.hint))
    answer_width = SymdeskDocTemplate.frame_width() - LABEL_WIDTH
    rows = []
    for i, f in enumerate(section.fields, start=1):
        rows.append([_label_cell(ctx, section, f, f"{number}.{i}"), _answer(ctx, f, answer_width)])
    fields_table = table(rows, colWidths=[LABEL_WIDTH, answer_width], style=[
        ("VALIGN", (0, 0), (0, -1), "TOP"),
        ("VALIGN", (1, 0), (1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 8),
        ("LEFTPADDING", (1, 0), (1, -1), 0),
        ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])
    # A heading never stays alone at the bottom of a page.
    ctx.story.append(CondPageBreak(45 * mm))
    ctx.story.extend(intro)
    ctx.story.append(fields_table)


def _label_cell(ctx: _Context, section: Section, f: Field, number: str) -> list[Flowable]:
    s = ctx.styles
    mark = "\u00a0*" if f.required else ""
    cell: list[Flowable] = [Paragraph(f"<font color='#555555'>{number}</font>\u00a0 {escape(ctx.text(f.label))}{mark}",
                                      s.label)]
    notes = []
    if f.hint is not None:
        notes.append(escape(ctx.text(f.hint)))
    if f.type == "select_one":
        notes.append(escape(_("tick one")))
    elif f.type == "select_multiple":
        notes.append(escape(_("tick all that apply")))
    if f.relevant is not None:
        notes.append(escape(_relevance_note(f.relevant, section, ctx.language)))
    if notes:
        cell.append(Paragraph("; ".join(notes), s.hint))
    return cell


def _text_lines(f: Field) -> int:
    """Handwriting lines for a text answer: two unless the answer is known to be short."""
    if f.check in ("email", "unp") or (f.max_length is not None and f.max_length <= 200):
        return 1
    return 2


def _code_groups(f: Field) -> list[int | str] | None:
    length = CODE_LENGTHS.get(f.check or "") or CLASSIFIER_CODE_LENGTHS.get(f.classifier or "")
    if f.type != "code" and f.check not in CODE_LENGTHS:
        return None
    if length is None:
        return None
    return [length] * (MULTIPLE_CODES if f.multiple else 1)


def _answer(ctx: _Context, f: Field, width: float) -> Flowable:
    s = ctx.styles
    groups = _code_groups(f)
    if groups is not None:
        return CharBoxes(groups)
    if f.type == "date":
        return CharBoxes([2, ".", 2, ".", 4])
    if f.type == "boolean":
        return Paragraph(_tick_boxes([_("yes"), _("no")]), s.body)
    if f.type in ("select_one", "select_multiple"):
        return Paragraph(_tick_boxes([c.label.get(ctx.language) for c in f.choices]), s.body)
    if f.type in ("integer", "decimal"):
        return WriteLines(1, min(width, 55 * mm))
    if f.type == "quantity":
        return WriteLines(1)
    return WriteLines(_text_lines(f))


def _tick_boxes(labels: Sequence[str]) -> str:
    """Choices with a box each; a choice never breaks across lines."""
    boxes = [f"<font size='12'>{BOX}</font>\u00a0" + escape(label).replace(" ", "\u00a0") for label in labels]
    return "\u2003 ".join(boxes)


# ---------------------------------------------------------------- repeat sections


@dataclass
class _Column:
    header: str  # the label, or the sub-header under a group
    field: Field
    part: str = ""  # amount | unit | period for quantity columns
    group: str = ""  # the group header (quantity's label) above a sub-header
    note: str = ""  # small text under the header
    min_width: float = 0.0
    want_width: float = 0.0
    weight: float = 0.0  # share of the width left over; 0 = fixed at min_width
    boxes: int = 0  # character boxes in each cell


TABLE_PADDING = 2.5  # points each side of a cell
CELL_BOX_WIDTH = 3.4 * mm
ROW_HEIGHT = 10.5 * mm


def _columns(ctx: _Context, section: Section) -> list[_Column]:
    s = ctx.styles
    columns: list[_Column] = []
    for f in section.fields:
        label = ctx.text(f.label)
        note = ""
        if f.relevant is not None:
            if f.relevant.filled is not None:
                note = _relevance_note(f.relevant, section, ctx.language)
            else:
                codes, _labels = _relevance_codes(f.relevant, section, ctx.language)
                note = _("only {codes}").format(codes=codes)
        if f.type == "quantity":
            for part, header, weight in (("amount", pgettext("table column", "amount"), 0.5),
                                         ("unit", pgettext("table column", "unit"), 0.0),
                                         ("period", pgettext("table column", "period"), 0.0)):
                columns.append(_Column(header, f, part=part, group=label, weight=weight))
            continue
        column = _Column(label, f, note=note)
        groups = _code_groups(f)
        if groups is not None and not f.multiple:
            column.boxes = groups[0]
        elif f.type == "text":
            column.weight = 2.0 if f.required else 1.0
        columns.append(column)
    for column in columns:
        column.min_width, column.want_width = _column_widths(s, column)
    return columns


def _column_widths(s: Styles, column: _Column) -> tuple[float, float]:
    """(the narrowest sensible width, the width that fits the header's longest word)."""
    f = column.field
    if column.boxes:
        base = column.boxes * CELL_BOX_WIDTH + 2 * TABLE_PADDING
    elif column.part == "amount":
        base = 16 * mm
    elif column.part:
        base = 11 * mm
    elif f.type == "text":
        base = 30 * mm if f.required else 18 * mm  # the stream's name is the widest answer
    elif f.type in ("integer", "decimal"):
        base = 14 * mm
    else:  # a short code or a yes/no mark
        base = 11 * mm
    words = [(w, FONT_CONDENSED_BOLD, s.table_header.fontSize) for w in column.header.split()]
    words += [(w, FONT_CONDENSED, s.table_hint.fontSize) for w in column.note.split()]
    widest = max((text_width(w, font, size) for w, font, size in words), default=0.0)
    return base, max(base, widest + 2 * TABLE_PADDING + 1)


def _fit_widths(columns: list[_Column], available: float) -> list[float]:
    """Every column as wide as its header's longest word if there is room, else
    narrower (the header hyphenates); text columns share what is left."""
    widths = [c.want_width for c in columns]
    excess = sum(widths) - available
    if excess > 0:
        shrinkable = sum(c.want_width - c.min_width for c in columns)
        ratio = min(1.0, excess / shrinkable) if shrinkable else 0.0
        widths = [c.want_width - (c.want_width - c.min_width) * ratio for c in columns]
    spare = available - sum(widths)
    if spare > 0:
        flexible = [i for i, c in enumerate(columns) if c.weight > 0] or list(range(len(columns)))
        total = sum(columns[i].weight or 1.0 for i in flexible)
        for i in flexible:
            widths[i] += spare * (columns[i].weight or 1.0) / total
    return widths


def _repeat_section(ctx: _Context, section: Section, number: int) -> None:
    _switch_page(ctx, "landscape")
    if ctx.story and not isinstance(ctx.story[-1], PageBreak):
        ctx.story.append(PageBreak())  # each table starts a page of its own
    s = ctx.styles
    width = SymdeskDocTemplate.frame_width("landscape")
    columns = _columns(ctx, section)
    number_column = 7 * mm
    widths = [number_column, *_fit_widths(columns, width - number_column)]

    top: list[Any] = [Paragraph("№", s.table_header)]
    sub: list[Any] = [""]
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = [("SPAN", (0, 0), (0, 1))]
    i = 0
    while i < len(columns):
        c = columns[i]
        col = i + 1
        if c.group:
            n = sum(1 for other in columns[i:] if other.field is c.field)
            top.append(Paragraph(escape(soft_hyphenate(c.group)), s.table_header))
            top.extend([""] * (n - 1))
            for other in columns[i:i + n]:
                sub.append(Paragraph(escape(soft_hyphenate(other.header)), s.table_hint))
            spans.append(("SPAN", (col, 0), (col + n - 1, 0)))
            i += n
            continue
        cell: list[Flowable] = [Paragraph(escape(soft_hyphenate(c.header)), s.table_header)]
        if c.note:
            cell.append(Paragraph(escape(soft_hyphenate(c.note)), s.table_hint))
        top.append(cell)
        sub.append("")
        spans.append(("SPAN", (col, 0), (col, 1)))
        i += 1

    body = []
    for row in range(1, TABLE_ROWS + 1):
        cells: list[Any] = [Paragraph(f"<font color='#777777'>{row}</font>", s.table_cell)]
        for c in columns:
            cells.append(CharBoxes([c.boxes], box_width=CELL_BOX_WIDTH, box_height=5 * mm) if c.boxes else "")
        body.append(cells)
    grid = table([top, sub, *body], colWidths=widths, rowHeights=[None, None] + [ROW_HEIGHT] * TABLE_ROWS,
                 repeatRows=2, hAlign="LEFT", style=[
        *spans,
        ("FONTNAME", (0, 0), (-1, -1), FONT_CONDENSED),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, 1), "TOP"),
        ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
        ("TOPPADDING", (0, 0), (-1, 1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, 1), 3),
    ])

    heading = Paragraph(f"{number}.\u00a0{escape(ctx.text(section.label))}", s.heading)
    parts: list[Flowable] = [heading]
    if section.hint is not None:
        parts.append(Paragraph(escape(ctx.text(section.hint)), s.hint))
    parts.append(Spacer(0, 2 * mm))
    parts.append(grid)
    parts.append(Spacer(0, 2 * mm))
    parts.extend(_legend(ctx, section, columns))
    ctx.story.append(KeepTogether(parts))


def _legend(ctx: _Context, section: Section, columns: list[_Column]) -> list[Flowable]:
    """The short codes, units, periods, conditions and hints under a table."""
    s = ctx.styles
    lang = ctx.language
    lines: list[str] = [escape(_("Write the number or letter of the answer in the column:"))]
    for f in section.fields:
        if f.choices:
            lines.append(f"<b>{escape(ctx.text(f.label))}:</b> {_choice_legend(f.choices, lang)}")
    if any(c.part == "unit" for c in columns):
        units = ", ".join(escape(u.label_en if lang == "en" else u.label_ru) for u in UNITS.values())
        lines.append(f"<b>{escape(_('Units'))}:</b> {units}")
    if any(c.part == "period" for c in columns):
        periods = ", ".join(escape(en if lang == "en" else ru) for ru, en in PERIOD_LABELS.values())
        lines.append(f"<b>{escape(_('Periods'))}:</b> {periods}")
    booleans = [ctx.text(f.label) for f in section.fields if f.type == "boolean"]
    if booleans:
        lines.append(f"<b>{escape(', '.join(booleans))}:</b> "
                     + escape(_("+ for yes, − for no")))
    # Conditions, one line per condition with the fields it applies to.
    conditions: dict[str, list[str]] = {}
    for f in section.fields:
        if f.relevant is not None:
            conditions.setdefault(_relevance_note(f.relevant, section, lang), []).append(ctx.text(f.label))
    for note, labels in conditions.items():
        lines.append(f"<b>{escape(', '.join(labels))}:</b> {escape(note)}")
    for f in section.fields:
        if f.hint is not None and f.type != "quantity":
            lines.append(f"<b>{escape(ctx.text(f.label))}:</b> {escape(ctx.text(f.hint))}")
    lines.append(escape(_("More rows: continue on a copy of this page.")))
    return [Paragraph(line, s.hint) for line in lines]
