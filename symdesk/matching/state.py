"""What a matching run keeps so that the next one, after a questionnaire edit, redoes only what the edit touches.

A zone's run explains some twenty thousand opportunities; an edit of one
resident's questionnaire changes a few hundred of them. The run's result is
a function of the residents, the streams and the settings, and each kind of
opportunity depends on a known part of them (``rematch.py`` says which), so
the previous run's inputs and its results, grouped by what they depend on,
are enough to find the next run's: the same opportunities, the unchanged ones
the very same objects.

The records a state keeps are the run's own and are read, never changed:
an edit is a record read anew from the database, compared with the one kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from symdesk.domain.opportunity import Opportunity
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Stream
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pooling import PoolGroup
from symdesk.matching.screen import Screened
from symdesk.matching.settings import Factors, Weights


@dataclass(frozen=True)
class Settings:
    """Everything besides the zone that a run's result depends on: a re-match applies only under the same."""

    kb: KnowledgeBase
    weights: Weights
    factors: Factors
    material_names: Mapping[str, str]
    language: str

    def same_as(self, other: Settings) -> bool:
        return (
            self.kb is other.kb and self.weights == other.weights and self.factors == other.factors
            and self.material_names == other.material_names and self.language == other.language
        )


@dataclass(frozen=True, eq=False)
class MatchState:
    """A one-process run's inputs and results, grouped by what each result depends on.

    ``screened`` holds every declared pair the run scored (its offers and
    needs: the live ones, by id), ``kept`` those kept, both without the
    columns they were scored on.
    """

    settings: Settings
    residents: Mapping[str, Resident]  # by id
    streams: Mapping[str, Stream]  # by id
    screened: Screened
    kept: Screened  # the pairs kept, in (offer, need) order
    pairs: Sequence[Opportunity]  # their opportunities, in the same order
    receivers: Mapping[str, Sequence[Opportunity]]  # suggested receivers by offer id
    guesses: Mapping[str, Sequence[Opportunity]]  # company-type guesses by the resident asked
    pools: Mapping[PoolGroup, Opportunity]  # by group (direction, pool key)
    chains: Mapping[str, Opportunity]  # by id
    declared: Mapping[str, set[str]]  # offer id → the receiving residents of its kept pairs
    opportunities: Sequence[Opportunity]  # the run's result, best first


@dataclass(frozen=True)
class MatchResult:
    """A run's opportunities, best first, and its state (``None`` for a run shared with helpers)."""

    opportunities: list[Opportunity]
    state: MatchState | None


def declared_receivers(pairs: Iterable[Opportunity]) -> dict[str, set[str]]:
    """Offer id → the receiving residents of its declared pairs."""
    found: dict[str, set[str]] = {}
    for o in pairs:
        found.setdefault(o.offer_id, set()).add(o.receiver_id)  # type: ignore[arg-type]
    return found


def by_offer(receivers: Iterable[Opportunity]) -> dict[str, list[Opportunity]]:
    """Suggested receivers grouped by their offer's id."""
    found: dict[str, list[Opportunity]] = {}
    for o in receivers:
        found.setdefault(o.offer_id, []).append(o)  # type: ignore[arg-type]
    return found


def by_asked_resident(guesses: Iterable[Opportunity]) -> dict[str, list[Opportunity]]:
    """Company-type guesses grouped by the resident they are about (their first member)."""
    found: dict[str, list[Opportunity]] = {}
    for o in guesses:
        found.setdefault(o.members[0], []).append(o)
    return found
