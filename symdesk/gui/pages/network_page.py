"""The zone as a network: residents as circles, opportunities as arrows between them.

Draws a ``services.network.ZoneNetwork`` (the layout is the service's, so the
screen and the printed report show the same picture): a resident is a circle
coloured by the NACE section of its main activity and sized by how many
opportunities it takes part in; an opportunity is an arrow from provider to
receiver coloured by its category and as thick as its score is high. Hovering
shows what an item is; a click on a resident or an arrow asks the window to
open it (``resident_requested``, ``opportunity_requested``). The side panel
lists the clusters, the hub residents and the missing links (the kinds of
resident the zone lacks to use its unmatched offers).

``show_network(net)`` draws any network, so tests and the report preview can
feed one; ``reload()`` asks the service for the open database's.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from symdesk.domain.codes import format_activity_code
from symdesk.domain.collector import collector_paused
from symdesk.domain.figures import NAMED_IN_A_PICTURE, SECTOR_COLOURS, UNKNOWN_SECTOR_COLOUR
from symdesk.domain.opportunity import MatchKind, OpportunityStatus
from symdesk.domain.stream import OpportunityKind
from symdesk.gui import task_runner
from symdesk.gui.dialogs import messages
from symdesk.gui.opportunity_labels import (
    category_label,
    match_kind_label,
    opportunity_status_label,
    per_year,
)
from symdesk.i18n import _, format_number, ngettext
from symdesk.services import network as network_service
from symdesk.services.errors import describe
from symdesk.services.network import NetworkEdge, NetworkNode, ZoneNetwork
from symdesk.storage.db import Database

# The layout's unit square is drawn on this many scene units (wider than high, like the screen).
SCENE_WIDTH, SCENE_HEIGHT = 1200.0, 850.0
MIN_RADIUS, MAX_RADIUS = 7.0, 26.0
ID_ROLE = Qt.ItemDataRole.UserRole + 1
CLICK_SLOP = 4  # pixels the mouse may move between press and release and still click
# A zone of fifty residents has hundreds of weak pairs; the picture starts with the likelier ones.
DEFAULT_MIN_SCORE = 50.0
EDGE_OPACITY = 0.55  # hundreds of arrows: the residents must stay visible through them

# NACE Rev. 2 sections (ОКЭД секции): one fixed colour each, so a sector keeps its colour across zones.
# Sector colours are shared with the report's network picture: screen and paper agree.


CATEGORY_COLOURS: dict[str, str] = {
    OpportunityKind.BY_PRODUCT.value: "#795548",
    OpportunityKind.WATER.value: "#1976d2",
    OpportunityKind.ENERGY.value: "#e53935",
    OpportunityKind.GHG.value: "#616161",
    OpportunityKind.INFRASTRUCTURE.value: "#8e24aa",
    OpportunityKind.SERVICE.value: "#00897b",
}
UNKNOWN_CATEGORY_COLOUR = "#9e9e9e"


def sector_colour(sector: str) -> QColor:
    return QColor(SECTOR_COLOURS.get(sector.upper(), UNKNOWN_SECTOR_COLOUR))


def category_colour(kind: str) -> QColor:
    return QColor(CATEGORY_COLOURS.get(kind, UNKNOWN_CATEGORY_COLOUR))


def node_radius(degree: int, max_degree: int) -> float:
    """Area grows with the degree; a resident with no opportunity is still visible."""
    if max_degree <= 0:
        return MIN_RADIUS
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(max(degree, 0) / max_degree)


def edge_width(score: float) -> float:
    return 0.5 + 2.5 * max(0.0, min(score, 100.0)) / 100.0


def _swatch(colour: QColor, *, line: bool = False) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if line:
        painter.setPen(QPen(colour, 3))
        painter.drawLine(1, 7, 13, 7)
    else:
        painter.setPen(QPen(colour.darker(130), 1))
        painter.setBrush(colour)
        painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pixmap)


# In a larger network only this many residents, the most connected, are named; the others
# show their name when the pointer rests on them.
NAMED_RESIDENTS = NAMED_IN_A_PICTURE
# Arrows drawn at most, the strongest that pass the filter: each costs a Qt item and its painting.
MAX_ARROWS = 2000


# ============================================================ scene items


class NodeItem(QGraphicsEllipseItem):
    """One resident; its name label is a child that keeps its size when zooming."""

    def __init__(self, node: NetworkNode, centre: QPointF, radius: float):
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.node = node
        self.radius = radius
        self.setPos(centre)
        colour = sector_colour(node.sector)
        self.setBrush(QBrush(colour))
        self._pen = QPen(colour.darker(150), 1.2)
        self._pen.setCosmetic(True)
        self.setPen(self._pen)
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = QGraphicsSimpleTextItem(node.name, self)
        font = QFont(self.label.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        self.label.setFont(font)
        self.label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.label.setPos(radius * 0.75, radius * 0.75)
        self.label.setBrush(QBrush(QColor("#303030")))
        self.setToolTip(self._tooltip())

    def _tooltip(self) -> str:
        n = self.node
        lines = [f"<b>{escape(n.name)}</b>"]
        if n.sector:
            lines.append(escape(f"{n.sector} — {n.sector_name}" if n.sector_name else n.sector))
        lines.append(escape(ngettext("{count} opportunity", "{count} opportunities", n.degree).format(count=n.degree)))
        if n.cluster is not None:
            lines.append(escape(_("Cluster {number}").format(number=n.cluster)))
        return "<br>".join(lines)

    def name_on_hover_only(self) -> None:
        """Hide the name until the pointer rests on the resident (a crowded network)."""
        self.label.setVisible(False)
        self.label.setZValue(3)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        pen = QPen(self._pen)
        pen.setWidthF(3)
        self.setPen(pen)
        self._named_by_hover = not self.label.isVisible()
        if self._named_by_hover:
            self.label.setVisible(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setPen(self._pen)
        if getattr(self, "_named_by_hover", False):
            self.label.setVisible(False)
            self._named_by_hover = False
        super().hoverLeaveEvent(event)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        # Qt's dashed selection rectangle hides small nodes; a dark ring says "selected" instead.
        selected = self.isSelected()
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, widget)
        if selected:
            ring = QPen(QColor("#212121"), 3)
            ring.setCosmetic(True)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self.rect().adjusted(-3, -3, 3, 3))


class EdgeItem(QGraphicsPathItem):
    """One opportunity: a (slightly bent, when several join the same residents) arrow."""

    ARROW = 9.0

    def __init__(self, edge: NetworkEdge, source: NodeItem, target: NodeItem, bend: float, names: tuple[str, str]):
        super().__init__()
        self.edge = edge
        self.colour = category_colour(edge.kind)
        self._pen = QPen(self.colour, edge_width(edge.score))
        self._pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if edge.status == OpportunityStatus.REJECTED.value:
            self._pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(self._pen)
        self.setOpacity(EDGE_OPACITY)
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._build_path(source, target, bend)
        self._names = names  # the tooltip is written when first hovered: a register draws 130,000 arrows

    def tooltip_text(self) -> str:
        """What hovering shows (written once, then kept as the item's tooltip)."""
        if not self.toolTip():
            self.setToolTip(self._tooltip(self._names))
        return self.toolTip()

    def _build_path(self, source: NodeItem, target: NodeItem, bend: float) -> None:
        a, b = source.pos(), target.pos()
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        control = QPointF((a.x() + b.x()) / 2 - uy * bend, (a.y() + b.y()) / 2 + ux * bend)
        # Start and end on the circles' rims, aimed at the control point.
        start = _towards(a, control, source.radius)
        end = _towards(b, control, target.radius + 1)
        path = QPainterPath(start)
        path.quadTo(control, end)
        # The arrowhead, along the curve's last tangent.
        tx, ty = end.x() - control.x(), end.y() - control.y()
        t = math.hypot(tx, ty) or 1.0
        tx, ty = tx / t, ty / t
        size = self.ARROW + self._pen.widthF()
        back = QPointF(end.x() - tx * size, end.y() - ty * size)
        left = QPointF(back.x() - ty * size * 0.45, back.y() + tx * size * 0.45)
        right = QPointF(back.x() + ty * size * 0.45, back.y() - tx * size * 0.45)
        path.addPolygon(QPolygonF([end, left, right, end]))
        self.setPath(path)
        self.middle = _quad_point(start, control, end, 0.5)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        super().paint(painter, option, widget)
        # Fill the arrowhead (the last subpath) in the edge's colour.
        polygons = self.path().toSubpathPolygons()
        if len(polygons) > 1:
            painter.setBrush(self.pen().color())
            painter.drawPolygon(polygons[-1])

    def shape(self) -> QPainterPath:
        """A wider band than the line itself, so a thin arrow can still be clicked."""
        stroker = QPainterPathStroker()
        stroker.setWidth(max(self._pen.widthF(), 8.0))
        return stroker.createStroke(self.path())

    def _tooltip(self, names: tuple[str, str]) -> str:
        e = self.edge
        return (
            f"<b>{escape(names[0])} → {escape(names[1])}</b><br>"
            + escape(f"{category_label(e.kind)} · {match_kind_label(e.match_kind)}")
            + "<br>"
            + escape(
                _("Score {score}, {status}").format(
                    score=format_number(e.score, 1), status=opportunity_status_label(e.status).lower()
                )
            )
        )

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.tooltip_text()  # before the scene asks for it
        pen = QPen(self._pen)
        pen.setWidthF(self._pen.widthF() + 2.5)
        self.setPen(pen)
        self.setOpacity(1.0)
        self.setZValue(1.5)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setPen(self._pen)
        self.setOpacity(EDGE_OPACITY)
        self.setZValue(1)
        super().hoverLeaveEvent(event)


def _towards(centre: QPointF, point: QPointF, distance: float) -> QPointF:
    dx, dy = point.x() - centre.x(), point.y() - centre.y()
    length = math.hypot(dx, dy) or 1.0
    return QPointF(centre.x() + dx / length * distance, centre.y() + dy / length * distance)


def _quad_point(a: QPointF, c: QPointF, b: QPointF, t: float) -> QPointF:
    u = 1 - t
    return QPointF(u * u * a.x() + 2 * u * t * c.x() + t * t * b.x(), u * u * a.y() + 2 * u * t * c.y() + t * t * b.y())


# ============================================================ the view


class NetworkView(QGraphicsView):
    """Wheel zooms around the mouse; dragging pans; a click (no drag) picks the item under the mouse."""

    item_clicked = Signal(object)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None):
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self._press: QPoint | None = None

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom(1.15**steps)
        event.accept()

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(0.05 / current, min(factor, 20.0 / current))  # keep the picture findable
        self.scale(factor, factor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        super().mouseReleaseEvent(event)
        position = event.position().toPoint()
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        if (position - press).manhattanLength() > CLICK_SLOP:
            return
        self.item_clicked.emit(self.pickable_at(position))

    def pickable_at(self, position: QPoint) -> NodeItem | EdgeItem | None:
        """The resident or opportunity under a viewport point; residents win over arrows."""
        found = [i.parentItem() if isinstance(i, QGraphicsSimpleTextItem) else i for i in self.items(position)]
        for item in found:
            if isinstance(item, NodeItem):
                return item
        for item in found:
            if isinstance(item, EdgeItem):
                return item
        return None


class NetworkPage(QWidget):
    """See the module docstring."""

    resident_requested = Signal(str)
    opportunity_requested = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: Callable[..., ZoneNetwork] | None = None):
        super().__init__(parent)
        self.db = db
        self.network: ZoneNetwork | None = None
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: dict[str, EdgeItem] = {}  # the arrows made so far (apply_filter makes them)
        self._arrows: dict[str, tuple[NetworkEdge, float]] = {}  # every arrow: its edge and bend
        self._ranked: list[str] = []  # their ids, strongest first
        self._load = load
        self._dirty = True
        self.reload_task: task_runner.Task | None = None
        self._build()

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        self.scene = QGraphicsScene(self)
        self.scene.setBackgroundBrush(QColor("#fbfbfb"))
        self.view = NetworkView(self.scene)
        self.view.item_clicked.connect(self._clicked)
        self.min_score_spin = QDoubleSpinBox()
        self.min_score_spin.setRange(0.0, 100.0)
        self.min_score_spin.setDecimals(0)
        self.min_score_spin.setSingleStep(5.0)
        self.min_score_spin.setValue(DEFAULT_MIN_SCORE)
        self.min_score_spin.valueChanged.connect(lambda _v: self.apply_filter())
        self.rejected_check = QCheckBox(_("Show rejected"))
        self.rejected_check.toggled.connect(lambda _c: self.apply_filter())
        self.suggestions_check = QCheckBox(_("Include suggested users"))
        self.suggestions_check.setToolTip(
            _("Also draw residents whose activity is a known user of an offer, though they did not declare the need")
        )
        self.suggestions_check.toggled.connect(lambda _c: self.reload())
        self.fit_button = QPushButton(_("Fit"))
        self.fit_button.setToolTip(_("Show the whole network"))
        self.fit_button.clicked.connect(self.fit)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.summary_label = QLabel()

        self.clusters_list = QListWidget()
        self.clusters_list.itemClicked.connect(self._cluster_chosen)
        self.hubs_list = QListWidget()
        self.hubs_list.itemClicked.connect(lambda item: self.focus_resident(str(item.data(ID_ROLE))))
        self.hubs_list.itemDoubleClicked.connect(lambda item: self.resident_requested.emit(str(item.data(ID_ROLE))))
        self.missing_list = QListWidget()
        self.missing_list.setWordWrap(True)
        self.legend_list = QListWidget()
        self.legend_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.legend_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        for title, widget, stretch in (
            (_("Clusters"), self.clusters_list, 2),
            (_("Hub residents"), self.hubs_list, 2),
            (_("Missing links: residents to attract"), self.missing_list, 3),
            (_("Legend"), self.legend_list, 3),
        ):
            heading = QLabel(f"<b>{escape(title)}</b>")
            heading.setWordWrap(True)
            side_layout.addWidget(heading)
            side_layout.addWidget(widget, stretch)
        self.missing_list.setToolTip(
            _("Activity classes no resident of the zone has, that would use the most offers nobody takes yet")
        )

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        side.setMinimumWidth(260)
        side.setMaximumWidth(420)  # long class names wrap instead of taking the picture's room
        for widget in (self.clusters_list, self.hubs_list, self.missing_list, self.legend_list):
            widget.setWordWrap(True)
            widget.setTextElideMode(Qt.TextElideMode.ElideNone)
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._sized = False

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Score at least:")))
        top.addWidget(self.min_score_spin)
        top.addSpacing(8)
        top.addWidget(self.rejected_check)
        top.addWidget(self.suggestions_check)
        top.addStretch(1)
        top.addWidget(self.fit_button)
        top.addWidget(self.refresh_button)
        hint = QLabel(_("Wheel to zoom, drag to move; click a resident or an arrow to open it."))
        hint.setStyleSheet("color: #6b6b6b")
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.summary_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

    # ------------------------------------------------------------ data

    def set_database(self, db: Database) -> None:
        self.db = db
        self.mark_dirty()

    def mark_dirty(self) -> None:
        """The opportunities changed: redraw when next shown (or now, if shown)."""
        self._dirty = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            side = min(380, max(280, self.width() // 4))
            self.splitter.setSizes([max(self.width() - side, 300), side])
        if self._dirty:
            self.reload()
        else:
            self.fit()

    def reload(self) -> task_runner.Task | None:
        """Ask the service for the open database's network in the background, then draw it.

        The analysis (clusters, betweenness, layout) takes a second or more on a
        real zone, so it runs on the task runner; a reload asked for while one
        is running supersedes it.
        """
        self._dirty = False
        load = self._load or getattr(network_service, "zone_network", None)
        if load is None:  # the analysis is not part of this build
            self.show_network(ZoneNetwork([], [], [], [], []))
            self.summary_label.setText(_("Network analysis is not available in this version."))
            return None
        # Declared pairs by default (what residents said); suggested receivers on request.
        kinds = {"match_kinds": (MatchKind.PAIR.value, MatchKind.RECEIVER.value)} if self.suggestions_check.isChecked() else {}
        if self.reload_task is not None and self.reload_task.is_running:
            self.reload_task.cancel()
        db = self.db
        task = task_runner.run_task(
            self,
            _("Analysing the network"),
            lambda _progress, _cancelled: load(db, **kinds),
            lambda net: self._loaded(task, net),
            lambda exc: self._load_failed(task, exc),
        )
        self.reload_task = task
        return task

    def _loaded(self, task: task_runner.Task, net: ZoneNetwork) -> None:
        if task is self.reload_task:  # a superseded run's picture is dropped
            self.show_network(net)

    def _load_failed(self, task: task_runner.Task, exc: BaseException) -> None:
        if task is self.reload_task:
            messages.show_error(self, describe(exc))

    @collector_paused()  # a register's view is a few hundred thousand Qt wrappers, none in a cycle
    def show_network(self, net: ZoneNetwork) -> None:
        """Draw ``net`` from scratch: nodes, edges, side lists and legend."""
        self.network = net
        self.scene.clear()
        self.node_items, self.edge_items = {}, {}
        max_degree = max((n.degree for n in net.nodes), default=0)
        margin = MAX_RADIUS * 2
        for n in net.nodes:
            centre = QPointF(margin + n.x * SCENE_WIDTH, margin + n.y * SCENE_HEIGHT)
            item = NodeItem(n, centre, node_radius(n.degree, max_degree))
            self.scene.addItem(item)
            self.node_items[n.resident_id] = item
        if len(net.nodes) > NAMED_RESIDENTS:  # a register's thousands of names would be one black smear
            for n in sorted(net.nodes, key=lambda n: (-n.degree, n.resident_id))[NAMED_RESIDENTS:]:
                self.node_items[n.resident_id].name_on_hover_only()
        parallel: dict[frozenset[str], list[NetworkEdge]] = defaultdict(list)
        for e in net.edges:
            if e.source in self.node_items and e.target in self.node_items and e.source != e.target:
                parallel[frozenset((e.source, e.target))].append(e)
        # Each arrow's place; the items are made when first shown (apply_filter).
        self._arrows = {}
        for group in parallel.values():
            group.sort(key=lambda e: (-e.score, e.opportunity_id))
            for i, e in enumerate(group):
                bend = 22.0 * (i - (len(group) - 1) / 2) if len(group) > 1 else 0.0
                if e.source > e.target:  # the same side whichever way the arrow points
                    bend = -bend
                self._arrows[e.opportunity_id] = (e, bend)
        self._ranked = sorted(self._arrows, key=lambda key: (-self._arrows[key][0].score, key))
        if len(self._ranked) <= MAX_ARROWS:  # a zone's arrows are all made at once, hidden or not
            for key in reversed(self._ranked):  # the strongest painted last, on top
                self._make_arrow(key)
        self.scene.setSceneRect(QRectF(0, 0, SCENE_WIDTH + 2 * margin, SCENE_HEIGHT + 2 * margin))
        self._fill_side(net)
        self.apply_filter()
        self.fit()

    def apply_filter(self) -> None:
        """Show the arrows at or above the minimum score (rejected ones only when asked for), at most
        ``MAX_ARROWS`` of them, the strongest: a register's hundred thousand arrows took minutes to draw
        and were one smear; raising the minimum score brings the weaker ones in."""
        minimum = self.min_score_spin.value()
        show_rejected = self.rejected_check.isChecked()
        wanted = [
            key for key in self._ranked
            if self._arrows[key][0].score >= minimum
            and (show_rejected or self._arrows[key][0].status != OpportunityStatus.REJECTED.value)
        ]
        drawn = set(wanted[:MAX_ARROWS])
        for key in reversed(wanted[:MAX_ARROWS]):  # the strongest painted last, on top
            if key not in self.edge_items:
                self._make_arrow(key)
        for key, item in self.edge_items.items():
            item.setVisible(key in drawn)
        nodes, total = len(self.node_items), len(self._arrows)
        text = (
            ngettext("{count} resident", "{count} residents", nodes).format(count=nodes)
            + " · "
            + ngettext("{shown} of {total} opportunity shown", "{shown} of {total} opportunities shown", total).format(
                shown=len(drawn), total=total
            )
        )
        if len(wanted) > len(drawn):
            text += " · " + _("the strongest: raise the minimum score to see the rest")
        self.summary_label.setText(text)

    def _make_arrow(self, key: str) -> EdgeItem:
        e, bend = self._arrows[key]
        source, target = self.node_items[e.source], self.node_items[e.target]
        item = EdgeItem(e, source, target, bend, (source.node.name, target.node.name))
        self.scene.addItem(item)
        self.edge_items[key] = item
        return item

    def visible_edges(self) -> list[str]:
        return [key for key, item in self.edge_items.items() if item.isVisible()]

    def fit(self) -> None:
        rect = self.scene.itemsBoundingRect()
        if rect.isEmpty():
            return
        self.view.fitInView(rect.adjusted(-20, -20, 60, 20), Qt.AspectRatioMode.KeepAspectRatio)

    # ------------------------------------------------------------ side panel

    def _fill_side(self, net: ZoneNetwork) -> None:
        names = {n.resident_id: n.name for n in net.nodes}
        self.clusters_list.clear()
        for c in net.clusters:
            text = _("Cluster {number}: {residents}, {opportunities}").format(
                number=c.number,
                residents=ngettext("{count} resident", "{count} residents", len(c.resident_ids)).format(count=len(c.resident_ids)),
                opportunities=ngettext("{count} opportunity", "{count} opportunities", len(c.opportunity_ids)).format(
                    count=len(c.opportunity_ids)
                ),
            )
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, c.number)
            item.setToolTip(", ".join(names.get(r, "") for r in c.resident_ids))
            self.clusters_list.addItem(item)
        self.hubs_list.clear()
        for h in net.hubs:
            item = QListWidgetItem(
                _("{name} — {degree} links").format(name=h.name or names.get(h.resident_id, ""), degree=h.degree)
            )
            item.setData(ID_ROLE, h.resident_id)
            item.setToolTip(_("Betweenness {value}").format(value=format_number(h.betweenness, 3)))
            self.hubs_list.addItem(item)
        self.missing_list.clear()
        for m in net.missing_links:
            offers = ngettext(
                "would use {count} unmatched offer", "would use {count} unmatched offers", len(m.offer_ids)
            ).format(count=len(m.offer_ids))
            if m.tonnes_per_year:
                offers += f" ({per_year(m.tonnes_per_year, 't')})"
            item = QListWidgetItem(f"{format_activity_code(m.activity_class)} {m.class_name} — {offers}")
            item.setData(ID_ROLE, m.activity_class)
            tip = "\n".join(m.offer_names)
            if m.precedents:
                tip += "\n" + ngettext("{count} precedent", "{count} precedents", m.precedents).format(count=m.precedents)
            item.setToolTip(tip)
            self.missing_list.addItem(item)
        for widget, empty in (
            (self.clusters_list, _("No clusters yet: run «Find opportunities».")),
            (self.hubs_list, _("No hubs yet.")),
            (self.missing_list, _("None: every offer has a taker, or nothing is known.")),
        ):
            if widget.count() == 0:
                item = QListWidgetItem(empty)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                widget.addItem(item)
        self._fill_legend(net)

    def _fill_legend(self, net: ZoneNetwork) -> None:
        self.legend_list.clear()
        sectors: dict[str, str] = {}
        for n in net.nodes:
            sectors.setdefault(n.sector, n.sector_name)
        for sector in sorted(sectors, key=lambda s: (s == "", s)):
            name = sectors[sector]
            if name.isupper():  # the classifier writes section names in capitals
                name = name[:1] + name[1:].lower()
            text = f"{sector} — {name}" if sector and name else sector or _("Activity unknown")
            item = QListWidgetItem(_swatch(sector_colour(sector)), text)
            item.setToolTip(text)
            self.legend_list.addItem(item)
        for kind in OpportunityKind:
            if any(e.kind == kind.value for e in net.edges):
                self.legend_list.addItem(QListWidgetItem(_swatch(category_colour(kind.value), line=True), category_label(kind.value)))

    def legend_texts(self) -> list[str]:
        return [self.legend_list.item(i).text() for i in range(self.legend_list.count())]

    # ------------------------------------------------------------ interaction

    def _clicked(self, item: Any) -> None:
        if isinstance(item, NodeItem):
            self.scene.clearSelection()
            item.setSelected(True)
            self.resident_requested.emit(item.node.resident_id)
        elif isinstance(item, EdgeItem):
            self.opportunity_requested.emit(item.edge.opportunity_id)

    def focus_resident(self, resident_id: str) -> bool:
        item = self.node_items.get(resident_id)
        if item is None:
            return False
        self.scene.clearSelection()
        item.setSelected(True)
        self.view.centerOn(item)
        return True

    def _cluster_chosen(self, item: QListWidgetItem) -> None:
        number = item.data(ID_ROLE)
        if self.network is None or number is None:
            return
        self.scene.clearSelection()
        for c in self.network.clusters:
            if c.number == number:
                for resident_id in c.resident_ids:
                    node = self.node_items.get(resident_id)
                    if node is not None:
                        node.setSelected(True)
