"""UNIDO's two search modes from the command line: by by-product and by company type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from symdesk.cli import main
from symdesk.paths import resources_dir


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


def test_receivers_name_precedent_materials_in_the_users_language(capsys: pytest.CaptureFixture[str]) -> None:
    _, russian, _ = run(capsys, "--lang", "ru", "receivers", "--code", "10 01 02", "--limit", "2")
    _, english, _ = run(capsys, "--lang", "en", "receivers", "--code", "10 01 02", "--limit", "2")
    found = json.loads(run(capsys, "receivers", "--code", "10 01 02", "--limit", "2", "--json")[1])
    first = found[0]["precedents"][0]
    assert first["material_ru"] and first["material_ru"] != first["material"]
    assert f"{first['material_ru']} (" in russian and f"{first['material']} (" in english


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


@pytest.mark.parametrize(
    ("argv", "expected", "within"),
    [
        (("--code", "16 05 04", "--text", "углекислый газ"), "0113", 1),  # CO2 → greenhouse
        (("--code", "17 01 07", "--text", "строительные отходы"), "0812", 3),  # → crushed stone
        (("--text", "опилки"), "1629", 1),  # wood waste → pellet maker
    ],
)
def test_receivers_domain_examples_are_explained(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], expected: str, within: int
) -> None:
    code, out, _ = run(capsys, "receivers", *argv, "--json")
    found = json.loads(out)
    assert code == 0
    assert expected in [r["nace_class"] for r in found][:within]
    rules = {r["id"] for r in yaml.safe_load((resources_dir() / "knowledge" / "rules.yaml").read_text(encoding="utf-8"))["uses"]}
    for r in found:  # every receiver cites a precedent or a rule that exists
        assert r["precedents"] or r["rules"]
        assert all(x in rules or x.startswith("lit.uses.") for x in r["rules"])
        assert all(p["reference"] and p["exchange_id"] for p in r["precedents"])
