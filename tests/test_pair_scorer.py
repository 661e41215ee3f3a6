"""PairScorer: blocks, listed pairs, tiles and threads against the per-pair oracle and each other.

The oracle (``oracles.py``) scores one pair at a time in float64, written out
plainly; the scorer works in float32 on blocks, so values agree to float32
rounding (``TOL``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.cohort import Cohort
from mentormatch.errors import InputError
from mentormatch.geo import EARTH_RADIUS_KM, half_angles, haversine_km
from mentormatch.intake import example_cohort
from mentormatch.profiles import Profile
from mentormatch.scoring import (
    DEFAULT_WEIGHTS,
    BuiltIn,
    PairScorer,
    People,
    Proximity,
    Themes,
    score,
)
from mentormatch.scoring._terms import Pairs
from oracles import ORACLES, great_circle_km, oracle_frame, oracle_scores, oracle_themes
from strategies_cohort import cohorts

CRITERIA = tuple(DEFAULT_WEIGHTS)
TOL = 2e-6


@pytest.fixture
def small_tiles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiles of at most 3 x 2 pairs and chunks of 3 pairs, so that small cohorts use many."""
    monkeypatch.setattr("mentormatch.scoring._scorer.TILE_CELLS", 6)
    monkeypatch.setattr("mentormatch.scoring._scorer.TILE_COLUMNS", 2)
    monkeypatch.setattr("mentormatch.scoring._scorer.PAIRS_CHUNK", 3)
    monkeypatch.setattr("mentormatch.scoring._terms.BLOCK_PAIRS", 2)


def selections(size: int) -> st.SearchStrategy[Any]:
    """A slice or an array of positions (any order, repeats allowed) into ``range(size)``."""
    positions = st.lists(st.integers(0, size - 1), max_size=2 * size).map(
        lambda p: np.array(p, dtype=np.intp)
    )
    bounds = st.integers(-size - 1, size + 1)
    steps = st.sampled_from([None, 1, 2, -1])
    return st.one_of(positions, st.builds(slice, bounds, bounds, steps))


def weight_sets() -> st.SearchStrategy[dict[str, float]]:
    """Weights for the built-ins, some zero, not all."""
    weights = st.fixed_dictionaries({c: st.sampled_from([0.0, 0.5, 1.0, 3.0]) for c in CRITERIA})
    return weights.filter(lambda w: sum(w.values()) > 0)


class SameRegion:
    """A custom criterion: 1 when the two are in one region; unknown for region 'Troms'."""

    name = "region"

    def __call__(self, mentors: People, mentees: People) -> np.ndarray:
        a = np.array([p.region for p in mentors.profiles], dtype=object)
        b = np.array([p.region for p in mentees.profiles], dtype=object)
        values = (a[:, None] == b[None, :]).astype(float)
        values[a == "Troms", :] = np.nan
        return values


def same_region(mentor: Profile, mentee: Profile) -> float:
    return 0.5 if mentor.region == "Troms" else float(mentor.region == mentee.region)


# --- blocks, pairs and tiles agree with the whole matrix and the oracle ------------------------


@settings(max_examples=40, deadline=None)
@given(cohorts(max_mentors=7, max_mentees=9), st.data())
def test_blocks_and_pairs_equal_the_whole_matrix(cohort: Cohort, data: st.DataObject) -> None:
    scorer = PairScorer.of(cohort, criteria=[SameRegion()])
    n, m = len(scorer.mentors), len(scorer.mentees)
    rows, cols = data.draw(selections(n)), data.draw(selections(m))
    whole = scorer.matrix()
    np.testing.assert_allclose(scorer.block(rows, cols), whole[rows][:, cols], atol=TOL)
    for criterion in (*CRITERIA, "region"):
        every = scorer.criterion_matrix(criterion)
        block = scorer.criterion_block(criterion, rows, cols)
        assert block.shape == every[rows][:, cols].shape and block.dtype == np.float32
        np.testing.assert_allclose(block, every[rows][:, cols], atol=TOL, err_msg=criterion)
    k = data.draw(st.integers(0, 12))
    i = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k)), dtype=int)
    j = np.array(data.draw(st.lists(st.integers(0, m - 1), min_size=k, max_size=k)), dtype=int)
    assert scorer.pairs(i, j).dtype == np.float64
    np.testing.assert_allclose(scorer.pairs(i, j), whole[i, j], atol=TOL)
    for criterion in (*CRITERIA, "region"):
        expected = scorer.criterion_matrix(criterion)[i, j]
        np.testing.assert_allclose(scorer.criterion_pairs(criterion, i, j), expected, atol=TOL)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cohorts(max_mentors=7, max_mentees=9), weight_sets())
def test_tiled_scores_equal_the_oracle(small_tiles: None, cohort: Cohort, weights: Any) -> None:
    scores = score(cohort, weights=weights)
    expected = oracle_scores(cohort, weights)
    pd.testing.assert_frame_equal(scores.matrix, expected, check_names=False, atol=TOL)
    for criterion in CRITERIA:
        pd.testing.assert_frame_equal(
            scores.breakdown[criterion].astype(float),
            oracle_frame(cohort, criterion),
            check_names=False,
            atol=TOL,
        )
    scorer = scores.scorer
    i, j = np.divmod(np.arange(scores.matrix.size), scores.matrix.shape[1])
    np.testing.assert_allclose(scorer.pairs(i, j), expected.to_numpy().ravel(), atol=TOL)


@settings(max_examples=30, deadline=None)
@given(cohorts(max_mentors=5, max_mentees=6), st.data())
def test_built_in_criteria_score_any_people_they_are_given(
    cohort: Cohort, data: st.DataObject
) -> None:
    """Called on a subset (People.take), a criterion scores those people as in the whole."""
    mentors, mentees = People.of(cohort)
    rows = data.draw(selections(len(mentors)))
    cols = data.draw(selections(len(mentees)))
    for criterion in PairScorer.of(cohort).criteria:
        assert isinstance(criterion, BuiltIn)
        whole = np.nan_to_num(criterion(mentors, mentees), nan=0.5)
        part = criterion(mentors.take(rows), mentees.take(cols))
        np.testing.assert_allclose(
            np.nan_to_num(part, nan=0.5), whole[rows][:, cols], atol=TOL, err_msg=criterion.name
        )


def test_custom_criteria_are_scored_on_blocks_and_pairs(small_tiles: None) -> None:
    cohort = example_cohort()
    scores = score(cohort, weights={"region": 4}, criteria=[SameRegion()])
    mentors = sorted(cohort.mentors, key=lambda p: p.id)
    mentees = sorted(cohort.mentees, key=lambda p: p.id)
    region = np.array([[same_region(a, b) for b in mentees] for a in mentors])
    assert 0 < region.mean() < 1 and (region == 0.5).any()
    np.testing.assert_array_equal(scores.breakdown["region"].to_numpy(), region)
    weights = {**DEFAULT_WEIGHTS, "region": 4.0}
    built_in = oracle_scores(cohort, dict(DEFAULT_WEIGHTS)).to_numpy()
    total = sum(weights.values())
    expected = built_in * (total - 4) / total + region * 4 / total
    np.testing.assert_allclose(scores.matrix.to_numpy(), expected, atol=TOL)
    i, j = np.divmod(np.arange(region.size), region.shape[1])
    rng = np.random.default_rng(0)
    order = rng.permutation(region.size)
    pairs = scores.scorer.criterion_pairs("region", i[order], j[order])
    np.testing.assert_array_equal(pairs, region.ravel()[order])


class One:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, mentors: People, mentees: People) -> np.ndarray:
        return np.ones((len(mentors), len(mentees)))


def test_the_weighted_sum_never_exceeds_one() -> None:
    """In float32, 2/7 + 4/7 + 1/7 of 1 add up to 1.0000001; scores are clipped to [0, 1]."""
    weights = dict.fromkeys(CRITERIA, 0) | {"a": 2, "b": 4, "c": 1}
    scores = score(example_cohort(), weights=weights, criteria=[One("a"), One("b"), One("c")])
    assert scores.matrix.to_numpy().max() == 1.0
    assert scores.scorer.block(slice(None), slice(None)).max() == 1.0
    assert scores.scorer.pairs([0, 1], [2, 3]).max() == 1.0


def test_theme_credit_for_other_sub_themes_is_a_parameter() -> None:
    cohort = example_cohort()
    scores = score(cohort, criteria=[Themes(partial=0.2)])
    mentors = sorted(cohort.mentors, key=lambda p: p.id)
    mentees = sorted(cohort.mentees, key=lambda p: p.id)
    expected = [[oracle_themes(a, b, partial=0.2) for b in mentees] for a in mentors]
    assert expected != [[ORACLES["themes"](a, b) for b in mentees] for a in mentors]
    np.testing.assert_allclose(scores.breakdown["themes"].to_numpy(), expected, atol=TOL)


def test_threads_give_the_same_values(small_tiles: None) -> None:
    scorer = PairScorer.of(example_cohort(), criteria=[SameRegion()])
    one = scorer.matrix(n_jobs=1)
    np.testing.assert_array_equal(scorer.matrix(n_jobs=2), one)
    np.testing.assert_array_equal(scorer.matrix(), one)
    np.testing.assert_array_equal(
        scorer.criterion_matrix("region", n_jobs=3), scorer.criterion_matrix("region", n_jobs=1)
    )


def test_the_pairs_table_reads_each_pairs_criteria() -> None:
    cohort = example_cohort()
    result = mm.match(cohort, weights={"themes": 5}, criteria=[SameRegion()])
    breakdown = score(cohort, weights={"themes": 5}, criteria=[SameRegion()]).breakdown
    chosen = list(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))
    for criterion, frame in breakdown.items():
        expected = [float(frame.loc[m, e]) for m, e in chosen]
        np.testing.assert_allclose(result.pairs[criterion], expected, atol=1e-7)


# --- the breakdown is lazy --------------------------------------------------------------------


class Spy:
    """A custom criterion that records the shape of every call."""

    name = "spy"

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, mentors: People, mentees: People) -> np.ndarray:
        self.calls.append((len(mentors), len(mentees)))
        return np.full((len(mentors), len(mentees)), 0.25)


def test_breakdown_is_computed_when_read_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    computed: list[str] = []
    original = PairScorer.criterion_matrix

    def counting(self: PairScorer, name: str, n_jobs: int | None = None) -> Any:
        computed.append(name)
        return original(self, name, n_jobs)

    monkeypatch.setattr(PairScorer, "criterion_matrix", counting)
    cohort = example_cohort()
    scores = score(cohort)
    scores.reason("M001", "E001")
    assert computed == [] and scores.breakdown.computed == ()
    assert list(scores.breakdown) == [*CRITERIA] and len(scores.breakdown) == len(CRITERIA)
    size = scores.breakdown["size"]
    pd.testing.assert_frame_equal(
        size.astype(float), oracle_frame(cohort, "size"), check_names=False, atol=TOL
    )
    assert scores.breakdown["size"] is size
    assert computed == ["size"] and scores.breakdown.computed == ("size",)
    assert "computed: size" in repr(scores.breakdown)
    with pytest.raises(KeyError):
        scores.breakdown["sizes"]
    with pytest.raises(TypeError):
        scores.breakdown["size"] = size  # type: ignore[index]


def test_custom_criteria_are_called_on_tiles_only(small_tiles: None) -> None:
    spy = Spy()
    scores = score(example_cohort(), criteria=[spy])
    assert spy.calls and all(r * c <= 6 for r, c in spy.calls)
    spy.calls.clear()
    assert scores.reason("M003", "E004").endswith("spy 0.25")
    assert spy.calls == [(1, 1)]
    spy.calls.clear()
    unweighted = score(example_cohort(), weights={"spy": 0}, criteria=[spy])
    assert spy.calls == []
    assert (unweighted.breakdown["spy"].to_numpy() == 0.25).all()
    assert spy.calls and all(r * c <= 6 for r, c in spy.calls)


# --- proximity in float32 stays accurate at short distances -----------------------------------


def _destinations(
    lat: np.ndarray, lon: np.ndarray, bearing: np.ndarray, km: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where a great circle of ``km`` from each place in direction ``bearing`` ends (float64)."""
    d, p1, l1 = km / EARTH_RADIUS_KM, np.radians(lat), np.radians(lon)
    p2 = np.arcsin(np.sin(p1) * np.cos(d) + np.cos(p1) * np.sin(d) * np.cos(bearing))
    y = np.sin(bearing) * np.sin(d) * np.cos(p1)
    l2 = l1 + np.arctan2(y, np.cos(d) - np.sin(p1) * np.sin(p2))
    return np.degrees(p2), np.degrees(l2)


def _nordic_journeys(seed: int, n: int, longest_km: float) -> tuple[np.ndarray, ...]:
    """``n`` starts in Norway/Sweden and where 0.1 to ``longest_km`` km (log-uniform) lead."""
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(55, 71, n), rng.uniform(5, 31, n)
    km = np.exp(rng.uniform(math.log(0.1), math.log(longest_km), n))
    return (lat, lon, *_destinations(lat, lon, rng.uniform(0, 2 * math.pi, n), km), km)


def place(latitude: float, longitude: float, id: str = "p", role: str = "mentor") -> Profile:
    return Profile(
        id=id, role=role, organisation="o", region="r", latitude=latitude, longitude=longitude
    )


def test_float32_haversine_is_within_a_metre_from_100_m_to_2000_km() -> None:
    lat, lon, lat2, lon2, km = _nordic_journeys(seed=7, n=3000, longest_km=2000)
    origin = (63.0, 18.0)
    a, b = half_angles(lat, lon, origin), half_angles(lat2, lon2, origin)
    expected = np.array(
        [
            great_circle_km(place(p, q), place(s, t))
            for p, q, s, t in zip(lat, lon, lat2, lon2, strict=True)
        ]
    )
    np.testing.assert_allclose(expected, km, rtol=1e-9)
    listed = haversine_km(a, b, lambda x, y: np.einsum("ij,ij->i", x, y))
    assert np.abs(listed - expected).max() < 0.001
    blocked = np.diagonal(haversine_km(a[:500], b[:500]))
    assert np.abs(blocked - expected[:500]).max() < 0.001


def test_proximity_measures_from_the_cohorts_middle_so_short_distances_stay_exact() -> None:
    """Up to 50 km apart, the criterion's own terms give km within 0.5 m (from 0 N 0 E: ~1 m)."""
    n = 2000
    lat, lon, lat2, lon2, _ = _nordic_journeys(seed=3, n=n, longest_km=50)
    mentors = [place(*at, f"m{k:04d}", "mentor") for k, at in enumerate(zip(lat, lon, strict=True))]
    mentees = [
        place(*at, f"e{k:04d}", "mentee") for k, at in enumerate(zip(lat2, lon2, strict=True))
    ]
    terms = Proximity().terms(*People.of(Cohort(profiles=(*mentors, *mentees))))
    listed = haversine_km(terms.mentor, terms.mentee, Pairs(np.arange(n), np.arange(n)).product)
    expected = [great_circle_km(m, e) for m, e in zip(mentors, mentees, strict=True)]
    assert np.abs(listed - expected).max() < 0.0005


def test_antipodes_are_finite() -> None:
    """Rounding can put the haversine just above 1 at half the globe; it is clipped.

    (Half the globe is where float32 is coarse: arcsin is steep near 1.)
    """
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(-80, 80, 2000), rng.uniform(-180, 0, 2000)
    km = haversine_km(
        half_angles(lat, lon, (0.0, 0.0)),
        half_angles(-lat, lon + 180, (0.0, 0.0)),
        Pairs(np.arange(2000), np.arange(2000)).product,
    )
    assert np.isfinite(km).all()
    np.testing.assert_allclose(km, math.pi * EARTH_RADIUS_KM, atol=10.0)


def test_proximity_of_close_places_matches_the_oracle() -> None:
    places = [(59.91 + k * 1e-4, 10.75 + k * 3e-4) for k in range(6)]
    cohort = Cohort(
        profiles=tuple(
            Profile(
                id=f"{role}{k}",
                role=role,
                organisation="o",
                region="r",
                latitude=lat,
                longitude=lon,
            )
            for k, (lat, lon) in enumerate(places)
            for role in ("mentor", "mentee")
        )
    )
    values = PairScorer.of(cohort).criterion_matrix("proximity")
    expected = oracle_frame(cohort, "proximity").to_numpy()
    assert expected.min() < 0.9999
    np.testing.assert_allclose(values, expected, atol=1e-6)
    assert Proximity().describe(cohort["mentor0"], cohort["mentee5"], 0.0) == "0 km apart"


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda s: s.block([[0]], [0]), r"argument 'mentor_rows': expected a slice or a 1-D array"),
        (lambda s: s.block([0.5], [0]), r"mentor_rows.*got list"),
        (lambda s: s.block([True], [0]), r"mentor_rows"),
        (lambda s: s.block([0], [30]), r"argument 'mentee_cols': positions must be in 0..29"),
        (lambda s: s.block([-1], [0]), r"positions must be in 0..19, got -1..-1"),
        (lambda s: s.pairs(slice(0, 2), [0, 1]), r"'mentor_idx': expected a 1-D array"),
        (lambda s: s.pairs([0, 1], [0]), r"'mentee_idx': expected as many mentees as mentors"),
        (lambda s: s.criterion_pairs("theme", [0], [0]), r"no criterion named 'theme'; valid"),
        (lambda s: s.criterion_block("x", [0], [0]), r"argument 'name'"),
        (lambda s: s.matrix(n_jobs=0), r"argument 'n_jobs': expected None or an integer >= 1"),
        (lambda s: s.matrix(n_jobs=1.5), r"n_jobs"),
    ],
)
def test_bad_positions_and_names_are_input_errors(call: Any, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        call(PairScorer.of(example_cohort()))


def test_empty_selections_give_empty_blocks() -> None:
    scorer = PairScorer.of(example_cohort())
    assert scorer.block([], slice(None)).shape == (0, 30)
    assert scorer.block(slice(5, 5), [1]).shape == (0, 1)
    assert scorer.pairs([], []).shape == (0,)
    assert scorer.criterion_pairs("size", [], []).shape == (0,)


class Returns:
    def __init__(self, name: str, make: Any) -> None:
        self.name = name
        self.make = make

    def __call__(self, mentors: People, mentees: People) -> Any:
        return self.make((len(mentors), len(mentees)))


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (
            lambda shape: np.full(shape, "high"),
            r"expected criterion 'odd' to return real numbers in \[0, 1\] or NaN, got an "
            r"array of <U4",
        ),
        (
            lambda shape: np.full(shape, "x", dtype=object),
            r"'odd' to return real numbers .*, got an array of object",
        ),
        (lambda shape: np.full(shape, 1j), r"'odd' to return real .*, got an array of complex"),
        (lambda shape: np.full(shape, np.inf), r"'odd' to return values in \[0, 1\], got values"),
        (lambda shape: np.full(shape, 1e300), r"'odd' to return values in \[0, 1\], got values"),
        (lambda shape: np.zeros(shape[::-1] if shape[0] != shape[1] else (1, 1)), r"shape"),
        (
            lambda shape: 0.5,
            r"criterion 'odd' to return an array of shape \(\d+, \d+\), got shape \(\)",
        ),
    ],
)
def test_bad_custom_criteria_are_named(small_tiles: None, make: Any, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as error:
        score(example_cohort(), criteria=[Returns("odd", make)])
    assert error.value.violations[0].argument == "criteria"


def test_numbers_in_an_object_array_are_accepted() -> None:
    odd = Returns("odd", lambda shape: np.full(shape, None, dtype=object))
    assert (score(example_cohort(), criteria=[odd]).breakdown["odd"].to_numpy() == 0.5).all()
