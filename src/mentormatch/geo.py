"""Great-circle distances between mentors and mentees, for proximity scores and distance rules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from mentormatch.profiles import Profile

__all__ = ["EARTH_RADIUS_KM", "distance_km"]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), in km."""


def _radians(people: Sequence[Profile]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lat = np.array([np.nan if p.latitude is None else p.latitude for p in people], dtype=float)
    lon = np.array([np.nan if p.longitude is None else p.longitude for p in people], dtype=float)
    return np.radians(lat), np.radians(lon)


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
    lat1, lon1 = _radians(mentors)
    lat2, lon2 = _radians(mentees)
    dlat = lat2[None, :] - lat1[:, None]
    dlon = lon2[None, :] - lon1[:, None]
    h = (
        np.sin(dlat / 2) ** 2
        + np.cos(lat1)[:, None] * np.cos(lat2)[None, :] * np.sin(dlon / 2) ** 2
    )
    distance: NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance
