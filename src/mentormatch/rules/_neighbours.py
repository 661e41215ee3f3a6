"""The rule that keeps neighbours apart: organisations that share a border are never paired."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import field_validator, model_validator

from mentormatch.errors import InputError, Violation
from mentormatch.names import organisation_key
from mentormatch.places import ambiguity, neighbour_matrix, place_of, places
from mentormatch.profiles import Profile
from mentormatch.rules._base import Context, Mask, PairTest, _Forbidding

__all__ = ["AvoidNeighbours"]

Labels = NDArray[np.int64]
"""One position per person in a neighbour matrix; -1 for a person with no place in it."""


class AvoidNeighbours(_Forbidding):
    """Never pair people whose organisations share a border.

    By default the borders are the package's own: Norwegian and Swedish
    municipalities that share a land border (Kartverket, SCB; see
    ``mentormatch.places.neighbour_matrix``). Each person's organisation is
    looked up as in ``mentormatch.places.find_places`` (``"Bodø kommune"``,
    ``"Region Skåne"``, ``"Stockholms stad"``; country, level and region settle
    names such as ``"Herøy"``). A county-level organisation covers the territory
    of its municipalities: it neighbours the municipalities inside it and those
    bordering them, and the counties next to it. Borders between Norway and
    Sweden are not in the data, so a Norwegian and a Swedish organisation are
    never neighbours; nor is an organisation its own neighbour (that is
    ``AvoidSameOrganisation``).

    Parameters
    ----------
    borders : str or sequence of (str, str), optional
        Your own border table instead: pairs of organisation names, or the path
        of a CSV file whose first two columns hold such pairs under a header row
        (read from the current directory when relative). Names are compared by
        ``mentormatch.names.organisation_key`` (``"Bodø"`` = ``"bodø kommune"``);
        an organisation the table does not name has no neighbours.
    corners : bool, default True
        With the package's borders: whether Swedish municipalities that touch
        at a single point of the simplified boundaries (38 pairs) count as
        neighbours. They do by default: a rule that keeps people apart had
        better keep a doubtful pair apart.
    skip_unknown : bool, default False
        With the package's borders, a person whose organisation names no known
        place, or several, is an ``InputError`` naming them; with
        ``skip_unknown=True`` their pairs are left allowed instead.

    Examples
    --------
    >>> from mentormatch.profiles import Profile
    >>> bodo = Profile(id="m1", role="mentor", organisation="Bodø kommune", region="Nordland")
    >>> fauske = Profile(id="e1", role="mentee", organisation="Fauske", region="Nordland")
    >>> narvik = Profile(id="e2", role="mentee", organisation="Narvik", region="Nordland")
    >>> AvoidNeighbours().forbids(Context((bodo,), (fauske, narvik))).tolist()
    [[True, False]]
    >>> AvoidNeighbours(borders=[("Bodø", "Narvik")]).forbids(
    ...     Context((bodo,), (fauske, narvik))).tolist()
    [[False, True]]
    """

    kind: Literal["AvoidNeighbours"] = "AvoidNeighbours"
    borders: str | tuple[tuple[str, str], ...] | None = None
    corners: bool = True
    skip_unknown: bool = False

    @field_validator("borders", mode="before")
    @classmethod
    def _borders(cls, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("expected the path of a CSV file or a list of pairs, got ''")
            return value
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected the path of a CSV file or a list of pairs, got {value!r}")
        pairs = []
        for item in value:
            if not (
                isinstance(item, list | tuple)
                and len(item) == 2
                and all(isinstance(name, str) for name in item)
            ):
                raise ValueError(f"expected pairs of two organisation names, got {item!r}")
            _check_pair(*item)
            pairs.append(tuple(item))
        return tuple(pairs)

    @model_validator(mode="after")
    def _check(self) -> AvoidNeighbours:
        if self.borders is not None and (not self.corners or self.skip_unknown):
            raise ValueError(
                "corners and skip_unknown apply to the package's borders, not to your own"
            )
        return self

    def ruled_out(self, context: Context) -> PairTest:
        """Pairs whose organisations are neighbours: one place label per person and the
        places' border table, so a block costs one look-up per pair."""
        if self.borders is None:
            near = neighbour_matrix(self.corners)
            rows, columns = self._places(context.mentors), self._places(context.mentees)
            unplaced = [*_unplaced(context.mentors, rows), *_unplaced(context.mentees, columns)]
            if unplaced and not self.skip_unknown:
                raise InputError(self._unknown(unplaced))
        else:
            pairs = self._pairs()
            names = sorted({name for pair in pairs for name in pair})
            position = {name: k for k, name in enumerate(names)}
            near = np.zeros((len(names), len(names)), dtype=bool)
            for a, b in pairs:
                near[position[a], position[b]] = near[position[b], position[a]] = True
            rows, columns = (
                np.array(
                    [position.get(organisation_key(p.organisation), -1) for p in people],
                    dtype=np.int64,
                )
                for people in (context.mentors, context.mentees)
            )
        padded = np.zeros((near.shape[0] + 1, near.shape[1] + 1), dtype=bool)
        padded[:-1, :-1] = near  # the last row and column, -1, neighbour no one

        def neighbours(mentors: NDArray[np.intp], mentees: NDArray[np.intp]) -> Mask:
            found: Mask = padded[np.ix_(rows[mentors], columns[mentees])]
            return found

        return neighbours

    def _places(self, people: Sequence[Profile]) -> Labels:
        """Each person's position in :func:`places`, or -1 when their organisation is unclear."""
        position = {place.id: k for k, place in enumerate(places())}
        found = [place_of(person) for person in people]
        return np.array([position[f[0].id] if len(f) == 1 else -1 for f in found], dtype=np.int64)

    def _unknown(self, people: Sequence[Profile]) -> list[Violation]:
        """One violation per organisation name that names no place or several."""
        by_name: dict[str, list[Profile]] = {}
        for person in sorted(people, key=lambda p: p.id):
            by_name.setdefault(person.organisation, []).append(person)
        found = []
        for name, group in sorted(by_name.items()):
            ids = ", ".join(p.id for p in group)
            options = place_of(group[0])
            what = (
                ambiguity(options)
                if options
                else "names no known Norwegian or Swedish municipality or county"
            )
            found.append(
                Violation(
                    f"{self}: '{name}' ({ids}) {what}, or use skip_unknown=True to leave "
                    "their pairs allowed"
                )
            )
        return found

    def _pairs(self) -> list[tuple[str, str]]:
        """The own border table as pairs of organisation keys."""
        if isinstance(self.borders, str):
            rows = _read_borders(Path(self.borders))
        else:
            rows = list(self.borders or ())
        return [(organisation_key(a), organisation_key(b)) for a, b in rows]


def _unplaced(people: Sequence[Profile], labels: Labels) -> list[Profile]:
    return [person for person, label in zip(people, labels.tolist(), strict=True) if label < 0]


def _check_pair(a: str, b: str) -> None:
    if not a.strip() or not b.strip():
        raise ValueError(f"expected two organisation names in each pair, got ({a!r}, {b!r})")
    if organisation_key(a) == organisation_key(b):
        raise ValueError(f"'{a}' and '{b}' are one organisation; it cannot border itself")


def _read_borders(path: Path) -> list[tuple[str, str]]:
    """Pairs from the first two columns of a CSV file with a header row; every problem at once."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise InputError(Violation(f"cannot read the borders: {reason}", str(path))) from None
    header = text.partition("\n")[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    pairs: list[tuple[str, str]] = []
    problems: list[Violation] = []
    for row, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if row == 1 or not any(cell.strip() for cell in cells):
            continue
        a, b = [*cells, "", ""][:2]
        try:
            _check_pair(a, b)
        except ValueError as error:
            problems.append(Violation(str(error), str(path), row))
        else:
            pairs.append((a, b))
    if problems:
        raise InputError(problems)
    if not pairs:
        raise InputError(Violation("expected pairs of organisations below a header row", str(path)))
    return pairs
