"""Upper bounds on groups of mentors: the guarantee against brute force, tightness, grouping.

The guarantee: for every group ``g`` and mentee ``j``, no member of ``g`` scores
more with ``j`` (by :meth:`PairScorer.block`, float32 rounding and all) than
``upper_bounds[g, j]``. Brute force here is scoring every member and taking the
group's maximum. It is checked for each built-in criterion alone and for all
together, with missing inputs, custom criteria, groups from ``mentor_groups`` and
random (overlapping) groups, on hypothesis cohorts and on synthetic ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import mentormatch as mm
from mentormatch.cohort import Cohort
from mentormatch.errors import InputError
from mentormatch.geo import half_angles, haversine_km, haversine_km_floor
from mentormatch.profiles import Profile
from mentormatch.scoring import (
    DEFAULT_WEIGHTS,
    BuiltIn,
    MentorGroups,
    PairScorer,
    People,
    Proximity,
)
from mentormatch.scoring._terms import Box, Terms, float32_rounding, interval_product
from strategies_cohort import cohorts

CRITERIA = tuple(DEFAULT_WEIGHTS)
TIGHT = 1e-4
"""How far above the score a group of one mentor (or of identical ones) may be bounded
(4.3e-5 measured, proximity alone: its rounding allowance, 24 m, over km_scale)."""
WEIGHT_SETS = [
    pytest.param({c: float(c == alone) for c in CRITERIA}, id=alone) for alone in CRITERIA
] + [pytest.param(dict(DEFAULT_WEIGHTS), id="all")]


def group_best(scorer: PairScorer, groups: MentorGroups, cols: Any) -> NDArray[np.float32]:
    """Brute force: each group's best score with each mentee, every member scored."""
    scores = scorer.block(groups.members, cols)
    return np.maximum.reduceat(scores, groups.starts[:-1], axis=0)


def assert_bounded(scorer: PairScorer, groups: MentorGroups, cols: Any = slice(None)) -> None:
    bounds = scorer.upper_bounds(groups, cols)
    best = group_best(scorer, groups, cols)
    assert bounds.shape == best.shape and bounds.dtype == np.float32
    over = best > bounds
    if over.any():
        g, j = np.argwhere(over)[0]
        raise AssertionError(
            f"group {groups.group(g).tolist()} scores {best[g, j]!r} with mentee column {j}, "
            f"above its bound {bounds[g, j]!r} ({int(over.sum())} such)"
        )


def assert_tight(scorer: PairScorer, groups: MentorGroups, cols: Any = slice(None)) -> None:
    gap = scorer.upper_bounds(groups, cols) - group_best(scorer, groups, cols)
    assert gap.min() >= 0 and gap.max() <= TIGHT, (gap.min(), gap.max())


def singletons(scorer: PairScorer) -> MentorGroups:
    return scorer.group_mentors([[i] for i in range(len(scorer.mentors))])


def random_groups(n: int, rng: np.random.Generator) -> list[NDArray[np.intp]]:
    """A random partition of ``range(n)`` into groups of 1 to 12, and two overlapping groups."""
    order = rng.permutation(n)
    cuts = np.cumsum(rng.integers(1, 13, size=n))
    parts = np.split(order, cuts[cuts < n])
    extra = [rng.choice(n, size=rng.integers(1, n + 1), replace=True) for _ in range(2)]
    return [*parts, *extra]


def crowd(count: int, fields: Callable[[], dict[str, Any]]) -> Cohort:
    """``count`` mentors and ``count`` mentees of one organisation, each given ``fields()``."""
    return Cohort(
        profiles=tuple(
            Profile(id=f"{role}{k}", role=role, organisation="X", region="R", **fields())
            for role in ("mentor", "mentee")
            for k in range(count)
        )
    )


def with_gaps(cohort: Cohort, share: float, seed: int) -> Cohort:
    """Each input of each person left blank with probability ``share`` (the place's name too,
    or the cohort would find its coordinates from it)."""
    rng = np.random.default_rng(seed)
    blanks = {
        "years_in_role": None,
        "population": None,
        "level": None,
        "themes": (),
        "languages": (),
        "latitude": None,
    }
    people = []
    for person in cohort.profiles:
        update = {k: v for k, v in blanks.items() if rng.random() < share}
        if "latitude" in update:
            update |= {"longitude": None, "organisation": "Elsewhere", "region": "Elsewhere"}
        people.append(person.model_copy(update=update))
    return Cohort(profiles=tuple(people))


@pytest.fixture(scope="module")
def synthetic() -> Cohort:
    return with_gaps(mm.synthetic_cohort(400, 300, seed=1), 0.05, seed=2)


# --- the guarantee ----------------------------------------------------------------------------


@pytest.mark.parametrize("weights", WEIGHT_SETS)
def test_bounds_hold_on_a_synthetic_cohort(synthetic: Cohort, weights: dict[str, float]) -> None:
    scorer = PairScorer.of(synthetic, weights=weights)
    cols = np.random.default_rng(0).permutation(len(scorer.mentees))
    for size in (2, 7, 32, 400):
        assert_bounded(scorer, scorer.mentor_groups(size), cols)
    assert_bounded(scorer, scorer.group_mentors(random_groups(400, np.random.default_rng(3))))
    assert_tight(scorer, singletons(scorer))


@settings(max_examples=150, deadline=None)
@given(
    cohorts(max_mentors=9, max_mentees=6),
    st.sampled_from([None, *CRITERIA]),
    st.randoms(use_true_random=False),
)
def test_bounds_hold_on_any_cohort(cohort: Cohort, alone: str | None, random: Any) -> None:
    weights = None if alone is None else {c: float(c == alone) for c in CRITERIA}
    scorer = PairScorer.of(cohort, weights=weights)
    rng = np.random.default_rng(random.getrandbits(32))
    n = len(scorer.mentors)
    assert_bounded(scorer, scorer.group_mentors(random_groups(n, rng)))
    assert_bounded(scorer, scorer.mentor_groups(int(rng.integers(1, 5))))
    assert_tight(scorer, singletons(scorer))


CONTRARY: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    # criterion: (a mentor scoring low with the mentee, the mentee, the input left blank)
    "themes": ({"themes": ("crisis",)}, {"themes": ("strategy",)}, {"themes": ()}),
    "experience": ({"years_in_role": 0}, {"years_in_role": 10}, {"years_in_role": None}),
    "size": ({"population": 10}, {"population": 10**6}, {"population": None}),
    "proximity": (
        {"latitude": 69.6, "longitude": 18.9},
        {"latitude": 55.6, "longitude": 13.0},
        {"latitude": None, "longitude": None},
    ),
    "level": ({"level": "county"}, {"level": "municipality"}, {"level": None}),
    "language": ({"languages": ("fi",)}, {"languages": ("sv",)}, {"languages": ()}),
}


@pytest.mark.parametrize("criterion", CRITERIA)
def test_a_missing_input_may_score_the_neutral_half(criterion: str) -> None:
    """A group with a member whose input is missing (or all), and a mentee whose input is."""
    low, mentee, blank = CONTRARY[criterion]
    people = (
        Profile(id="m0", role="mentor", organisation="A", region="R", **low),
        Profile(id="m1", role="mentor", organisation="B", region="R", **blank),
        Profile(id="e0", role="mentee", organisation="C", region="R", **mentee),
        Profile(id="e1", role="mentee", organisation="D", region="R", **{**mentee, **blank}),
    )
    scorer = PairScorer.of(
        Cohort(profiles=people), weights={c: float(c == criterion) for c in CRITERIA}
    )
    groups = scorer.group_mentors([[0], [0, 1], [1]])
    bounds = scorer.upper_bounds(groups, slice(None))
    assert bounds[0, 0] < 0.2  # the known pair scores low, and its bound knows it
    assert_bounded(scorer, groups)
    np.testing.assert_allclose(bounds[1:, 0], 0.5, atol=TIGHT)
    np.testing.assert_allclose(bounds[:, 1], 0.5, atol=TIGHT)


class Region:
    """A custom criterion: 1 in the same region, 0.2 otherwise; NaN (neutral) for Troms."""

    name = "region"

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float64]:
        a = np.array([p.region for p in mentors.profiles], dtype=object)
        b = np.array([p.region for p in mentees.profiles], dtype=object)
        values = np.where(a[:, None] == b[None, :], 1.0, 0.2)
        values[a == "Troms", :] = np.nan
        return values


@settings(max_examples=40, deadline=None)
@given(cohorts(max_mentors=8, max_mentees=6), st.sampled_from([0.5, 3.0]))
def test_custom_criteria_are_bounded_by_one(cohort: Cohort, weight: float) -> None:
    scorer = PairScorer.of(cohort, weights={"region": weight}, criteria=[Region()])
    assert_bounded(scorer, scorer.mentor_groups(3))
    assert_bounded(scorer, singletons(scorer))
    alone = PairScorer.of(
        cohort, weights={c: 0.0 for c in CRITERIA} | {"region": 1.0}, criteria=[Region()]
    )
    assert (alone.upper_bounds(singletons(alone), slice(None)) == 1).all()


BLANK = {
    "themes": "themes",
    "experience": "years_in_role",
    "size": "population",
    "proximity": "latitude",
    "level": "level",
    "language": "languages",
}


@pytest.mark.parametrize("criterion", CRITERIA)
def test_a_member_with_a_missing_input_lifts_the_bound_to_half_and_no_more(
    synthetic: Cohort, criterion: str
) -> None:
    """Groups of a mentor whose input is known and one whose input is missing: the bound
    is the greater of the known one's score and 0.5 (a missing input adds nothing else)."""
    scorer = PairScorer.of(synthetic, weights={c: float(c == criterion) for c in CRITERIA})
    blank = np.array([not getattr(p, BLANK[criterion]) for p in scorer.mentors.profiles])
    known, unknown = np.flatnonzero(~blank), np.flatnonzero(blank)
    assert len(unknown) >= 5
    pairs = [[i, unknown[k % len(unknown)]] for k, i in enumerate(known)]
    groups = scorer.group_mentors(pairs)
    best = group_best(scorer, groups, slice(None))
    assert (best > 0.5).any() and (best == 0.5).any()
    assert_tight(scorer, groups)


@dataclass(frozen=True)
class Tenure(BuiltIn):
    """A criterion of our own on terms that cancel: ``clip(1.1 (a - b) + 0.5, 0, 1)`` of
    years near 10,000, whose float32 products round by about 1e-3."""

    name: str = "tenure"

    def terms(self, mentors: People, mentees: People) -> Terms:
        a, b = mentors.column("years_in_role"), mentees.column("years_in_role")
        return Terms.of(
            np.column_stack([a, np.ones_like(a)]),
            np.column_stack([np.full_like(b, 1.1), 0.5 - 1.1 * b]),
            ~np.isnan(a),
            ~np.isnan(b),
            formula=self._clipped,
            bound=self._clipped_top,
        )

    @staticmethod
    def _clipped(x: Any, y: Any, product: Any) -> Any:
        return np.clip(product(x, y), 0, 1)

    @staticmethod
    def _clipped_top(box: Box, y: Any) -> Any:
        return np.clip(box.top(y), 0, 1)


def test_criteria_of_our_own_keep_their_products_rounding_inside_the_bound() -> None:
    rng = np.random.default_rng(16)
    cohort = crowd(40, lambda: {"years_in_role": float(np.float32(1e4 + rng.uniform(-0.4, 0.4)))})
    weights = {c: 0.0 for c in CRITERIA} | {"tenure": 1.0}
    scorer = PairScorer.of(cohort, weights=weights, criteria=[Tenure()])
    exact = [[1.1 * (a.years_in_role - b.years_in_role) + 0.5 for b in scorer.mentees.profiles]
             for a in scorer.mentors.profiles]  # fmt: skip
    error = np.abs(scorer.block(slice(None), slice(None)) - np.clip(exact, 0, 1))
    assert error.max() > 1e-4  # rounding well beyond MARGIN
    assert_bounded(scorer, singletons(scorer))
    assert_bounded(scorer, scorer.mentor_groups(4))


def test_a_criterion_with_a_formula_and_no_bound_is_bounded_by_one() -> None:
    class Unbounded(Tenure):
        def terms(self, mentors: People, mentees: People) -> Terms:
            return replace(super().terms(mentors, mentees), bound=None)

    cohort = mm.synthetic_cohort(30, 20, seed=4)
    weights = {c: 0.0 for c in CRITERIA} | {"tenure": 1.0}
    scorer = PairScorer.of(cohort, weights=weights, criteria=[Unbounded()])
    assert (scorer.upper_bounds(scorer.mentor_groups(5), slice(None)) == 1).all()


def test_a_built_in_replaced_by_a_custom_criterion_is_bounded_by_one() -> None:
    class Level:
        name = "level"

        def __call__(self, mentors: People, mentees: People) -> NDArray[np.float64]:
            return np.full((len(mentors), len(mentees)), 0.9)

    cohort = mm.synthetic_cohort(30, 20, seed=4)
    weights = {c: float(c == "level") for c in CRITERIA}
    scorer = PairScorer.of(cohort, weights=weights, criteria=[Level()])
    assert (scorer.upper_bounds(scorer.mentor_groups(5), slice(None)) == 1).all()


def test_huge_numbers_are_bounded_too() -> None:
    """Years near 100,000 and populations near 10**15 (their terms' differences are exact in
    float32, by Sterbenz' lemma; a criterion whose products do round is tested below)."""
    rng = np.random.default_rng(5)
    cohort = crowd(
        40,
        lambda: {
            "years_in_role": float(1e5 + rng.integers(-20, 20)),
            "population": int(10**15 + rng.integers(-(10**13), 10**13)),
        },
    )
    for criterion in ("experience", "size"):
        weights = {c: float(c == criterion) for c in CRITERIA}
        scorer = PairScorer.of(cohort, weights=weights)
        assert_bounded(scorer, singletons(scorer))
        assert_bounded(scorer, scorer.mentor_groups(4))


def test_proximity_at_a_small_scale_holds_for_places_metres_apart() -> None:
    """At km_scale 0.05, a metre moves the score by 2%: the distance's float32 steps count."""
    rng = np.random.default_rng(6)
    cohort = crowd(
        60,
        lambda: {
            "latitude": 63.43 + rng.normal(0, 2e-4),
            "longitude": 10.39 + rng.normal(0, 4e-4),
        },
    )
    weights = {c: float(c == "proximity") for c in CRITERIA}
    scorer = PairScorer.of(cohort, weights=weights, criteria=[Proximity(km_scale=0.05)])
    scores = scorer.block(slice(None), slice(None))
    assert 0.05 < np.median(scores) < 0.95
    assert_bounded(scorer, singletons(scorer))
    assert_bounded(scorer, scorer.mentor_groups(3))


def test_bounds_computed_a_few_mentees_at_a_time_are_the_same(
    synthetic: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    scorer = PairScorer.of(synthetic)
    groups = scorer.mentor_groups(16)
    whole = scorer.upper_bounds(groups, slice(None))
    monkeypatch.setattr("mentormatch.scoring._bounds.CHUNK_CELLS", 3 * len(groups))
    np.testing.assert_allclose(scorer.upper_bounds(groups, slice(None)), whole, atol=1e-6)
    assert_bounded(scorer, groups)


# --- the pieces against brute force ------------------------------------------------------------


def test_interval_products_are_attained_at_the_box_corners() -> None:
    rng = np.random.default_rng(7)
    low = rng.normal(size=(5, 3)).astype(np.float32)
    high = low + rng.random((5, 3)).astype(np.float32)
    y = rng.normal(size=(4, 3)).astype(np.float32)
    least, most = interval_product(low, high, y)
    corners = np.array(np.meshgrid(*[[0, 1]] * 3)).reshape(3, -1).T  # 8 corners
    values = np.stack([np.where(c, high, low) @ y.T for c in corners.astype(bool)])
    np.testing.assert_allclose(least, values.min(axis=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(most, values.max(axis=0), rtol=1e-5, atol=1e-6)
    inside = low + rng.random((100, 5, 3)).astype(np.float32) * (high - low)
    products = np.einsum("bgk,jk->bgj", inside, y)
    assert (products <= most + 1e-5).all() and (products >= least - 1e-5).all()


def test_spans_hold_the_products_however_float32_sums_them() -> None:
    """Terms that cancel (thousands summing to about 1): the exact products and float32 ones
    summed in other orders may fall outside the float32 interval product, not outside a span."""
    rng = np.random.default_rng(17)
    x = rng.uniform(-1e3, 1e3, (300, 4)).astype(np.float32)
    y = rng.uniform(-1, 1, (200, 4)).astype(np.float32)
    y[:, 3] = (1 - (x[:1, :3] @ y[:, :3].T)[0]) / x[0, 3]  # mentor 0 scores about 1
    terms = Terms.of(x, y, np.ones(300, bool), np.ones(200, bool))
    members, starts = np.arange(300), np.arange(301)
    least, most = Box.of(terms, members, starts).span(y)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    sums = {
        "exact": x64 @ y64.T,
        "matmul": (x @ y.T).astype(np.float64),
        "reversed": (x[:, ::-1] @ y[:, ::-1].T).astype(np.float64),
        "pairwise": ((x[:, None, :2] * y[None, :, :2]).sum(-1)
                     + (x[:, None, 2:] * y[None, :, 2:]).sum(-1)).astype(np.float64),
    }  # fmt: skip
    for name, values in sums.items():
        assert (least <= values).all() and (values <= most).all(), name
    plain = interval_product(x, x, y)
    assert ((sums["exact"] < plain[0]) | (sums["exact"] > plain[1])).mean() > 0.1


def test_the_rounding_allowance_covers_the_corners_of_boxes() -> None:
    """Higham's bound ``gamma_k sum |c_i y_i|`` at the top corner of the box of all rows
    (each row names 2 of 400 columns, the corner all of them) is within the allowance."""
    rng = np.random.default_rng(18)
    x = np.zeros((300, 400), np.float32)
    for row in x:
        row[rng.choice(400, 2, replace=False)] = rng.uniform(0.5, 1, 2)
    y = rng.uniform(-1, 1, (50, 400)).astype(np.float32)
    corner = np.abs(x.astype(np.float64)).max(axis=0)
    gamma = 400 * 2.0**-24 / (1 - 400 * 2.0**-24)
    higham = gamma * (np.abs(y.astype(np.float64)) @ corner)
    assert higham.max() <= float32_rounding(x, y, 400)
    assert higham.max() > 10 * gamma * np.abs(x).sum(axis=1).max() * np.abs(y).max()


def test_the_distance_floor_is_below_every_distance_in_the_box() -> None:
    rng = np.random.default_rng(8)
    origin = (63.0, 15.0)
    others = half_angles(rng.uniform(55, 71, 300), rng.uniform(4, 25, 300), origin)
    for spread in (0.01, 0.5, 3.0):
        lat = rng.uniform(56, 70) + rng.uniform(-spread, spread, 50)
        lon = rng.uniform(5, 24) + rng.uniform(-2 * spread, 2 * spread, 50)
        group = half_angles(lat, lon, origin)
        low, high = group.min(axis=0, keepdims=True), group.max(axis=0, keepdims=True)
        floor = haversine_km_floor(low, high, others, interval_product)
        distances = haversine_km(group, others)
        assert (distances.min(axis=0) >= floor[0] - 1e-3).all(), spread
        # ... and close to it for a small box
        if spread == 0.01:
            assert (distances.min(axis=0) - floor[0]).max() < 10.0
    one = others[:1]
    exact = haversine_km_floor(one, one, others, interval_product)[0]
    np.testing.assert_allclose(exact, haversine_km(one, others)[0], rtol=1e-5, atol=1e-3)


# --- tightness ---------------------------------------------------------------------------------


def test_a_group_of_identical_mentors_is_bounded_by_their_score() -> None:
    """Mentors alike in every input (ids aside) make a box of one point: the bound is tight."""
    base = mm.synthetic_cohort(20, 50, seed=9)
    copies = [m.model_copy(update={"id": f"{m.id}-{k}"}) for m in base.mentors for k in range(5)]
    scorer = PairScorer.of(Cohort(profiles=(*copies, *base.mentees)))
    groups = scorer.group_mentors([np.arange(5 * g, 5 * g + 5) for g in range(20)])
    assert_tight(scorer, groups)
    assert len(scorer.mentor_groups(5)) == 20
    assert_tight(scorer, scorer.mentor_groups(5))


def test_homogeneous_groups_are_tighter_than_random_ones() -> None:
    scorer = PairScorer.of(mm.synthetic_cohort(2000, 200, seed=10))
    best = scorer.block(slice(None), slice(None)).max(axis=0)
    rng = np.random.default_rng(11)
    random = scorer.group_mentors(np.array_split(rng.permutation(2000), 63))
    skipped = {
        name: (scorer.upper_bounds(groups, slice(None)) < best - 0.05).mean()
        for name, groups in (("alike", scorer.mentor_groups(32)), ("random", random))
    }
    assert skipped["alike"] > 0.5 and skipped["random"] < 0.2, skipped


# --- grouping ----------------------------------------------------------------------------------


def test_mentor_groups_cover_every_mentor_once_in_groups_of_equal_size() -> None:
    scorer = PairScorer.of(mm.synthetic_cohort(103, 10, seed=12))
    for size in (1, 5, 32, 103, 500):
        groups = scorer.mentor_groups(size)
        assert len(groups) == math.ceil(103 / size)
        assert sorted(groups.members.tolist()) == list(range(103))
        assert groups.sizes.max() <= size and groups.sizes.max() - groups.sizes.min() <= 1
        assert all((np.diff(groups.group(g)) > 0).all() for g in range(len(groups)))


def test_mentor_groups_are_deterministic_whatever_the_row_order() -> None:
    cohort = with_gaps(mm.synthetic_cohort(200, 30, seed=13), 0.1, seed=14)
    shuffled = Cohort(profiles=tuple(np.random.default_rng(15).permutation(cohort.profiles)))
    first, again = PairScorer.of(cohort), PairScorer.of(shuffled)
    ids = [[first.mentors.ids[i] for i in first.mentor_groups(8).group(g)] for g in range(25)]
    assert ids == [
        [again.mentors.ids[i] for i in again.mentor_groups(8).group(g)] for g in range(25)
    ]
    np.testing.assert_array_equal(
        first.upper_bounds(first.mentor_groups(8), slice(None)),
        again.upper_bounds(again.mentor_groups(8), slice(None)),
    )


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda s: s.mentor_groups(0), "argument 'size': expected a whole number >= 1, got 0"),
        (lambda s: s.mentor_groups(2.5), "argument 'size'"),
        (lambda s: s.group_mentors([[0], []]), r"got empty groups \[1\]"),
        (lambda s: s.group_mentors([[0, 99]]), r"argument 'groups\[0\]': positions must be"),
        (
            lambda s: s.group_mentors(np.arange(3)),
            "expected a list of arrays of mentor positions, got an array",
        ),
        (lambda s: s.upper_bounds([[0]], [100]), "argument 'mentee_cols'"),
        (
            lambda s: s.upper_bounds(
                PairScorer.of(mm.synthetic_cohort(20, 30)).mentor_groups(4), [0]
            ),
            "expected groups made by this PairScorer",
        ),
    ],
)
def test_bad_arguments_are_input_errors(call: Any, pattern: str) -> None:
    scorer = PairScorer.of(mm.synthetic_cohort(20, 30))
    with pytest.raises(InputError, match=pattern):
        call(scorer)


def test_no_mentees_give_empty_bounds_and_lists_of_groups_work() -> None:
    scorer = PairScorer.of(mm.synthetic_cohort(20, 30))
    assert scorer.upper_bounds(scorer.mentor_groups(4), []).shape == (5, 0)
    assert scorer.upper_bounds([[3, 1], [0]], np.array([2])).shape == (2, 1)
    assert repr(scorer.mentor_groups(6)) == "MentorGroups(4 groups of 5-5 mentors)"
