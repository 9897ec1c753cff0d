"""A symbiosis opportunity and the life it leads after it is found.

The matching engine proposes opportunities; people then discuss, negotiate,
implement or reject them. An opportunity's identity is derived from what it
connects (``opportunity_key``), so re-running the engine finds the same
record again: its status, notes and history survive, and a rejected one is
not proposed again as new.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from symdesk.domain.issues import N_, Issue
from symdesk.domain.records import RecordMeta

OPPORTUNITY_NAMESPACE = uuid.UUID("0b8f4f57-3f43-4d0e-9a0e-2f5c3c7d1a11")
OPPORTUNITY_NAMESPACE_BYTES = OPPORTUNITY_NAMESPACE.bytes  # a UUID makes its bytes anew on each ask


class MatchKind(StrEnum):
    """How the opportunity was found."""

    PAIR = "pair"  # a declared offer meets a declared need
    RECEIVER = "receiver"  # an offer and a resident whose activity is a known user
    COMPANY_TYPE = "company_type"  # likely by-products or inputs of a kind of company
    POOLING = "pooling"  # the same need or offer at three or more residents
    CHAIN = "chain"  # a chain or loop of two or more hops


class OpportunityStatus(StrEnum):
    NEW = "new"
    DISCUSSING = "discussing"
    NEGOTIATING = "negotiating"
    IMPLEMENTED = "implemented"
    REJECTED = "rejected"


# Where a status may go next. Implemented and rejected can be reopened, since
# projects stall and rejections get revisited; nothing jumps back to "new".
TRANSITIONS: dict[OpportunityStatus, frozenset[OpportunityStatus]] = {
    OpportunityStatus.NEW: frozenset(
        {OpportunityStatus.DISCUSSING, OpportunityStatus.NEGOTIATING, OpportunityStatus.REJECTED}
    ),
    OpportunityStatus.DISCUSSING: frozenset(
        {OpportunityStatus.NEGOTIATING, OpportunityStatus.IMPLEMENTED, OpportunityStatus.REJECTED}
    ),
    OpportunityStatus.NEGOTIATING: frozenset(
        {OpportunityStatus.DISCUSSING, OpportunityStatus.IMPLEMENTED, OpportunityStatus.REJECTED}
    ),
    OpportunityStatus.IMPLEMENTED: frozenset({OpportunityStatus.NEGOTIATING}),
    OpportunityStatus.REJECTED: frozenset({OpportunityStatus.DISCUSSING}),
}


def opportunity_key(kind: MatchKind, *parts: str) -> str:
    """The stable id of an opportunity: the same streams or residents give the same id.

    Parts are sorted where order carries no meaning (pooling); for pairs and
    chains the caller passes them in their meaningful order.
    """
    ordered = sorted(parts) if kind is MatchKind.POOLING else list(parts)
    return uuid5_text(OPPORTUNITY_NAMESPACE, ":".join([kind, *ordered]))  # a StrEnum joins as its value


def two_part_keys(kind: MatchKind, firsts: Sequence[str], seconds: Sequence[str], pairs: Iterable[tuple[int, int]]) -> list[str]:
    """``opportunity_key(kind, firsts[i], seconds[j])`` for each (i, j) of ``pairs``, worked out by hashing
    each first part once and going on from there for each second: a run keys a million pairs."""
    if kind is MatchKind.POOLING:
        raise ValueError("pooling keys sort their parts")
    started: dict[int, Any] = {}
    tails: dict[int, bytes] = {}  # only the seconds met: a part of a run meets few of a register's needs
    keys = []
    for i, j in pairs:
        head = started.get(i)
        if head is None:
            head = started[i] = hashlib.sha1(OPPORTUNITY_NAMESPACE_BYTES + f"{kind.value}:{firsts[i]}".encode())
        tail = tails.get(j)
        if tail is None:
            tail = tails[j] = f":{seconds[j]}".encode()
        h = head.copy()
        h.update(tail)
        x = h.hexdigest()
        keys.append(f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[x[16]]}{x[17:20]}-{x[20:32]}")
    return keys


# The RFC 4122 variant in the first hex digit of the fourth group: its top two bits become 10.
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid5_text(namespace: uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))`` without building UUID objects (a run makes tens of thousands)."""
    prefix = OPPORTUNITY_NAMESPACE_BYTES if namespace is OPPORTUNITY_NAMESPACE else namespace.bytes
    digest = bytearray(hashlib.sha1(prefix + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


# The fields that explain an opportunity's score: most of its stored bytes. Lists and
# tables read opportunities without them and read them for the one opened.
EXPLANATION_FIELDS = ("components", "reasons")


# The parties of an opportunity none of whose streams is confidential: one shared empty tuple (most
# opportunities, and an empty list is 56 bytes a million times over in a national register).
NO_PARTIES: tuple[str, ...] = ()


@dataclass(slots=True)
class Opportunity:
    match_kind: MatchKind
    kind: str  # OpportunityKind value (by_product, water, energy, ghg, infrastructure, service)
    title: str
    score: float = 0.0
    provider_id: str | None = None  # resident giving
    receiver_id: str | None = None  # resident taking
    offer_id: str | None = None  # stream
    need_id: str | None = None  # stream
    # What it connects: pair [offer, need]; receiver [offer, resident]; company type
    # [resident, side, material class, counterpart stream]; pooling [residents…, streams…];
    # chain [pair opportunity ids in order].
    members: list[str] = field(default_factory=list)
    # Score breakdown and reasons: lists as stored, or tuples of rows shared between opportunities as a
    # run makes them (a row or reason that says the same is one dict; none is ever changed).
    components: Sequence[dict[str, Any]] = field(default_factory=list)
    benefits: Mapping[str, Any] = field(default_factory=dict)  # a dict, or a FigureRow from a run
    reasons: Sequence[dict[str, Any]] = field(default_factory=list)
    # Residents whose name must not be shown to the other party (their stream is
    # marked confidential): it still matches, but resident-facing views and
    # exports print "confidential party" instead (services.confidentiality).
    confidential_parties: Sequence[str] = field(default_factory=list)
    status: OpportunityStatus = OpportunityStatus.NEW
    status_changed_at: datetime | None = None
    reject_reason: str = ""
    notes: str = ""
    active: bool = True  # found by the latest run; False once its streams are gone
    meta: RecordMeta = field(default_factory=RecordMeta)

    @classmethod
    def found(
        cls, match_kind: MatchKind, kind: str, title: str, score: float, provider_id: str | None,
        receiver_id: str | None, offer_id: str | None, need_id: str | None, members: list[str],
        components: Sequence[dict[str, Any]], benefits: Mapping[str, Any], reasons: Sequence[dict[str, Any]],
        confidential_parties: Sequence[str], key: str,
    ) -> Opportunity:
        """A new opportunity as a matching run finds it (status new, active, id ``key``), made with
        positional arguments: a run makes a million, and naming 14 fields each time nearly
        doubled the time of making one (15,500: 31 ms named, 17 ms by position)."""
        return cls(match_kind, kind, title, score, provider_id, receiver_id, offer_id, need_id, members, components,
                   benefits, reasons, confidential_parties, OpportunityStatus.NEW, None, "", "", True, RecordMeta(key))

    @property
    def id(self) -> str:
        return self.meta.id

    def can_move_to(self, status: OpportunityStatus) -> bool:
        return status in TRANSITIONS[self.status]

    def validate_move(self, status: OpportunityStatus, reason: str = "") -> list[Issue]:
        issues = []
        if status != self.status and not self.can_move_to(status):
            issues.append(
                Issue("status", N_("An opportunity cannot go from {old} to {new}"), {"old": self.status.value, "new": status.value})
            )
        if status is OpportunityStatus.REJECTED and not reason.strip():
            issues.append(Issue("reject_reason", N_("Say why the opportunity is rejected")))
        return issues
