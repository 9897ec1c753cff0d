"""Loading the demo zone into a database."""

from __future__ import annotations

from dataclasses import dataclass

from symdesk.classifiers.reference import activity_classes
from symdesk.demo.questionnaires import demo_questionnaires
from symdesk.demo.zone_file import read_demo_zone
from symdesk.domain.issues import ValidationError
from symdesk.domain.opportunity import MatchKind, OpportunityStatus
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.questionnaire.definition import default_definition
from symdesk.services.matching import list_opportunities, run_matching, set_opportunity_status
from symdesk.storage.db import Database
from symdesk.storage.repository import (
    CampaignRepository,
    QuestionnaireRepository,
    ResidentRepository,
    SiteRepository,
    StreamRepository,
    ZoneRepository,
)
from symdesk.storage.uow import unit_of_work


@dataclass(frozen=True)
class DemoSummary:
    zone: str
    sites: int
    residents: int
    offers: int
    needs: int
    questionnaires: int


def load_demo(
    db: Database, progress: ProgressFn | None = None, cancelled: CancelledFn | None = None
) -> DemoSummary:
    """Load (or refresh) the demo zone in one transaction; cancelling leaves no trace.

    Records keep their ids between loads, so loading twice does not duplicate.
    """
    progress = progress or no_progress
    demo = read_demo_zone()
    known = activity_classes()
    for resident in demo.residents:
        resident.normalise()
        if issues := resident.validate(known):
            raise ValidationError(issues)
    for stream in demo.streams:
        stream.normalise()
        if issues := stream.validate():
            raise ValidationError(issues)
    definition = default_definition()
    questionnaires = demo_questionnaires(demo, definition.form_id, definition.version)
    answered = {q.resident_id: q.id for q in questionnaires}
    for stream in demo.streams:
        stream.questionnaire_id = answered.get(stream.resident_id)
    total = 1 + len(questionnaires) + len(demo.sites) + len(demo.campaigns) + len(demo.residents) + len(demo.streams)
    done = 0
    with unit_of_work(db) as session:
        ZoneRepository(session).add(demo.zone)
        steps = (
            (SiteRepository(session), demo.sites),
            (CampaignRepository(session), demo.campaigns),
            (ResidentRepository(session), demo.residents),
            (QuestionnaireRepository(session), questionnaires),
            (StreamRepository(session), demo.streams),
        )
        for repo, records in steps:
            for record in records:
                check_cancelled(cancelled)
                repo.add(record)
                done += 1
                if done % 10 == 0:
                    progress(done, total, getattr(record, "name", ""))
        progress(total, total, "")
    offers = sum(1 for s in demo.streams if s.direction == "offer")
    return DemoSummary(
        demo.zone.name, len(demo.sites), len(demo.residents), offers, len(demo.streams) - offers, len(questionnaires)
    )


def database_is_empty(db: Database) -> bool:
    with unit_of_work(db) as session:
        return ResidentRepository(session).count() == 0 and ZoneRepository(session).count() == 0


# The demo zone as a zone in progress: a few of the best declared pairs already
# followed up, so that the follow-up columns, the results report and the
# roadmap have something to show. Notes are in Russian, like the demo's data.
_FOLLOW_UP: tuple[tuple[tuple[OpportunityStatus, ...], str, str], ...] = (
    ((OpportunityStatus.DISCUSSING, OpportunityStatus.IMPLEMENTED), "", "Договор поставки подписан, первые партии приняты"),
    ((OpportunityStatus.DISCUSSING, OpportunityStatus.IMPLEMENTED), "", "Работает с начала года, объёмы подтверждены актом"),
    ((OpportunityStatus.NEGOTIATING,), "", "Согласуются цена и график вывоза"),
    ((OpportunityStatus.NEGOTIATING,), "", "Нужна площадка для временного хранения"),
    ((OpportunityStatus.DISCUSSING,), "", "Первая встреча сторон проведена"),
    ((OpportunityStatus.DISCUSSING,), "", "Получатель запросил протокол испытаний"),
    ((OpportunityStatus.REJECTED,), "Получателю не подходит влажность материала", ""),
)


def demo_follow_up(db: Database, progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> int:
    """Find the demo zone's opportunities and give a few of the best a follow-up history.

    Does nothing to statuses once any opportunity has left "new" (the user's
    own follow-up is never overwritten); returns how many were moved.
    """
    run_matching(db, progress, cancelled)
    found = list_opportunities(db, match_kind=MatchKind.PAIR.value, explanations=False)
    if any(o.status is not OpportunityStatus.NEW for o in list_opportunities(db, explanations=False)):
        return 0
    chosen: list = []
    providers: set[str | None] = set()
    for o in found:  # best first; one per provider, so the history looks like a zone's
        if o.provider_id not in providers:
            chosen.append(o)
            providers.add(o.provider_id)
        if len(chosen) == len(_FOLLOW_UP):
            break
    for o, (steps, reason, note) in zip(chosen, _FOLLOW_UP, strict=False):
        for i, status in enumerate(steps):
            last = i == len(steps) - 1
            set_opportunity_status(db, o.id, status, reason=reason if last else "", note=note if last else "")
    return len(chosen)
