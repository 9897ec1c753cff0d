"""The zone (СЭЗ), its sites, and the survey campaigns it runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from symdesk.domain.geo import check_coordinates
from symdesk.domain.issues import N_, Issue
from symdesk.domain.records import RecordMeta


@dataclass
class Zone:
    name: str
    short_name: str = ""
    region: str = ""
    administration: str = ""
    latitude: float | None = None
    longitude: float | None = None
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def id(self) -> str:
        return self.meta.id

    def validate(self) -> list[Issue]:
        issues = []
        if not self.name.strip():
            issues.append(Issue("name", N_("The zone needs a name")))
        issues += check_coordinates(self.latitude, self.longitude)
        return issues


@dataclass
class Site:
    """A plot or industrial site of the zone (участок), where residents sit."""

    zone_id: str
    name: str
    code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def id(self) -> str:
        return self.meta.id

    def validate(self) -> list[Issue]:
        issues = []
        if not self.name.strip():
            issues.append(Issue("name", N_("The site needs a name")))
        issues += check_coordinates(self.latitude, self.longitude)
        return issues


@dataclass
class Campaign:
    """A survey round (анкетирование), e.g. «Анкетирование 2026»."""

    zone_id: str
    name: str
    year: int
    start_date: date | None = None
    end_date: date | None = None
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def id(self) -> str:
        return self.meta.id

    def validate(self) -> list[Issue]:
        issues = []
        if not self.name.strip():
            issues.append(Issue("name", N_("The campaign needs a name")))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            issues.append(Issue("end_date", N_("The campaign ends before it starts")))
        return issues
