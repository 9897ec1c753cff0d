"""``init``, ``demo`` and ``db check``."""

from __future__ import annotations

import argparse
from typing import Any

from symdesk.cli.common import EXISTING_DB, EXIT_ERROR, EXIT_OK, command, print_json
from symdesk.i18n import _
from symdesk.services import database as database_service
from symdesk.services import demo as demo_service
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    command(sub.add_parser("init", help=_("create the database (or migrate it to this version)")), cmd_init)
    demo = sub.add_parser("demo", help=_("load the demo zone"))
    demo.add_argument("--with-opportunities", action="store_true",
                      help=_("also find its opportunities and give a few a follow-up history, as a zone in progress"))
    command(demo, cmd_demo)
    dbp = sub.add_parser("db", help=_("database maintenance"))
    dsub = dbp.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(dbp))
    check = dsub.add_parser("check", help=_("integrity and migration state"))
    check.add_argument("--json", action="store_true", help=_("print JSON"))
    command(check, cmd_db_check, EXISTING_DB)


def cmd_init(db: Database, args: argparse.Namespace) -> int:
    print(_("Database ready: {path}").format(path=db.path))
    if db.backup_path:
        print(_("The previous version was saved to {path}").format(path=db.backup_path))
    return EXIT_OK


def cmd_demo(db: Database, args: argparse.Namespace) -> int:
    summary = demo_service.load_demo(db)
    if args.with_opportunities:
        followed = demo_service.demo_follow_up(db)
        print(_("Opportunities found; {count} of them given a follow-up history").format(count=followed))
    print(
        _("Demo zone «{zone}» loaded: {residents} residents, {offers} offers, {needs} needs").format(
            zone=summary.zone, residents=summary.residents, offers=summary.offers, needs=summary.needs
        )
    )
    return EXIT_OK


def cmd_db_check(db: Database, args: argparse.Namespace) -> int:
    check = database_service.check_db(db)
    if args.json:
        print_json(check.as_json())
    else:
        print(_("Database: {path}").format(path=check.path))
        print(_("Schema: {found} (this version: {head})").format(found=check.revision, head=check.head))
        print(_("Integrity: {result}").format(result=", ".join(check.integrity)))
        print(_("Foreign key problems: {count}").format(count=check.foreign_key_problems))
        for table, count in check.counts.items():
            print("  " + _("{table}: {count} (+{deleted} deleted)").format(
                table=table, count=count, deleted=check.deleted[table]))
        print(_("OK") if check.ok else _("PROBLEMS FOUND"))
    return EXIT_OK if check.ok else EXIT_ERROR
