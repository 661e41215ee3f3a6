"""Great-circle distances between mentors and mentees, for proximity scores and distance rules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from mentormatch.profiles import Profile

__all__ = ["EARTH_RADIUS_KM", "distance_km", "great_circle_km", "located"]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), in km."""


def located(people: Sequence[Profile]) -> NDArray[np.float64]:
    """Latitude and longitude of each person, shape (people, 2); NaN where unknown."""
    return np.array(
        [
            (np.nan, np.nan)
            if p.latitude is None or p.longitude is None
            else (p.latitude, p.longitude)
            for p in people
        ],
        dtype=np.float64,
    ).reshape(len(people), 2)


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
    return great_circle_km(located(mentors), located(mentees))


def great_circle_km(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Haversine distance in km between every point of ``a`` and every point of ``b``
    (each shape (k, 2): latitude, longitude in degrees), shape (len(a), len(b)); NaN
    where a coordinate is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(great_circle_km(np.array([[59.91, 10.75]]), np.array([[59.33, 18.07]]))[0, 0]))
    416
    """
    lat1, lon1 = np.radians(a[:, 0]), np.radians(a[:, 1])
    lat2, lon2 = np.radians(b[:, 0]), np.radians(b[:, 1])
    dlat = lat2[None, :] - lat1[:, None]
    dlon = lon2[None, :] - lon1[:, None]
    h = (
        np.sin(dlat / 2) ** 2
        + np.cos(lat1)[:, None] * np.cos(lat2)[None, :] * np.sin(dlon / 2) ** 2
    )
    distance: NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance
