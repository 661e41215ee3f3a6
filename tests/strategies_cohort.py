"""Hypothesis strategies for valid cohorts, shared by the test files.

``cohorts()`` draws mentors and mentees with random but legal profiles: some
fields missing, themes (and sub-themes) from the catalogue, capacities 0-3,
regions from a small set, coordinates inside Norway and Sweden or missing, and
optional avoid lists naming other people or organisations.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.cohort import Cohort
from mentormatch.profiles import Profile
from mentormatch.themes import catalogue

__all__ = ["REGIONS", "cohorts", "profiles", "rule_sets", "theme_entries"]

REGIONS = ("Nordland", "Troms", "Vestland", "Västra Götaland", "Norrbotten")
ORGANISATIONS = (
    "Bodø",
    "Tromsø",
    "Bergen",
    "Göteborg",
    "Kiruna",
    "Luleå",
    "Narvik",
    "Bodø kommune",
    "Uppsala kommun",
    "Region Uppsala",
)
"""Organisation names, some of one key at two levels (the words say which)."""
LANGUAGES = ("nb", "nn", "sv", "da", "en", "fi", "se")


def theme_entries() -> st.SearchStrategy[str]:
    """One theme entry as stored: a catalogue key, or ``key/sub-key``."""
    entries = [
        entry
        for key, theme in catalogue().items()
        for entry in (key, *(f"{key}/{sub}" for sub in theme.subtheme_keys))
    ]
    return st.sampled_from(entries)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def profiles(draw: st.DrawFn, person_id: str, role: str, others: tuple[str, ...]) -> Profile:
    """One valid profile with the given id and role; ``others`` are ids it may avoid."""
    avoidable = [*others, *ORGANISATIONS]
    return Profile(
        id=person_id,
        role=role,
        organisation=draw(st.sampled_from(ORGANISATIONS)),
        region=draw(st.sampled_from(REGIONS)),
        country=draw(_maybe(st.sampled_from(["NO", "SE"]))),
        level=draw(_maybe(st.sampled_from(["municipality", "county"]))),
        years_in_role=draw(_maybe(st.floats(0, 40, allow_nan=False).map(lambda y: round(y, 1)))),
        population=draw(_maybe(st.integers(0, 1_000_000))),
        themes=tuple(draw(st.lists(theme_entries(), max_size=4, unique=True))),
        languages=tuple(draw(st.lists(st.sampled_from(LANGUAGES), max_size=3, unique=True))),
        capacity=draw(st.integers(0, 3)),
        avoid=tuple(draw(st.lists(st.sampled_from(avoidable), max_size=2, unique=True))),
        **draw(_coordinates()),
    )


def _coordinates() -> st.SearchStrategy[dict[str, float | None]]:
    """Latitude and longitude in Norway/Sweden (55-71 N, 5-24 E), or missing."""
    located = st.fixed_dictionaries(
        {"latitude": st.floats(55.0, 71.0), "longitude": st.floats(5.0, 24.0)}
    )
    return st.one_of(st.just({"latitude": None, "longitude": None}), located)


@st.composite
def _cohort(
    draw: st.DrawFn, min_mentors: int, max_mentors: int, min_mentees: int, max_mentees: int
) -> Cohort:
    n_mentors = draw(st.integers(min_mentors, max_mentors))
    n_mentees = draw(st.integers(min_mentees, max_mentees))
    ids = [f"m{i}" for i in range(n_mentors)] + [f"e{j}" for j in range(n_mentees)]
    people = [
        draw(profiles(person_id, "mentor" if person_id[0] == "m" else "mentee", others))
        for person_id in ids
        for others in [tuple(i for i in ids if i != person_id)]
    ]
    return Cohort(profiles=tuple(draw(st.permutations(people))))


def cohorts(
    min_mentors: int = 1, max_mentors: int = 6, min_mentees: int = 1, max_mentees: int = 8
) -> st.SearchStrategy[Cohort]:
    """Valid cohorts with ``min..max`` mentors and mentees, in random row order.

    Ids are ``m0, m1, ...`` for mentors and ``e0, e1, ...`` for mentees.
    """
    return _cohort(min_mentors, max_mentors, min_mentees, max_mentees)


@st.composite
def rule_sets(draw: st.DrawFn, cohort: mm.Cohort) -> list[mm.Rule]:
    mentors = [p.id for p in cohort.mentors]
    mentees = [p.id for p in cohort.mentees]
    regions = sorted({p.region for p in cohort.mentees})
    options: list[st.SearchStrategy[mm.Rule]] = [
        st.builds(
            lambda a, b: mm.PairCount(min=min(a, b), max=max(a, b)), *[st.integers(0, 4)] * 2
        ),
        st.just(mm.AvoidSameOrganisation()),
        st.just(mm.AvoidDeclared()),
        st.just(mm.SameRegion()),
        st.just(mm.DifferentRegion()),
        st.builds(lambda k: mm.MaxDistance(km=k, skip_missing=True), st.sampled_from([300, 900])),
        st.builds(lambda k: mm.RegionQuota(max=k), st.integers(0, 2)),
        st.builds(
            lambda r, k: mm.RegionQuota(regions={r: k}), st.sampled_from(regions), st.integers(0, 1)
        ),
        st.builds(mm.Lock, st.sampled_from(mentors), st.sampled_from(mentees)),
        st.builds(mm.Forbid, st.sampled_from(mentors), st.sampled_from(mentees)),
    ]
    return draw(st.lists(st.one_of(options), max_size=4))
