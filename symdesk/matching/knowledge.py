"""The knowledge base: who gives off and who can use each kind of material.

Two sources of evidence, both cited to the user: documented exchanges from the
literature (resources/knowledge/exchanges.csv, each with its reference) and
hand-written rules of thumb (rules.yaml, each with its reasoning). Material
classes (materials.yaml) connect a resident's waste code or free-text name to
both. The literature is also summarised into rules at load time, so a rule
derived from a case disappears when that case is left out (the benchmark
relies on this).
"""

from __future__ import annotations

import csv
import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from symdesk.classifiers.reference import activity_classes
from symdesk.files.yaml_file import read_yaml
from symdesk.matching.text import phrase_positions, stem, stem_phrase, tokens
from symdesk.paths import resources_dir

# Precedents cited with each answer (the strongest).
MAX_CITED = 10

# Evidence weights for one precedent against a query: an exact waste-code
# precedent says most, a shared sub-chapter less, a shared chapter little; a
# shared material class and shared rare words of the material names add to
# it. A rule of thumb naming a receiver is worth about two good precedents:
# rules are general knowledge, precedents one park's circumstances. Tuned on
# benchmarks/eval_kb.py (leave-one-case-out); within ±25 % of these values the
# class recall@5 moves by a few queries only (an exact code at 5 to 6: 0.603,
# at 6.5 to 8: 0.594). Passing evidence to the other
# classes of a division (cement → bricks) was tried and lowered recall.
W_EXACT, W_SUBCHAPTER, W_CHAPTER, W_MATERIAL, W_TEXT = 6.0, 3.0, 1.0, 2.0, 2.0
W_RULE = 16.0
RULE_DECAY = 0.05  # a rule lists its receivers most typical first
PROVIDER_SAME_CLASS, PROVIDER_SAME_DIVISION = 1.5, 1.2
NAME_OVER_CODE, CODE_UNDER_NAME = 0.9, 0.5  # class weights when name and code disagree
CODE_CONFLICT = 0.3  # a shared code counts this much when the material names disagree
# Words that say nothing about what a material is («waste», «residue»), as stems.
STOP_WORDS = frozenset(
    stem(w)
    for w in (
        "waste",
        "residue",
        "residual",
        "material",
        "by-product",
        "byproduct",
        "product",
        "from",
        "and",
        "the",
        "with",
        "other",
        "for",
        "off",
        "spec",
        "off-spec",
        "used",
        "spent",
        "отходы",
        "остатки",
        "прочие",
        "для",
    )
)


@dataclass(frozen=True)
class MaterialClass:
    key: str
    name_ru: str
    name_en: str
    stems: tuple[tuple[str, ...], ...]
    ewc: tuple[str, ...]
    categories: tuple[str, ...]
    broader: str = ""


@dataclass(frozen=True)
class Exchange:
    exchange_id: str
    case_id: str
    provider_nace: tuple[str, ...]
    receiver_nace: tuple[str, ...]
    material: str
    material_detail: str
    ewc_codes: tuple[str, ...]
    final_use: str = ""
    status: str = ""
    country: str = ""
    year: str = ""
    reference: str = ""
    material_ru: str = ""  # the material's name in Russian (exchange_materials_ru.csv), "" if none
    country_ru: str = ""  # the country's name in Russian (exchange_countries.csv), "" if none


@dataclass(frozen=True)
class Rule:
    rule_id: str
    kind: str  # uses | gives
    material: str
    activities: tuple[str, ...]
    provenance: str  # "rule of thumb" or "literature"
    reasoning: str = ""
    exchange_ids: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    reasoning_ru: str = ""

    def reasoning_in(self, language: str) -> str:
        """The reasoning in ``language`` ("ru" or "en"); English where no Russian is written."""
        return self.reasoning_ru if language == "ru" and self.reasoning_ru else self.reasoning


@dataclass(frozen=True)
class Precedent:
    exchange_id: str
    case_id: str
    provider_nace: str
    receiver_nace: str
    material: str
    ewc_code: str
    reference: str
    country: str
    year: str
    material_ru: str = ""
    country_ru: str = ""

    @classmethod
    def of(cls, e: Exchange) -> Precedent:
        return cls(
            e.exchange_id,
            e.case_id,
            ";".join(e.provider_nace),
            ";".join(e.receiver_nace),
            e.material,
            ";".join(e.ewc_codes),
            e.reference,
            e.country,
            e.year,
            e.material_ru,
            e.country_ru,
        )

    def material_in(self, language: str) -> str:
        """The material as the literature names it, in Russian where a translation is shipped."""
        return self.material_ru if language == "ru" and self.material_ru else self.material

    def country_in(self, language: str) -> str:
        """The country, in Russian where a name is shipped (CLDR's, written by tools/build_knowledge.py)."""
        return self.country_ru if language == "ru" and self.country_ru else self.country


@dataclass(frozen=True)
class ReceiverSuggestion:
    nace_class: str
    score: float
    precedents: list[Precedent] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MaterialSuggestion:
    material_class: str
    score: float
    precedents: list[Precedent] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ActivitySuggestions:
    likely_offers: list[MaterialSuggestion]
    likely_needs: list[MaterialSuggestion]


@lru_cache(maxsize=65536)  # asked for every offer's code and provider activity: a zone has few of each
def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def read_materials(path: Path) -> list[MaterialClass]:
    data = read_yaml(path)
    return [
        MaterialClass(
            c["key"],
            c["ru"],
            c["en"],
            tuple(stem_phrase(s) for lang in ("ru", "en") for s in c["stems"].get(lang, [])),
            tuple(str(x) for x in c.get("ewc", [])),
            tuple(c.get("categories", [])),
            c.get("broader", ""),
        )
        for c in data["classes"]
    ]


def read_rules(path: Path) -> list[Rule]:
    data = read_yaml(path)
    return [
        Rule(
            r["id"],
            kind,
            r["material"],
            tuple(str(a) for a in r["activities"]),
            r["provenance"],
            r.get("reasoning", ""),
            reasoning_ru=r.get("reasoning_ru", ""),
        )
        for kind in ("uses", "gives")
        for r in data.get(kind, [])
    ]


MATERIAL_NAMES_RU = "exchange_materials_ru.csv"
COUNTRY_NAMES_RU = "exchange_countries.csv"


def read_names_ru(path: Path, column: str) -> dict[str, str]:
    """English names of the literature → Russian, from a shipped table of ``column`` and
    ``column``_ru (empty if the file is absent)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r[column]: r[f"{column}_ru"] for r in csv.DictReader(f) if r[f"{column}_ru"].strip()}


def read_exchanges(path: Path) -> list[Exchange]:
    """The documented exchanges, each with its material's and country's Russian names from the
    files beside them."""
    names_ru = read_names_ru(path.with_name(MATERIAL_NAMES_RU), "material")
    countries_ru = read_names_ru(path.with_name(COUNTRY_NAMES_RU), "country")
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Exchange(
                r["exchange_id"],
                r["case_id"],
                tuple(filter(None, r["provider_nace"].split(";"))),
                tuple(filter(None, r["receiver_nace"].split(";"))),
                r["material"],
                r["material_detail"],
                tuple(filter(None, r["ewc_codes"].split(";"))),
                r["final_use"],
                r["status"],
                r["country"],
                r["year"],
                r["reference"],
                names_ru.get(r["material"], ""),
                countries_ru.get(r["country"], ""),
            )
            for r in csv.DictReader(f)
        ]


@cache
def _representative_class(code: str) -> str:
    """A 4-digit class for a division/group code from the literature: its first class."""
    if len(code) == 4:
        return code
    inside = sorted(c for c in activity_classes() if c.startswith(code))
    return inside[0] if inside else code.ljust(4, "0")


def _receiver_classes(codes: tuple[str, ...]) -> list[str]:
    """The classes an exchange's receiver stands for: one per NACE division.

    The literature sometimes names a receiver by several groups of one
    division ("011;012" = agriculture); those are one receiver, not two, and
    ranking both would spend two places of the answer on one idea.
    """
    seen: dict[str, str] = {}
    for code in codes:
        seen.setdefault(code[:2], _representative_class(code))
    return list(seen.values())


def _content_words(text: str) -> frozenset[str]:
    """Stemmed words of a material name that say what it is (no «waste», no numbers)."""
    return frozenset(
        w for w in tokens(text) if len(w) >= 3 and not w.isdigit() and w not in STOP_WORDS
    )


def _activity_fit(rule_code: str, activity: str) -> float:
    """How well an activity matches a code from a rule or precedent (class, group or division)."""
    if not activity or not rule_code:
        return 0.0
    if rule_code == activity[: len(rule_code)]:
        return 1.0 if len(rule_code) == 4 else 0.6
    return 0.25 if rule_code[:2] == activity[:2] else 0.0


@dataclass(frozen=True)
class _Reading:
    """What an exchange's material name and code say, worked out once."""

    classes: tuple[str, ...]
    weights: dict[str, float]
    named: frozenset[str]
    words: frozenset[str]


# A precedent citing a class: (−weight, exchange id, exchange), so that a list of them sorts
# strongest first, ties by id, by plain tuple comparison (an id is cited once per class).
Cited = tuple[float, str, Exchange]
# Each receiving class's score, and the precedents citing it.
Evidence = tuple[dict[str, float], dict[str, list[Cited]]]


@dataclass(frozen=True)
class _Material:
    """What a material says to ``receivers``, whoever asks: each precedent's evidence for it (those
    above 0), the provider codes and divisions of those precedents, and what the rules say of its
    receivers (``KnowledgeBase._rules_for``)."""

    weighed: tuple[tuple[Exchange, float], ...]
    provider_codes: frozenset[str]
    rules: tuple[dict[str, float], dict[str, list[str]]]
    # The evidence for a provider like no precedent's (``KnowledgeBase._evidence``), once asked: what
    # a declared pair's confidence reads and most receivers answers are (read, never changed).
    plain: list[Evidence] = field(default_factory=list, compare=False)

    def likeness(self, provider: str) -> tuple[str, ...]:
        """What of ``provider`` the precedents can tell apart: those of its prefixes that are a
        precedent provider's code or division. Two providers with the same are as like every
        precedent's provider (same class, group or division, or none)."""
        return tuple(provider[:n] for n in range(1, len(provider) + 1) if provider[:n] in self.provider_codes)


class KnowledgeBase:
    """Material classes, literature exchanges and rules, with the two UNIDO search modes."""

    def __init__(
        self,
        materials: list[MaterialClass],
        exchanges: list[Exchange],
        rules: list[Rule],
        *,
        _readings: dict[str, _Reading] | None = None,
    ):
        self.materials = {m.key: m for m in materials}
        self._name_cache: dict[str, dict[str, tuple[int, int]]] = {}
        self._code_cache: dict[str, dict[str, bool]] = {}
        self._first_words: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None
        self._materials: dict[tuple[str, str], _Material] = {}  # what each (code, name) asked says, whoever asks
        self._index: dict[str, set[int]] | None = None  # exchanges by EWC chapter, class and word
        self._uses_rules: dict[str, list[tuple[int, Rule]]] | None = None  # "uses" rules by material class
        self._rules_cache: dict[frozenset[tuple[str, float]], tuple[dict[str, float], dict[str, list[str]]]] = {}
        self._precedents: dict[str, Precedent] = {}
        self._division_index: dict[str, dict[str, tuple[list[int], list[int]]]] = {}  # kind → division → exchanges, rules
        self._answer_cache: dict[tuple[Any, ...], tuple[ReceiverSuggestion, ...]] = {}
        self.exchanges = list(exchanges)
        self.hand_rules = list(rules)
        # The classes each exchange's receiver stands for.
        self._receiving = {e.exchange_id: _receiver_classes(e.receiver_nace) for e in self.exchanges}
        # Each exchange's provider codes and their divisions, to tell how like a provider it is.
        self._provided = {
            e.exchange_id: (frozenset(p for p in e.provider_nace if p), frozenset(p[:2] for p in e.provider_nace if p))
            for e in self.exchanges
        }
        self._provider_prefixes = {x: codes | divisions for x, (codes, divisions) in self._provided.items()}
        # Each exchange's waste codes, their sub-chapters and chapters, to tell how near a code is.
        self._ewc_levels = {
            e.exchange_id: (frozenset(e.ewc_codes), frozenset(c[:4] for c in e.ewc_codes),
                            frozenset(c[:2] for c in e.ewc_codes))
            for e in self.exchanges
        }
        # How each exchange's material reads (classes, their weights, words):
        # a matter of the exchange alone, so a held-out copy reuses it.
        known = _readings or {}
        self._readings = {
            e.exchange_id: known.get(e.exchange_id) or self._read(e) for e in self.exchanges
        }
        self._classes_of = {x: r.classes for x, r in self._readings.items()}
        self._weights_of = {x: r.weights for x, r in self._readings.items()}
        self._named_of = {x: r.named for x, r in self._readings.items()}
        self._words_of = {x: r.words for x, r in self._readings.items()}
        # What ``_material`` reads of each exchange, in the exchanges' order: one look-up instead of four.
        self._facts = [
            (e, self._ewc_levels[x], self._named_of[x], self._weights_of[x], self._words_of[x])
            for e in self.exchanges
            for x in (e.exchange_id,)
        ]
        self.literature_rules = self._derive_rules()
        # Rarity of each word of the exchanges' material names, counted once
        # per case (one park naming twenty streams "slag" does not make it common).
        per_case: dict[str, set[str]] = defaultdict(set)
        for e in self.exchanges:
            per_case[e.case_id] |= self._words_of[e.exchange_id]
        frequency: dict[str, int] = defaultdict(int)
        for words in per_case.values():
            for w in words:
                frequency[w] += 1
        self._idf_unknown = math.log(1 + len(per_case) + 1)
        self._idf = {w: math.log(1 + len(per_case) / n) for w, n in frequency.items()}
        self.case_ids = frozenset(per_case)
        self._without: dict[frozenset[str], KnowledgeBase] = {}

    def _read(self, e: Exchange) -> _Reading:
        name, code = f"{e.material} {e.material_detail}", e.ewc_codes[0] if e.ewc_codes else ""
        return _Reading(
            tuple(self.material_classes(name, code)),
            self.class_weights(name, code),
            self._named_set(name),
            _content_words(name),
        )

    def __getstate__(self) -> dict[str, Any]:
        """The knowledge without the answers remembered so far: what a matching helper process is
        sent (``helper.py``), where a long session's answers would be megabytes to send for nothing."""
        state = self.__dict__.copy()
        for name in ("_name_cache", "_code_cache", "_materials", "_answer_cache", "_precedents", "_without",
                     "_rules_cache"):
            state[name] = {}
        return state

    def forget_answers(self) -> None:
        """Drop everything remembered per material and question (its evidence, rules and answers),
        for when the evidence weights are moved, as the evaluation's sensitivity does."""
        self._materials.clear()
        self._answer_cache.clear()
        self._rules_cache.clear()

    def without_cases(self, cases: set[str] | frozenset[str]) -> KnowledgeBase:
        """This knowledge base as if the given cases had never been documented.

        Everything learnt from the exchanges (precedents, literature rules,
        word rarities) is rebuilt from the rest; rules of thumb stay. Used to
        hold a case out honestly (benchmarks/eval_kb.py); cached per set.
        """
        key = frozenset(cases) & self.case_ids
        if not key:
            return self
        if key not in self._without:
            if len(self._without) >= 64:  # an evaluation holds out each case once
                self._without.clear()
            self._without[key] = KnowledgeBase(
                list(self.materials.values()),
                [e for e in self.exchanges if e.case_id not in key],
                self.hand_rules,
                _readings=self._readings,
            )
        return self._without[key]

    @classmethod
    def from_files(cls, directory: Path | None = None) -> KnowledgeBase:
        d = directory or resources_dir() / "knowledge"
        return cls(
            read_materials(d / "materials.yaml"),
            read_exchanges(d / "exchanges.csv"),
            read_rules(d / "rules.yaml"),
        )

    # -- material classes -------------------------------------------------

    def material_classes(self, name: str, code: str = "") -> list[str]:
        """Material classes of a stream, best first: by EWC code, then by words of its name.

        A class whose matched words are a strict subset of another's («ash» in
        «bottom ash») is dropped: the longer synonym is the more specific one.
        """
        by_code, by_name = self._code_classes(code), self._name_classes(name)
        ranked = {k: (0 if exact else 1, 0, 0) for k, exact in by_code.items()}
        for key, rank in by_name.items():
            ranked.setdefault(key, (2, *rank))
        result = sorted(ranked, key=lambda k: (ranked[k], k))
        for key in list(result):
            broader = self.materials[key].broader
            if broader and broader not in result:
                result.append(broader)
        return result

    def class_weights(self, name: str, code: str = "") -> dict[str, float]:
        """How surely a stream belongs to each of its material classes (0–1).

        Code and name agreeing is surest. When they disagree («Coke oven gas»
        filed under 10 02 02 slag, «Hydrogen» under 06 01 02 hydrochloric
        acid) neither is trusted fully: catch-all and mistaken codes are
        common in registers and in the literature alike. A class reached only
        through the code's sub-chapter, a second class of the name and a
        broader class («plastics» for HDPE) count less.
        """
        by_code, by_name = self._code_classes(code), self._name_classes(name)
        order = sorted(by_name, key=lambda k: (by_name[k], k not in by_code, k))
        named = {k: (1.0 if i == 0 else 0.8) for i, k in enumerate(order)}
        if any(by_code.values()):  # the code itself is listed: its sub-chapter adds nothing
            by_code = {k: exact for k, exact in by_code.items() if exact}
        coded = {k: (1.0 if exact else 0.6) for k, exact in by_code.items()}
        if named and coded and not set(named) & set(coded):
            named = {k: NAME_OVER_CODE * w for k, w in named.items()}
            coded = {k: CODE_UNDER_NAME * w for k, w in coded.items()}
        weights = {
            k: max(named.get(k, 0.0), coded.get(k, 0.0)) for k in named.keys() | coded.keys()
        }
        for k in set(named) & set(coded):
            weights[k] = 1.0
        for key, w in list(weights.items()):
            broader = self.materials[key].broader
            if broader:
                weights[broader] = max(weights.get(broader, 0.0), 0.6 * w)
        return weights

    def _code_classes(self, code: str) -> dict[str, bool]:
        """Classes listing the waste code itself (True) or only its sub-chapter (False); remembered
        per code (read, never changed, by its callers): a zone's streams share few codes."""
        found = self._code_cache.get(code)
        if found is None:
            digits = _digits(code)
            found = {}
            if len(digits) == 6:
                for m in self.materials.values():
                    if digits in m.ewc:
                        found[m.key] = True
                    elif digits[:4] in m.ewc:
                        found.setdefault(m.key, False)
            self._code_cache[code] = found
        return found

    def _named_set(self, name: str) -> frozenset[str]:
        """The classes a name says, with their broader classes."""
        named = set(self._name_classes(name))
        return frozenset(named | {self.materials[k].broader for k in named} - {""})

    def _name_classes(self, name: str) -> dict[str, tuple[int, int]]:
        """Classes whose synonyms occur in a name, with a sort key (most words covered first)."""
        if name in self._name_cache:
            return self._name_cache[name]
        words = tokens(name)
        covered: dict[str, set[int]] = {}
        possible = self._phrases_starting_in(words)
        for m in self.materials.values():
            if m.key not in possible:
                continue
            hits: set[int] = set()
            for phrase in possible[m.key]:
                hits |= phrase_positions(words, phrase)
            if hits:
                covered[m.key] = hits
        found = {
            key: (-len(hits), -sum(len(words[i]) for i in hits))
            for key, hits in covered.items()
            if not any(hits < other for other in covered.values())
        }
        if len(self._name_cache) < 4096:
            self._name_cache[name] = found
        return found

    def _phrases_starting_in(self, words: list[str]) -> dict[str, list[tuple[str, ...]]]:
        """The synonyms (by material class) whose first word matches one of ``words``.

        A name is then checked against a handful of synonyms instead of all of
        them: classifying every distinct stream name is most of a cold run.
        Short first stems must equal a word, longer ones be a prefix of it
        (``text._word_matches``), so a word's prefixes are looked up.
        """
        if self._first_words is None:
            index: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
            for m in self.materials.values():
                for phrase in m.stems:
                    if phrase:
                        index[phrase[0]].append((m.key, phrase))
            self._first_words = dict(index)
        found: dict[str, list[tuple[str, ...]]] = {}
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for word in words:
            for size in range(1, len(word) + 1):
                for key, phrase in self._first_words.get(word[:size], ()):
                    if (key, phrase) not in seen:
                        seen.add((key, phrase))
                        found.setdefault(key, []).append(phrase)
        return found

    def exchange_classes(self, exchange_id: str) -> tuple[str, ...]:
        return self._classes_of.get(exchange_id, ())

    def _derive_rules(self) -> list[Rule]:
        """Literature rules: (material class, activity) pairs seen in exchanges, with their ids."""
        seen: dict[tuple[str, str, str], list[Exchange]] = defaultdict(list)
        for e in self.exchanges:
            for cls_key in self._classes_of[e.exchange_id]:
                for code in e.receiver_nace:
                    seen[("uses", cls_key, code)].append(e)
                for code in e.provider_nace:
                    seen[("gives", cls_key, code)].append(e)
        return [
            Rule(
                f"lit.{kind}.{key}.{code}",
                kind,
                key,
                (code,),
                "literature",
                exchange_ids=tuple(e.exchange_id for e in items),
                references=tuple(dict.fromkeys(e.reference for e in items)),
            )
            for (kind, key, code), items in sorted(seen.items())
        ]

    # -- search by by-product / waste ----------------------------------------

    def _material(self, code: str, text: str) -> _Material:
        """The part of ``receivers`` that depends on the material only, remembered per material: a
        zone asks about the same material for many providers."""
        key = (code, text)
        found = self._materials.get(key)
        if found is not None:
            return found
        qweight = self.class_weights(text, code)
        qnamed = self._named_set(text)
        qwords = _content_words(text)
        # Words in sorted order: a set's order follows the process's hash seed, and so would a sum's last bit.
        qidf = sum(self._idf.get(w, self._idf_unknown) for w in sorted(qwords))
        weighed: list[tuple[Exchange, float]] = []
        facts = self._facts
        for i in self._sharing(code, qweight, qwords):
            e, (codes, subchapters, chapters), named, ew, words = facts[i]
            w = 0.0
            if code and codes:
                if code in codes:
                    w = W_EXACT
                elif code[:4] in subchapters:
                    w = W_SUBCHAPTER
                elif code[:2] in chapters:
                    w = W_CHAPTER
                if qnamed and named and not qnamed & named:
                    w *= CODE_CONFLICT  # same code, but the names say different things
            shared = [qweight[k] * ew[k] for k in ew if k in qweight]
            if shared:
                w += W_MATERIAL * max(shared)
            if qidf:
                common = qwords & words
                if common:
                    w += W_TEXT * sum(self._idf[x] for x in sorted(common)) / qidf
            if w > 0:
                weighed.append((e, w))
        found = _Material(
            tuple(weighed),
            frozenset().union(*(self._provider_prefixes[e.exchange_id] for e, _ in weighed)),
            self._rules_for(qweight),
        )
        if len(self._materials) < 65536:
            self._materials[key] = found
        return found

    def _sharing(self, code: str, classes: Mapping[str, float], words: frozenset[str]) -> list[int]:
        """The exchanges that can be evidence for a material, by their place in order: those sharing
        its EWC chapter, one of its classes or one of its words (the others' evidence is 0)."""
        if self._index is None:
            index: dict[str, set[int]] = defaultdict(set)
            for i, e in enumerate(self.exchanges):
                for c in e.ewc_codes:
                    index["ewc:" + c[:2]].add(i)
                for k in self._weights_of[e.exchange_id]:
                    index["class:" + k].add(i)
                for w in self._words_of[e.exchange_id]:
                    index["word:" + w].add(i)
            self._index = dict(index)
        found: set[int] = set()
        keys = [*(["ewc:" + code[:2]] if code else []), *("class:" + k for k in classes), *("word:" + w for w in words)]
        for key in keys:
            found |= self._index.get(key, set())
        return sorted(found)

    def receivers(
        self,
        *,
        code: str = "",
        text: str = "",
        provider_activity: str = "",
        limit: int = 10,
        exclude_cases: set[str] | frozenset[str] = frozenset(),
    ) -> list[ReceiverSuggestion]:
        """Activity classes that could use a waste, ranked by the evidence for each.

        Evidence per precedent: its waste code against ``code`` (exact,
        sub-chapter, chapter), a shared material class and shared rare words
        of the material names; a precedent from the same kind of provider
        counts more. Within one case only the strongest precedent per receiver
        counts, so one well-documented park does not outvote the rest, and
        each further case adds its own. Rules of thumb for the material add
        their receivers. ``exclude_cases`` answers as if those cases had never
        been documented: everything learnt from the exchanges is rebuilt
        without them (see :meth:`without_cases`).
        """
        if exclude_cases and frozenset(exclude_cases) & self.case_ids:
            return self.without_cases(exclude_cases).receivers(
                code=code, text=text, provider_activity=provider_activity, limit=limit
            )
        code = _digits(code)
        code = code if len(code) == 6 else ""
        material = self._material(code, text)
        provider = _digits(provider_activity)[:4]
        # The provider counts only through which precedents' providers it is like: the answer is
        # the same for every provider alike to the same ones (a zone asks once per kind of provider).
        likeness = material.likeness(provider)
        key = (code, text, limit, likeness)
        answer = self._answer_cache.get(key)
        if answer is None:
            answer = tuple(self._receivers(material, provider[:2], frozenset(likeness), limit))
            if len(self._answer_cache) < 65536:
                self._answer_cache[key] = answer
        return list(answer)

    def _receivers(
        self,
        material: _Material,
        division: str,
        likeness: frozenset[str],
        limit: int,
    ) -> list[ReceiverSuggestion]:
        """The answer for a provider of ``division`` whose prefixes that precedent providers have are
        ``likeness`` (``_evidence``)."""
        scores, cited = self._evidence(material, division, likeness)
        return [ReceiverSuggestion(*row) for row in _ranked(scores, cited, material.rules[1], limit, self._precedent)]

    def receiver_precedent_counts(self, *, code: str, text: str, limit: int) -> dict[str, int]:
        """``{s.nace_class: len(s.precedents) for s in receivers(code=code, text=text, limit=limit)}``
        without citing the precedents: what a declared pair's knowledge-base confidence reads, for
        every material of a zone on its first run."""
        code = _digits(code)
        material = self._material(code if len(code) == 6 else "", text)
        scores, cited = self._evidence(material, "", frozenset())
        return {key: min(MAX_CITED, len(cited.get(key, ()))) for key, _ in _best_scores(scores, limit)}

    def _evidence(self, material: _Material, division: str, likeness: frozenset[str]) -> Evidence:
        """Each receiving class's score and the precedents that cite it (``Cited``), for a
        provider of ``division`` whose prefixes that precedent providers have are ``likeness``: a
        precedent whose provider code is one of them is from the same kind of provider
        (``_activity_fit`` 0.6 or 1), one that shares only the division a like one (0.25). With no
        likeness the division does not matter, and the evidence is worked out once per material."""
        if not likeness and material.plain:
            return material.plain[0]
        evidence: dict[str, dict[str, float]] = {}
        cited: dict[str, list[Cited]] = {}
        receiving = self._receiving
        for e, w in material.weighed:
            if likeness:
                w *= self._provider_weight(e, division, likeness)
            case = e.case_id
            for nace in receiving[e.exchange_id]:
                per_case = evidence.get(nace)
                if per_case is None:
                    evidence[nace], cited[nace] = {case: w}, [(-w, e.exchange_id, e)]
                    continue
                if w > per_case.get(case, 0.0):
                    per_case[case] = w
                cited[nace].append((-w, e.exchange_id, e))
        by_rule = material.rules[0]
        scores = dict(by_rule)
        for nace, per_case in evidence.items():
            scores[nace] = sum(per_case.values()) + by_rule.get(nace, 0.0)
        if not likeness:
            material.plain.append((scores, cited))
        return scores, cited

    def _provider_weight(self, e: Exchange, division: str, likeness: frozenset[str]) -> float:
        """How much more a precedent counts for a provider like its own: ``PROVIDER_SAME_CLASS`` when
        one of its provider codes is a prefix of the provider's activity (``_activity_fit`` 0.6 or 1),
        ``PROVIDER_SAME_DIVISION`` when one only shares its division (0.25), else 1."""
        codes, divisions = self._provided[e.exchange_id]
        if not codes.isdisjoint(likeness):
            return PROVIDER_SAME_CLASS
        return PROVIDER_SAME_DIVISION if division in divisions else 1.0

    def _rules_for(self, qweight: dict[str, float]) -> tuple[dict[str, float], dict[str, list[str]]]:
        """What the rules say of a material's receivers: each class's points from the rules of thumb,
        and the ids of every rule (of thumb or from the literature) that names it. The same for the
        same class weights, which a zone's materials share (read, never changed, by its callers)."""
        key = frozenset(qweight.items())
        found = self._rules_cache.get(key)
        if found is None:
            found = self._rules_of(qweight)
            if len(self._rules_cache) < 65536:
                self._rules_cache[key] = found
        return found

    def _rules_of(self, qweight: dict[str, float]) -> tuple[dict[str, float], dict[str, list[str]]]:
        if self._uses_rules is None:
            uses: dict[str, list[tuple[int, Rule]]] = defaultdict(list)
            for i, rule in enumerate((*self.hand_rules, *self.literature_rules)):
                if rule.kind == "uses":
                    uses[rule.material].append((i, rule))
            self._uses_rules = dict(uses)
        # In the order the rules are written, as sums of floats depend on it.
        found = sorted((ir for k in qweight for ir in self._uses_rules.get(k, ())), key=lambda ir: ir[0])
        rule_ids: dict[str, list[str]] = defaultdict(list)
        by_rule: dict[str, float] = defaultdict(float)
        hand = len(self.hand_rules)
        for i, rule in found:
            if i < hand:
                for n, act in enumerate(rule.activities):
                    nace = _representative_class(act)
                    by_rule[nace] += W_RULE * qweight[rule.material] * (1 - RULE_DECAY * n)
                    rule_ids[nace].append(rule.rule_id)
        for i, rule in found:
            if i >= hand:
                rule_ids[_representative_class(rule.activities[0])].append(rule.rule_id)
        return by_rule, rule_ids

    def _precedent(self, e: Exchange) -> Precedent:
        """An exchange as a cited precedent: made once (a zone cites the same few thousand times)."""
        found = self._precedents.get(e.exchange_id)
        if found is None:
            found = self._precedents[e.exchange_id] = Precedent.of(e)
        return found

    # -- search by company type ------------------------------------------------

    def suggest_for_activity(self, activity: str, limit: int = 10) -> ActivitySuggestions:
        """What an activity likely gives off and needs, from precedents and rules of thumb."""
        act = _digits(activity)[:4]
        return ActivitySuggestions(self._side(act, "gives", limit), self._side(act, "uses", limit))

    def _side(self, act: str, kind: str, limit: int) -> list[MaterialSuggestion]:
        evidence: dict[str, dict[str, float]] = defaultdict(dict)
        cited: dict[str, list[Cited]] = defaultdict(list)
        exchanges, rules = self._of_division(act, kind)
        for e in exchanges:
            codes = e.provider_nace if kind == "gives" else e.receiver_nace
            fit = max((_activity_fit(c, act) for c in codes), default=0.0)
            if fit <= 0:
                continue
            for i, key in enumerate(self._classes_of[e.exchange_id][:2]):
                w = 3.0 * fit * (1.0 if i == 0 else 0.5)
                evidence[key][e.case_id] = max(evidence[key].get(e.case_id, 0.0), w)
                cited[key].append((-w, e.exchange_id, e))
        scores = {key: sum(v.values()) for key, v in evidence.items()}
        rule_ids: dict[str, list[str]] = defaultdict(list)
        for rule in rules:
            fit = max(_activity_fit(c, act) for c in rule.activities)
            if fit > 0:
                scores[rule.material] = scores.get(rule.material, 0.0) + W_RULE * fit
                rule_ids[rule.material].append(rule.rule_id)
        return [MaterialSuggestion(*row) for row in _ranked(scores, cited, rule_ids, limit, self._precedent)]

    def _of_division(self, act: str, kind: str) -> tuple[list[Exchange], list[Rule]]:
        """The exchanges (by their providers for "gives", receivers for "uses") and the rules of ``kind``
        that can fit ``act``: those naming a code of its division, or a code too short to have one.
        In their own order, as the evidence sums depend on it."""
        index = self._division_index.get(kind)
        if index is None:
            found: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
            for i, e in enumerate(self.exchanges):
                for division in {c[:2] if len(c) >= 2 else "" for c in (e.provider_nace if kind == "gives" else e.receiver_nace)}:
                    found[division][0].append(i)
            for i, rule in enumerate(self.hand_rules):
                if rule.kind == kind:
                    for division in {c[:2] if len(c) >= 2 else "" for c in rule.activities}:
                        found[division][1].append(i)
            index = self._division_index[kind] = dict(found)
        here, anywhere = index.get(act[:2], ([], [])) if act else ([], []), index.get("", ([], []))
        return (
            [self.exchanges[i] for i in sorted({*here[0], *anywhere[0]})],
            [self.hand_rules[i] for i in sorted({*here[1], *anywhere[1]})],
        )


def _ranked(
    scores: dict[str, float],
    cited: dict[str, list[Cited]],
    rule_ids: dict[str, list[str]],
    limit: int,
    precedent: Callable[[Exchange], Precedent] = Precedent.of,
) -> list[tuple[str, float, list[Precedent], list[str]]]:
    """Best first with ties broken by key; each with its strongest ten precedents and its rules."""
    return [
        (
            key,
            round(score, 4),
            [precedent(e) for _w, _id, e in heapq.nsmallest(MAX_CITED, cited.get(key, ()))],
            sorted(set(rule_ids.get(key, ()))),  # a remembered answer's rules are read, not added to
        )
        for key, score in _best_scores(scores, limit)
    ]


def _best_scores(scores: dict[str, float], limit: int) -> list[tuple[str, float]]:
    """The ``limit`` best (key, score), best first, ties (to 9 decimals) by key: the first of
    ``sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))``, compared as plain tuples
    (keys are unique, so a score is never compared) and only as far as the first ``limit``."""
    if limit <= 0:
        return []
    return [(key, score) for _r, key, score in heapq.nsmallest(limit, [(-round(v, 9), k, v) for k, v in scores.items()])]


@cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    return KnowledgeBase.from_files()
