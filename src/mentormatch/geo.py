"""Great-circle distances between mentors and mentees, for proximity scores and distance rules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.profiles import Profile

__all__ = ["EARTH_RADIUS_KM", "distance_km", "great_circle_km"]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), in km."""


def _degrees(people: Sequence[Profile]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lat = np.array([np.nan if p.latitude is None else p.latitude for p in people], dtype=float)
    lon = np.array([np.nan if p.longitude is None else p.longitude for p in people], dtype=float)
    return lat, lon


def great_circle_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Haversine distance in km between points in decimal degrees, broadcast like numpy.

    Examples
    --------
    >>> round(float(great_circle_km(59.91, 10.75, 59.33, 18.07)))
    416
    """
    phi1, lam1, phi2, lam2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2)
    )
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    )
    distance: NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance


def distance_km(mentors: Sequence[Profile], mentees: Sequence[Profile]) -> NDArray[np.float64]:
    """Great-circle distance in km, shape (mentors, mentees); NaN where a coordinate is missing.

    Examples
    --------
    >>> from mentormatch.profiles import Profile
    >>> oslo = Profile(id="m", role="mentor", organisation="Oslo", region="Oslo",
    ...                latitude=59.91, longitude=10.75)
    >>> stockholm = Profile(id="e", role="mentee", organisation="Stockholm",
    ...                     region="Stockholms län", latitude=59.33, longitude=18.07)
    >>> round(float(distance_km([oslo], [stockholm])[0, 0]))
    416
    """
    lat1, lon1 = _degrees(mentors)
    lat2, lon2 = _degrees(mentees)
    return great_circle_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :])
