"""Running the matching over the zone and keeping what it finds.

A run finds every kind of opportunity (``symdesk.matching.run``: declared
pairs, likely receivers, company-type questions, pools, chains), scores and
prices each, and stores it as an ``Opportunity`` whose id derives from what it
connects (the offer and the need of a pair). Running again updates scores and
benefits of the same records, keeps their status, notes and history, never
brings a rejected opportunity back as new, and marks opportunities whose
streams are gone as inactive instead of deleting them. A record whose
figures did not change keeps its revision.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from symdesk.domain.collector import collector_paused
from symdesk.domain.issues import N_, ValidationError
from symdesk.domain.opportunity import EXPLANATION_FIELDS, MatchKind, Opportunity, OpportunityStatus
from symdesk.domain.records import utcnow
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.i18n import _, current_language
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.rematch import rematch
from symdesk.matching.settings import default_factors, default_weights
from symdesk.matching.state import MatchState, Settings
from symdesk.matching.totals import benefit_totals
from symdesk.services.errors import UserError
from symdesk.services.lookup import MIN_PREFIX, one_by_id_prefix
from symdesk.services.places import located_residents
from symdesk.storage.db import Database, SharedRowsJson, json_text
from symdesk.storage.errors import RecordNotFound
from symdesk.storage.repository import (
    OpportunityRepository,
    StreamRepository,
)
from symdesk.storage.uow import unit_of_work

__all__ = [
    "MatchRunSummary", "benefit_totals", "count_opportunities", "find_opportunity", "get_opportunity",
    "list_opportunities", "opportunity_titles", "run_matching", "set_opportunity_status",
]


@dataclass(frozen=True)
class MatchRunSummary:
    found: int
    new: int
    updated: int
    unchanged: int
    deactivated: int
    by_kind: dict[str, int] = field(default_factory=dict)  # found per match kind


FOUND_FIELDS = ("kind", "title", "score", "provider_id", "receiver_id", "offer_id", "need_id", "members",
                "components", "benefits", "reasons", "confidential_parties")
JSON_FIELDS = frozenset({"members", "components", "benefits", "reasons", "confidential_parties"})
_found = attrgetter(*FOUND_FIELDS)
_FOUND_JSON = tuple(name in JSON_FIELDS for name in FOUND_FIELDS)


# What the engine reports as its step, as a person reads it in a progress dialog.
STEP_TEXTS = {
    "pairs": N_("Pairing offers with needs"),
    "receivers": N_("Looking for residents who could use the offers"),
    "company_type": N_("Likely by-products and needs by company type"),
    "pooling": N_("Looking for shared services and joint purchasing"),
    "chains": N_("Looking for chains of exchanges"),
}


def _readable(progress: ProgressFn) -> ProgressFn:
    def report(done: int, total: int, step: str) -> None:
        progress(done, total, _(STEP_TEXTS[step]) if step in STEP_TEXTS else step)

    return report


def _material_names() -> dict[str, str]:
    english = current_language() == "en"
    return {k: (m.name_en if english else m.name_ru) for k, m in knowledge_base().materials.items()}


def found_values(opportunity: Opportunity, encode: Callable[[Any], str] = json_text) -> tuple[object, ...]:
    """What ``Repository.columns(..., json_as_text=True)`` reads back for FOUND_FIELDS if stored unchanged
    (``encode``: ``json_text`` or one run's ``SharedRowsJson``, which write the same)."""
    return tuple(encode(value) if is_json else value
                 for is_json, value in zip(_FOUND_JSON, _found(opportunity), strict=True))


@dataclass(frozen=True)
class _LastRun:
    """This process's last run on a database: where the next run on it starts (``matching.rematch``)."""

    path: Path
    state: MatchState
    revisions: Mapping[str, int]  # every stored opportunity's revision once the run's results were stored


# One at a time: a person works on one zone, and a state holds its run's records and opportunities.
_last_run: _LastRun | None = None
_last_run_lock = threading.Lock()
# A larger run is not kept: a national register's state would hold a gigabyte for the program's life.
KEEP_STATE_UP_TO = 100_000


def _last_run_on(db: Database) -> _LastRun | None:
    with _last_run_lock:
        last = _last_run
    return last if last is not None and last.path == db.path.resolve() else None


def _remember(db: Database, state: MatchState | None, revisions: Mapping[str, int] | None) -> None:
    global _last_run
    with _last_run_lock:
        keep = state is not None and revisions is not None and len(state.opportunities) <= KEEP_STATE_UP_TO
        _last_run = _LastRun(db.path.resolve(), state, revisions) if keep else None  # type: ignore[arg-type]


@collector_paused()  # reading, matching and storing build hundreds of thousands of objects, none in a cycle
def run_matching(db: Database, progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> MatchRunSummary:
    """Find, score and store every kind of opportunity in the zone; one transaction, cancellable.

    A second run in the same program starts from the first's results (``matching.rematch``): after
    a questionnaire edit only what the edit touches is found again, and only what was found again,
    or was written since (its revision moved: a status changed, another program's run), is compared
    with what is stored.
    """
    progress = _readable(progress or no_progress)
    settings = Settings(knowledge_base(), default_weights(), default_factors(), _material_names(), current_language())
    last = _last_run_on(db)
    with unit_of_work(db) as session:
        residents = located_residents(session)
        streams = StreamRepository(session).list()
        result = rematch(last.state if last else None, residents, streams, settings, progress, cancelled)
        found = {o.id: o for o in result.opportunities}
        check_cancelled(cancelled)
        repo = OpportunityRepository(session)
        if last is not None:
            # Each opportunity of the last run was stored as found, active: one found again as the very
            # same object is as stored, unless its row has been written since.
            now = {key: (revision, active) for key, revision, active in repo.columns("id", "revision", "active")}
            before, revisions = {id(o) for o in last.state.opportunities}, last.revisions
            to_compare = [key for key, o in found.items()
                          if id(o) not in before or now.get(key, (None,))[0] != revisions.get(key)]
            columns = repo.columns("id", "active", "deleted", *FOUND_FIELDS, json_as_text=True, ids=to_compare)
            gone = [key for key, (_, active) in now.items() if active and key not in found]
        else:
            to_compare = list(found)
            # Compare on plain columns; load as records only what must be written.
            columns = repo.columns("id", "active", "deleted", *FOUND_FIELDS, json_as_text=True)
            gone = [row[0] for row in columns if row[0] not in found and row[1]]
        unchanged = len(found) - len(to_compare)
        stored = {row[0]: row[1:] for row in columns}
        encode = SharedRowsJson()  # the run's rows are shared and never changed: each encoded once
        new = updated = deactivated = 0
        fresh = []
        changed = []
        for key in to_compare:
            opportunity = found[key]
            previous = stored.get(key)
            if previous is None:
                fresh.append(opportunity)
            elif previous[0] and not previous[1] and previous[2:] == found_values(opportunity, encode):
                unchanged += 1  # the common case of a re-run: nothing to write
            else:
                changed.append(key)
        rewritten = repo.by_ids([*changed, *gone])
        revisions = [previous.meta.revision for previous in rewritten]
        for previous in rewritten:
            if previous.id in found:
                opportunity = found[previous.id]
                for name in FOUND_FIELDS:
                    setattr(previous, name, getattr(opportunity, name))
                previous.active = True
                previous.meta.deleted = False
            else:
                previous.active = False
                deactivated += 1
        repo.add_many(rewritten)
        for previous, revision in zip(rewritten, revisions, strict=True):
            if previous.id in found:
                if previous.meta.revision == revision:
                    unchanged += 1
                else:
                    updated += 1
        repo.insert_new(fresh, json_text=encode)
        new = len(fresh)
        session.flush()
        revisions = None
        if result.state is not None and last is not None:
            # The revisions read before, and what this run wrote since (in this transaction, nothing else).
            revisions = {key: revision for key, (revision, _) in now.items()}
            revisions.update((record.id, record.meta.revision) for record in (*rewritten, *fresh))
        elif result.state is not None:
            revisions = dict(repo.columns("id", "revision"))
    _remember(db, result.state, revisions)  # type: ignore[arg-type]
    by_kind = Counter(o.match_kind.value for o in found.values())
    return MatchRunSummary(len(found), new, updated, unchanged, deactivated, {k.value: by_kind.get(k.value, 0) for k in MatchKind})


def list_opportunities(
    db: Database,
    *,
    kind: str | None = None,
    match_kind: str | None = None,
    status: str | None = None,
    min_score: float = 0.0,
    resident_id: str | None = None,
    include_inactive: bool = False,
    explanations: bool = True,
    limit: int = 0,
) -> list[Opportunity]:
    """Stored opportunities, best first (ties by id), filtered as asked; the first ``limit`` (0: all).

    With ``explanations=False`` the score breakdown and the reasons are not
    read (``components`` and ``reasons`` come empty): a table of a national
    register's 165,000 opportunities then loads in seconds rather than half a
    minute, and ``get_opportunity`` reads the one a person opens.
    """
    with unit_of_work(db) as session:
        found = OpportunityRepository(session).filtered(
            kind=kind, match_kind=match_kind, status=status, min_score=min_score, party=resident_id,
            include_inactive=include_inactive, leave_out=() if explanations else EXPLANATION_FIELDS,
            # A resident's are picked out of a superset below: only then is the limit applied here.
            limit=limit if limit > 0 and resident_id is None else None,
        )
    if resident_id is None:
        return found
    found = [o for o in found if resident_id in (o.provider_id, o.receiver_id) or resident_id in o.members]
    return found[:limit] if limit > 0 else found


def count_opportunities(db: Database) -> int:
    """How many opportunities are stored (inactive ones included), without reading them."""
    with unit_of_work(db) as session:
        return OpportunityRepository(session).count()


def get_opportunity(db: Database, opportunity_id: str) -> Opportunity:
    """One opportunity, whole, by its full id."""
    with unit_of_work(db) as session:
        try:
            return OpportunityRepository(session).get(opportunity_id)
        except RecordNotFound:
            raise UserError(N_("No opportunity with id «{key}»"), key=opportunity_id) from None


def find_opportunity(db: Database, key: str) -> Opportunity:
    """The one opportunity whose id starts with ``key``; only those are read."""
    prefix = key.strip().lower()
    with unit_of_work(db) as session:
        found = OpportunityRepository(session).with_id_prefix(prefix) if len(prefix) >= MIN_PREFIX else []
    return one_by_id_prefix(
        found,
        key,
        lambda o: o.id,
        N_("No opportunity with id «{key}»"),
        N_("«{key}» matches {count} opportunities; give more of the id"),
    )


def opportunity_titles(db: Database) -> dict[str, str]:
    """Every stored opportunity's title by id (a chain names its links by them)."""
    with unit_of_work(db) as session:
        return OpportunityRepository(session).titles()


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
