"""``questionnaires list | show | status | delete``."""

from __future__ import annotations

import argparse
from typing import Any

from symdesk.cli.common import EXISTING_DB, EXIT_OK, command, print_json, print_table
from symdesk.domain.labels import label
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.i18n import _, current_language
from symdesk.questionnaire.definition import default_definition
from symdesk.questionnaire.document import QuantityValue, QuestionnaireDocument
from symdesk.services import questionnaires as questionnaire_service
from symdesk.storage.db import Database

STATUSES = [s.value for s in QuestionnaireStatus]


def register(sub: Any) -> None:
    group = sub.add_parser("questionnaires", help=_("list, show and change questionnaires"))
    qsub = group.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(group))
    qlist = qsub.add_parser("list", help=_("list questionnaires"))
    qlist.add_argument("--campaign", help=_("campaign name or id"))
    qlist.add_argument("--status", choices=STATUSES)
    qlist.add_argument("--json", action="store_true", help=_("print JSON"))
    command(qlist, cmd_list, EXISTING_DB)
    show = qsub.add_parser("show", help=_("show a questionnaire's answers, offers and needs"))
    show.add_argument("id", help=_("questionnaire id or its prefix"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    command(show, cmd_show, EXISTING_DB)
    status = qsub.add_parser("status", help=_("mark a questionnaire draft, complete or verified"))
    status.add_argument("id", help=_("questionnaire id or its prefix"))
    status.add_argument("status", choices=STATUSES)
    command(status, cmd_status, EXISTING_DB)
    delete = qsub.add_parser("delete", help=_("delete a questionnaire (its offers and needs stay with the resident)"))
    delete.add_argument("id", help=_("questionnaire id or its prefix"))
    command(delete, cmd_delete, EXISTING_DB)


def cmd_list(db: Database, args: argparse.Namespace) -> int:
    rows = questionnaire_service.list_questionnaires(db, status=args.status)
    if args.campaign:
        wanted = args.campaign.casefold()
        rows = [q for q in rows if wanted in (q.campaign_name.casefold(), q.campaign_id)]
    if args.json:
        print_json(
            [
                {
                    "id": q.id, "resident_id": q.resident_id, "resident": q.resident_name, "unp": q.unp,
                    "campaign_id": q.campaign_id, "campaign": q.campaign_name, "status": q.status,
                    "surveyor": q.surveyor, "survey_date": q.survey_date, "offers": q.offers, "needs": q.needs,
                    "form_version": q.form_version,
                }
                for q in rows
            ]
        )
        return EXIT_OK
    print_table(
        [_("ID"), _("Resident"), _("UNP"), _("Campaign"), _("Status"), _("Surveyor"), _("Date"), _("Offers"), _("Needs")],
        [
            (q.id[:8], q.resident_name, q.unp, q.campaign_name, _(label(QuestionnaireStatus(q.status))), q.surveyor,
             q.survey_date.strftime("%d.%m.%Y") if q.survey_date else "", q.offers, q.needs)
            for q in rows
        ],
    )
    print(_("{count} questionnaires").format(count=len(rows)))
    return EXIT_OK


def _plain(value: Any) -> Any:
    if isinstance(value, QuantityValue):
        return {"amount": value.amount, "unit": value.unit, "period": value.period}
    return value


def document_json(doc: QuestionnaireDocument) -> dict[str, Any]:
    return {
        "id": doc.questionnaire_id,
        "resident_id": doc.resident_id,
        "campaign_id": doc.campaign_id,
        "status": doc.status.value,
        "form_id": doc.form_id,
        "form_version": doc.form_version,
        "values": {k: _plain(v) for k, v in doc.values.items()},
        "rows": {
            section: [{"stream_id": r.stream_id, **{k: _plain(v) for k, v in r.values.items()}} for r in rows]
            for section, rows in doc.rows.items()
        },
        "extra_answers": doc.extra_answers,
    }


def cmd_show(db: Database, args: argparse.Namespace) -> int:
    summary = questionnaire_service.find_questionnaire(db, args.id)
    doc = questionnaire_service.open_document(db, questionnaire_id=summary.id)
    if args.json:
        print_json(document_json(doc))
        return EXIT_OK
    language = current_language()
    definition = default_definition()
    print(f"{summary.resident_name} — {summary.campaign_name} — {_(label(doc.status))}")
    for section in definition.scalar_sections:
        print(f"{section.label.get(language)}:")
        for f in section.fields:
            value = doc.values.get(f.name)
            if value not in (None, "", []):
                if isinstance(value, bool):
                    shown = _("yes") if value else _("no")
                elif isinstance(value, list):
                    shown = ", ".join(map(str, value))
                else:
                    shown = f.choice_label(str(value), language)
                print(f"  {f.label.get(language)}: {shown}")
    for section in definition.repeat_sections:
        rows = doc.rows.get(section.name, [])
        print(f"{section.label.get(language)} ({len(rows)}):")
        for row in rows:
            q = row.values.get("quantity")
            amount = f" {q.amount:g} {q.unit}/{q.period}".rstrip("/") if isinstance(q, QuantityValue) and q.amount is not None else ""
            print(f"  - {row.values.get('name')}{amount}")
    return EXIT_OK


def cmd_status(db: Database, args: argparse.Namespace) -> int:
    summary = questionnaire_service.find_questionnaire(db, args.id)
    saved = questionnaire_service.set_status(db, summary.id, QuestionnaireStatus(args.status))
    print(_("{resident}: {status}").format(resident=summary.resident_name, status=_(label(saved.status))))
    return EXIT_OK


def cmd_delete(db: Database, args: argparse.Namespace) -> int:
    summary = questionnaire_service.find_questionnaire(db, args.id)
    questionnaire_service.delete_questionnaire(db, summary.id)
    print(_("Deleted the questionnaire of {resident}").format(resident=summary.resident_name))
    return EXIT_OK
