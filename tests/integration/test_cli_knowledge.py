"""UNIDO's two search modes from the command line: by by-product and by company type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdesk.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_receivers_of_fly_ash_cite_precedents(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "receivers", "--code", "10 01 02", "--limit", "5", "--json")
    found = json.loads(out)
    assert code == 0 and len(found) == 5
    classes = [r["nace_class"] for r in found]
    assert classes[0] == "2351" and "2361" in classes
    assert all(len(c) == 4 and c.isdigit() for c in classes)
    assert found[0]["precedents"] and found[0]["precedents"][0]["reference"]
    assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)


def test_receivers_lists_the_zones_residents_of_each_class(capsys: pytest.CaptureFixture[str], demo_db_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db_path), "receivers", "--text", "пивная дробина", "--json")
    found = json.loads(out)
    feed = next(r for r in found if r["nace_class"] == "1091")
    assert code == 0 and feed["residents"]  # the demo zone has a feed mill
    names = {x["name"] for x in feed["residents"]}
    shown = json.loads(run(capsys, "--db", str(demo_db_path), "residents", "list", "--json")[1])
    assert names <= {r["name"] for r in shown if any(c.startswith("1091") for c in r["activity_codes"])}


def test_suggest_for_a_brewery(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "suggest", "--activity", "11.05", "--json")
    found = json.loads(out)
    offers = [m["material_class"] for m in found["likely_offers"]]
    assert code == 0 and offers[0] == "spent_grain" and "co2" in offers
    assert found["likely_offers"][0]["precedents"]


def test_bad_search_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--lang", "en", "receivers", "--code", "12")[0] == 1
    code, _out, err = run(capsys, "--lang", "en", "receivers")
    assert code == 1 and "waste code or a material name" in err
    assert run(capsys, "--lang", "en", "suggest", "--activity", "abc")[0] == 1
