"""The questionnaire definition: the shipped one loads; mistakes are named."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from symdesk.paths import forms_dir
from symdesk.questionnaire.definition import DefinitionError, default_definition, parse_definition


def raw_form() -> dict[str, Any]:
    return yaml.safe_load((forms_dir() / "sez_resident.yaml").read_text(encoding="utf-8"))


def test_shipped_definition_loads() -> None:
    d = default_definition()
    assert d.form_id == "sez-resident" and d.version
    assert [s.name for s in d.repeat_sections] == ["offers", "needs"]
    assert d.section("needs").field("secondary_acceptable").bind == "stream.secondary_acceptable"
    assert d.section("offers").field("code").relevant is not None
    for section in d.sections:
        for f in section.fields:
            assert f.label.ru and f.label.en


def problems_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionError) as err:
        parse_definition(raw)
    return err.value.problems


def test_unknown_type_key_and_choices_are_named() -> None:
    raw = raw_form()
    fields = raw["sections"][0]["fields"]
    fields[0]["type"] = "txet"
    fields[1]["colour"] = "red"
    raw["sections"][2]["fields"][0]["choices"] = "nope"
    problems = problems_of(raw)
    assert any("section resident, field name: unknown type 'txet'" in p for p in problems)
    assert any("section resident, field short_name: unknown key 'colour'" in p for p in problems)
    assert any("field category: choices list 'nope' is not defined" in p for p in problems)


def test_bad_bind_relevance_duplicate_and_missing_language() -> None:
    raw = raw_form()
    fields = raw["sections"][0]["fields"]
    fields[0]["bind"] = "resident.shoe_size"
    fields[1]["relevant"] = {"field": "ghost", "filled": True}
    fields.append(copy.deepcopy(fields[2]))
    fields[3]["label"] = {"ru": "Только по-русски"}
    problems = problems_of(raw)
    assert any("cannot bind to 'resident.shoe_size'" in p for p in problems)
    assert any("relevant refers to unknown field 'ghost'" in p for p in problems)
    assert any("field unp: appears twice" in p for p in problems)
    assert any("field activity_codes label: needs texts in both languages" in p for p in problems)


def test_choices_must_be_domain_values_where_bound() -> None:
    raw = raw_form()
    raw["choices"]["categories"].append({"value": "gold", "ru": "золото", "en": "gold"})
    assert any("choice 'gold' is not a valid category" in p for p in problems_of(raw))
