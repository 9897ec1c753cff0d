"""``receivers`` (search by by-product or waste) and ``suggest`` (search by company type)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from symdesk.cli.common import EXIT_OK, OPTIONAL_DB, command, print_json
from symdesk.domain.codes import format_activity_code
from symdesk.i18n import _, current_language, format_number, ngettext
from symdesk.matching.knowledge import MaterialSuggestion
from symdesk.services import knowledge as knowledge_service
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    receivers = sub.add_parser("receivers", help=_("who can use a by-product or waste (search by by-product)"))
    receivers.add_argument("--code", default="", help=_("waste code, EWC or national"))
    receivers.add_argument("--text", default="", help=_("the material in words"))
    receivers.add_argument("--provider-activity", default="", help=_("OKED code of the company that gives it off"))
    receivers.add_argument("--limit", type=int, default=10)
    receivers.add_argument("--json", action="store_true", help=_("print JSON"))
    command(receivers, cmd_receivers, OPTIONAL_DB)
    suggest = sub.add_parser("suggest", help=_("what a kind of company likely gives off and needs (search by company type)"))
    suggest.add_argument("--activity", required=True, help=_("OKED code"))
    suggest.add_argument("--limit", type=int, default=10)
    suggest.add_argument("--json", action="store_true", help=_("print JSON"))
    command(suggest, cmd_suggest, OPTIONAL_DB)


def cmd_receivers(db: Database | None, args: argparse.Namespace) -> int:
    found = knowledge_service.find_receivers(
        db, code=args.code, text=args.text, provider_activity=args.provider_activity, limit=args.limit
    )
    if args.json:
        print_json(
            [
                {
                    "nace_class": r.suggestion.nace_class,
                    "name": r.class_name,
                    "score": round(r.suggestion.score, 3),
                    "precedents": [asdict(p) for p in r.suggestion.precedents],
                    "rules": r.suggestion.rules,
                    "residents": [{"id": x.id, "name": x.name, "unp": x.unp} for x in r.residents],
                }
                for r in found
            ]
        )
        return EXIT_OK
    for n, r in enumerate(found, start=1):
        s = r.suggestion
        print(f"{n:>2}. {format_activity_code(s.nace_class)} {r.class_name} — {format_number(s.score, 1)}")
        for p in s.precedents[:3]:
            print("      " + _("precedent: {material} ({country}, {year}): {reference}").format(
                material=p.material_in(current_language()), country=p.country_in(current_language()), year=p.year, reference=p.reference[:90]))
        if r.residents:
            print("      " + _("in the zone: {names}").format(names=", ".join(x.short_name or x.name for x in r.residents)))
    return EXIT_OK


def _side_json(items: list[MaterialSuggestion]) -> list[dict[str, Any]]:
    return [
        {
            "material_class": m.material_class,
            "name": knowledge_service.material_name(m.material_class),
            "score": round(m.score, 3),
            "precedents": [asdict(p) for p in m.precedents],
            "rules": m.rules,
        }
        for m in items
    ]


def cmd_suggest(db: Database | None, args: argparse.Namespace) -> int:
    found = knowledge_service.suggest_for_activity(args.activity, limit=args.limit)
    if args.json:
        print_json({"likely_offers": _side_json(found.likely_offers), "likely_needs": _side_json(found.likely_needs)})
        return EXIT_OK
    for title, items in ((_("Likely by-products and wastes"), found.likely_offers), (_("Likely needs"), found.likely_needs)):
        print(f"{title}:")
        for m in items:
            count = len(m.precedents)
            cited = ngettext("{count} precedent", "{count} precedents", count).format(count=count) if count else _(
                "rule of thumb"
            )
            print(f"  - {knowledge_service.material_name(m.material_class)} ({cited})")
    return EXIT_OK
