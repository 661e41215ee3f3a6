"""ProfileFeaturizer: blocks, encodings, missing values as NaN, and scikit-learn's checks."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError
from mentormatch.features import BLOCKS, ProfileFeaturizer, theme_columns
from mentormatch.intake import example_cohort
from mentormatch.profiles import Profile
from mentormatch.themes import catalogue
from strategies_cohort import cohorts


def person(**fields: Any) -> Profile:
    base: dict[str, Any] = {"id": "p", "role": "mentor", "organisation": "Bodø", "region": "N"}
    return Profile(**(base | fields))


def features_of(*people: Profile) -> tuple[ProfileFeaturizer, np.ndarray]:
    featurizer = ProfileFeaturizer().fit(list(people))
    return featurizer, featurizer.transform(list(people))


def named(featurizer: ProfileFeaturizer, row: np.ndarray) -> dict[str, float]:
    return dict(zip(featurizer.get_feature_names_out(), row.tolist(), strict=True))


@parametrize_with_checks([ProfileFeaturizer()])
def test_scikit_learn_checks(estimator: ProfileFeaturizer, check: Callable[[Any], None]) -> None:
    """Every applicable check passes: numeric input is validated and passed through."""
    check(estimator)


def test_blocks_tile_the_columns_in_order() -> None:
    featurizer, feats = features_of(*example_cohort().profiles)
    spans = [featurizer.blocks_[name] for name in BLOCKS]
    assert [s.start for s in spans[1:]] == [s.stop for s in spans[:-1]]
    assert spans[0].start == 0
    assert spans[-1].stop == feats.shape[1] == len(featurizer.get_feature_names_out())
    assert feats.dtype == np.float64


def test_sub_theme_sets_its_theme_and_own_column_only() -> None:
    featurizer, feats = features_of(person(themes="crisis/preparedness;political-turbulence"))
    hot = {k for k, v in named(featurizer, feats[0]).items() if k.startswith("themes__") and v == 1}
    assert hot == {"themes__crisis", "themes__crisis/preparedness", "themes__political-turbulence"}


def test_whole_theme_covers_all_its_sub_themes() -> None:
    featurizer, feats = features_of(person(themes="hard-leadership"))
    hot = {k for k, v in named(featurizer, feats[0]).items() if k.startswith("themes__") and v == 1}
    subs = {f"themes__hard-leadership/{s}" for s in catalogue()["hard-leadership"].subtheme_keys}
    assert hot == {"themes__hard-leadership", *subs}
    assert len(subs) == 3


def test_theme_columns_are_the_catalogue() -> None:
    columns = theme_columns()
    assert columns[: len(catalogue())] == tuple(catalogue())
    assert len(columns) == len(catalogue()) + sum(len(t.subthemes) for t in catalogue().values())


def test_numeric_values() -> None:
    p = person(years_in_role=7.5, population=9999, level="county", latitude=60.5, longitude=10.25)
    featurizer, feats = features_of(p)
    values = named(featurizer, feats[0])
    assert values["years_in_role"] == 7.5
    assert values["log1p_population"] == pytest.approx(math.log(10000))
    assert values["level_county"] == 1.0
    assert (values["latitude"], values["longitude"]) == (60.5, 10.25)
    featurizer, feats = features_of(person(level="kommune"))
    assert named(featurizer, feats[0])["level_county"] == 0.0


def test_missing_values_are_nan_and_empty_lists_zero() -> None:
    featurizer, feats = features_of(person())
    values = named(featurizer, feats[0])
    for name in ("years_in_role", "log1p_population", "level_county", "latitude", "longitude"):
        assert math.isnan(values[name]), name
    assert not np.isnan(feats[0, featurizer.blocks_["themes"]]).any()
    assert (feats[0, featurizer.blocks_["themes"]] == 0).all()
    assert featurizer.blocks_["languages"].stop - featurizer.blocks_["languages"].start == 0


def test_languages_learned_sorted_and_unknown_ones_ignored() -> None:
    featurizer = ProfileFeaturizer().fit([person(languages="sv;en"), person(languages="nb")])
    assert featurizer.languages_ == ("en", "nb", "sv")
    feats = featurizer.transform([person(languages="fi;sv")])
    assert feats[0, featurizer.blocks_["languages"]].tolist() == [0.0, 0.0, 1.0]


def test_given_languages_fix_the_block() -> None:
    featurizer = ProfileFeaturizer(languages=["sv", "nb"]).fit([person(languages="en")])
    assert featurizer.get_params() == {"languages": ["sv", "nb"]}
    assert featurizer.get_feature_names_out()[featurizer.blocks_["languages"]].tolist() == [
        "languages__sv",
        "languages__nb",
    ]


def test_frame_cohort_and_profiles_give_the_same_features() -> None:
    cohort = example_cohort()
    featurizer = ProfileFeaturizer().fit(cohort)
    from_profiles = featurizer.transform(list(cohort.profiles))
    from_frame = featurizer.transform(cohort.to_frame())
    np.testing.assert_array_equal(from_profiles, from_frame)
    np.testing.assert_array_equal(featurizer.transform(cohort), from_profiles)


def test_frame_with_bad_cells_raises_input_error_naming_row_and_column() -> None:
    frame = pd.DataFrame(
        {"id": ["a"], "role": ["mentor"], "organisation": ["X"], "region": ["Y"], "level": ["?"]}
    )
    with pytest.raises(InputError, match=r"row 2, column 'level'"):
        ProfileFeaturizer().fit(frame)


def test_kind_of_input_must_match_fit() -> None:
    featurizer = ProfileFeaturizer().fit([person()])
    with pytest.raises(InputError, match="fitted on profiles"):
        featurizer.transform(np.zeros((2, 3)))
    numeric = ProfileFeaturizer().fit(np.zeros((2, 3)))
    with pytest.raises(InputError, match="fitted on numeric"):
        numeric.transform([person()])


def test_refit_on_profiles_forgets_numeric_input() -> None:
    featurizer = ProfileFeaturizer().fit(np.zeros((2, 3)))
    featurizer.fit([person()])
    assert not hasattr(featurizer, "n_features_in_")
    assert "numeric" not in featurizer.blocks_


def test_pandas_output_and_clone() -> None:
    cohort = example_cohort()
    featurizer = clone(ProfileFeaturizer()).set_output(transform="pandas")
    frame = featurizer.fit_transform(list(cohort.mentors))
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(featurizer.get_feature_names_out())
    assert frame.shape[0] == len(cohort.mentors)


@settings(max_examples=40, deadline=None)
@given(cohorts())
def test_rows_follow_profiles_and_nan_only_in_numeric_columns(cohort: Cohort) -> None:
    featurizer = ProfileFeaturizer().fit(cohort)
    feats = featurizer.transform(cohort)
    reversed_rows = featurizer.transform(list(reversed(cohort.profiles)))
    np.testing.assert_array_equal(feats[::-1], reversed_rows)
    for name in ("themes", "languages"):
        block = feats[:, featurizer.blocks_[name]]
        assert set(np.unique(block).tolist()) <= {0.0, 1.0}
    years = feats[:, featurizer.blocks_["years_in_role"]][:, 0]
    expected = [math.nan if p.years_in_role is None else p.years_in_role for p in cohort.profiles]
    np.testing.assert_array_equal(years, np.array(expected))
