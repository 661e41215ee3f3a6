"""Independent reference computations shared by the tests (never imported by the package)."""

from __future__ import annotations

import csv
import functools
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

import mentormatch as mm
from mentormatch.cohort import Cohort
from mentormatch.names import organisation_key
from mentormatch.problem import UNRANKED, GroupLimit, Problem
from mentormatch.profiles import Profile
from mentormatch.themes import catalogue

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


COUNTY_SAYS = ("fylke", "fylkeskommune", "fylkeskommun", "län", "region", "landsting", "county")
MUNICIPALITY_SAYS = ("kommune", "kommun", "stad", "city", "municipality")


def said_level(name: str) -> str | None:
    """The level a name says in words ("Region Uppsala": county), written out word by word;
    None when it says neither or both."""
    words = [word for word in re.split(r"[^\w'-]+", name.casefold()) if word]
    county = any(word in COUNTY_SAYS for word in words)
    municipality = any(word in MUNICIPALITY_SAYS for word in words)
    if county == municipality:
        return None
    return "county" if county else "municipality"


def level_of(person: Profile) -> str | None:
    """A person's level: the column, or else what their organisation's name says."""
    return person.level or said_level(person.organisation)


def maybe_same(a: str | None, b: str | None) -> bool:
    """Two values that may be the same: equal, or one of them unknown."""
    return not a or not b or a == b


def same_employer(a: Profile, b: Profile) -> bool:
    """One organisation: the same name key, and neither two different countries nor two
    different levels ("Region Uppsala" and "Uppsala kommun" are two)."""
    one_name = organisation_key(a.organisation) == organisation_key(b.organisation)
    return one_name and maybe_same(a.country, b.country) and maybe_same(level_of(a), level_of(b))


def names_employer(entry: str, other: Profile) -> bool:
    """Whether an ``avoid`` entry names ``other``: by id, or by organisation at the level
    the entry's words say (if they say one)."""
    employer = organisation_key(entry) == organisation_key(other.organisation)
    return entry == other.id or (employer and maybe_same(said_level(entry), level_of(other)))


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


def _declares(person: Profile, other: Profile) -> bool:
    return any(names_employer(entry, other) for entry in person.avoid)


def pair_allowed(rule: mm.Rule, mentor: Profile, mentee: Profile) -> bool:
    """Whether one pair keeps one pair-wise rule, read off the two profiles."""
    same_region = mentor.region.casefold() == mentee.region.casefold()
    match rule:
        case mm.AvoidSameOrganisation():
            return not same_employer(mentor, mentee)
        case mm.AvoidDeclared():
            return not (_declares(mentor, mentee) or _declares(mentee, mentor))
        case mm.SameRegion():
            return same_region
        case mm.DifferentRegion():
            return not same_region
        case mm.MaxDistance():
            located = None not in (mentor.latitude, mentee.latitude)
            return not located or great_circle_km(mentor, mentee) <= rule.km + 1e-6
        case mm.Forbid():
            return (mentor.id, mentee.id) != (rule.mentor_id, rule.mentee_id)
    return True


def keeps(cohort: mm.Cohort, rules: list[mm.Rule], pairs: list[tuple[str, str]]) -> bool:
    """Every rule, checked on (mentor id, mentee id) pairs straight from the profiles."""
    mentees = [e for _, e in pairs]
    load = {m: sum(1 for mm_, _ in pairs if mm_ == m) for m, _ in pairs}
    ok = len(set(mentees)) == len(mentees) and all(load[m] <= cohort[m].capacity for m in load)
    for rule in rules:
        match rule:
            case mm.PairCount():
                ok &= (rule.min or 0) <= len(pairs) <= (rule.max if rule.max is not None else 10**9)
            case mm.RegionQuota():
                per_region: dict[str, int] = {}
                for _, e in pairs:
                    region = cohort[e].region.casefold()
                    per_region[region] = per_region.get(region, 0) + 1
                own = {k.casefold(): v for k, v in (rule.regions or {}).items()}
                for region, count in per_region.items():
                    limit = own.get(region, rule.max)
                    ok &= limit is None or count <= limit
            case mm.Lock():
                ok &= (rule.mentor_id, rule.mentee_id) in pairs
            case _:
                ok &= all(pair_allowed(rule, cohort[m], cohort[e]) for m, e in pairs)
    return bool(ok)


# --- scoring: each criterion pair by pair, written out plainly --------------------------------


def _coverage(entries: tuple[str, ...]) -> dict[str, set[str]]:
    """Theme key -> the sub-themes covered (all of them for a whole theme)."""
    covered: dict[str, set[str]] = {}
    for entry in entries:
        key, _, sub = entry.partition("/")
        subs = {sub} if sub else set(catalogue()[key].subtheme_keys)
        covered.setdefault(key, set()).update(subs)
    return covered


def oracle_themes(mentor: Profile, mentee: Profile, partial: float = 0.5) -> float:
    offered, sought = _coverage(mentor.themes), _coverage(mentee.themes)
    if not offered or not sought:
        return 0.5
    credit = 0.0
    for key, subs in sought.items():
        if key in offered:
            full = not catalogue()[key].subthemes or bool(subs & offered[key])
            credit += 1.0 if full else partial
    return credit / len(sought)


def oracle_experience(mentor: Profile, mentee: Profile) -> float:
    if mentor.years_in_role is None or mentee.years_in_role is None:
        return 0.5
    return min(max(mentor.years_in_role - mentee.years_in_role, 0.0), 10.0) / 10.0


def oracle_size(mentor: Profile, mentee: Profile) -> float:
    if mentor.population is None or mentee.population is None:
        return 0.5
    gap = abs(math.log1p(mentor.population) - math.log1p(mentee.population))
    return math.exp(-gap / math.log(10))


def oracle_level(mentor: Profile, mentee: Profile) -> float:
    if mentor.level is None or mentee.level is None:
        return 0.5
    return float(mentor.level == mentee.level)


def oracle_language(mentor: Profile, mentee: Profile) -> float:
    if not mentor.languages or not mentee.languages:
        return 0.5
    nordic = {"nb", "nn", "no", "sv", "da"}
    return float(
        any(a == b or {a, b} <= nordic for a in mentor.languages for b in mentee.languages)
    )


def oracle_proximity(mentor: Profile, mentee: Profile) -> float:
    if None in (mentor.latitude, mentor.longitude, mentee.latitude, mentee.longitude):
        return 0.5
    return math.exp(-great_circle_km(mentor, mentee) / 500.0)


ORACLES = {
    "themes": oracle_themes,
    "experience": oracle_experience,
    "size": oracle_size,
    "proximity": oracle_proximity,
    "level": oracle_level,
    "language": oracle_language,
}


def oracle_frame(cohort: Cohort, criterion: str) -> pd.DataFrame:
    """One built-in criterion for every pair, mentors and mentees sorted by id."""
    mentors = sorted(cohort.mentors, key=lambda p: p.id)
    mentees = sorted(cohort.mentees, key=lambda p: p.id)
    return pd.DataFrame(
        [[ORACLES[criterion](m, e) for e in mentees] for m in mentors],
        index=[m.id for m in mentors],
        columns=[e.id for e in mentees],
    )


def oracle_scores(cohort: Cohort, weights: dict[str, float]) -> pd.DataFrame:
    """The weighted mean of the built-in criteria (weights as given, not yet normalised)."""
    total = sum(weights.values())
    return sum(w / total * oracle_frame(cohort, c) for c, w in weights.items() if w)  # type: ignore[return-value]


# --- places: read from the shared reference data in place, with csv and loops ---------------

SHARED_PLACES = Path(__file__).resolve().parents[2] / "shared" / "data" / "municipalities"


def _rows(name: str) -> list[dict[str, str]]:
    with (SHARED_PLACES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@functools.cache
def shared_municipalities() -> dict[str, dict[str, str]]:
    """Place id (``NO-1804``, ``SE-0180``) -> the shared file's row, with ``county_id`` added."""
    found: dict[str, dict[str, str]] = {}
    for row in _rows("no_kommuner_2024.csv"):
        found["NO-" + row["kommunenummer"]] = {**row, "county_id": "NO-" + row["fylkesnummer"]}
    for row in _rows("se_kommuner.csv"):
        found["SE-" + row["kommunkod"]] = {**row, "county_id": "SE-" + row["lanskod"]}
    return found


@functools.cache
def shared_borders(corners: bool) -> frozenset[frozenset[str]]:
    """Pairs of municipality ids that share a border (vertex-only ones when ``corners``)."""
    pairs = {
        frozenset({"NO-" + row["kommunenummer_a"], "NO-" + row["kommunenummer_b"]})
        for row in _rows("no_kommuner_2024_adjacency.csv")
    }
    pairs |= {
        frozenset({"SE-" + row["kommunkod_a"], "SE-" + row["kommunkod_b"]})
        for row in _rows("se_kommuner_adjacency.csv")
        if corners or row["shared"] == "edge"
    }
    return frozenset(pairs)


@functools.cache
def territory(place: str) -> frozenset[str]:
    """The municipalities a place covers: itself, or a county's municipalities."""
    municipalities = shared_municipalities()
    if place in municipalities:
        return frozenset({place})
    return frozenset(m for m, row in municipalities.items() if row["county_id"] == place)


def are_neighbours(a: str, b: str, corners: bool = True) -> bool:
    """Whether two places' territories touch or overlap, checked municipality by municipality."""
    if a == b:
        return False
    borders = shared_borders(corners)
    ta, tb = territory(a), territory(b)
    if ta & tb:
        return True
    return any(frozenset({m, n}) in borders for m in ta for n in tb)
