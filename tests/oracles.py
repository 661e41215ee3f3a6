"""Independent reference computations shared by the tests (never imported by the package)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import NDArray

from mentormatch.problem import UNRANKED, GroupLimit, Problem
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


def either_aware_mask(group: GroupLimit, shape: tuple[int, int]) -> NDArray[np.bool_]:
    """Like :func:`group_mask`, and for ``either`` groups: mentor marked or mentee marked."""
    if not group.either:
        return group_mask(group, shape)
    assert group.mentors is not None and group.mentees is not None
    m, n = shape
    mask = np.zeros(shape, dtype=bool)
    for i in range(m):
        for j in range(n):
            mask[i, j] = bool(group.mentors[i]) or bool(group.mentees[j])
    return mask


def blocking(problem: Problem, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Blocking pairs under the problem's preferences, pair by pair from the definition:
    both ranked each other, the rules allow the pair, the mentee is unpaired or prefers
    the mentor to theirs, and the mentor has room or prefers the mentee to one of theirs.
    Locked pairs the solver took out (``preferences.taken``) count as chosen."""
    prefs = problem.preferences
    if prefs is None:
        return []
    chosen = [*pairs, *prefs.taken]
    capacity = [
        int(c) + sum(1 for i, _ in prefs.taken if i == k) for k, c in enumerate(problem.capacity)
    ]
    m, n = problem.shape
    found = []
    for i in range(m):
        for j in range(n):
            ranked = prefs.mentor_rank[i, j] < UNRANKED and prefs.mentee_rank[i, j] < UNRANKED
            if not ranked or not problem.allowed[i, j] or capacity[i] == 0 or (i, j) in chosen:
                continue
            mentor_of = [ii for ii, jj in chosen if jj == j]
            mentee_wants = (
                not mentor_of or prefs.mentee_rank[i, j] < prefs.mentee_rank[mentor_of[0], j]
            )
            mine = [jj for ii, jj in chosen if ii == i]
            mentor_wants = len(mine) < capacity[i] or any(
                prefs.mentor_rank[i, j] < prefs.mentor_rank[i, jj] for jj in mine
            )
            if mentee_wants and mentor_wants:
                found.append((i, j))
    return found


def keeps_every_rule(problem: Problem, pairs: list[tuple[int, int]]) -> bool:
    """Every rule of the problem (minimums, either-groups and stability included), checked
    pair by pair."""
    mentees = [j for _, j in pairs]
    load = {i: sum(1 for ii, _ in pairs if ii == i) for i, _ in pairs}
    return (
        len(set(mentees)) == len(mentees)
        and all(problem.allowed[i, j] for i, j in pairs)
        and all(load[i] <= problem.capacity[i] for i in load)
        and problem.min_pairs <= len(pairs) <= problem.max_pairs
        and all(
            g.min <= sum(bool(either_aware_mask(g, problem.shape)[i, j]) for i, j in pairs) <= g.max
            for g in problem.groups
        )
        and set(problem.locked) <= set(pairs)
        and not blocking(problem, pairs)
    )


def all_pairings(problem: Problem) -> list[list[tuple[int, int]]]:
    """Every pairing that keeps every rule (each mentee one mentor or none), by brute force."""
    m, n = problem.shape
    found = []
    for choice in itertools.product(range(-1, m), repeat=n):
        pairs = [(i, j) for j, i in enumerate(choice) if i >= 0]
        if keeps_every_rule(problem, pairs):
            found.append(pairs)
    return found


def lexicographic(
    problem: Problem, pairs: list[tuple[int, int]], objective: str
) -> tuple[float, ...]:
    """The objective's stages of a pairing, larger is better."""
    total = float(sum(problem.scores[i, j] for i, j in pairs))
    if objective == "total":
        return (total,)
    if objective == "coverage":
        return (len(pairs), total)
    worst = min((float(problem.scores[i, j]) for i, j in pairs), default=float("inf"))
    return (len(pairs), worst, total)
