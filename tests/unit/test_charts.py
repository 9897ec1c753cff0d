"""The report charts: Cyrillic labels in embedded DejaVu, nothing outside the drawing, no crash on empty data."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing, String
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer

from symdesk.i18n import _, format_number
from symdesk.reports import charts
from symdesk.reports.pdf_common import SymdeskDocTemplate
from tests import pdf_helpers
from tests.pdf_helpers import assert_dejavu_embedded, drawn, needs_poppler, pdf_text

pytestmark = [needs_poppler, pytest.mark.usefixtures("russian")]
russian = pdf_helpers.russian

LONG = "Поиск по побочному продукту или отходу с очень длинным названием категории, которое не помещается никуда"


def assert_inside(drawing: Drawing) -> None:
    """Every string lies within the drawing's box (measured in its own font)."""
    for s in drawn(drawing, String):
        assert s.fontName.startswith("DejaVu"), s.fontName
        w = stringWidth(s.text, s.fontName, s.fontSize)
        left = {"start": s.x, "middle": s.x - w / 2, "end": s.x - w}[s.textAnchor]
        assert left >= -0.5 and left + w <= drawing.width + 0.5, (s.text, left, w, drawing.width)
        assert -0.5 <= s.y <= drawing.height, (s.text, s.y)


def render(tmp_path: Path, drawings: list[Drawing]) -> str:
    """The drawings laid out in a PDF, its fonts checked (embedded DejaVu only); the PDF's text."""
    out = tmp_path / "charts.pdf"
    doc = SymdeskDocTemplate(out, title="charts")
    story: list[object] = []
    for d in drawings:
        story += [d, Spacer(1, 6)]
    doc.build_story(story)
    assert_dejavu_embedded(out)
    return pdf_text(out)


def number(value: float, decimals: int) -> str:
    """``format_number`` as pdftotext gives it back (the no-break space as a space)."""
    return format_number(value, decimals).replace("\xa0", " ")


def test_charts_render_cyrillic_in_embedded_dejavu(tmp_path: Path) -> None:
    width = SymdeskDocTemplate.frame_width()
    kinds = [("Предложение ↔ потребность", 12), ("Поиск по типу предприятия", 3), ("Объединение", 1234.5)]
    drawings = [
        charts.bar_chart(kinds, width=width, height=110, title="Возможности по видам"),
        charts.bar_chart([("Вода", 300), ("Тепло", -45.25)], width=width, height=110, horizontal=False,
                         title="Выгоды по категориям", colour="#4C9A5B"),
        charts.pie_chart(kinds, width=width, height=110, title="Доли видов"),
        charts.stacked_bar_chart(["Деревообработка", "Пищевая промышленность"],
                                 [("Заполнена", [3, 2]), ("Нет ответа", [1, 4])], width=width, height=110,
                                 title="Заполненность анкет"),
    ]
    for d in drawings:
        assert_inside(d)
    text = render(tmp_path, drawings)
    for word in ("Возможности по видам", "Предложение", "Объединение", "Выгоды по категориям", "Деревообработка",
                 "Заполнена", "Нет ответа", "Доли видов"):
        assert word in text, word
    # Values the Russian way, from format_number.
    assert number(1234.5, 0) in text  # «1 234» (1 234,5 rounds at 0 decimals above 100)
    assert number(-45.25, 1) in text
    percent = number(1234.5 / (12 + 3 + 1234.5) * 100, 1)
    assert percent in text


def test_long_labels_are_wrapped_or_shortened_never_overflow() -> None:
    items = [(LONG, 5.0), (LONG + " второй", 3.0), ("Короткая", 1.0)]
    for d in (
        charts.bar_chart(items, width=300, height=90, title=LONG),
        charts.bar_chart(items, width=200, height=120, horizontal=False),
        charts.pie_chart(items * 4, width=260, height=70, title="Доли"),
        charts.stacked_bar_chart([LONG, "Б"], [(LONG, [1, 2]), ("Серия", [3, 0])], width=240, height=90),
    ):
        assert_inside(d)
        texts = [s.text for s in drawn(d, String)]
        assert any(t.endswith(charts.ELLIPSIS) for t in texts), texts
        assert LONG not in texts


def test_pie_merges_what_the_legend_cannot_list() -> None:
    items = [(f"Доля {i}", float(i + 1)) for i in range(30)]
    d = charts.pie_chart(items, width=300, height=60)
    texts = [s.text for s in drawn(d, String)]
    assert _("Other") in texts
    assert "Доля 29" in texts  # the largest is listed


@pytest.mark.parametrize("make", [
    lambda: charts.bar_chart([], width=200, height=80, title="Пусто"),
    lambda: charts.bar_chart([("a", 0), ("b", 0.0)], width=200, height=80, horizontal=False),
    lambda: charts.bar_chart([("a", float("nan"))], width=200, height=80),
    lambda: charts.pie_chart([("a", 0), ("b", -1)], width=200, height=80),
    lambda: charts.stacked_bar_chart([], [], width=200, height=80),
    lambda: charts.stacked_bar_chart(["x"], [("s", [0])], width=200, height=80),
])
def test_empty_data_gives_a_no_data_drawing(make) -> None:  # type: ignore[no-untyped-def]
    d = make()
    assert _("No data") in [s.text for s in drawn(d, String)]
    assert_inside(d)


def test_wrap_keeps_words_and_marks_cut_text() -> None:
    lines = charts.wrap("один два три четыре пять шесть", 40, 2)
    assert len(lines) == 2
    assert lines[-1].endswith(charts.ELLIPSIS)
    assert charts.wrap("один два", 500, 2) == ["один два"]
    assert charts.nice_ticks(0, 1234.5)[-1] >= 1234.5
    assert charts.nice_ticks(-12.5, 300)[0] <= -12.5


def test_many_categories_fold_into_one_last_bar() -> None:
    """Fifty sites would make a chart taller than the page: the largest keep their bars and order,
    the rest are summed into one bar that says how many it holds."""
    cats = [f"Участок {i}" for i in range(50)]
    series = [("проверена", [float(i) for i in range(50)]), ("не опрошен", [1.0] * 50)]
    shown, folded = charts.fold_categories(cats, series, rest=lambda n: f"ещё {n}", limit=10)
    assert shown == [f"Участок {i}" for i in range(41, 50)] + ["ещё 41"]
    assert folded[0] == ("проверена", [float(i) for i in range(41, 50)] + [float(sum(range(41)))])
    assert folded[1] == ("не опрошен", [1.0] * 9 + [41.0])
    assert sum(map(sum, (v for _n, v in folded))) == sum(map(sum, (v for _n, v in series)))
    few = charts.fold_categories(cats[:10], [(n, v[:10]) for n, v in series], rest=lambda n: "x", limit=10)
    assert few == (cats[:10], [(n, v[:10]) for n, v in series])
