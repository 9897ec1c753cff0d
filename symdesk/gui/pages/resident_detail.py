"""The detail pane of the residents page: one resident, its offers and needs.

Rendered as simple HTML in a read-only ``QTextBrowser``: it wraps long
Russian names and addresses well, and the user can select and copy any of it
(a phone number, an УНП) into a letter.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from symdesk.classifiers.reference import describe_activity
from symdesk.domain.codes import format_activity_code, format_ewc_code
from symdesk.domain.stream import CodeSystem, Stream
from symdesk.domain.units import UNITS
from symdesk.gui.labels import (
    MUTED,
    coordinate_text,
    period_label,
    quantity_text,
    status_label,
    unit_label,
)
from symdesk.i18n import _, current_language
from symdesk.services.residents import ResidentDetails


def stream_amount(stream: Stream) -> str:
    """«420 т в год», «2 Гкал/ч» (a capacity has no period), or empty."""
    if stream.quantity is None:
        return ""
    text = f"{quantity_text(stream.quantity)} {unit_label(stream.unit)}".strip()
    unit = UNITS.get(stream.unit)
    if stream.period and not (unit and unit.is_rate):
        text += f" {period_label(stream.period)}"
    return text


def stream_code(stream: Stream) -> str:
    if not stream.code:
        return ""
    if stream.code_system is CodeSystem.EWC or len(stream.code) == 6:
        return format_ewc_code(stream.code)
    return stream.code


def _stream_items(streams: list[Stream]) -> str:
    if not streams:
        none_recorded = escape(_("None recorded"))
        return f"<p style='color:{MUTED}'>{none_recorded}</p>"
    items = []
    for s in streams:
        parts = [escape(s.name)]
        if code := stream_code(s):
            parts.append(f"<span style='color:{MUTED}'>[{escape(code)}]</span>")
        if amount := stream_amount(s):
            parts.append(f"— {escape(amount)}")
        items.append("<li>" + " ".join(parts) + "</li>")
    return "<ul style='margin-left:-20px'>" + "".join(items) + "</ul>"


def details_html(details: ResidentDetails) -> str:
    """The whole pane as HTML; every value from the database is escaped."""
    r = details.resident
    language = current_language()
    codes = "<br>".join(
        f"<b>{escape(format_activity_code(c))}</b> {escape(describe_activity(c, language))}"
        for c in r.activity_codes
    )
    coordinates = (
        f"{coordinate_text(r.latitude)}; {coordinate_text(r.longitude)}"
        if r.latitude is not None and r.longitude is not None
        else ""
    )
    fields: list[tuple[str, str]] = [
        (_("UNP"), escape(r.unp)),
        (_("OKED codes"), codes),
        (_("Site"), escape(details.site_name)),
        (_("Address"), escape(r.address)),
        (_("Coordinates"), escape(coordinates)),
        (_("Contact person"), escape(r.contact_person)),
        (_("Phone"), escape(r.phone)),
        (_("E-mail"), escape(r.email)),
        (_("Staff"), escape(str(r.staff_count)) if r.staff_count is not None else ""),
        (_("Main products"), escape(r.main_products)),
        (_("Status"), escape(status_label(r.status))),
        (_("Notes"), escape(r.notes).replace("\n", "<br>")),
    ]
    rows = "".join(
        f"<tr><td style='color:{MUTED}; padding-right:10px' valign='top'>{escape(label)}</td>"
        f"<td valign='top'>{value}</td></tr>"
        for label, value in fields
        if value
    )
    subtitle = (
        f"<p style='color:{MUTED}; margin-top:0'>{escape(r.short_name)}</p>"
        if r.short_name and r.short_name != r.name
        else ""
    )
    offers_title = _("Offers ({count})").format(count=len(details.offers))
    needs_title = _("Needs ({count})").format(count=len(details.needs))
    return (
        f"<h3 style='margin-bottom:2px'>{escape(r.name)}</h3>{subtitle}"
        f"<table cellspacing='0' cellpadding='2'>{rows}</table>"
        f"<h4>{escape(offers_title)}</h4>{_stream_items(details.offers)}"
        f"<h4>{escape(needs_title)}</h4>{_stream_items(details.needs)}"
    )


class ResidentDetailView(QTextBrowser):
    """Read-only view of one resident; empty text invites the user to pick one."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.show_nothing()

    def show_details(self, details: ResidentDetails) -> None:
        self.setHtml(details_html(details))

    def show_nothing(self) -> None:
        prompt = escape(_("Select a resident to see the details."))
        self.setHtml(f"<p style='color:{MUTED}'>{prompt}</p>")

    def show_message(self, text: str) -> None:
        self.setHtml(f"<p>{escape(text)}</p>")
