"""``symdesk questionnaires …`` end to end on the demo zone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdesk.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_show_status_delete(capsys: pytest.CaptureFixture[str], demo_db_path: Path) -> None:
    db = ["--lang", "en", "--db", str(demo_db_path)]
    code, out, _ = run(capsys, *db, "questionnaires", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) >= 40
    assert {"id", "resident", "unp", "campaign", "status", "surveyor", "survey_date", "offers", "needs"} <= set(rows[0])
    drafts = json.loads(run(capsys, *db, "questionnaires", "list", "--status", "draft", "--json")[1])
    assert drafts and all(r["status"] == "draft" for r in drafts)

    undated = next(r for r in drafts if not r["survey_date"])
    code, out, _ = run(capsys, *db, "questionnaires", "show", undated["id"][:8], "--json")
    shown = json.loads(out)
    assert code == 0 and shown["values"]["unp"] == undated["unp"]
    assert len(shown["rows"]["offers"]) == undated["offers"]

    code, _out, err = run(capsys, *db, "questionnaires", "status", undated["id"][:8], "complete")
    assert code == 1 and "Survey / Date: This field is required" in err and len(err.strip().splitlines()) == 1

    dated = next(r for r in drafts if r["survey_date"])
    assert run(capsys, *db, "questionnaires", "status", dated["id"], "complete")[0] == 0
    after = json.loads(run(capsys, *db, "questionnaires", "show", dated["id"], "--json")[1])
    assert after["status"] == "complete"

    assert run(capsys, *db, "questionnaires", "delete", dated["id"])[0] == 0
    remaining = json.loads(run(capsys, *db, "questionnaires", "list", "--json")[1])
    assert dated["id"] not in {r["id"] for r in remaining}
    # its offers and needs stay with the resident
    resident = json.loads(run(capsys, *db, "residents", "show", dated["unp"], "--json")[1])
    assert len(resident["offers"]) == dated["offers"]


def test_unknown_questionnaire(capsys: pytest.CaptureFixture[str], demo_db_path: Path) -> None:
    code, _out, err = run(capsys, "--lang", "en", "--db", str(demo_db_path), "questionnaires", "show", "zzzzzzzz")
    assert code == 1 and "No questionnaire" in err
