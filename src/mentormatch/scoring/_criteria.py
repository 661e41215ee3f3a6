"""The built-in criteria, each scoring all pairs at once from the feature blocks."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentormatch.features import theme_columns, theme_labels
from mentormatch.geo import distance_km
from mentormatch.profiles import Profile
from mentormatch.scoring._people import Criterion, People
from mentormatch.themes import catalogue

__all__ = [
    "BUILT_IN",
    "DEFAULT_WEIGHTS",
    "SCANDINAVIAN",
    "Experience",
    "Language",
    "Level",
    "Proximity",
    "Size",
    "Themes",
]

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
