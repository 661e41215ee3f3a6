"""Profiles -> numeric feature blocks, as a scikit-learn transformer.

:class:`ProfileFeaturizer` turns validated profiles (or a table with the cohort
file's columns) into one float64 matrix made of named blocks, in this order:

``themes``
    Multi-hot over the theme catalogue (:func:`mentormatch.themes.catalogue`):
    one column per theme key, then one per sub-theme ``key/sub``. A sub-theme
    entry sets its theme's column and its own column; a theme named without a
    sub-theme stands for the whole theme and sets all its sub-theme columns.
``years_in_role``
    Years as chief executive.
``log_population``
    ``log1p`` of the organisation's inhabitants.
``level``
    1 for a county, 0 for a municipality.
``languages``
    Multi-hot over the language codes seen in ``fit`` (codes first seen in
    ``transform`` are ignored).
``coordinates``
    Latitude and longitude in decimal degrees.

A missing value (an empty cell) is NaN in its column of ``years_in_role``,
``log_population``, ``level`` and ``coordinates``. An empty theme or language
list is a row of zeros in its multi-hot block; scoring reads such a row as
"not known".

A 2-D numeric array, or a DataFrame without the cohort's required columns, is
taken as features that are already numeric: it is validated (NaN allowed) and
passed through as float64. That lets the featurizer sit in a pipeline after
other numeric steps, and it is what scikit-learn's generic estimator checks
exercise.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any, Self

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from mentormatch.cohort import Cohort, validate_rows
from mentormatch.errors import InputError, Violation
from mentormatch.profiles import REQUIRED_COLUMNS, Profile
from mentormatch.themes import catalogue

__all__ = ["BLOCKS", "ProfileFeaturizer", "theme_columns", "theme_labels"]

BLOCKS: tuple[str, ...] = (
    "themes",
    "years_in_role",
    "log_population",
    "level",
    "languages",
    "coordinates",
)
"""The blocks of a profile featurization, in column order."""

_LEVEL_CODES = {"municipality": 0.0, "county": 1.0}


def theme_columns() -> tuple[str, ...]:
    """The ``themes`` block's columns: every theme key, then every ``key/sub`` sub-theme.

    Examples
    --------
    >>> cols = theme_columns()
    >>> cols[0], "crisis/preparedness" in cols
    ('golden-zone', True)
    """
    themes = catalogue()
    subs = [f"{key}/{sub}" for key, theme in themes.items() for sub in theme.subtheme_keys]
    return (*themes, *subs)


def theme_labels(entries: Sequence[str]) -> set[str]:
    """The ``themes`` block's labels of one person's theme entries.

    A whole theme covers all its sub-themes.

    Examples
    --------
    >>> sorted(theme_labels(["political-turbulence", "crisis/after"]))
    ['crisis', 'crisis/after', 'political-turbulence']
    >>> sorted(theme_labels(["golden-zone"]))
    ['golden-zone', 'golden-zone/presidium-meetings', 'golden-zone/reaching-the-goal']
    """
    labels: set[str] = set()
    for entry in entries:
        key, _, sub = entry.partition("/")
        labels.add(key)
        subs = [sub] if sub else catalogue()[key].subtheme_keys
        labels.update(f"{key}/{s}" for s in subs)
    return labels


def _profiles_of(data: object) -> tuple[Profile, ...] | None:
    """The profiles ``data`` holds, or None when ``data`` is plain numeric input."""
    if isinstance(data, Cohort):
        return data.profiles
    if isinstance(data, pd.DataFrame):
        if not set(REQUIRED_COLUMNS) <= {str(c) for c in data.columns}:
            return None
        records = data.set_axis([str(c) for c in data.columns], axis=1).to_dict(orient="records")
        rows, violations = validate_rows(records)
        if violations:
            raise InputError(violations)
        return tuple(p for _, p in rows)
    if isinstance(data, list | tuple) and data and all(isinstance(p, Profile) for p in data):
        return tuple(data)
    return None


def _optional(values: Sequence[float | None]) -> NDArray[np.float64]:
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


class ProfileFeaturizer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Turn profiles into numeric feature blocks (see the module docstring for the blocks).

    Parameters
    ----------
    languages : sequence of str, optional
        The language codes of the ``languages`` block, in order. ``None`` (the
        default) learns them in ``fit``: the codes of the profiles, sorted.

    Attributes
    ----------
    blocks_ : dict of str to slice
        The columns of each block in the output (for numeric input: one
        ``"numeric"`` block).
    languages_ : tuple of str
        The language codes of the ``languages`` block.
    n_features_in_ : int
        For numeric input only: the number of input columns.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> featurizer = ProfileFeaturizer().fit(cohort.profiles)
    >>> X = featurizer.transform(cohort.mentors)
    >>> X.shape[0], X[:, featurizer.blocks_["level"]].shape
    (20, (20, 1))
    >>> featurizer.get_feature_names_out()[-2:].tolist()
    ['latitude', 'longitude']
    """

    def __init__(self, languages: Sequence[str] | None = None) -> None:
        self.languages = languages

    def fit(self, X: Any, y: object = None) -> Self:  # noqa: N803 (scikit-learn's name)
        """Learn the language codes (profiles) or the number of columns (numeric input).

        Parameters
        ----------
        X : sequence of Profile, Cohort, DataFrame or 2-D array
            Profiles, a table with the cohort file's columns, or numeric features.
        y : ignored

        Returns
        -------
        ProfileFeaturizer
            This featurizer, fitted.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> ProfileFeaturizer().fit(example_cohort().profiles).languages_
        ('en', 'nb', 'nn', 'sv')
        """
        profiles = _profiles_of(X)
        if profiles is None:
            data = validate_data(self, X, reset=True, ensure_all_finite="allow-nan")
            self.languages_: tuple[str, ...] = ()
            self.blocks_ = {"numeric": slice(0, data.shape[1])}
            return self
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self, name):
                delattr(self, name)
        learned = sorted({code for p in profiles for code in p.languages})
        self.languages_ = tuple(learned if self.languages is None else self.languages)
        self.blocks_ = self._profile_blocks()
        return self

    def _profile_blocks(self) -> dict[str, slice]:
        widths = {
            "themes": len(theme_columns()),
            "years_in_role": 1,
            "log_population": 1,
            "level": 1,
            "languages": len(self.languages_),
            "coordinates": 2,
        }
        blocks: dict[str, slice] = {}
        start = 0
        for name in BLOCKS:
            blocks[name] = slice(start, start + widths[name])
            start += widths[name]
        return blocks

    def transform(self, X: Any) -> NDArray[np.float64]:  # noqa: N803
        """Return the features, one row per profile (or per input row), as float64.

        Parameters
        ----------
        X : sequence of Profile, Cohort, DataFrame or 2-D array
            Of the same kind as in ``fit``.

        Returns
        -------
        ndarray of shape (n_rows, n_features)

        Examples
        --------
        >>> from mentormatch.profiles import Profile
        >>> p = Profile(id="m1", role="mentor", organisation="Bodø", region="Nordland",
        ...             level="county", population=999, themes="crisis/preparedness")
        >>> f = ProfileFeaturizer().fit([p])
        >>> row = f.transform([p])[0]
        >>> row[f.blocks_["log_population"]].round(3).tolist(), row[f.blocks_["level"]].tolist()
        ([6.908], [1.0])
        >>> names = f.get_feature_names_out()[f.blocks_["themes"]]
        >>> names[row[f.blocks_["themes"]] == 1].tolist()
        ['themes__crisis', 'themes__crisis/preparedness']
        """
        check_is_fitted(self, "blocks_")
        profiles = _profiles_of(X)
        numeric = "numeric" in self.blocks_
        if numeric != (profiles is None):
            expected = "numeric features" if numeric else "profiles"
            raise InputError(
                Violation(f"fitted on {expected}; got another kind of input", argument="X")
            )
        if profiles is None:
            data: NDArray[np.float64] = validate_data(
                self, X, reset=False, ensure_all_finite="allow-nan", dtype=np.float64, copy=True
            )
            return data
        return self._featurize(profiles)

    def _featurize(self, profiles: Sequence[Profile]) -> NDArray[np.float64]:
        themes = MultiLabelBinarizer(classes=theme_columns())
        languages = MultiLabelBinarizer(classes=self.languages_)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="unknown class", category=UserWarning)
            language_hot = languages.fit_transform([p.languages for p in profiles])
        population = _optional([p.population for p in profiles])
        columns = [
            themes.fit_transform([theme_labels(p.themes) for p in profiles]),
            _optional([p.years_in_role for p in profiles])[:, None],
            np.log1p(population)[:, None],
            _optional([None if p.level is None else _LEVEL_CODES[p.level] for p in profiles])[
                :, None
            ],
            language_hot,
            _optional([p.latitude for p in profiles])[:, None],
            _optional([p.longitude for p in profiles])[:, None],
        ]
        return np.hstack(columns).astype(np.float64)

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> NDArray[Any]:
        """The output columns' names.

        Parameters
        ----------
        input_features : sequence of str, optional
            For numeric input: the input columns' names (default: those seen in
            ``fit``, or ``x0, x1, ...``). Ignored for profiles.

        Returns
        -------
        ndarray of str

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> f = ProfileFeaturizer(languages=["nb", "sv"]).fit(example_cohort().profiles)
        >>> f.get_feature_names_out()[f.blocks_["languages"]].tolist()
        ['languages__nb', 'languages__sv']
        """
        check_is_fitted(self, "blocks_")
        if "numeric" in self.blocks_:
            names: NDArray[Any] = _check_feature_names_in(self, input_features)
            return names
        return np.array(
            [
                *(f"themes__{c}" for c in theme_columns()),
                "years_in_role",
                "log1p_population",
                "level_county",
                *(f"languages__{c}" for c in self.languages_),
                "latitude",
                "longitude",
            ],
            dtype=object,
        )

    def __sklearn_tags__(self) -> Any:
        """Missing values are NaN, so NaN is allowed in numeric input."""
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
