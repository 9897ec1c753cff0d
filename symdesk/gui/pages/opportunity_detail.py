"""The details pane of the opportunities page: why it ranks where it does, and what it is worth.

Like the residents' pane, plain HTML in a read-only ``QTextBrowser`` that
wraps long Russian names and lets the user copy any figure into a letter.
Everything the pane needs beyond the opportunity itself (names, streams,
precedents) is gathered by the page into a ``DetailContext``, so the pane
does no database work and any kind of opportunity renders, including those
with no provider or receiver (pooling, chains): a missing party is «—».
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget

from symdesk.domain.labels import label
from symdesk.domain.opportunity import Opportunity, OpportunityStatus
from symdesk.domain.stream import Direction
from symdesk.gui.labels import MUTED, capitalised
from symdesk.gui.opportunity_labels import (
    benefit_rows,
    category_label,
    component_label,
    match_kind_label,
    opportunity_status_label,
)
from symdesk.i18n import _, current_language, format_number
from symdesk.matching.knowledge import Precedent
from symdesk.services import knowledge as knowledge_service
from symdesk.services.confidentiality import party_name

NO_PARTY = "—"
MAX_PRECEDENTS = 10


@dataclass
class DetailContext:
    """What the pane shows besides the opportunity; empty mappings are fine."""

    names: Mapping[str, str] = field(default_factory=dict)  # resident id → full name
    streams: Mapping[str, str] = field(default_factory=dict)  # stream id → its name
    stream_owner: Mapping[str, str] = field(default_factory=dict)  # stream id → resident id
    opportunities: Mapping[str, str] = field(default_factory=dict)  # opportunity id → title
    precedents: Sequence[Precedent] = ()
    rules: Sequence[str] = ()  # reasoning of the rules of thumb behind the match


# Reason parameters that hold material class keys (``wood_waste, bark``), shown by name.
MATERIAL_PARAMS = frozenset({"classes", "material_class"})


def _readable(params: Mapping[str, Any]) -> dict[str, Any]:
    shown = dict(params)
    for key in MATERIAL_PARAMS & shown.keys():
        value = shown[key]
        if isinstance(value, str):
            shown[key] = ", ".join(knowledge_service.material_name(k.strip()) for k in value.split(",") if k.strip())
    return shown


def message_text(message: Any, params: Any = None) -> str:
    """A stored (msgid, params) pair, translated; a stored plain string as it is."""
    if not message:
        return ""
    text = _(str(message))
    if isinstance(params, Mapping) and params:
        try:
            return text.format(**_readable(params))
        except (KeyError, IndexError, ValueError):
            return text
    return text


def note_text(note: Any) -> str:
    """A component's note: ``[msgid, params]`` from JSON, a dict, a string, or nothing."""
    if isinstance(note, Mapping):
        return message_text(note.get("message"), note.get("params"))
    if isinstance(note, list | tuple) and note:
        return message_text(note[0], note[1] if len(note) > 1 else None)
    return message_text(note)


def heading(text: str) -> str:
    return f"<h4>{escape(text)}</h4>"


def muted(text: str) -> str:
    return f"<p style='color:{MUTED}'>{escape(text)}</p>"


def _row(label: str, value_html: str) -> str:
    return (
        f"<tr><td style='color:{MUTED}; padding-right:10px' valign='top'>{escape(label)}</td>"
        f"<td valign='top'>{value_html}</td></tr>"
    )


def _party(o: Opportunity, resident_id: str | None, stream_id: str | None, ctx: DetailContext) -> str:
    name = party_name(o, resident_id, ctx.names, for_residents=False) or NO_PARTY
    text = escape(name)
    stream = ctx.streams.get(stream_id or "")
    if stream:
        text += f" <span style='color:{MUTED}'>— {escape(stream)}</span>"
    return text


def member_text(member: str, o: Opportunity, ctx: DetailContext) -> str:
    """A member of a pooling or chain opportunity: a resident, a stream or another opportunity."""
    if member in ctx.names:
        return party_name(o, member, ctx.names, for_residents=False)
    if member in ctx.streams:
        owner = ctx.stream_owner.get(member)
        who = party_name(o, owner, ctx.names, for_residents=False) if owner else ""
        return f"{ctx.streams[member]} ({who})" if who else ctx.streams[member]
    if member in ctx.opportunities:
        return ctx.opportunities[member]
    if member in {d.value for d in Direction}:  # the side of a company-type guess
        return capitalised(_(label(Direction(member))))
    material = knowledge_service.material_name(member)  # a material class key
    return material if material != member else NO_PARTY


def _components_table(components: Sequence[Mapping[str, Any]]) -> str:
    """Component, value, weight, points; a component's note on its own line below it.

    A note in a column of its own squeezed the others until Qt broke words
    in the middle; under the row it has the pane's whole width.
    """
    nowrap = "white-space:nowrap; padding:1px 6px"
    head = "".join(
        f"<th align='{align}' style='{nowrap}'>{escape(t)}</th>"
        for t, align in (
            (_("Component"), "left"),
            (_("Value"), "right"),
            (_("Weight"), "right"),
            (_("Points"), "right"),
        )
    )
    rows = []
    for c in components:
        value, weight, points = (c.get(k) for k in ("value", "weight", "contribution"))
        cells = [
            escape(component_label(str(c.get("component", "")))),
            escape(format_number(value, 2)) if isinstance(value, int | float) else "",
            escape(format_number(weight, 2)) if isinstance(weight, int | float) else "",
            escape(format_number(points, 1)) if isinstance(points, int | float) else "",
        ]
        aligns = ("left", "right", "right", "right")
        rows.append(
            "<tr>"
            + "".join(f"<td align='{a}' style='{nowrap}'>{v}</td>" for a, v in zip(aligns, cells, strict=True))
            + "</tr>"
        )
        if note := note_text(c.get("note")):
            rows.append(
                f"<tr><td colspan='4' style='padding:0 6px 3px 18px; color:{MUTED}'>{escape(note)}</td></tr>"
            )
    return f"<table cellspacing='0' cellpadding='0'><tr>{head}</tr>{''.join(rows)}</table>"


def _precedent_item(p: Precedent) -> str:
    where = ", ".join(x for x in (p.country_in(current_language()), p.year) if x)
    head = f"<b>{escape(p.material_in(current_language()))}</b>" + (f" ({escape(where)})" if where else "")
    codes = _("activities {provider} → {receiver}").format(provider=p.provider_nace, receiver=p.receiver_nace)
    ref = f"<br><span style='color:{MUTED}'>{escape(p.reference)}</span>" if p.reference else ""
    return f"<li>{head} — {escape(codes)}{ref}</li>"


def _list(items: Sequence[str]) -> str:
    return "<ul style='margin-left:-20px'>" + "".join(items) + "</ul>"


def shown_members(o: Opportunity, ctx: DetailContext) -> list[str]:
    """Members not already shown as the parties; a resident whose stream is listed is not listed again."""
    shown_above = {o.offer_id, o.need_id, o.provider_id, o.receiver_id}
    members = [m for m in o.members if m not in shown_above]
    owners = {ctx.stream_owner.get(m) for m in members if m in ctx.streams}
    return [m for m in members if m not in owners]


def details_html(o: Opportunity, ctx: DetailContext | None = None) -> str:
    """The whole pane as HTML; every stored text is escaped."""
    ctx = ctx or DetailContext()
    status = opportunity_status_label(o.status.value)
    if o.status_changed_at is not None:
        status = _("{status} since {date}").format(status=status, date=o.status_changed_at.strftime("%d.%m.%Y"))
    fields: list[tuple[str, str]] = [
        (_("Score"), f"<b>{escape(format_number(o.score, 1))}</b>"),
        (_("Match"), escape(match_kind_label(o.match_kind.value))),
        (_("Category"), escape(category_label(o.kind))),
        (_("Provider"), _party(o, o.provider_id, o.offer_id, ctx)),
        (_("Receiver"), _party(o, o.receiver_id, o.need_id, ctx)),
        (_("Status"), escape(status)),
    ]
    if o.status is OpportunityStatus.REJECTED and o.reject_reason:
        fields.append((_("Reason for rejection"), escape(o.reject_reason)))
    if not o.active:
        fields.append((_("Found"), escape(_("no longer found by the latest run"))))
    parts = [
        f"<h3 style='margin-bottom:2px'>{escape(o.title)}</h3>",
        "<table cellspacing='0' cellpadding='2'>" + "".join(_row(k, v) for k, v in fields) + "</table>",
    ]
    if o.notes:
        parts.append(heading(_("Notes")))
        parts.append(f"<p>{escape(o.notes).replace(chr(10), '<br>')}</p>")
    if o.components:
        parts.append(heading(_("Score breakdown")))
        parts.append(_components_table(o.components))
    benefits = benefit_rows(o.benefits)
    parts.append(heading(_("Benefits per year")))
    if benefits:
        parts.append("<table cellspacing='0' cellpadding='2'>" + "".join(_row(k, escape(v)) for k, v in benefits) + "</table>")
    else:
        parts.append(muted(_("Not estimated: quantities unknown or not comparable.")))
    reasons = [message_text(r.get("message"), r.get("params")) for r in o.reasons if isinstance(r, Mapping)]
    if reasons := [r for r in reasons if r]:
        parts.append(heading(_("Why")))
        parts.append(_list([f"<li>{escape(r)}</li>" for r in reasons]))
    members = shown_members(o, ctx)
    if members:
        parts.append(heading(_("Members ({count})").format(count=len(members))))
        parts.append(_list([f"<li>{escape(member_text(m, o, ctx))}</li>" for m in members]))
    if ctx.precedents:
        shown = list(ctx.precedents)[:MAX_PRECEDENTS]
        parts.append(heading(_("Precedents ({count})").format(count=len(ctx.precedents))))
        parts.append(_list([_precedent_item(p) for p in shown]))
    if ctx.rules:
        parts.append(heading(_("Rules of thumb")))
        parts.append(_list([f"<li>{escape(r)}</li>" for r in ctx.rules]))
    return "".join(parts)


class OpportunityDetailView(QTextBrowser):
    """Read-only view of one opportunity; empty text invites the user to pick one."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.show_nothing()

    def show_opportunity(self, o: Opportunity, ctx: DetailContext | None = None) -> None:
        self.setHtml(details_html(o, ctx))

    def show_nothing(self) -> None:
        prompt = escape(_("Select an opportunity to see why it was found and what it is worth."))
        self.setHtml(f"<p style='color:{MUTED}'>{prompt}</p>")

    def show_message(self, text: str) -> None:
        self.setHtml(f"<p>{escape(text)}</p>")
