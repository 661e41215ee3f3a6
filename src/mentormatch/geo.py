"""Great-circle distances between mentors and mentees, for proximity scores and distance rules.

:func:`distance_km` and :func:`great_circle_km` are the plain haversine in
float64, every place of one side with every place of the other. For large blocks,
:func:`half_angles` reduces each place to four float32 terms measured from a
nearby origin, and :func:`haversine_km` pairs them up with two small matrix
products; see its docstring for why that stays accurate for short distances.
:func:`farther_than` decides a distance limit as the float64 haversine would, at
the float32 speed: it screens in float32 and measures again near the limit.
:func:`haversine_km_floor` bounds :func:`haversine_km` from below over a box of
terms (a group of places), so a group of places too far away can be skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from mentormatch.profiles import Profile

__all__ = [
    "EARTH_RADIUS_KM",
    "distance_km",
    "farther_than",
    "great_circle_km",
    "half_angles",
    "haversine_km",
    "haversine_km_floor",
    "located",
    "terms_of",
]

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
    return _haversine(a[:, None, :], b[None, :, :])


def _haversine(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """The float64 haversine between ``a[..., :]`` and ``b[..., :]`` (latitude, longitude
    in the last axis), broadcast over the others."""
    lat1, lon1 = np.radians(a[..., 0]), np.radians(a[..., 1])
    lat2, lon2 = np.radians(b[..., 0]), np.radians(b[..., 1])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distance: NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance


def half_angles(
    latitude: NDArray[np.float64], longitude: NDArray[np.float64], origin: tuple[float, float]
) -> NDArray[np.float32]:
    """Each place's haversine terms, measured from ``origin``, for :func:`haversine_km`.

    Parameters
    ----------
    latitude, longitude : ndarray
        Decimal degrees, one per place (finite).
    origin : (float, float)
        Latitude and longitude of a point near the places, such as the middle of their range.

    Returns
    -------
    ndarray of float32, shape (n, 4)
        ``[sin u, cos u, c sin v, c cos v]``, where ``u`` and ``v`` are half the
        latitude and longitude offsets from ``origin`` in radians and ``c`` is
        the square root of the cosine of the latitude. Computed in float64, stored in float32.

    Examples
    --------
    >>> import numpy as np
    >>> half_angles(np.array([60.0]), np.array([10.0]), origin=(60.0, 10.0)).astype(float).round(3)
    array([[0.   , 1.   , 0.   , 0.707]])
    """
    phi = np.radians(latitude)
    u = (phi - np.radians(origin[0])) / 2
    v = np.radians(longitude - origin[1]) / 2
    c = np.sqrt(np.cos(phi))
    return np.stack([np.sin(u), np.cos(u), c * np.sin(v), c * np.cos(v)], axis=1).astype(np.float32)


def _outer(x: NDArray[np.float32], y: NDArray[np.float32]) -> NDArray[np.float32]:
    values: NDArray[np.float32] = x @ y.T
    return values


def haversine_km(
    first: NDArray[np.float32],
    second: NDArray[np.float32],
    product: Callable[[NDArray[np.float32], NDArray[np.float32]], NDArray[np.float32]] = _outer,
) -> NDArray[np.float32]:
    """Great-circle km between places given by their :func:`half_angles` (same origin), in float32.

    The haversine ``h = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)`` as bilinear
    forms of per-place terms: ``sin(Δφ/2) = sin u2 cos u1 - cos u2 sin u1``
    and ``sqrt(cos φ1 cos φ2) sin(Δλ/2) = c1 c2 (sin v2 cos v1 - cos v2 sin v1)``,
    so a block of places costs two matrix products with two columns each.
    Measured from a nearby origin, the terms that cancel are small where the
    distances are short, which keeps float32 within a metre of the float64
    haversine from 0.1 to 2,000 km across Norway and Sweden (tested).

    Parameters
    ----------
    first, second : ndarray of float32, shapes (n, 4) and (m, 4)
        From :func:`half_angles` with one origin.
    product : callable, optional
        ``(x, y) -> sums of products of paired rows``; the default pairs every
        place of ``first`` with every place of ``second`` (``x @ y.T``, shape
        (n, m)); a row-wise dot product pairs them one to one instead.

    Examples
    --------
    >>> import numpy as np
    >>> terms = half_angles(np.array([59.91, 59.33]), np.array([10.75, 18.07]), (60.0, 14.0))
    >>> round(float(haversine_km(terms[:1], terms[1:])[0, 0]), 1)
    416.4
    """
    lead = first[:, _LEAD] * _SIGN.astype(np.float32)
    half_chord = product(lead[:, :2], second[:, :2])
    across = product(lead[:, 2:], second[:, 2:])
    np.square(half_chord, out=half_chord)
    np.square(across, out=across)
    half_chord += across
    np.sqrt(half_chord, out=half_chord)
    np.clip(half_chord, 0, 1, out=half_chord)
    np.arcsin(half_chord, out=half_chord)
    half_chord *= np.float32(2 * EARTH_RADIUS_KM)
    return half_chord


_LEAD = np.array([1, 0, 3, 2])
_SIGN = np.array([1, -1, 1, -1])
""":func:`haversine_km` pairs the second place's terms with ``_SIGN * first[:, _LEAD]``."""

FLOAT32_STEPS = 1e-6
"""Relative slack, taken off the root and again off the distance, for the float32 steps
after the products in :func:`haversine_km` and in :func:`haversine_km_floor`. Up to the
root, both take three correctly rounded steps (squares, sum, root: 3 units of 2**-24 in
all, 1.8e-7); after it, arcsin (3.1 units, measured) and the scaling (0.5) in each, and
the slack's own product: under 8 units, 4.8e-7. Each is under the 1e-6 allowed."""

Span = Callable[
    [NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]],
    tuple[NDArray[np.float32], NDArray[np.float32]],
]
"""``(low, high, y) -> (least, most)``: bounds of the float32 products ``x @ y.T`` over
``low <= x <= high``, a box per row of ``low`` and ``high``."""


def haversine_km_floor(
    low: NDArray[np.float32], high: NDArray[np.float32], second: NDArray[np.float32], span: Span
) -> NDArray[np.float32]:
    """At most the float32 :func:`haversine_km` from any place whose :func:`half_angles`
    lie between ``low`` and ``high`` to each place of ``second``.

    The haversine of :func:`haversine_km` is ``h = a**2 + b**2``, where ``a`` and
    ``b`` are products of ``lead = sign * first[lead columns]`` (a signed
    permutation of the first place's terms, so its box is the permuted box,
    ends swapped where the sign is negative) with the second place's terms. Over
    the box, ``span`` says ``a`` and ``b`` lie in intervals (float32 rounding
    included); a square over an interval is at least the square of its point
    nearest 0, and the root, arcsin and ``2 R`` are increasing, so the distance
    is at least the one of those nearest points. The float32 steps after the
    products, here and in :func:`haversine_km`, lose at most :data:`FLOAT32_STEPS`
    each, taken off the root and the distance.

    Parameters
    ----------
    low, high : ndarray of float32, shape (boxes, 4)
        The least and greatest of each term over the places of each box.
    second : ndarray of float32, shape (m, 4)
        From :func:`half_angles`, with the same origin.
    span : callable
        ``(low, high, y) -> (least, most)``, as :func:`mentormatch.scoring._terms.interval_product`
        with the products' float32 rounding added.

    Returns
    -------
    ndarray of float32, shape (boxes, m)

    Examples
    --------
    A box of one place (Oslo) spans exactly its products:

    >>> import numpy as np
    >>> def one_place(low, high, y):
    ...     return low @ y.T, high @ y.T
    >>> terms = half_angles(np.array([59.91, 59.33]), np.array([10.75, 18.07]), (60.0, 14.0))
    >>> oslo = terms[:1]
    >>> round(float(haversine_km_floor(oslo, oslo, terms[1:], one_place)[0, 0]), 1)
    416.4
    """
    positive = _SIGN > 0
    lead_low = np.where(positive, low[:, _LEAD], -high[:, _LEAD])
    lead_high = np.where(positive, high[:, _LEAD], -low[:, _LEAD])
    root = np.zeros((len(low), len(second)), dtype=np.float32)
    for columns in (slice(0, 2), slice(2, 4)):
        least, most = span(lead_low[:, columns], lead_high[:, columns], second[:, columns])
        np.negative(most, out=most)
        np.maximum(least, most, out=least)
        np.maximum(least, 0, out=least)
        np.square(least, out=least)
        root += least
    np.sqrt(root, out=root)
    root *= np.float32(1 - FLOAT32_STEPS)
    np.clip(root, 0, 1, out=root)
    np.arcsin(root, out=root)
    root *= np.float32(2 * EARTH_RADIUS_KM * (1 - FLOAT32_STEPS))
    return root


SCREEN_MARGIN_KM = 1.0
"""Pairs whose float32 distance is within this of a limit (plus 0.1% of it) are measured
again in float64, so that a limit decides exactly as the float64 haversine would."""


def terms_of(places: NDArray[np.float64], origin: tuple[float, float]) -> NDArray[np.float32]:
    """:func:`half_angles` of places given as (latitude, longitude) rows; a place without
    coordinates (NaN) gets the origin's terms, and is told apart by its NaN elsewhere."""
    known = np.where(np.isnan(places), np.array(origin), places)
    return half_angles(known[:, 0], known[:, 1], origin)


def farther_than(
    first: NDArray[np.float64],
    second: NDArray[np.float64],
    km: float,
    terms: tuple[NDArray[np.float32], NDArray[np.float32]],
) -> NDArray[np.bool_]:
    """Which places of ``first`` are more than ``km`` from which of ``second`` (rows of
    latitude, longitude), exactly as :func:`great_circle_km` says, computed fast.

    ``terms`` are the places' :func:`terms_of` with one origin. The float32 distance
    screens every pair; those within :data:`SCREEN_MARGIN_KM` of ``km`` are measured
    again in float64. A place without coordinates is never farther than anything.

    Examples
    --------
    >>> import numpy as np
    >>> oslo, stockholm = np.array([[59.91, 10.75]]), np.array([[59.33, 18.07], [np.nan, np.nan]])
    >>> terms = terms_of(oslo, (60.0, 14.0)), terms_of(stockholm, (60.0, 14.0))
    >>> farther_than(oslo, stockholm, 416.0, terms).tolist()
    [[True, False]]
    >>> farther_than(oslo, stockholm, 417.0, terms).tolist()
    [[False, False]]
    """
    distance = haversine_km(*terms)
    margin = SCREEN_MARGIN_KM + 1e-3 * km
    unsure = np.abs(distance - np.float32(km)) <= margin
    far: NDArray[np.bool_] = distance > km
    if unsure.any():
        rows, columns = np.nonzero(unsure)
        far[rows, columns] = _haversine(first[rows], second[columns]) > km
    far &= ~np.isnan(first[:, :1]) & ~np.isnan(second[:, 0])[None, :]
    return far
