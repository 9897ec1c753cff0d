"""Coordinates and distances between sites."""

from __future__ import annotations

import math

from symdesk.domain.issues import N_, Issue

EARTH_RADIUS_KM = 6371.0088


def check_coordinates(lat: float | None, lon: float | None) -> list[Issue]:
    issues = []
    if (lat is None) != (lon is None):
        field_name = "longitude" if lon is None else "latitude"
        issues.append(Issue(field_name, N_("Give both latitude and longitude, or neither")))
    if lat is not None and not -90 <= lat <= 90:
        issues.append(Issue("latitude", N_("Latitude must be between -90 and 90")))
    if lon is not None and not -180 <= lon <= 180:
        issues.append(Issue("longitude", N_("Longitude must be between -180 and 180")))
    return issues


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
