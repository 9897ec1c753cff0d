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
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from symdesk.classifiers.reference import activity_classes
from symdesk.matching.text import phrase_positions, stem_phrase, tokens
from symdesk.paths import resources_dir

# Evidence weights: an exact waste-code precedent says most, a shared material
# class about as much as a shared sub-chapter, a shared chapter little.
W_EXACT, W_SUBCHAPTER, W_CHAPTER, W_MATERIAL = 8.0, 3.0, 1.0, 4.0
W_RULE = 6.0  # tuned by benchmarks/eval_kb.py (2.5 → 6 raised class recall@5 0.37 → 0.44)
PROVIDER_SAME_CLASS, PROVIDER_SAME_DIVISION = 1.5, 1.2


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
        )


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


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def read_materials(path: Path) -> list[MaterialClass]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Rule(
            r["id"],
            kind,
            r["material"],
            tuple(str(a) for a in r["activities"]),
            r["provenance"],
            r.get("reasoning", ""),
        )
        for kind in ("uses", "gives")
        for r in data.get(kind, [])
    ]


def read_exchanges(path: Path) -> list[Exchange]:
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
            )
            for r in csv.DictReader(f)
        ]


def _representative_class(code: str) -> str:
    """A 4-digit class for a division/group code from the literature: its first class."""
    if len(code) == 4:
        return code
    inside = sorted(c for c in activity_classes() if c.startswith(code))
    return inside[0] if inside else code.ljust(4, "0")


def _activity_fit(rule_code: str, activity: str) -> float:
    """How well an activity matches a code from a rule or precedent (class, group or division)."""
    if not activity or not rule_code:
        return 0.0
    if rule_code == activity[: len(rule_code)]:
        return 1.0 if len(rule_code) == 4 else 0.6
    return 0.25 if rule_code[:2] == activity[:2] else 0.0


class KnowledgeBase:
    """Material classes, literature exchanges and rules, with the two UNIDO search modes."""

    def __init__(
        self, materials: list[MaterialClass], exchanges: list[Exchange], rules: list[Rule]
    ):
        self.materials = {m.key: m for m in materials}
        self.exchanges = list(exchanges)
        self.hand_rules = list(rules)
        self._classes_of = {
            e.exchange_id: tuple(
                self.material_classes(
                    f"{e.material} {e.material_detail}", e.ewc_codes[0] if e.ewc_codes else ""
                )
            )
            for e in self.exchanges
        }
        self.literature_rules = self._derive_rules()

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
        code = _digits(code)
        ranked: dict[str, tuple[int, int, int]] = {}
        if len(code) == 6:
            for m in self.materials.values():
                if code in m.ewc:
                    ranked[m.key] = (0, 0, 0)
                elif code[:4] in m.ewc:
                    ranked.setdefault(m.key, (1, 0, 0))
        words = tokens(name)
        covered: dict[str, set[int]] = {}
        for m in self.materials.values():
            hits: set[int] = set()
            for phrase in m.stems:
                hits |= phrase_positions(words, phrase)
            if hits:
                covered[m.key] = hits
        for key, hits in covered.items():
            if any(hits < other for other in covered.values()):
                continue
            ranked.setdefault(key, (2, -len(hits), -sum(len(words[i]) for i in hits)))
        result = sorted(ranked, key=lambda k: (ranked[k], k))
        for key in list(result):
            broader = self.materials[key].broader
            if broader and broader not in result:
                result.append(broader)
        return result

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

        Evidence per precedent: its waste code against ``code`` (exact, sub-chapter,
        chapter) plus a shared material class; a precedent from the same kind of
        provider counts more. Within one case only the strongest precedent per
        receiver counts, so one well-documented park does not outvote the rest.
        """
        code = _digits(code)
        code = code if len(code) == 6 else ""
        query = self.material_classes(text, code)
        qweight = {k: (1.0 if i == 0 else 0.6) for i, k in enumerate(query)}
        provider = _digits(provider_activity)[:4]
        evidence: dict[str, dict[str, float]] = defaultdict(dict)
        cited: dict[str, list[tuple[float, Exchange]]] = defaultdict(list)
        for e in self.exchanges:
            if e.case_id in exclude_cases:
                continue
            w = 0.0
            if code and e.ewc_codes:
                if code in e.ewc_codes:
                    w = W_EXACT
                elif any(c[:4] == code[:4] for c in e.ewc_codes):
                    w = W_SUBCHAPTER
                elif any(c[:2] == code[:2] for c in e.ewc_codes):
                    w = W_CHAPTER
            shared = [qweight[k] for k in self._classes_of[e.exchange_id] if k in qweight]
            if shared:
                w += W_MATERIAL * max(shared)
            if w <= 0:
                continue
            if provider:
                fit = max(_activity_fit(p, provider) for p in e.provider_nace)
                w *= (
                    PROVIDER_SAME_CLASS
                    if fit >= 0.6
                    else PROVIDER_SAME_DIVISION
                    if fit > 0
                    else 1.0
                )
            for r in e.receiver_nace:
                nace = _representative_class(r)
                per_case = evidence[nace]
                per_case[e.case_id] = max(per_case.get(e.case_id, 0.0), w)
                cited[nace].append((w, e))
        rule_ids: dict[str, list[str]] = defaultdict(list)
        scores = {nace: sum(per_case.values()) for nace, per_case in evidence.items()}
        for rule in self.hand_rules:
            if rule.kind != "uses" or rule.material not in qweight:
                continue
            for i, act in enumerate(rule.activities):
                nace = _representative_class(act)
                scores[nace] = scores.get(nace, 0.0) + W_RULE * qweight[rule.material] * (
                    1 - 0.05 * i
                )
                rule_ids[nace].append(rule.rule_id)
        excluded = _excluded_ids(self.exchanges, exclude_cases)
        for rule in self.literature_rules:
            if (
                rule.kind == "uses"
                and rule.material in qweight
                and not set(rule.exchange_ids) <= excluded
            ):
                rule_ids[_representative_class(rule.activities[0])].append(rule.rule_id)
        return [ReceiverSuggestion(*row) for row in _ranked(scores, cited, rule_ids, limit)]

    # -- search by company type ------------------------------------------------

    def suggest_for_activity(self, activity: str, limit: int = 10) -> ActivitySuggestions:
        """What an activity likely gives off and needs, from precedents and rules of thumb."""
        act = _digits(activity)[:4]
        return ActivitySuggestions(self._side(act, "gives", limit), self._side(act, "uses", limit))

    def _side(self, act: str, kind: str, limit: int) -> list[MaterialSuggestion]:
        evidence: dict[str, dict[str, float]] = defaultdict(dict)
        cited: dict[str, list[tuple[float, Exchange]]] = defaultdict(list)
        for e in self.exchanges:
            codes = e.provider_nace if kind == "gives" else e.receiver_nace
            fit = max((_activity_fit(c, act) for c in codes), default=0.0)
            if fit <= 0:
                continue
            for i, key in enumerate(self._classes_of[e.exchange_id][:2]):
                w = 3.0 * fit * (1.0 if i == 0 else 0.5)
                evidence[key][e.case_id] = max(evidence[key].get(e.case_id, 0.0), w)
                cited[key].append((w, e))
        scores = {key: sum(v.values()) for key, v in evidence.items()}
        rule_ids: dict[str, list[str]] = defaultdict(list)
        for rule in self.hand_rules:
            if rule.kind != kind:
                continue
            fit = max(_activity_fit(c, act) for c in rule.activities)
            if fit > 0:
                scores[rule.material] = scores.get(rule.material, 0.0) + W_RULE * fit
                rule_ids[rule.material].append(rule.rule_id)
        return [MaterialSuggestion(*row) for row in _ranked(scores, cited, rule_ids, limit)]


def _ranked(
    scores: dict[str, float],
    cited: dict[str, list[tuple[float, Exchange]]],
    rule_ids: dict[str, list[str]],
    limit: int,
) -> list[tuple[str, float, list[Precedent], list[str]]]:
    """Best first with ties broken by key; each with its strongest ten precedents and its rules."""
    ranked = sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))[:limit]
    return [
        (
            key,
            round(score, 4),
            [Precedent.of(e) for _w, e in sorted(cited[key], key=lambda we: (-we[0], we[1].exchange_id))][:10],
            sorted(set(rule_ids[key])),
        )
        for key, score in ranked
    ]


def _excluded_ids(exchanges: list[Exchange], cases: set[str] | frozenset[str]) -> set[str]:
    return {e.exchange_id for e in exchanges if e.case_id in cases} if cases else set()


@cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    return KnowledgeBase.from_files()
