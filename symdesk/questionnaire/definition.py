"""Loading and checking a questionnaire definition (see forms/sez_resident.yaml).

The definition is validated on load; every problem names the section and
field, so a typo in the YAML is found before a surveyor meets it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from symdesk.domain.questionnaire import Questionnaire
from symdesk.domain.resident import Resident
from symdesk.domain.stream import (
    Category,
    Handling,
    HazardClass,
    Readiness,
    Regularity,
    Stream,
)
from symdesk.files.yaml_file import read_yaml
from symdesk.paths import forms_dir

FIELD_TYPES = (
    "text",
    "integer",
    "decimal",
    "date",
    "boolean",
    "select_one",
    "select_multiple",
    "code",
    "quantity",
)
CHECKS = ("unp", "oked", "waste_code", "email")
CLASSIFIERS = ("waste", "activity")
LANGUAGES = ("ru", "en")
FIELD_KEYS = {
    "name", "type", "label", "hint", "bind", "required", "min", "max", "max_length",
    "check", "relevant", "choices", "classifier", "multiple",
}
SECTION_KEYS = {"name", "label", "hint", "repeat", "fields"}
RELEVANCE_KEYS = {"field", "in", "equals", "filled"}

# Bound select fields must offer only values the domain knows.
ENUM_OF_BIND = {
    "stream.category": Category,
    "stream.hazard_class": HazardClass,
    "stream.regularity": Regularity,
    "stream.handling": Handling,
    "stream.readiness": Readiness,
}
BIND_TARGETS = {
    "resident": {f for f in Resident.__dataclass_fields__ if f not in ("meta", "zone_id")},
    "questionnaire": {"surveyor", "survey_date", "consent_to_share"},
    "stream": {f for f in Stream.__dataclass_fields__ if f not in ("meta", "resident_id", "questionnaire_id", "direction")},
}
assert {"surveyor", "survey_date", "consent_to_share"} <= set(Questionnaire.__dataclass_fields__)


class DefinitionError(ValueError):
    """Everything wrong with a definition file, one problem per line."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Text:
    """A text in both languages; ``get`` falls back to the other language."""

    ru: str
    en: str

    def get(self, language: str) -> str:
        return (self.en or self.ru) if language == "en" else (self.ru or self.en)


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dataclass(frozen=True)
class Relevance:
    field: str
    values: tuple[Any, ...] | None = None  # in / equals
    filled: bool | None = None

    def holds(self, value: Any) -> bool:
        if self.filled is not None:
            return is_filled(value) == self.filled
        assert self.values is not None
        return value in self.values


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: Text
    section: str
    hint: Text | None = None
    bind: str = ""  # "resident.name", "stream.code", "answers.<name>"
    required: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    check: str | None = None
    relevant: Relevance | None = None
    choices: tuple[Choice, ...] = ()
    classifier: str | None = None
    multiple: bool = False

    @property
    def target(self) -> tuple[str, str]:
        """(record kind, attribute): ``("resident", "unp")``, ``("answers", "water_m3")``."""
        kind, _, attribute = self.bind.partition(".")
        return kind, attribute

    def choice_label(self, value: str, language: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label.get(language)
        return value


@dataclass(frozen=True)
class Section:
    name: str
    label: Text
    fields: tuple[Field, ...]
    repeat: bool = False
    hint: Text | None = None

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    version: str
    title: Text
    description: Text | None
    sections: tuple[Section, ...]
    path: Path = field(compare=False, default=Path())

    def section(self, name: str) -> Section:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def scalar_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if not s.repeat)

    @property
    def repeat_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.repeat)

    def answer_names(self) -> set[str]:
        """Names of the answers kept in ``Questionnaire.answers`` by this version."""
        return {f.target[1] for s in self.scalar_sections for f in s.fields if f.target[0] == "answers"}


def is_filled(value: Any) -> bool:
    return value not in (None, "", [], ())


# ---------------------------------------------------------------- loading


def _text(raw: Any, where: str, problems: list[str], required: bool = True) -> Text | None:
    if raw is None and not required:
        return None
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) and raw.get(k) for k in LANGUAGES):
        problems.append(f"{where}: needs texts in both languages, {{ru: ..., en: ...}}")
        return Text(str(raw), str(raw))
    if set(raw) - set(LANGUAGES):
        # {ru: a, b, en: c} in YAML flow style splits at the comma: quote such texts
        problems.append(f"{where}: unexpected keys {sorted(map(str, set(raw) - set(LANGUAGES)))} (quote texts with commas)")
    return Text(raw["ru"].strip(), raw["en"].strip())


def _flatten(items: list[Any]) -> list[Any]:
    """YAML anchors let a repeat reuse another's fields: nested lists are spliced in."""
    flat: list[Any] = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


def _relevance(raw: Any, where: str, problems: list[str]) -> Relevance | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "field" not in raw or set(raw) - RELEVANCE_KEYS or len(raw) != 2:
        problems.append(f"{where}: relevant must be {{field: x, in: [...]}}, {{field: x, equals: v}} or {{field: x, filled: true}}")
        return None
    if "in" in raw:
        return Relevance(str(raw["field"]), values=tuple(raw["in"]))
    if "equals" in raw:
        return Relevance(str(raw["field"]), values=(raw["equals"],))
    return Relevance(str(raw["field"]), filled=bool(raw["filled"]))


def _choices(raw: Any, problems: list[str]) -> dict[str, tuple[Choice, ...]]:
    lists: dict[str, tuple[Choice, ...]] = {}
    for list_name, options in (raw or {}).items():
        parsed = []
        seen: set[str] = set()
        for i, option in enumerate(options or []):
            where = f"choices.{list_name}[{i}]"
            if not isinstance(option, dict) or "value" not in option:
                problems.append(f"{where}: needs value, ru and en")
                continue
            value = str(option["value"])
            if value in seen:
                problems.append(f"{where}: value {value!r} appears twice")
            seen.add(value)
            label = _text({"ru": option.get("ru"), "en": option.get("en")}, where, problems)
            parsed.append(Choice(value, label or Text(value, value)))
        lists[str(list_name)] = tuple(parsed)
    return lists


def _field(raw: Any, section: str, repeat: bool, lists: dict[str, tuple[Choice, ...]], problems: list[str]) -> Field | None:
    if not isinstance(raw, dict) or not raw.get("name"):
        problems.append(f"section {section}: a field without a name")
        return None
    name = str(raw["name"])
    where = f"section {section}, field {name}"
    for key in sorted(set(raw) - FIELD_KEYS):
        problems.append(f"{where}: unknown key {key!r}")
    ftype = raw.get("type")
    if ftype not in FIELD_TYPES:
        problems.append(f"{where}: unknown type {ftype!r} (one of {', '.join(FIELD_TYPES)})")
    bind = str(raw.get("bind") or f"answers.{name}")
    kind, _, attribute = bind.partition(".")
    if repeat and kind != "stream":
        problems.append(f"{where}: fields of a repeat bind to stream.<field>")
    elif not repeat and kind == "stream":
        problems.append(f"{where}: stream.<field> binds only inside a repeat")
    elif kind != "answers" and attribute not in BIND_TARGETS.get(kind, set()):
        problems.append(f"{where}: cannot bind to {bind!r}")
    choices: tuple[Choice, ...] = ()
    if ftype in ("select_one", "select_multiple"):
        list_name = raw.get("choices")
        if list_name not in lists:
            problems.append(f"{where}: choices list {list_name!r} is not defined")
        else:
            choices = lists[list_name]
            enum = ENUM_OF_BIND.get(bind)
            if enum is not None:
                known = {e.value for e in enum}
                for choice in choices:
                    if choice.value not in known:
                        problems.append(f"{where}: choice {choice.value!r} is not a valid {attribute}")
    if ftype == "code" and raw.get("classifier") not in CLASSIFIERS:
        problems.append(f"{where}: a code field names its classifier ({', '.join(CLASSIFIERS)})")
    if ftype == "quantity" and bind != "stream.quantity":
        problems.append(f"{where}: a quantity binds to stream.quantity")
    if raw.get("check") is not None and raw["check"] not in CHECKS:
        problems.append(f"{where}: unknown check {raw['check']!r} (one of {', '.join(CHECKS)})")
    for key in ("min", "max"):
        if raw.get(key) is not None and not isinstance(raw[key], int | float):
            problems.append(f"{where}: {key} must be a number")
    label = _text(raw.get("label"), where + " label", problems) or Text(name, name)
    return Field(
        name=name,
        type=str(ftype),
        label=label,
        section=section,
        hint=_text(raw.get("hint"), where + " hint", problems, required=False),
        bind=bind,
        required=bool(raw.get("required", False)),
        min=raw.get("min"),
        max=raw.get("max"),
        max_length=raw.get("max_length"),
        check=raw.get("check"),
        relevant=_relevance(raw.get("relevant"), where, problems),
        choices=choices,
        classifier=raw.get("classifier"),
        multiple=bool(raw.get("multiple", False)),
    )


def parse_definition(raw: Any, path: Path = Path("<definition>")) -> FormDefinition:
    """Build a definition from parsed YAML; raise ``DefinitionError`` listing every problem."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DefinitionError(path, ["the file must be a mapping with form_id, version, title, sections"])
    for key in ("form_id", "version", "title", "sections"):
        if not raw.get(key):
            problems.append(f"missing {key}")
    lists = _choices(raw.get("choices"), problems)
    sections: list[Section] = []
    section_names: set[str] = set()
    binds: dict[str, str] = {}
    for raw_section in raw.get("sections") or []:
        name = str(raw_section.get("name") or "")
        if not name:
            problems.append("a section without a name")
            continue
        if name in section_names:
            problems.append(f"section {name}: appears twice")
        section_names.add(name)
        for key in sorted(set(raw_section) - SECTION_KEYS):
            problems.append(f"section {name}: unknown key {key!r}")
        repeat = bool(raw_section.get("repeat", False))
        fields = [
            f
            for f in (_field(r, name, repeat, lists, problems) for r in _flatten(raw_section.get("fields") or []))
            if f is not None
        ]
        names = [f.name for f in fields]
        for dup in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"section {name}, field {dup}: appears twice")
        for f in fields:
            if f.relevant and f.relevant.field not in names:
                problems.append(f"section {name}, field {f.name}: relevant refers to unknown field {f.relevant.field!r}")
            if not repeat:
                if f.bind in binds:
                    problems.append(f"section {name}, field {f.name}: {f.bind} is also bound by {binds[f.bind]}")
                binds[f.bind] = f"{name}.{f.name}"
        if not fields:
            problems.append(f"section {name}: has no fields")
        sections.append(
            Section(name, _text(raw_section.get("label"), f"section {name} label", problems) or Text(name, name),
                    tuple(fields), repeat, _text(raw_section.get("hint"), f"section {name} hint", problems, required=False))
        )
    scalar_names = [f.name for s in sections if not s.repeat for f in s.fields]
    for dup in sorted({n for n in scalar_names if scalar_names.count(n) > 1}):
        problems.append(f"field {dup}: the name is used in two sections (names outside repeats are unique)")
    if problems:
        raise DefinitionError(path, problems)
    return FormDefinition(
        form_id=str(raw["form_id"]),
        version=str(raw["version"]),
        title=_text(raw["title"], "title", problems) or Text("", ""),
        description=_text(raw.get("description"), "description", problems, required=False),
        sections=tuple(sections),
        path=path,
    )


def load_definition(path: Path) -> FormDefinition:
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        raise DefinitionError(path, [f"not valid YAML: {exc}"]) from None
    return parse_definition(raw, path)


DEFAULT_FORM = "sez_resident.yaml"


@cache
def default_definition() -> FormDefinition:
    """The questionnaire shipped in forms/, loaded and checked once per process."""
    return load_definition(forms_dir() / DEFAULT_FORM)
