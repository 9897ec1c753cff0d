"""Where each resident is, for distances: its own coordinates, else those of its site.

A questionnaire often leaves the coordinates empty, but the administration
knows on which site (участок) every resident sits, and a site is a few
kilometres across. Measuring from the site keeps the distance component and
the reach rule meaningful for such residents instead of treating them as
being anywhere — which, in a national register, would pair them with every
like stream in the country.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from symdesk.domain.resident import Resident
from symdesk.domain.zone import Site


def located(residents: Sequence[Resident], sites: Iterable[Site]) -> list[Resident]:
    """The residents, those without coordinates given their site's (copies; the records are untouched)."""
    places = {s.id: (s.latitude, s.longitude) for s in sites if s.latitude is not None and s.longitude is not None}
    out = []
    for r in residents:
        if (r.latitude is None or r.longitude is None) and r.site_id in places:
            lat, lon = places[r.site_id]
            r = replace(r, latitude=lat, longitude=lon)
        out.append(r)
    return out
