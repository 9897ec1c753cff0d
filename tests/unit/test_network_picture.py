"""The zone network drawn for the reports: same layout as the GUI, names, sector legend, arrows."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.graphics.shapes import Circle, Polygon, String

from symdesk.i18n import _
from symdesk.reports.network_picture import network_drawing, picture_from_network
from symdesk.reports.pdf_common import SymdeskDocTemplate
from symdesk.services.network import NetworkEdge, NetworkNode, ZoneNetwork
from tests import pdf_helpers
from tests.pdf_helpers import assert_dejavu_embedded, drawn, flat, needs_poppler, pdf_text

pytestmark = pytest.mark.usefixtures("russian")
russian = pdf_helpers.russian


def network() -> ZoneNetwork:
    nodes = [
        NetworkNode("a", "Заречный литейный завод", "C", "Обрабатывающая промышленность", 0.0, 0.0, 1, 3),
        NetworkNode("b", "Заречный КЖБИ", "C", "Обрабатывающая промышленность", 1.0, 1.0, 1, 2),
        NetworkNode("c", "Водоканал-Сервис с очень длинным названием организации", "E", "Водоснабжение", 0.5, 0.5, 1, 1),
        NetworkNode("d", "Без сектора", "", "", 0.9, 0.1, None, 0),
    ]
    edges = [
        NetworkEdge("o1", "a", "b", "by_product", "pair", 90.0, "new"),
        NetworkEdge("o2", "a", "b", "by_product", "pair", 80.0, "new"),
        NetworkEdge("o3", "c", "a", "water", "pair", 70.0, "discussing"),
    ]
    return ZoneNetwork(nodes, edges, [], [], [])


def test_picture_keeps_the_layout_and_merges_parallel_edges() -> None:
    picture = picture_from_network(network(), labels={"c": "конфиденциальный участник"})
    assert [(n.key, n.x, n.y) for n in picture.nodes] == [("a", 0.0, 0.0), ("b", 1.0, 1.0), ("c", 0.5, 0.5),
                                                         ("d", 0.9, 0.1)]
    assert {(e.source, e.target, e.count) for e in picture.edges} == {("a", "b", 2), ("c", "a", 1)}
    assert picture.nodes[2].label == "конфиденциальный участник"

    d = network_drawing(picture, width=450, height=300, title="Сеть зоны")
    node_dots = drawn(d, Circle)  # one dot per resident (the legend has squares)
    assert len(node_dots) == 4
    a = max(node_dots, key=lambda c: c.r)  # the resident of highest degree is drawn largest
    others = sorted(node_dots, key=lambda c: (c.cx, -c.cy))
    # Screen coordinates: a (0, 0) is top left, b (1, 1) bottom right.
    assert a.cx == min(c.cx for c in node_dots) and a.cy == max(c.cy for c in node_dots)
    assert others[-1].cy < a.cy
    assert len(drawn(d, Polygon)) == 2  # two arrows: a→b (twice) and c→a
    texts = [s.text for s in drawn(d, String)]
    assert "Сеть зоны" in texts
    assert any(t.startswith("C — Обрабатывающая") for t in texts)
    assert any(t.startswith("E — Водоснабжение") for t in texts)
    assert _("sector unknown") in texts
    for s in drawn(d, String):
        assert s.fontName.startswith("DejaVu")


@needs_poppler
def test_picture_prints_cyrillic_names_in_dejavu(tmp_path: Path) -> None:
    out = tmp_path / "net.pdf"
    doc = SymdeskDocTemplate(out, title="net")
    doc.build_story([network_drawing(picture_from_network(network()), width=doc.frame_width(), height=400,
                                     title="Сеть зоны")])
    text = flat(pdf_text(out))
    assert "Заречный КЖБИ" in text and "Сеть зоны" in text and "Водоснабжение" in text
    assert_dejavu_embedded(out)


def test_empty_network_says_so() -> None:
    d = network_drawing(picture_from_network(ZoneNetwork([], [], [], [], [])), width=300, height=200)
    assert _("No data") in [s.text for s in drawn(d, String)]


def crowd(count: int) -> ZoneNetwork:
    """``count`` residents packed into a small corner of the layout, each trading with the next."""
    nodes = [NetworkNode(f"r{i:04d}", f"Резидент {i:04d}", "C", "Обрабатывающая промышленность",
                         0.5 + 0.001 * (i % 10), 0.5 + 0.001 * (i // 10), 1, count - i) for i in range(count)]
    nodes.append(NetworkNode("far", "Дальний", "E", "Водоснабжение", 0.0, 0.0, 1, 0))
    edges = [NetworkEdge(f"o{i}", f"r{i:04d}", f"r{i + 1:04d}", "by_product", "pair", 60.0, "new")
             for i in range(count - 1)]
    return ZoneNetwork(nodes, edges, [], [], [])


def test_a_crowded_picture_names_only_whom_it_has_room_for() -> None:
    """A register of thousands would print a blot of names; a small zone names every resident."""
    def names(n: int) -> set[str]:
        d = network_drawing(picture_from_network(crowd(n)), width=450, height=600, title="Сеть")
        return {s.text for s in drawn(d, String) if s.text.startswith(("Резидент", "Дальний"))}

    small = names(20)
    assert small == {f"Резидент {i:04d}" for i in range(20)} | {"Дальний"}
    large = names(200)
    assert "Резидент 0000" in large and "Дальний" in large  # the most connected, and one with room to spare
    assert len(large) < 40
