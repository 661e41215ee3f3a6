"""Compatibility of every mentor with every mentee: a matrix per criterion, and their weighted mean.

Each criterion scores all pairs at once, as a (mentors x mentees) matrix in
[0, 1], from the profiles' feature blocks (:mod:`mentormatch.features`). The
built-in criteria:

``themes``
    Complementary fit: the share of the mentee's sought themes that the
    mentor offers. A theme named without a sub-theme stands for all its
    sub-themes. A sought theme counts 1 when the mentor offers it with a
    sub-theme in common (or either side names the whole theme), and 1/2 when
    both name only sub-themes of it and none in common.
``experience``
    The mentor's lead in years in the role, ``min(lead, 10) / 10``; a mentor
    with no more years than the mentee scores 0.
``size``
    Similar organisation size on a log scale: ``exp(-|log(a / b)| / log(10))``
    on ``log1p`` of the inhabitants, so equal sizes give 1 and a tenfold
    difference 0.37.
``level``
    1 when both lead a municipality or both a county, 0 otherwise.
``language``
    1 when the two share a language, counting Norwegian (``nb``, ``nn``,
    ``no``), Swedish (``sv``) and Danish (``da``) as mutually intelligible; 0
    otherwise.
``proximity``
    For the in-person meetings: ``exp(-km / 500)`` of the great-circle
    distance, so 180 km give 0.70, 500 km 0.37 and 1,000 km 0.14.

**Missing data.** Where an input a criterion needs is missing for a pair (a
blank years, population, level or coordinate cell, or an empty theme or
language list on either side), the pair scores a neutral 0.5 on that
criterion: it neither helps nor hurts. A criterion marks such pairs with NaN,
and :func:`score` turns every NaN into 0.5, for custom criteria too.

**Custom criteria.** Any object with a ``name`` and a call
``(mentors, mentees) -> array`` of shape (mentors, mentees) with values in
[0, 1] or NaN is a criterion (see :class:`Criterion`); pass it in
``score(cohort, criteria=[...])``. One named like a built-in replaces it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.features import ProfileFeaturizer, theme_columns, theme_labels
from mentormatch.geo import distance_km
from mentormatch.names import closest
from mentormatch.profiles import Profile
from mentormatch.themes import catalogue
from mentormatch.validation import WEIGHTS, check_arguments, shown

__all__ = [
    "DEFAULT_WEIGHTS",
    "NEUTRAL",
    "Criterion",
    "Experience",
    "Language",
    "Level",
    "People",
    "Proximity",
    "Scores",
    "Size",
    "Themes",
    "score",
]

NEUTRAL = 0.5
"""The score of a pair on a criterion whose input is missing."""

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "themes": 3.0,
    "experience": 2.0,
    "size": 1.0,
    "proximity": 1.0,
    "level": 1.0,
    "language": 1.0,
}
"""The default criterion weights.

``themes`` weighs most: the Swedish programme builds every meeting around a
deep-dive theme from the mentor's experience, and complementary fit between a
mentee's needs and a mentor's offer is what mentoring research finds matters
most. ``experience`` comes next: the pilot pairs new directors with
experienced ones. ``proximity`` (at least the first and last meetings are in
person), ``size`` and ``level`` (a similar situation) and ``language`` count
once each; ``language`` rarely separates Nordic pairs, and a secretariat can
raise it for a mixed cohort.
"""

SCANDINAVIAN = frozenset({"nb", "nn", "no", "sv", "da"})
"""Language codes counted as mutually intelligible."""

_F32 = np.float32
_CHUNK_CELLS = 1 << 22


@dataclass(frozen=True, eq=False)
class People:
    """The mentors or the mentees of a cohort, sorted by id, with their features.

    Parameters
    ----------
    profiles : tuple of Profile
        Sorted by id.
    features : ndarray of shape (len(profiles), n_features)
        From a :class:`~mentormatch.features.ProfileFeaturizer` fitted on the whole cohort.
    featurizer : ProfileFeaturizer
        The fitted featurizer (its ``blocks_`` and ``languages_`` name the columns).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> len(mentors), mentees.block("coordinates").shape
    (20, (30, 2))
    """

    profiles: tuple[Profile, ...]
    features: NDArray[np.float64]
    featurizer: ProfileFeaturizer

    @classmethod
    def of(cls, cohort: Cohort) -> tuple[People, People]:
        """The cohort's mentors and mentees, each sorted by id, featurized together.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> mentors, _ = People.of(example_cohort())
        >>> mentors.ids[:2]
        ('M001', 'M002')
        """
        featurizer = ProfileFeaturizer().fit(_by_id(cohort.profiles))
        mentors, mentees = _by_id(cohort.mentors), _by_id(cohort.mentees)
        return (
            cls(mentors, featurizer.transform(list(mentors)), featurizer),
            cls(mentees, featurizer.transform(list(mentees)), featurizer),
        )

    def __len__(self) -> int:
        return len(self.profiles)

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids, in order."""
        return tuple(p.id for p in self.profiles)

    def block(self, name: str) -> NDArray[np.float64]:
        """One feature block (see :data:`mentormatch.features.BLOCKS`), one row per person."""
        return self.features[:, self.featurizer.blocks_[name]]

    def column(self, name: str) -> NDArray[np.float64]:
        """A one-column block as a vector."""
        return self.block(name)[:, 0]


def _by_id(profiles: Iterable[Profile]) -> tuple[Profile, ...]:
    return tuple(sorted(profiles, key=lambda p: p.id))


@runtime_checkable
class Criterion(Protocol):
    """What :func:`score` needs of a criterion: a ``name`` and a call scoring all pairs.

    The call gets the mentors and the mentees (:class:`People`, sorted by id)
    and returns an array of shape (mentors, mentees) with values in [0, 1],
    NaN where it cannot tell (scored 0.5). A criterion may also have a
    ``describe(mentor, mentee, value) -> str`` method for :meth:`Scores.reason`;
    without it the reason shows ``name value``.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import score
    >>> class SameCountry:
    ...     name = "country"
    ...     def __call__(self, mentors, mentees):
    ...         a = np.array([p.country for p in mentors.profiles], dtype=object)
    ...         b = np.array([p.country for p in mentees.profiles], dtype=object)
    ...         return (a[:, None] == b[None, :]).astype(float)
    >>> scores = score(example_cohort(), weights={"country": 2}, criteria=[SameCountry()])
    >>> isinstance(SameCountry(), Criterion), round(scores.weights["country"], 3)
    (True, 0.182)
    """

    @property
    def name(self) -> str:
        """The criterion's name, a key of ``weights`` and of ``Scores.breakdown``."""

    def __call__(self, mentors: People, mentees: People) -> ArrayLike:
        """Score all pairs: shape (mentors, mentees), values in [0, 1] or NaN."""


def _outer(
    mentor_values: NDArray[np.float64], mentee_values: NDArray[np.float64]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Broadcastable float32 column (mentors) and row (mentees)."""
    return mentor_values.astype(_F32)[:, None], mentee_values.astype(_F32)[None, :]


@dataclass(frozen=True)
class Themes:
    """Complementary fit: the share of the mentee's sought themes the mentor offers.

    A theme named without a sub-theme stands for all its sub-themes; a sought
    theme counts 1 when the two have a sub-theme of it in common, and
    ``partial`` when both name only sub-themes of it and none in common.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> values = Themes()(mentors, mentees)
    >>> values.shape, bool(((values >= 0) & (values <= 1)).all())
    ((20, 30), True)
    """

    partial: float = 0.5
    name: str = "themes"

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float32]:
        """Score all pairs."""
        keys = len(catalogue())
        offer, seek = mentors.block("themes"), mentees.block("themes")
        offer_main, seek_main = offer[:, :keys].astype(_F32), seek[:, :keys].astype(_F32)
        credit = offer_main @ seek_main.T
        for k, columns in enumerate(_sub_columns()):
            rows = np.flatnonzero(offer_main[:, k])
            cols = np.flatnonzero(seek_main[:, k])
            if columns.size == 0 or rows.size == 0 or cols.size == 0:
                continue
            common = offer[np.ix_(rows, columns)] @ seek[np.ix_(cols, columns)].T
            credit[np.ix_(rows, cols)] -= (1 - self.partial) * (common == 0)
        sought = seek_main.sum(axis=1)
        credit /= np.maximum(sought, 1)[None, :]
        credit[offer_main.sum(axis=1) == 0, :] = np.nan
        credit[:, sought == 0] = np.nan
        return credit

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``offers 2 of the 3 themes sought (crisis, strategy)``."""
        if not mentee.themes:
            return "the mentee seeks no themes"
        if not mentor.themes:
            return "the mentor offers no themes"
        offered, sought = theme_labels(mentor.themes), theme_labels(mentee.themes)
        keys = [k for k in catalogue() if k in sought]
        full = [k for k in keys if k in offered and _covers(offered, sought, k)]
        part = [k for k in keys if k in offered and k not in full]
        text = f"offers {len(full) + len(part)} of the {len(keys)} themes sought"
        if full:
            text += f" ({', '.join(full)})"
        if part:
            text += f", {', '.join(part)} only in other sub-themes"
        return text


def _covers(offered: set[str], sought: set[str], key: str) -> bool:
    """Whether a theme offered and sought has a sub-theme in common (or has none)."""
    subs = {label for label in offered & sought if label.startswith(f"{key}/")}
    return bool(subs) or not catalogue()[key].subthemes


def _sub_columns() -> list[NDArray[np.intp]]:
    """For each theme, the columns of its sub-themes in the ``themes`` block."""
    columns = theme_columns()
    return [
        np.array([i for i, c in enumerate(columns) if c.startswith(f"{key}/")], dtype=np.intp)
        for key in catalogue()
    ]


@dataclass(frozen=True)
class Experience:
    """The mentor's lead in years in the role, ``min(lead, saturation) / saturation``, 0 if none.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> float(Experience()(mentors, mentees).max())
    1.0
    """

    saturation: float = 10.0
    name: str = "experience"

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float32]:
        """Score all pairs."""
        mentor, mentee = _outer(mentors.column("years_in_role"), mentees.column("years_in_role"))
        lead = mentor - mentee
        lead /= _F32(self.saturation)
        return np.clip(lead, 0, 1, out=lead)

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``14 more years in the role``."""
        if mentor.years_in_role is None or mentee.years_in_role is None:
            return "years in the role not known"
        lead = mentor.years_in_role - mentee.years_in_role
        years = f"{abs(lead):g} {'year' if abs(lead) == 1 else 'years'}"
        if lead > 0:
            return years.replace(" ", " more ", 1) + " in the role"
        if lead < 0:
            return years.replace(" ", " fewer ", 1) + " in the role than the mentee"
        return "as many years in the role"


@dataclass(frozen=True)
class Size:
    """Similar organisation size on a log scale, ``exp(-|log1p a - log1p b| / scale)``.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> float(Size()(mentors, mentees).max()) <= 1
    True
    """

    scale: float = math.log(10)
    similar_ratio: float = 2.0
    name: str = "size"

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float32]:
        """Score all pairs."""
        mentor, mentee = _outer(mentors.column("log_population"), mentees.column("log_population"))
        gap = mentor - mentee
        np.abs(gap, out=gap)
        gap *= _F32(-1 / self.scale)
        np.exp(gap, out=gap)
        return gap

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``similar size (12,400 vs 9,800 inhabitants)``."""
        a, b = mentor.population, mentee.population
        if a is None or b is None:
            return "size not known"
        similar = max(a, b) <= self.similar_ratio * max(min(a, b), 1)
        return f"{'similar' if similar else 'different'} size ({a:,} vs {b:,} inhabitants)"


@dataclass(frozen=True)
class Level:
    """1 when both lead the same level (municipality or county), 0 otherwise.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> sorted(set(Level()(mentors, mentees).ravel().tolist()))
    [0.0, 1.0]
    """

    name: str = "level"

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float32]:
        """Score all pairs."""
        mentor, mentee = _outer(mentors.column("level"), mentees.column("level"))
        gap = mentor - mentee
        np.abs(gap, out=gap)
        np.subtract(1, gap, out=gap)
        return gap

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``both municipalities``."""
        if mentor.level is None or mentee.level is None:
            return "level not known"
        if mentor.level == mentee.level:
            return f"both {'counties' if mentor.level == 'county' else 'municipalities'}"
        return f"a {mentor.level} and a {mentee.level}"


@dataclass(frozen=True)
class Language:
    """1 when the two share a language (Scandinavian languages count as one), else 0.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> float(Language()(mentors, mentees).min())
    1.0
    """

    intelligible: frozenset[str] = SCANDINAVIAN
    name: str = "language"

    def _groups(self, people: People) -> NDArray[np.float32]:
        """Multi-hot over language groups (all intelligible languages make one group)."""
        codes = people.featurizer.languages_
        groups = sorted({self._group(c) for c in codes})
        to_group = np.array([[self._group(c) == g for g in groups] for c in codes], dtype=_F32)
        hot = people.block("languages").astype(_F32)
        grouped: NDArray[np.float32] = hot @ to_group.reshape(len(codes), len(groups))
        return grouped

    def _group(self, code: str) -> str:
        return "" if code in self.intelligible else code

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float32]:
        """Score all pairs."""
        offer, seek = self._groups(mentors), self._groups(mentees)
        shared = (offer @ seek.T > 0).astype(_F32)
        shared[offer.sum(axis=1) == 0, :] = np.nan
        shared[:, seek.sum(axis=1) == 0] = np.nan
        return shared

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``common language (nb)``."""
        if not mentor.languages or not mentee.languages:
            return "languages not known"
        common = [c for c in mentor.languages if c in mentee.languages]
        if common:
            return f"common language ({', '.join(common)})"
        if set(mentor.languages) & self.intelligible and set(mentee.languages) & self.intelligible:
            pair = f"{'/'.join(mentor.languages)} and {'/'.join(mentee.languages)}"
            return f"mutually intelligible languages ({pair})"
        return "no common language"


@dataclass(frozen=True)
class Proximity:
    """Nearness for in-person meetings, ``exp(-km / km_scale)`` of the great-circle distance.

    Computed in blocks of mentors, so that memory stays small for large cohorts.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> values = Proximity()(mentors, mentees)
    >>> bool(((values > 0) & (values <= 1)).all())
    True
    """

    km_scale: float = 500.0
    name: str = "proximity"

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float32]:
        """Score all pairs."""
        out = np.empty((len(mentors), len(mentees)), dtype=_F32)
        step = max(1, _CHUNK_CELLS // max(len(mentees), 1))
        for start in range(0, len(mentors), step):
            km = distance_km(mentors.profiles[start : start + step], mentees.profiles)
            out[start : start + step] = np.exp(-km / self.km_scale)
        return out

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``180 km apart``."""
        km = float(distance_km([mentor], [mentee])[0, 0])
        return "distance not known" if math.isnan(km) else f"{km:,.0f} km apart"


BUILT_IN: tuple[Criterion, ...] = (Themes(), Experience(), Size(), Proximity(), Level(), Language())
"""The built-in criteria, with their default parameters."""


@dataclass(frozen=True, eq=False)
class Scores:
    """Compatibility of every mentor with every mentee, and what it is made of.

    Attributes
    ----------
    matrix : DataFrame
        float64 in [0, 1]: index mentor ids, columns mentee ids, both sorted.
    breakdown : dict of str to DataFrame
        One frame per criterion (float32, same shape), in criterion order.
    weights : dict of str to float
        The weight of every criterion used, normalised to sum to 1 (zeros included).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import score
    >>> scores = score(example_cohort())
    >>> scores.matrix.shape, list(scores.breakdown)[:2]
    ((20, 30), ['themes', 'experience'])
    """

    matrix: pd.DataFrame
    breakdown: Mapping[str, pd.DataFrame]
    weights: Mapping[str, float]
    profiles: Mapping[str, Profile] = field(repr=False)
    criteria: tuple[Criterion, ...] = field(repr=False)

    def reason(self, mentor_id: str, mentee_id: str) -> str:
        """The pair's score in plain words, criterion by criterion (weighted ones only).

        Raises ``InputError`` when an id is not a mentor or a mentee of the scores.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> from mentormatch.scoring import score
        >>> for part in score(example_cohort()).reason("M001", "E001").split("; "):
        ...     print(part)
        offers 1 of the 2 themes sought (political-turbulence)
        14 more years in the role
        different size (53,712 vs 13,469 inhabitants)
        172 km apart
        both municipalities
        common language (nb)
        """
        for person, axis, role in (
            (mentor_id, self.matrix.index, "mentor"),
            (mentee_id, self.matrix.columns, "mentee"),
        ):
            if person not in axis:
                raise InputError(
                    Violation(f"no {role} with id '{person}' in the scores", argument=f"{role}_id")
                )
        mentor, mentee = self.profiles[mentor_id], self.profiles[mentee_id]
        return "; ".join(
            _describe(c, mentor, mentee, _cell(self.breakdown[c.name], mentor_id, mentee_id))
            for c in self.criteria
            if self.weights[c.name] > 0
        )


def _cell(frame: pd.DataFrame, row: str, column: str) -> float:
    return float(np.asarray(frame.loc[row, column]))


def _describe(criterion: Criterion, mentor: Profile, mentee: Profile, value: float) -> str:
    describe = getattr(criterion, "describe", None)
    if describe is None:
        return f"{criterion.name} {value:.2f}"
    return str(describe(mentor, mentee, value))


def _criteria(extra: Iterable[Criterion]) -> tuple[Criterion, ...]:
    """The built-ins, each replaced by a given criterion of its name, then the others."""
    given = list(extra)
    bad = [shown(c) for c in given if not isinstance(c, Criterion) or not _named(c)]
    if bad:
        raise _criteria_error(
            "criteria, each with a non-empty text `name` and a call (mentors, mentees) -> array",
            ", ".join(bad),
        )
    names = [c.name for c in given]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise _criteria_error("criteria with different names", f"{', '.join(twice)} twice")
    by_name = dict(zip(names, given, strict=True))
    return (*(by_name.pop(c.name, c) for c in BUILT_IN), *by_name.values())


def _criteria_error(expected: str, got: str) -> InputError:
    return InputError(Violation(f"expected {expected}, got {got}", argument="criteria"))


def _named(criterion: Criterion) -> bool:
    return isinstance(criterion.name, str) and bool(criterion.name)


def _weights(
    weights: Mapping[str, float] | None, criteria: Sequence[Criterion]
) -> dict[str, float]:
    """Validate ``weights`` over the defaults (custom criteria default to 1); normalise to sum 1."""
    if weights is not None and not isinstance(weights, Mapping):
        raise InputError(
            Violation(f"expected {WEIGHTS.expected}, got {shown(weights)}", argument="weights")
        )
    valid = [c.name for c in criteria]
    merged = {name: DEFAULT_WEIGHTS.get(name, 1.0) for name in valid} | dict(weights or {})
    problems = [
        f"expected names of criteria ({', '.join(valid)}), got {name!r}"
        + (f"; did you mean {guess!r}?" if (guess := closest(str(name), valid)) else "")
        for name in merged
        if name not in valid
    ]
    problems += [
        f"expected a finite number >= 0 for {name!r}, got {weight!r}"
        for name, weight in merged.items()
        if not _is_weight(weight)
    ]
    total = sum(float(w) for w in merged.values()) if not problems else 1.0
    if total == 0:
        problems.append(
            f"expected at least one weight above 0, got all zero; give one of {', '.join(valid)} "
            "a weight"
        )
    elif not math.isfinite(total):
        problems.append(
            "expected weights whose sum is a finite number, got a sum that overflows ("
            + " + ".join(f"{float(w):g}" for w in merged.values())
            + "); only their ratios matter, so scale them down"
        )
    if problems:
        raise InputError([Violation(p, argument="weights") for p in problems])
    return {name: float(merged[name]) / total for name in valid}


def _is_weight(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return False
    return math.isfinite(float(value)) and float(value) >= 0


def _evaluate(criterion: Criterion, mentors: People, mentees: People) -> NDArray[np.float32]:
    """Run one criterion: check its type, shape and range, and score NaN (unknown) as neutral."""
    raw = np.asarray(criterion(mentors, mentees))
    where = f"criterion '{criterion.name}' to return"
    if raw.dtype.kind not in "biuf":
        raise _criteria_error(f"{where} real numbers in [0, 1] or NaN", shown(raw))
    values = raw.astype(_F32)
    expected = (len(mentors), len(mentees))
    if values.shape != expected:
        raise _criteria_error(f"{where} an array of shape {expected}", f"shape {values.shape}")
    missing = np.isnan(values)
    np.copyto(values, _F32(NEUTRAL), where=missing)
    if values.size and (values.min() < 0 or values.max() > 1):
        low, high = float(values.min()), float(values.max())
        raise _criteria_error(f"{where} values in [0, 1]", f"values from {low:g} to {high:g}")
    return values


def score(
    cohort: Cohort,
    weights: Mapping[str, float] | None = None,
    criteria: Iterable[Criterion] = (),
) -> Scores:
    """Score every mentor with every mentee: per criterion, and as their weighted mean.

    Parameters
    ----------
    cohort : Cohort
        From :func:`mentormatch.intake.read_cohort` or ``Cohort.from_frame``.
    weights : mapping of str to float, optional
        Non-negative weights by criterion name. Criteria not named keep their
        default (:data:`DEFAULT_WEIGHTS`; custom criteria 1); give 0 to leave
        one out. The compatibility is ``sum(w_c * C_c) / sum(w_c)``, in [0, 1].
    criteria : iterable of Criterion, optional
        Custom criteria (see :class:`Criterion`); one named like a built-in replaces it.

    Returns
    -------
    Scores
        Mentors and mentees sorted by id, so the file's row order never matters.

    Raises
    ------
    InputError
        Naming the argument: a cohort that is not a ``Cohort``; unknown weight
        names, negative, NaN or non-numeric weights, all weights zero or a sum
        that overflows; a criterion without a name, or returning anything but
        real numbers in [0, 1] (or NaN) of shape (mentors, mentees).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> from mentormatch.scoring import score
    >>> scores = score(example_cohort(), weights={"themes": 3, "experience": 1, "size": 0})
    >>> round(scores.weights["themes"], 3), scores.weights["size"]
    (0.429, 0.0)
    >>> score(example_cohort(), weights={"theme": 1, "size": -1})
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: 2 problems found:
      - argument 'weights': expected names of criteria (themes, experience, size, ...
      - argument 'weights': expected a finite number >= 0 for 'size', got -1
    """
    check_arguments("score", locals())
    used = _criteria(criteria)
    normalised = _weights(weights, used)
    mentors, mentees = People.of(cohort)
    matrix = np.zeros((len(mentors), len(mentees)), dtype=np.float64)
    breakdown: dict[str, pd.DataFrame] = {}
    for criterion in used:
        values = _evaluate(criterion, mentors, mentees)
        if normalised[criterion.name]:
            matrix += np.multiply(values, normalised[criterion.name], dtype=np.float64)
        breakdown[criterion.name] = _frame(values, mentors, mentees)
    np.clip(matrix, 0, 1, out=matrix)
    return Scores(
        matrix=_frame(matrix, mentors, mentees),
        breakdown=breakdown,
        weights=normalised,
        profiles={p.id: p for p in (*mentors.profiles, *mentees.profiles)},
        criteria=used,
    )


def _frame(values: NDArray[np.floating], mentors: People, mentees: People) -> pd.DataFrame:
    return pd.DataFrame(
        values,
        index=pd.Index(mentors.ids, name="mentor_id"),
        columns=pd.Index(mentees.ids, name="mentee_id"),
        copy=False,
    )
