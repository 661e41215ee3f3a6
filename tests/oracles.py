"""Independent reference computations shared by the tests (never imported by the package)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from mentormatch.problem import GroupLimit
from mentormatch.profiles import Profile

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(a: Profile, b: Profile) -> float:
    """Haversine distance between two located profiles, written out without numpy."""
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def group_mask(group: GroupLimit, shape: tuple[int, int]) -> NDArray[np.bool_]:
    """The (mentors x mentees) pairs a group counts, built from its fields pair by pair."""
    m, n = shape
    mask = np.zeros(shape, dtype=bool)
    if group.pairs is not None:
        for i, j in group.pairs.tolist():
            mask[i, j] = True
        return mask
    for i in range(m):
        for j in range(n):
            mask[i, j] = (group.mentors is None or bool(group.mentors[i])) and (
                group.mentees is None or bool(group.mentees[j])
            )
    return mask
