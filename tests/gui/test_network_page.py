"""The network view: one item per resident and opportunity, filters, clicks, the side panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from symdesk.gui.main_window import NETWORK, OPPORTUNITIES, RESIDENTS
from symdesk.gui.pages.network_page import EdgeItem, NetworkPage, NodeItem
from symdesk.services import matching as matching_service
from symdesk.services import network as network_service
from symdesk.services import residents as resident_service
from symdesk.services.network import (
    Cluster,
    Hub,
    MissingLink,
    NetworkEdge,
    NetworkNode,
    ZoneNetwork,
)


def small_network(ids: list[str] | None = None) -> ZoneNetwork:
    """Four residents far apart; two arrows between A and B (both ways), one A→C, one D→C."""
    a, b, c, d = ids or ["res-a", "res-b", "res-c", "res-d"]
    nodes = [
        NetworkNode(a, "Лесопильный завод", "C", "Обрабатывающая промышленность", 0.05, 0.1, 1, 3),
        NetworkNode(b, "Тёплый дом", "D", "Снабжение электроэнергией, газом, паром", 0.95, 0.1, 1, 2),
        NetworkNode(c, "Агро-Заречье", "A", "Сельское хозяйство", 0.5, 0.95, 1, 2),
        NetworkNode(d, "ЭкоПласт", "", "", 0.05, 0.9, None, 1),
    ]
    edges = [
        NetworkEdge("opp-1", a, b, "by_product", "pair", 90.0, "new"),
        NetworkEdge("opp-2", b, a, "energy", "pair", 40.0, "discussing"),
        NetworkEdge("opp-3", a, c, "by_product", "receiver", 65.0, "new"),
        NetworkEdge("opp-4", d, c, "water", "pair", 20.0, "rejected"),
    ]
    clusters = [Cluster(1, [a, b, c], ["opp-1", "opp-2", "opp-3"], {"landfill_diverted_t": 100.0})]
    hubs = [Hub(a, "Лесопильный завод", 3, 0.5)]
    missing = [MissingLink("2016", "Производство пластмасс в первичных формах", 7.5, ["s1", "s2"],
                           ["Отходы ПЭТ", "Плёнка ПВД"], 120.0, 4)]
    return ZoneNetwork(nodes, edges, clusters, hubs, missing)


@pytest.fixture
def npage(qtbot, empty_db):
    page = NetworkPage(empty_db, load=lambda _db: small_network())
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    qtbot.waitExposed(page)
    assert page.reload_task is not None and page.reload_task.wait()
    page.min_score_spin.setValue(0)  # every arrow of the small network
    page.show_network(small_network())
    return page


def test_one_item_per_node_and_edge(npage):
    net = npage.network
    assert set(npage.node_items) == {n.resident_id for n in net.nodes}
    assert set(npage.edge_items) == {e.opportunity_id for e in net.edges}
    items = npage.scene.items()
    assert sum(isinstance(i, NodeItem) for i in items) == len(net.nodes)
    assert sum(isinstance(i, EdgeItem) for i in items) == len(net.edges)
    # Size by degree, colour by sector, width by score.
    a, d = npage.node_items["res-a"], npage.node_items["res-d"]
    assert a.radius > d.radius
    assert a.brush().color() != npage.node_items["res-b"].brush().color()
    assert npage.edge_items["opp-1"].pen().widthF() > npage.edge_items["opp-2"].pen().widthF()
    from PySide6.QtWidgets import QGraphicsSceneHoverEvent

    hovered = npage.edge_items["opp-2"]
    assert hovered.toolTip() == ""  # written when first hovered, not for each of a register's arrows
    hovered.hoverEnterEvent(QGraphicsSceneHoverEvent())
    assert "Тёплый дом → Лесопильный завод" in hovered.toolTip()
    assert "Лесопильный завод → Тёплый дом" in npage.edge_items["opp-1"].tooltip_text()
    # The two arrows between A and B do not overlap.
    assert npage.edge_items["opp-1"].middle != npage.edge_items["opp-2"].middle


def test_filter_by_minimum_score_and_rejected(npage):
    assert sorted(npage.visible_edges()) == ["opp-1", "opp-2", "opp-3"]  # rejected hidden at first
    npage.rejected_check.setChecked(True)
    assert sorted(npage.visible_edges()) == ["opp-1", "opp-2", "opp-3", "opp-4"]
    npage.min_score_spin.setValue(50)
    assert sorted(npage.visible_edges()) == ["opp-1", "opp-3"]
    assert "2 of 4 opportunities shown" in npage.summary_label.text()


def test_clicking_an_edge_emits_its_opportunity_and_a_node_its_resident(qtbot, npage):
    view = npage.view
    edge = npage.edge_items["opp-3"]
    with qtbot.waitSignal(npage.opportunity_requested, timeout=2000) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(edge.middle))
    assert signal.args == ["opp-3"]
    node = npage.node_items["res-b"]
    with qtbot.waitSignal(npage.resident_requested, timeout=2000) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(node.pos()))
    assert signal.args == ["res-b"]
    assert node.isSelected()


def test_zoom_and_fit(npage):
    before = npage.view.transform().m11()
    npage.view.zoom(2.0)
    assert npage.view.transform().m11() == pytest.approx(before * 2.0)
    npage.fit()
    assert npage.view.transform().m11() == pytest.approx(before, rel=0.05)


def test_side_panel_lists_clusters_hubs_missing_links_and_legend(npage):
    assert npage.clusters_list.count() == 1
    assert npage.clusters_list.item(0).text() == "Cluster 1: 3 residents, 3 opportunities"
    assert npage.hubs_list.item(0).text() == "Лесопильный завод — 3 links"
    missing = npage.missing_list.item(0).text()
    assert missing.startswith("20.16 Производство пластмасс") and "would use 2 unmatched offers" in missing
    assert "Отходы ПЭТ" in npage.missing_list.item(0).toolTip()
    legend = npage.legend_texts()
    assert "C — Обрабатывающая промышленность" in legend and "Activity unknown" in legend
    assert {"By-products and wastes", "Energy", "Water"} <= set(legend)
    npage.clusters_list.itemClicked.emit(npage.clusters_list.item(0))
    assert {i.node.resident_id for i in npage.scene.selectedItems()} == {"res-a", "res-b", "res-c"}


def test_window_opens_what_the_network_asks_for(window, demo_db):
    matching_service.run_matching(demo_db)
    pair = next(o for o in matching_service.list_opportunities(demo_db) if o.provider_id and o.receiver_id)
    window.nav.setCurrentRow(NETWORK)
    window.network_page.opportunity_requested.emit(pair.id)
    assert window.nav.currentRow() == OPPORTUNITIES
    assert window.opportunities_page.selected().id == pair.id
    window.network_page.resident_requested.emit(pair.provider_id)
    assert window.nav.currentRow() == RESIDENTS
    assert window.residents_page.selected_id() == pair.provider_id


@pytest.mark.skipif(not hasattr(network_service, "zone_network"), reason="services.network.zone_network not written yet")
def test_draws_the_zone_of_the_open_database(window, demo_db):
    matching_service.run_matching(demo_db)
    window.nav.setCurrentRow(NETWORK)
    page = window.network_page
    assert page.reload_task is not None and page.reload_task.wait(60_000) and page.reload_task.state == "done"
    net = network_service.zone_network(demo_db)
    assert len(page.node_items) == len(net.nodes) > 0
    assert len(page.edge_items) == len({e.opportunity_id for e in net.edges if e.source != e.target})
    live = {r.id for r in resident_service.list_residents(demo_db)}
    assert set(page.node_items) <= live


def test_suggested_users_widen_the_network(qtbot, empty_db):
    asked: list[dict] = []

    def load(_db, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs)
        return small_network()

    page = NetworkPage(empty_db, load=load)
    qtbot.addWidget(page)
    page.show()
    assert page.reload_task.wait()
    assert asked == [{}]  # declared pairs: the service's default
    page.suggestions_check.setChecked(True)
    assert page.reload_task.wait() and page.reload_task.state == "done"
    assert asked[-1] == {"match_kinds": ("pair", "receiver")}
    assert len(page.node_items) == 4


def test_a_failing_analysis_is_reported(qtbot, empty_db, dialogs):
    from symdesk.services.errors import UserError

    def load(_db, **_kwargs):  # type: ignore[no-untyped-def]
        raise UserError("No opportunity with id «{key}»", key="x")

    page = NetworkPage(empty_db, load=load)
    qtbot.addWidget(page)
    page.show()
    assert page.reload_task.wait() and page.reload_task.state == "failed"
    assert dialogs.errors == ["No opportunity with id «x»"]


def test_a_crowded_network_names_its_most_connected_and_the_rest_on_hover(npage):
    from PySide6.QtWidgets import QGraphicsSceneHoverEvent

    from symdesk.gui.pages.network_page import NAMED_RESIDENTS

    count = NAMED_RESIDENTS + 40
    nodes = [NetworkNode(f"r{i:03d}", f"Резидент {i:03d}", "C", "Обрабатывающая", (i % 10) / 10, (i // 10) / 10,
                         1, i) for i in range(count)]
    npage.show_network(ZoneNetwork(nodes, [], [], [], []))
    named = {key for key, item in npage.node_items.items() if item.label.isVisible()}
    assert named == {f"r{i:03d}" for i in range(count - NAMED_RESIDENTS, count)}  # the highest degrees
    quiet = npage.node_items["r000"]
    quiet.hoverEnterEvent(QGraphicsSceneHoverEvent())
    assert quiet.label.isVisible()
    quiet.hoverLeaveEvent(QGraphicsSceneHoverEvent())
    assert not quiet.label.isVisible()
    loud = npage.node_items[f"r{count - 1:03d}"]
    loud.hoverEnterEvent(QGraphicsSceneHoverEvent())
    loud.hoverLeaveEvent(QGraphicsSceneHoverEvent())
    assert loud.label.isVisible()  # a name always shown stays shown
    npage.show_network(small_network())
    assert all(item.label.isVisible() for item in npage.node_items.values())  # a small zone names everyone


def test_a_crowded_network_draws_only_its_strongest_arrows(npage, monkeypatch):
    """Past MAX_ARROWS, only the strongest arrows that pass the filter are drawn (a register's hundred
    thousand took minutes and were one smear), the summary says so, and raising the minimum score
    brings weaker ones in; clicking a drawn arrow still opens its opportunity."""
    from symdesk.gui.pages import network_page

    monkeypatch.setattr(network_page, "MAX_ARROWS", 5)
    nodes = [NetworkNode(f"r{i}", f"Резидент {i}", "C", "Обрабатывающая", i / 4, (i % 2) / 2, 1, 3) for i in range(4)]
    edges = [NetworkEdge(f"e{k:02d}", f"r{k % 4}", f"r{(k + 1 + k % 3) % 4}", "by_product", "pair", 30.0 + 3 * k,
                         "rejected" if k == 19 else "new") for k in range(20)]
    npage.min_score_spin.setValue(0)
    npage.show_network(ZoneNetwork(nodes, edges, [], [], []))
    assert sorted(npage.visible_edges()) == ["e14", "e15", "e16", "e17", "e18"]  # e19 is rejected
    assert len(npage.edge_items) == 5  # the rest not even made
    text = npage.summary_label.text()
    assert "5 of 20 opportunities shown" in text and "raise the minimum score" in text
    npage.rejected_check.setChecked(True)
    assert sorted(npage.visible_edges()) == ["e15", "e16", "e17", "e18", "e19"]
    npage.rejected_check.setChecked(False)
    npage.min_score_spin.setValue(80)  # e17 (81) and e18 (84) pass
    assert sorted(npage.visible_edges()) == ["e17", "e18"]
    assert "raise the minimum score" not in npage.summary_label.text()
    npage.min_score_spin.setValue(0)
    assert sorted(npage.visible_edges()) == ["e14", "e15", "e16", "e17", "e18"]
