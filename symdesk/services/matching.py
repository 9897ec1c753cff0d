"""Running the matching over the zone and keeping what it finds.

A run pairs every live offer with every live need (``symdesk.matching``),
scores and prices each pair, and stores it as an ``Opportunity`` whose id
derives from the offer and the need. Running again updates scores and
benefits of the same records, keeps their status, notes and history, never
brings a rejected opportunity back as new, and marks opportunities whose
streams are gone as inactive instead of deleting them. A record whose
figures did not change keeps its revision.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from symdesk.domain.issues import N_, ValidationError
from symdesk.domain.opportunity import MatchKind, Opportunity, OpportunityStatus, opportunity_key
from symdesk.domain.records import RecordMeta, utcnow
from symdesk.domain.stream import Direction, Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.matching.benefits import Benefits, estimate_benefits
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.pairs import PairEvidence, candidate_pairs
from symdesk.matching.scoring import ScoreBreakdown, explain, score_pair
from symdesk.matching.settings import default_factors, default_weights
from symdesk.services.errors import UserError
from symdesk.services.lookup import one_by_id_prefix
from symdesk.storage.db import Database
from symdesk.storage.errors import RecordNotFound
from symdesk.storage.repository import OpportunityRepository, ResidentRepository, StreamRepository
from symdesk.storage.uow import unit_of_work


@dataclass(frozen=True)
class MatchRunSummary:
    found: int
    new: int
    updated: int
    unchanged: int
    deactivated: int


def _benefits_json(b: Benefits) -> dict[str, Any]:
    data = {k: v for k, v in dataclasses.asdict(b).items() if k != "factor_keys"}
    data["matched_dimension"] = b.matched_dimension.value if b.matched_dimension else None
    data["factor_keys"] = {k: list(v) for k, v in b.factor_keys.items()}
    return data


def _as_stored(value: Any) -> Any:
    """The value as it comes back from the JSON column (tuples become lists), so that
    comparing a re-run's findings with the stored record sees only real changes."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _opportunity(
    evidence: PairEvidence, score: ScoreBreakdown, offer: Stream, need: Stream, names: dict[str, str], benefits: Benefits
) -> Opportunity:
    title = f"{offer.name} ({names.get(offer.resident_id, '')}) → {need.name} ({names.get(need.resident_id, '')})"
    reasons = [{"message": m, "params": p} for m, p in (*evidence.reasons, *score.flags)]
    return Opportunity(
        match_kind=MatchKind.PAIR,
        kind=offer.kind.value,
        title=title,
        score=round(score.total, 2),
        provider_id=offer.resident_id,
        receiver_id=need.resident_id,
        offer_id=offer.id,
        need_id=need.id,
        members=[offer.id, need.id],
        components=_as_stored(explain(score)),
        benefits=_as_stored(_benefits_json(benefits)),
        reasons=_as_stored(reasons),
        meta=RecordMeta(id=opportunity_key(MatchKind.PAIR, offer.id, need.id)),
    )


FOUND_FIELDS = ("kind", "title", "score", "provider_id", "receiver_id", "offer_id", "need_id", "members",
                "components", "benefits", "reasons")


def run_matching(db: Database, progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> MatchRunSummary:
    """Find, score and store the zone's offer–need opportunities; one transaction, cancellable."""
    progress = progress or no_progress
    kb, weights, factors = knowledge_base(), default_weights(), default_factors()
    with unit_of_work(db) as session:
        residents = {r.id: r for r in ResidentRepository(session).list()}
        streams = [s for s in StreamRepository(session).list() if s.resident_id in residents]
        by_id = {s.id: s for s in streams}
        offers = [s for s in streams if s.direction is Direction.OFFER]
        needs = [s for s in streams if s.direction is Direction.NEED]
        progress(0, 3, "pairs")
        pairs = candidate_pairs(offers, needs, residents, kb, weights)
        check_cancelled(cancelled)
        names = {r.id: r.display_name for r in residents.values()}
        found: dict[str, Opportunity] = {}
        for i, evidence in enumerate(pairs):
            if i % 50 == 0:
                check_cancelled(cancelled)
                progress(i, len(pairs), "scoring")
            offer, need = by_id[evidence.offer_id], by_id[evidence.need_id]
            score = score_pair(
                evidence, offer, need, residents.get(offer.resident_id), residents.get(need.resident_id), weights, kb
            )
            benefits = estimate_benefits(offer, need, score.distance_km, factors)
            opportunity = _opportunity(evidence, score, offer, need, names, benefits)
            found[opportunity.id] = opportunity
        repo = OpportunityRepository(session)
        stored = {o.id: o for o in repo.list(include_deleted=True, match_kind=MatchKind.PAIR.value)}
        new = updated = unchanged = deactivated = 0
        for key, opportunity in found.items():
            previous = stored.get(key)
            if previous is None:
                repo.add(opportunity)
                new += 1
                continue
            before = previous.meta.revision
            for name in FOUND_FIELDS:
                setattr(previous, name, getattr(opportunity, name))
            previous.active = True
            previous.meta.deleted = False
            if repo.add(previous).meta.revision == before:
                unchanged += 1
            else:
                updated += 1
        for key, previous in stored.items():
            if key not in found and previous.active:
                previous.active = False
                repo.add(previous)
                deactivated += 1
        progress(len(pairs), len(pairs), "")
    return MatchRunSummary(len(found), new, updated, unchanged, deactivated)


def list_opportunities(
    db: Database,
    *,
    kind: str | None = None,
    match_kind: str | None = None,
    status: str | None = None,
    min_score: float = 0.0,
    resident_id: str | None = None,
    include_inactive: bool = False,
) -> list[Opportunity]:
    """Stored opportunities, best first (ties by id), filtered as asked."""
    with unit_of_work(db) as session:
        found = OpportunityRepository(session).list()
    return sorted(
        (
            o
            for o in found
            if (include_inactive or o.active)
            and (kind is None or o.kind == kind)
            and (match_kind is None or o.match_kind.value == match_kind)
            and (status is None or o.status.value == status)
            and o.score >= min_score
            and (resident_id is None or resident_id in (o.provider_id, o.receiver_id))
        ),
        key=lambda o: (-o.score, o.id),
    )


def find_opportunity(db: Database, key: str) -> Opportunity:
    with unit_of_work(db) as session:
        found = OpportunityRepository(session).list()
    return one_by_id_prefix(
        found,
        key,
        lambda o: o.id,
        N_("No opportunity with id «{key}»"),
        N_("«{key}» matches {count} opportunities; give more of the id"),
    )


def set_opportunity_status(
    db: Database, opportunity_id: str, status: OpportunityStatus, *, reason: str = "", note: str = ""
) -> Opportunity:
    """Move an opportunity along its workflow; a rejection needs a reason. Notes accumulate, dated."""
    with unit_of_work(db) as session:
        repo = OpportunityRepository(session)
        try:
            opportunity = repo.get(opportunity_id)
        except RecordNotFound:
            raise UserError(N_("No opportunity with id «{key}»"), key=opportunity_id) from None
        issues = opportunity.validate_move(status, reason)
        if issues:
            raise ValidationError(issues)
        now = utcnow()
        if status is not opportunity.status:
            opportunity.status = status
            opportunity.status_changed_at = now
        if status is OpportunityStatus.REJECTED:
            opportunity.reject_reason = reason.strip()
        if note.strip():
            stamp = now.strftime("%d.%m.%Y")
            opportunity.notes = "\n".join(x for x in (opportunity.notes, f"{stamp}: {note.strip()}") if x)
        return repo.add(opportunity)
