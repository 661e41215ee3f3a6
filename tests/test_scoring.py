"""Scoring: criteria against a per-pair oracle, invariants, weights, custom criteria, reasons."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.cohort import Cohort
from mentormatch.errors import InputError
from mentormatch.intake import example_cohort
from mentormatch.profiles import Profile
from mentormatch.scoring import DEFAULT_WEIGHTS, RESERVED_NAMES, Criterion, People, Scores, score
from oracles import great_circle_km, oracle_frame
from strategies_cohort import cohorts, theme_entries

CRITERIA = ("themes", "experience", "size", "proximity", "level", "language")
SYMMETRIC = ("size", "proximity", "level", "language")
TOL = 2e-6


# --- helpers ----------------------------------------------------------------------------------


def person(person_id: str, role: str, **fields: Any) -> Profile:
    return Profile(id=person_id, role=role, organisation="Org", region="R", **fields)


def pair(mentor: dict[str, Any], mentee: dict[str, Any]) -> Cohort:
    return Cohort(profiles=(person("m", "mentor", **mentor), person("e", "mentee", **mentee)))


def one(criterion: str, mentor: dict[str, Any], mentee: dict[str, Any]) -> float:
    return float(score(pair(mentor, mentee)).breakdown[criterion].iloc[0, 0])


def swap_roles(cohort: Cohort) -> Cohort:
    other = {"mentor": "mentee", "mentee": "mentor"}
    return Cohort(
        profiles=tuple(p.model_copy(update={"role": other[p.role]}) for p in cohort.profiles)
    )


def replaced(cohort: Cohort, person_id: str, **update: Any) -> Cohort:
    return Cohort(
        profiles=tuple(
            p.model_copy(update=update) if p.id == person_id else p for p in cohort.profiles
        )
    )


# --- the oracle --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(cohorts())
def test_every_criterion_matches_the_oracle(cohort: Cohort) -> None:
    scores = score(cohort)
    for criterion in CRITERIA:
        expected = oracle_frame(cohort, criterion)
        pd.testing.assert_frame_equal(
            scores.breakdown[criterion].astype(float),
            expected,
            check_names=False,
            atol=TOL,
            rtol=1e-5,
        )


def test_example_cohort_matches_the_oracle_and_the_weighted_mean() -> None:
    cohort = example_cohort()
    scores = score(cohort)
    expected = sum(DEFAULT_WEIGHTS[c] * oracle_frame(cohort, c) for c in CRITERIA) / sum(
        DEFAULT_WEIGHTS.values()
    )
    pd.testing.assert_frame_equal(scores.matrix, expected, check_names=False, atol=TOL)


# --- invariants over random cohorts -----------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(cohorts(), st.randoms(use_true_random=False))
def test_scores_are_finite_bounded_sorted_and_row_order_free(cohort: Cohort, rnd: Any) -> None:
    scores = score(cohort)
    mentor_ids = sorted(p.id for p in cohort.mentors)
    mentee_ids = sorted(p.id for p in cohort.mentees)
    for frame in (scores.matrix, *scores.breakdown.values()):
        assert list(frame.index) == mentor_ids
        assert list(frame.columns) == mentee_ids
        values = frame.to_numpy()
        assert np.isfinite(values).all()
        assert ((values >= 0) & (values <= 1)).all()
    assert scores.matrix.dtypes.eq(np.float64).all()
    shuffled = list(cohort.profiles)
    rnd.shuffle(shuffled)
    again = score(Cohort(profiles=tuple(shuffled)))
    pd.testing.assert_frame_equal(scores.matrix, again.matrix)
    for criterion in CRITERIA:
        pd.testing.assert_frame_equal(scores.breakdown[criterion], again.breakdown[criterion])


@settings(max_examples=30, deadline=None)
@given(cohorts())
def test_symmetric_criteria_do_not_care_who_mentors(cohort: Cohort) -> None:
    scores, swapped = score(cohort), score(swap_roles(cohort))
    for criterion in SYMMETRIC:
        pd.testing.assert_frame_equal(
            scores.breakdown[criterion], swapped.breakdown[criterion].T, check_names=False
        )


@settings(max_examples=40, deadline=None)
@given(cohorts(max_mentors=3, max_mentees=4), theme_entries(), st.data())
def test_offering_one_more_theme_never_lowers_themes(
    cohort: Cohort, entry: str, data: st.DataObject
) -> None:
    """For mentors who offer something (no themes at all is unknown, scored 0.5)."""
    mentor = data.draw(st.sampled_from(sorted(cohort.mentors, key=lambda p: p.id)))
    if not mentor.themes:
        mentor = mentor.model_copy(update={"themes": (entry,)})
        cohort = replaced(cohort, mentor.id, themes=mentor.themes)
    more = tuple(dict.fromkeys((*mentor.themes, entry)))
    before = score(cohort).breakdown["themes"].loc[mentor.id]
    after = score(replaced(cohort, mentor.id, themes=more)).breakdown["themes"].loc[mentor.id]
    assert (after >= before).all()


@settings(max_examples=40, deadline=None)
@given(cohorts(max_mentors=3, max_mentees=4), st.floats(0, 20), st.data())
def test_more_years_never_lower_experience(
    cohort: Cohort, extra: float, data: st.DataObject
) -> None:
    mentor = data.draw(st.sampled_from(sorted(cohort.mentors, key=lambda p: p.id)))
    years = 5.0 if mentor.years_in_role is None else mentor.years_in_role
    base = replaced(cohort, mentor.id, years_in_role=years)
    before = score(base).breakdown["experience"].loc[mentor.id]
    after = score(replaced(base, mentor.id, years_in_role=years + extra))
    assert (after.breakdown["experience"].loc[mentor.id] >= before).all()


# --- edge cases of each criterion -------------------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "sought", "expected"),
    [
        ("crisis;strategy", "crisis;strategy;golden-zone", 2 / 3),
        ("crisis", "crisis/preparedness", 1.0),
        ("crisis/after", "crisis", 1.0),
        ("crisis/after", "crisis/preparedness", 0.5),
        ("crisis/after;crisis/during", "crisis/preparedness;crisis/during", 1.0),
        ("political-turbulence", "political-turbulence;life-balance", 0.5),
        ("golden-zone", "crisis", 0.0),
        ("crisis", "", 0.5),
        ("", "crisis", 0.5),
    ],
)
def test_themes(offered: str, sought: str, expected: float) -> None:
    assert one("themes", {"themes": offered}, {"themes": sought}) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("mentor", "mentee", "expected"),
    [(20, 6, 1.0), (10, 6, 0.4), (6, 6, 0.0), (3, 8, 0.0), (0, 0, 0.0), (None, 3, 0.5)],
)
def test_experience(mentor: float | None, mentee: float | None, expected: float) -> None:
    value = one("experience", {"years_in_role": mentor}, {"years_in_role": mentee})
    assert value == pytest.approx(expected)


def test_size() -> None:
    assert one("size", {"population": 5000}, {"population": 5000}) == 1.0
    tenfold = one("size", {"population": 99_999}, {"population": 9_999})
    assert tenfold == pytest.approx(math.exp(-1), rel=1e-5)
    assert one("size", {"population": 0}, {"population": 0}) == 1.0
    assert one("size", {"population": 0}, {}) == 0.5
    near = one("size", {"population": 12_400}, {"population": 9_800})
    assert tenfold < near < 1


def test_level() -> None:
    assert one("level", {"level": "county"}, {"level": "fylke"}) == 1.0
    assert one("level", {"level": "county"}, {"level": "municipality"}) == 0.0
    assert one("level", {}, {"level": "municipality"}) == 0.5


@pytest.mark.parametrize(
    ("mentor", "mentee", "expected"),
    [
        ("nb", "nb", 1.0),
        ("nb", "sv", 1.0),
        ("da", "nn", 1.0),
        ("fi", "sv", 0.0),
        ("en;fi", "fi", 1.0),
        ("en", "nb", 0.0),
        ("", "nb", 0.5),
    ],
)
def test_language(mentor: str, mentee: str, expected: float) -> None:
    assert one("language", {"languages": mentor}, {"languages": mentee}) == expected


def test_proximity() -> None:
    oslo = {"latitude": 59.91, "longitude": 10.75}
    stockholm = {"latitude": 59.33, "longitude": 18.07}
    assert one("proximity", oslo, oslo) == 1.0
    km = great_circle_km(person("a", "mentor", **oslo), person("b", "mentee", **stockholm))
    assert one("proximity", oslo, stockholm) == pytest.approx(math.exp(-km / 500), rel=1e-5)
    assert one("proximity", oslo, {"latitude": 59.33}) == 0.5


def test_all_missing_is_neutral_everywhere() -> None:
    scores = score(pair({}, {}))
    assert {c: float(f.iloc[0, 0]) for c, f in scores.breakdown.items()} == dict.fromkeys(
        CRITERIA, 0.5
    )
    assert float(scores.matrix.iloc[0, 0]) == pytest.approx(0.5, abs=1e-12)


# --- weights ----------------------------------------------------------------------------------


def test_weights_default_override_and_normalise() -> None:
    cohort = example_cohort()
    assert score(cohort).weights == {
        c: w / sum(DEFAULT_WEIGHTS.values()) for c, w in DEFAULT_WEIGHTS.items()
    }
    only = score(cohort, weights=dict.fromkeys(CRITERIA, 0) | {"experience": 4})
    assert only.weights["experience"] == 1.0
    assert only.weights["themes"] == 0.0
    np.testing.assert_allclose(
        only.matrix.to_numpy(), only.breakdown["experience"].to_numpy(), atol=1e-7
    )
    assert set(only.breakdown) == set(CRITERIA)


@pytest.mark.parametrize(
    ("weights", "pattern"),
    [
        (
            {"theme": 1},
            r"criteria \(themes, experience, size, .*\), got 'theme'; did you mean 'themes'",
        ),
        ({"size": -1}, r"for 'size', got -1"),
        ({"size": float("nan")}, r"for 'size', got nan"),
        ({"size": float("inf")}, r"for 'size', got inf"),
        ({"size": "2"}, r"for 'size', got '2'"),
        ({"size": True}, r"for 'size', got True"),
        (dict.fromkeys(CRITERIA, 0), r"got all zero; give one of themes"),
        ({"themes": 1e308, "size": 1e308}, r"got a sum that overflows \(1e\+308 \+ 2 \+ 1e\+308"),
        ([("size", 1)], r"expected a mapping of criterion name .*, got \[\('size', 1\)\]"),
    ],
)
def test_bad_weights_raise_input_error_naming_them(weights: Any, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as error:
        score(example_cohort(), weights=weights)
    assert all(v.argument == "weights" for v in error.value.violations)


def test_all_weight_problems_are_reported_together() -> None:
    with pytest.raises(InputError) as error:
        score(example_cohort(), weights={"foo": 1, "bar": 2, "size": -3, "level": math.nan})
    assert [str(v) for v in error.value.violations] == [
        "argument 'weights': expected names of criteria (themes, experience, size, proximity, "
        f"level, language), got {name!r}"
        for name in ("foo", "bar")
    ] + [
        "argument 'weights': expected a finite number >= 0 for 'size', got -3",
        "argument 'weights': expected a finite number >= 0 for 'level', got nan",
    ]


# --- custom criteria --------------------------------------------------------------------------


class SameRegion:
    name = "region"

    def __call__(self, mentors: People, mentees: People) -> np.ndarray:
        a = np.array([p.region for p in mentors.profiles], dtype=object)
        b = np.array([p.region for p in mentees.profiles], dtype=object)
        return (a[:, None] == b[None, :]).astype(float)


class Constant:
    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self.value = value

    def __call__(self, mentors: People, mentees: People) -> np.ndarray:
        return np.broadcast_to(np.asarray(self.value), (len(mentors), len(mentees)))

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        return f"constant {value:g}"


def test_custom_criterion_is_scored_weighted_and_explained() -> None:
    cohort = example_cohort()
    scores = score(cohort, weights={"region": 5}, criteria=[SameRegion()])
    assert isinstance(SameRegion(), Criterion)
    region = scores.breakdown["region"]
    mentor, mentee = cohort["M001"], cohort["E001"]
    assert float(region.loc["M001", "E001"]) == float(mentor.region == mentee.region)
    assert scores.weights["region"] == pytest.approx(5 / (5 + sum(DEFAULT_WEIGHTS.values())))
    expected = sum(scores.weights[c] * scores.breakdown[c] for c in scores.weights)
    pd.testing.assert_frame_equal(scores.matrix, expected.astype(float), atol=1e-6)
    assert scores.reason("M001", "E001").endswith(
        f"region {float(mentor.region == mentee.region):.2f}"
    )


def test_custom_criterion_replaces_a_built_in_of_its_name() -> None:
    scores = score(example_cohort(), criteria=[Constant("size", 0.25)])
    assert list(scores.breakdown) == list(CRITERIA)
    assert (scores.breakdown["size"].to_numpy() == 0.25).all()
    assert "constant 0.25" in scores.reason("M001", "E001")


def test_custom_criterion_nan_is_neutral() -> None:
    scores = score(example_cohort(), criteria=[Constant("c", math.nan)])
    assert (scores.breakdown["c"].to_numpy() == 0.5).all()


class Transposed:
    name = "t"

    def __call__(self, mentors: People, mentees: People) -> np.ndarray:
        return np.zeros((len(mentees), len(mentors)))


@pytest.mark.parametrize(
    ("criteria", "pattern"),
    [
        ([Constant("c", 1.5)], r"criterion 'c' to return values in \[0, 1\], got values from 1.5"),
        (
            [Constant("c", -0.1)],
            r"criterion 'c' to return values in \[0, 1\], got values from -0.1",
        ),
        (
            [Transposed()],
            r"criterion 't' to return an array of shape \(20, 30\), got shape \(30, 20\)",
        ),
        ([Constant("c", 1), Constant("c", 0)], r"criteria with different names, got c twice"),
        ([Constant("", 1)], r"non-empty text `name`"),
        ([lambda mentors, mentees: 1], r"non-empty text `name`"),
        (
            [Constant("c", "0.5")],
            r"criterion 'c' to return real numbers in \[0, 1\] or NaN, got an array of <U3",
        ),
        (
            [Constant("c", 0.5 + 0j)],
            r"criterion 'c' to return real numbers .* got an array of complex128",
        ),
        (Constant("c", 0.5), r"expected a list of criteria.*; pass a list: criteria=\["),
    ],
)
def test_bad_custom_criteria_raise_input_error(criteria: list[Any], pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        score(example_cohort(), criteria=criteria)


@pytest.mark.parametrize("name", RESERVED_NAMES)
def test_a_criterion_named_like_a_column_of_the_pairs_table_is_refused(name: str) -> None:
    """Its column would overwrite the pairs table's own (ids, score, names, reason...)."""
    with pytest.raises(InputError) as caught:
        mm.match(example_cohort(), criteria=[Constant("mine", 0.5), Constant(name, 0.5)])
    (violation,) = caught.value.violations
    assert violation.argument == "criteria"
    assert violation.message == (
        "expected criteria named otherwise than the pairs table's own columns "
        f"({', '.join(RESERVED_NAMES)}), got a criterion named {name!r}"
    )


def test_the_reserved_names_are_the_pairs_table_s_own_columns() -> None:
    """A column added to the pairs table must be reserved, or a criterion could overwrite it."""
    result = mm.match(example_cohort(), criteria=[Constant("mine", 0.5)])
    own = [c for c in result.pairs.columns if c not in result.weights]
    assert sorted(own) == sorted(RESERVED_NAMES)
    assert "mine" in result.pairs.columns


# --- reasons ----------------------------------------------------------------------------------


def test_reason_in_plain_words() -> None:
    cohort = pair(
        {
            "themes": "crisis;strategy;hard-leadership/media-handling",
            "years_in_role": 20,
            "population": 12_400,
            "latitude": 59.91,
            "longitude": 10.75,
            "level": "municipality",
            "languages": "nb",
        },
        {
            "themes": "crisis;strategy;golden-zone;hard-leadership/staff-reductions",
            "years_in_role": 6,
            "population": 9_800,
            "latitude": 61.12,
            "longitude": 10.47,
            "level": "municipality",
            "languages": "sv",
        },
    )
    km = great_circle_km(cohort["m"], cohort["e"])
    assert score(cohort).reason("m", "e") == (
        "offers 3 of the 4 themes sought (strategy, crisis), hard-leadership only in other "
        "sub-themes; 14 more years in the role; similar size (12,400 vs 9,800 inhabitants); "
        f"{km:,.0f} km apart; both municipalities; mutually intelligible languages (nb and sv)"
    )


def test_reason_for_missing_data_and_other_cases() -> None:
    scores = score(pair({"years_in_role": 2}, {"years_in_role": 3, "themes": "crisis"}))
    assert scores.reason("m", "e") == (
        "the mentor offers no themes; 1 fewer year in the role than the mentee; "
        "size not known; distance not known; level not known; languages not known"
    )
    other = score(
        pair(
            {"population": 500_000, "level": "county", "languages": "en", "themes": "crisis"},
            {"population": 2_000, "level": "municipality", "languages": "fi"},
        )
    )
    assert other.reason("m", "e").split("; ")[::2] == [
        "the mentee seeks no themes",
        "different size (500,000 vs 2,000 inhabitants)",
        "a county and a municipality",
    ]
    assert other.reason("m", "e").endswith("no common language")


def test_reason_leaves_out_zero_weights() -> None:
    scores = score(pair({}, {}), weights=dict.fromkeys(CRITERIA, 0) | {"level": 1})
    assert scores.reason("m", "e") == "level not known"


def test_reason_never_names_people() -> None:
    cohort = example_cohort()
    scores = score(cohort)
    names = [p.name for p in cohort.profiles if p.name]
    assert names
    for mentor in scores.matrix.index:
        for mentee in scores.matrix.columns[:5]:
            text = scores.reason(mentor, mentee)
            assert not any(re.search(rf"\b{re.escape(n)}\b", text) for n in names)


@pytest.mark.parametrize(
    ("mentor", "mentee", "argument"),
    [
        ("nobody", "E001", "mentor_id"),
        ("M001", "nobody", "mentee_id"),
        ("E001", "M001", "mentor_id"),
    ],
)
def test_reason_unknown_id(mentor: str, mentee: str, argument: str) -> None:
    scores: Scores = score(example_cohort())
    with pytest.raises(InputError, match=r"no (mentor|mentee) with id") as error:
        scores.reason(mentor, mentee)
    assert error.value.violations[0].argument == argument


def test_not_a_cohort() -> None:
    with pytest.raises(InputError, match=r"expected a mm.Cohort .*, got a DataFrame.*from_frame"):
        score(example_cohort().to_frame())  # type: ignore[arg-type]
