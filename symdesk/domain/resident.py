"""A resident company of the zone."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from enum import StrEnum

from symdesk.domain.codes import normalise_activity_code, normalise_unp
from symdesk.domain.geo import check_coordinates
from symdesk.domain.issues import N_, Issue
from symdesk.domain.records import RecordMeta


class ResidentStatus(StrEnum):
    ACTIVE = "active"
    PLANNED = "planned"  # registered, building its plant
    SUSPENDED = "suspended"
    LEFT = "left"  # no longer a resident; kept for history


@dataclass
class Resident:
    zone_id: str
    name: str
    short_name: str = ""
    unp: str = ""
    activity_codes: list[str] = field(default_factory=list)
    site_id: str | None = None
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    staff_count: int | None = None
    main_products: str = ""
    status: ResidentStatus = ResidentStatus.ACTIVE
    notes: str = ""
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def normalise(self) -> None:
        """Put codes in canonical form where they can be read; leave the rest for validate."""
        self.name = self.name.strip()
        self.short_name = self.short_name.strip()
        if self.unp and (unp := normalise_unp(self.unp)):
            self.unp = unp
        codes = []
        for code in self.activity_codes:
            normalised = normalise_activity_code(code)
            codes.append(normalised or code.strip())
        self.activity_codes = [c for c in dict.fromkeys(codes) if c]

    def validate(self, known_activity_classes: Container[str] | None = None) -> list[Issue]:
        """Every problem with this resident, each naming its field.

        ``known_activity_classes`` holds the four-digit NACE Rev. 2 classes;
        an ОКЭД code whose first four digits are not among them is refused.
        """
        issues: list[Issue] = []
        if not self.name.strip():
            issues.append(Issue("name", N_("The resident needs a name")))
        if self.unp.strip() and normalise_unp(self.unp) is None:
            issues.append(
                Issue(
                    "unp",
                    N_("UNP «{value}» is not 9 characters of the allowed form"),
                    {"value": self.unp},
                )
            )
        for code in self.activity_codes:
            digits = normalise_activity_code(code)
            if digits is None:
                issues.append(
                    Issue("activity_codes", N_("«{value}» is not an OKED code"), {"value": code})
                )
            elif known_activity_classes is not None and digits[:4] not in known_activity_classes:
                issues.append(
                    Issue(
                        "activity_codes",
                        N_("OKED code {value}: {cls} is not a NACE Rev. 2 class"),
                        {"value": code, "cls": f"{digits[:2]}.{digits[2:4]}"},
                    )
                )
        if self.staff_count is not None and self.staff_count < 0:
            issues.append(Issue("staff_count", N_("Staff count cannot be negative")))
        if self.email and "@" not in self.email:
            issues.append(Issue("email", N_("«{value}» is not an e-mail address"), {"value": self.email}))
        issues += check_coordinates(self.latitude, self.longitude)
        return issues
