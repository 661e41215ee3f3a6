"""The built-in criteria: per-person terms from the feature blocks, paired up block by block.

Each built-in reduces every person to a few float32 terms once
(:meth:`terms`), so that any block of mentors x mentees, or any list of
pairs, is scored from those terms alone (:mod:`mentormatch.scoring._terms`):
themes and level are bilinear (their values are a matrix product of the
terms), experience, size, language and proximity apply a few elementwise
steps to one or two such products. Calling a criterion scores all pairs of the
people it is given, NaN where an input is missing, as any criterion does.

Each formula comes with its bound over a group of mentors (:attr:`Terms.bound`):
experience and language clip the product, which only grows with it, so they are
bounded by the clipped top of the product's span; size falls with the product's
distance from 0 and proximity with the great-circle distance, so they are
bounded at the span's point nearest 0 and at the least distance
(:func:`mentormatch.geo.haversine_km_floor`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentormatch.features import theme_columns, theme_labels
from mentormatch.geo import (
    EARTH_RADIUS_KM,
    distance_km,
    half_angles,
    haversine_km,
    haversine_km_floor,
)
from mentormatch.profiles import Profile
from mentormatch.scoring._people import People
from mentormatch.scoring._terms import Block, Bound, Box, Formula, Product, Terms
from mentormatch.themes import catalogue

__all__ = [
    "BUILT_IN",
    "DEFAULT_WEIGHTS",
    "SCANDINAVIAN",
    "BuiltIn",
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


class BuiltIn(ABC):
    """A criterion made of per-person terms, which :class:`PairScorer` pairs up block by block.

    Calling it scores all pairs of the people given: shape (mentors,
    mentees), float32 in [0, 1], NaN where an input is missing.
    """

    name: str

    @abstractmethod
    def terms(self, mentors: People, mentees: People) -> Terms:
        """Each person's terms, whose pairing gives the criterion's values."""

    def __call__(self, mentors: People, mentees: People) -> NDArray[np.float32]:
        """Score all pairs: shape (mentors, mentees), NaN where an input is missing."""
        every = Block(slice(None), slice(None))
        return self.terms(mentors, mentees).values(every, missing=math.nan)

    def grouping(self, terms: Terms) -> NDArray[np.float64]:
        """The mentors' terms, each column scaled by how far a unit of it moves the value.

        Mentors close in these features score alike, so their group's bound is
        tight (:meth:`PairScorer.mentor_groups`). By default a term moves the
        value by the mentee term it multiplies, on average over the mentees.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> mentors, mentees = People.of(example_cohort())
        >>> Level().grouping(Level().terms(mentors, mentees)).shape
        (20, 2)
        """
        known = terms.mentee[terms.mentee_known].astype(np.float64)
        scale = np.abs(known).mean(axis=0) if len(known) else np.zeros(terms.mentee.shape[1])
        return terms.mentor.astype(np.float64) * scale


@dataclass(frozen=True)
class Themes(BuiltIn):
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

    def terms(self, mentors: People, mentees: People) -> Terms:
        """Bilinear terms: one column per theme and sub-theme pattern that some mentee seeks.

        A person's sub-themes of a theme are bits (a theme without sub-themes is
        one bit). The mentor's term for (theme, pattern) is 1 when its bits
        meet the pattern, ``partial`` when they do not, 0 when it does not offer
        the theme; the mentee's is ``1 / themes sought`` at its own pattern, so
        the product sums the credits and divides by the themes sought.
        """
        offer, seek = mentors.block("themes"), mentees.block("themes")
        left, right = [], []
        for key, columns in enumerate(_sub_columns()):
            offered, sought = _bits(offer, key, columns), _bits(seek, key, columns)
            patterns = np.unique(sought[sought > 0])
            meets = (offered[:, None] & patterns[None, :]) != 0
            left.append(np.where(meets, 1.0, self.partial) * (offered > 0)[:, None])
            right.append(sought[:, None] == patterns[None, :])
        keys = len(catalogue())
        count = seek[:, :keys].sum(axis=1)
        return Terms.of(
            np.hstack(left),
            np.hstack(right) / np.maximum(count, 1)[:, None],
            offer[:, :keys].any(axis=1),
            count > 0,
        )

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


def _bits(block: NDArray[np.float64], key: int, columns: NDArray[np.intp]) -> NDArray[np.int64]:
    """Each person's sub-themes of theme ``key`` as bits (bit 0 for a theme without any).

    0 for people who do not name the theme.
    """
    if columns.size == 0:
        return block[:, key].astype(np.int64)
    weights = np.left_shift(1, np.arange(columns.size, dtype=np.int64))
    bits: NDArray[np.int64] = block[:, columns].astype(np.int64) @ weights
    return bits


@dataclass(frozen=True)
class Experience(BuiltIn):
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

    def terms(self, mentors: People, mentees: People) -> Terms:
        """``[years / saturation, 1]`` and ``[1, -years / saturation]``: the product is the lead."""
        column = "years_in_role"
        return _difference(
            mentors.column(column), mentees.column(column), self.saturation, _lead, _clipped_top
        )

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


def _difference(
    mentor: NDArray[np.float64],
    mentee: NDArray[np.float64],
    scale: float,
    formula: Formula,
    bound: Bound,
) -> Terms:
    """Terms ``[a / scale, 1]`` and ``[1, -b / scale]``, whose product is ``(a - b) / scale``."""
    mentor, mentee = mentor / scale, mentee / scale
    return Terms.of(
        np.column_stack([mentor, np.ones_like(mentor)]),
        np.column_stack([np.ones_like(mentee), -mentee]),
        ~np.isnan(mentor),
        ~np.isnan(mentee),
        formula=formula,
        bound=bound,
    )


def _lead(x: NDArray[np.float32], y: NDArray[np.float32], product: Product) -> NDArray[np.float32]:
    lead = product(x, y)
    np.clip(lead, 0, 1, out=lead)
    return lead


def _clipped_top(box: Box, y: NDArray[np.float32]) -> NDArray[np.float32]:
    """Bound of ``clip(x . y, 0, 1)``, which grows with the product: the clipped top of its span."""
    top = box.top(y)
    np.clip(top, 0, 1, out=top)
    return top


@dataclass(frozen=True)
class Size(BuiltIn):
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

    def terms(self, mentors: People, mentees: People) -> Terms:
        """``[log1p a / scale, 1]`` and ``[1, -log1p b / scale]``: the product is the gap."""
        column = "log_population"
        return _difference(
            mentors.column(column), mentees.column(column), self.scale, _closeness, _nearest_to_zero
        )

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``similar size (12,400 vs 9,800 inhabitants)``."""
        a, b = mentor.population, mentee.population
        if a is None or b is None:
            return "size not known"
        similar = max(a, b) <= self.similar_ratio * max(min(a, b), 1)
        return f"{'similar' if similar else 'different'} size ({a:,} vs {b:,} inhabitants)"


def _closeness(
    x: NDArray[np.float32], y: NDArray[np.float32], product: Product
) -> NDArray[np.float32]:
    gap = product(x, y)
    np.abs(gap, out=gap)
    np.negative(gap, out=gap)
    np.exp(gap, out=gap)
    return gap


def _nearest_to_zero(box: Box, y: NDArray[np.float32]) -> NDArray[np.float32]:
    """Bound of ``exp(-|x . y|)``, which falls with the product's distance from 0: its value
    at the span's point nearest 0 (0 itself when the span holds it)."""
    least, most = box.span(y)
    np.negative(least, out=least)
    np.minimum(least, most, out=least)  # minus the distance from 0, where 0 is outside
    np.minimum(least, 0, out=least)
    np.exp(least, out=least)
    return least


@dataclass(frozen=True)
class Level(BuiltIn):
    """1 when both lead the same level (municipality or county), 0 otherwise.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> mentors, mentees = People.of(example_cohort())
    >>> sorted(set(Level()(mentors, mentees).ravel().tolist()))
    [0.0, 1.0]
    """

    name: str = "level"

    def terms(self, mentors: People, mentees: People) -> Terms:
        """Bilinear terms: one-hot ``[municipality, county]`` on both sides."""
        mentor, mentee = mentors.column("level"), mentees.column("level")
        return Terms.of(
            np.column_stack([1 - mentor, mentor]),
            np.column_stack([1 - mentee, mentee]),
            ~np.isnan(mentor),
            ~np.isnan(mentee),
        )

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``both municipalities``."""
        if mentor.level is None or mentee.level is None:
            return "level not known"
        if mentor.level == mentee.level:
            return f"both {'counties' if mentor.level == 'county' else 'municipalities'}"
        return f"a {mentor.level} and a {mentee.level}"


@dataclass(frozen=True)
class Language(BuiltIn):
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

    def _groups(self, people: People) -> NDArray[np.float64]:
        """Multi-hot over language groups (all intelligible languages make one group)."""
        codes = people.featurizer.languages_
        groups = sorted({self._group(c) for c in codes})
        to_group = np.array([[self._group(c) == g for g in groups] for c in codes], dtype=float)
        grouped: NDArray[np.float64] = people.block("languages") @ to_group.reshape(
            len(codes), len(groups)
        )
        return grouped

    def _group(self, code: str) -> str:
        return "" if code in self.intelligible else code

    def terms(self, mentors: People, mentees: People) -> Terms:
        """Language groups, multi-hot: their product counts the groups the two share."""
        offer, seek = self._groups(mentors), self._groups(mentees)
        return Terms.of(
            offer, seek, offer.any(axis=1), seek.any(axis=1), formula=_shared, bound=_clipped_top
        )

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


def _shared(
    x: NDArray[np.float32], y: NDArray[np.float32], product: Product
) -> NDArray[np.float32]:
    shared = product(x, y)
    np.clip(shared, 0, 1, out=shared)
    return shared


@dataclass(frozen=True)
class Proximity(BuiltIn):
    """Nearness for in-person meetings, ``exp(-km / km_scale)`` of the great-circle distance.

    The distance is the haversine in float32 (:func:`mentormatch.geo.haversine_km`),
    from the places' half-angles measured from the middle of the people's coordinates.

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

    def terms(self, mentors: People, mentees: People) -> Terms:
        """Half-angles (:func:`mentormatch.geo.half_angles`) of each person's place."""
        places = mentors.block("coordinates"), mentees.block("coordinates")
        known = [~np.isnan(p).any(axis=1) for p in places]
        located = np.vstack([p[k] for p, k in zip(places, known, strict=True)])
        middle = (located.min(axis=0) + located.max(axis=0)) / 2 if len(located) else (0.0, 0.0)
        origin = (float(middle[0]), float(middle[1]))
        mentor, mentee = (half_angles(p[:, 0], p[:, 1], origin) for p in places)
        return Terms.of(
            mentor, mentee, known[0], known[1], formula=self._nearness, bound=self._nearness_bound
        )

    def _nearness(
        self, x: NDArray[np.float32], y: NDArray[np.float32], product: Product
    ) -> NDArray[np.float32]:
        km = haversine_km(x, y, product)
        km *= _F32(-1 / self.km_scale)
        np.exp(km, out=km)
        return km

    def grouping(self, terms: Terms) -> NDArray[np.float64]:
        """The half-angle terms times ``2 R / km_scale``: a unit of a term moves the distance
        by up to ``2 R`` (the mentee terms it meets are at most 1), the value by that over
        ``km_scale``."""
        return terms.mentor.astype(np.float64) * (2 * EARTH_RADIUS_KM / self.km_scale)

    def _nearness_bound(self, box: Box, y: NDArray[np.float32]) -> NDArray[np.float32]:
        """``exp(-km / km_scale)`` falls with the distance: its value at the least distance."""
        km = haversine_km_floor(box.low, box.high, y, box.interval)
        km *= _F32(-1 / self.km_scale)
        np.exp(km, out=km)
        return km

    def describe(self, mentor: Profile, mentee: Profile, value: float) -> str:
        """In words, e.g. ``180 km apart``."""
        km = float(distance_km([mentor], [mentee])[0, 0])
        return "distance not known" if math.isnan(km) else f"{km:,.0f} km apart"


BUILT_IN: tuple[BuiltIn, ...] = (Themes(), Experience(), Size(), Proximity(), Level(), Language())
"""The built-in criteria, with their default parameters."""
