"""A cohort: the validated mentors and mentees of one pairing round, as a table or as profiles.

``Cohort.from_frame`` validates a whole table at once and reports every problem
together; ``Cohort.to_frame`` gives the table back, unknown columns included,
so that ``Cohort.from_frame(c.to_frame()) == c``.

Headers are read as people write them: ``" Organisation "``, ``"Years in role"``
and ``"years-in-role"`` are the schema's columns. What is valid but probably not
meant (a column named close to a known one, an ``avoid`` entry naming no one, two
spellings of one organisation) is kept as written and listed in ``cohort.warnings``.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from mentormatch.errors import CohortWarning, InputError, Violation
from mentormatch.names import closest, employer_level, organisation_key
from mentormatch.places import fill_coordinates
from mentormatch.profiles import COLUMNS, REQUIRED_COLUMNS, Profile, as_text, is_blank, role_of

__all__ = ["Cohort", "header", "validate_rows"]

_DEFAULT_CELLS = Profile(id="-", role="mentor", organisation="-", region="-").cells()


class Cohort(BaseModel):
    """The people of one pairing round, in the order of the file.

    Parameters
    ----------
    profiles : tuple of Profile
        Every person, mentors and mentees, in file order.
    columns : tuple of str
        The table's columns in the order the user wrote them (unknown ones included).
    notes : tuple of str
        What was done beyond reading the cells. A person with neither latitude
        nor longitude gets the coordinates of the Norwegian or Swedish
        municipality or county their organisation (or region) names, and
        ``latitude``/``longitude`` join the columns; the notes say who, from
        which place, and which names were ambiguous or matched nothing, each
        once (:func:`mentormatch.places.fill_coordinates`). Notes describe how
        the cohort was read, not its people: cohorts with equal profiles and
        columns are equal whatever their notes.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["m1", "e1"], "role": ["mentor", "mentee"],
    ...                    "organisation": ["Bodø", "Tromsø"], "region": ["Nordland", "Troms"]})
    >>> cohort = Cohort.from_frame(df)
    >>> [p.id for p in cohort.mentors], [p.id for p in cohort.mentees]
    (['m1'], ['e1'])
    """

    model_config = ConfigDict(frozen=True)

    profiles: tuple[Profile, ...]
    columns: tuple[str, ...] = COLUMNS
    notes: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cohort):
            return NotImplemented
        return (self.profiles, self.columns) == (other.profiles, other.columns)

    __hash__ = None  # type: ignore[assignment]  # profiles hold dicts (extra): never hashable

    @model_validator(mode="before")
    @classmethod
    def _coordinates_from_names(cls, data: Any) -> Any:
        """Fill coordinates from place names, however the cohort is made (the intake hook)."""
        if not isinstance(data, dict) or not isinstance(data.get("profiles"), list | tuple):
            return data
        try:
            people = [
                p if isinstance(p, Profile) else Profile.model_validate(p) for p in data["profiles"]
            ]
        except ValidationError:
            return data  # validation proper reports it
        located, notes = fill_coordinates(people)
        columns = tuple(data.get("columns", COLUMNS))
        if any(a is not b for a, b in zip(located, people, strict=True)):
            columns += tuple(c for c in ("latitude", "longitude") if c not in columns)
        return {
            **data,
            "profiles": located,
            "columns": columns,
            "notes": (*data.get("notes", ()), *notes),
        }

    @cached_property
    def mentors(self) -> tuple[Profile, ...]:
        """The mentors, in file order."""
        return tuple(p for p in self.profiles if p.role == "mentor")

    @cached_property
    def mentees(self) -> tuple[Profile, ...]:
        """The mentees, in file order."""
        return tuple(p for p in self.profiles if p.role == "mentee")

    @cached_property
    def by_id(self) -> dict[str, Profile]:
        """Every profile by its id."""
        return {p.id: p for p in self.profiles}

    def __getitem__(self, person_id: str) -> Profile:
        """The profile with this id; ``KeyError`` names the id when there is none."""
        try:
            return self.by_id[person_id]
        except KeyError:
            raise KeyError(f"no person with id '{person_id}' in the cohort") from None

    @cached_property
    def warnings(self) -> tuple[str, ...]:
        """What is valid but probably not meant, one finding per line, by id (never by name).

        A column whose name is close to a schema column (kept, but not read as it);
        an ``avoid`` entry that is neither an id nor an organisation of the cohort (it
        rules nothing out); organisations spelt differently but taken as one employer
        by ``AvoidSameOrganisation`` and ``avoid`` (see
        :func:`mentormatch.names.organisation_key`).

        Examples
        --------
        >>> import warnings, pandas as pd
        >>> df = pd.DataFrame({"id": ["m1", "e1"], "role": ["mentor", "mentee"],
        ...     "organisation": ["Bergen", "Bergen kommune"], "region": ["Vestland"] * 2,
        ...     "theme": ["crisis", ""]})
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     cohort = Cohort.from_frame(df)
        >>> for line in cohort.warnings:
        ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
        column 'theme' is not one mentormatch reads; did you mean 'themes'? It is kept
        but not used
        organisations 'Bergen' (m1) and 'Bergen kommune' (e1) are taken as one employer
        >>> [w.category.__name__ for w in caught]
        ['CohortWarning', 'CohortWarning']
        """
        return (
            *_column_warnings(self.columns),
            *_avoid_warnings(self.profiles),
            *_spelling_warnings(self.profiles),
        )

    def summary(self) -> str:
        """A few lines about the cohort, with ids but no names.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"id": ["m1", "e1"], "role": ["mentor", "mentee"],
        ...     "organisation": ["Bodø", "Tromsø"], "region": ["Nordland", "Troms"]})
        >>> print(Cohort.from_frame(df).summary().splitlines()[0])
        1 mentors (capacity 1 in all) and 1 mentees from 2 regions
        """
        regions = Counter(p.region for p in self.profiles)
        capacity = sum(p.capacity for p in self.mentors)
        themes = Counter(t.split("/")[0] for p in self.mentees for t in p.themes)
        lines = [
            f"{len(self.mentors)} mentors (capacity {capacity} in all) and "
            f"{len(self.mentees)} mentees from {len(regions)} regions",
            "regions: " + ", ".join(f"{r} ({k})" for r, k in sorted(regions.items())),
        ]
        if themes:
            lines.append(
                "themes sought: " + ", ".join(f"{t} ({k})" for t, k in themes.most_common())
            )
        return "\n".join(lines)

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, *, source: str | None = None, first_row: int = 2
    ) -> Cohort:
        """Validate a table of people (one row per person) into a cohort.

        Every problem of the table is reported together in one ``mm.InputError``,
        each naming the row as a spreadsheet shows it (header = row 1) and the
        column. People without coordinates get those of the place their
        organisation names, as ``notes`` say. The frame is not modified.

        Parameters
        ----------
        frame : DataFrame
            Columns as in the cohort file schema; unknown columns are kept.
        source : str, optional
            The file the table came from, named in error messages.
        first_row : int, default 2
            The row number messages give the frame's first row: 2 below a
            header row, 1 for the items of a JSON list. Wholly blank rows are
            skipped but counted.

        Examples
        --------
        >>> import pandas as pd
        >>> Cohort.from_frame(pd.DataFrame({"id": ["m1", "e1"], "role": ["boss", "mentee"],
        ...     "organisation": ["Bodø", "Moss"], "region": ["Nordland", "Østfold"]}))
        Traceback (most recent call last):
        ...
        mentormatch.errors.InputError: 2 problems found:
          - row 2, column 'role': unknown role 'boss'; expected 'mentor' or 'mentee'
          - the cohort has no mentors; expected at least one mentor and one mentee
        """
        if not isinstance(frame, pd.DataFrame):
            raise InputError(Violation(f"expected a pandas DataFrame, got {type(frame).__name__}"))
        columns = tuple(header(c) for c in frame.columns)
        if frame.empty:
            raise InputError(Violation("the file has no people in it", source))
        problems = _header_problems([str(c) for c in frame.columns], columns, source)
        if problems:
            raise InputError(problems)
        records = frame.set_axis(columns, axis=1).to_dict(orient="records")
        profiles, violations = validate_rows(records, source, first_row)
        violations += _check_cohort(records, source, first_row)
        if violations:
            raise InputError(violations)
        cohort = cls(profiles=tuple(p for _, p in profiles), columns=columns)
        for finding in cohort.warnings:
            warnings.warn(
                f"{source}: {finding}" if source else finding, CohortWarning, stacklevel=2
            )
        return cohort

    def to_frame(self) -> pd.DataFrame:
        """Return the cohort as a table, in file order, with every column it was read with.

        Lists are joined with ``;``; themes are given as keys; coordinates filled
        from place names are written (``latitude`` and ``longitude`` last when the
        table had no such columns).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"id": ["m1", "e1"], "role": ["mentor", "mentee"],
        ...     "organisation": ["Bodø", "Tromsø"], "region": ["Nordland", "Troms"],
        ...     "notes": ["x", None]})
        >>> list(Cohort.from_frame(df).to_frame().columns)
        ['id', 'role', 'organisation', 'region', 'notes', 'latitude', 'longitude']
        """
        rows = [p.cells() for p in self.profiles]
        added = [
            c
            for c in COLUMNS
            if c not in self.columns and any(r[c] != _DEFAULT_CELLS[c] for r in rows)
        ]
        order = [*self.columns, *added]
        return pd.DataFrame([[r.get(c) for c in order] for r in rows], columns=order, dtype=object)


def header(name: object) -> str:
    """A column name as the schema knows it: case, surrounding spaces, and spaces or
    hyphens for underscores do not matter; an unknown name is kept, trimmed.

    Examples
    --------
    >>> header(" Organisation "), header("Years in role"), header("Notes ")
    ('organisation', 'years_in_role', 'Notes')
    """
    text = str(name).strip()
    known = re.sub(r"[\s-]+", "_", text.casefold())
    return known if known in COLUMNS else text


def _header_problems(
    written: Sequence[str], columns: Sequence[str], source: str | None
) -> list[Violation]:
    """Two columns that read as one, and required columns missing (with the closest found)."""
    found = ", ".join(repr(c.strip()) for c in written)
    problems = []
    for name, count in Counter(columns).items():
        if count > 1:
            same = [repr(w) for w, c in zip(written, columns, strict=True) if c == name]
            spelt = " and ".join(same)
            problems.append(
                Violation(f"the columns {spelt} both read as '{name}'; keep one", source, 1, name)
            )
    unknown = [c for c in columns if c not in COLUMNS]
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            guess = closest(name, unknown)
            hint = f"; did you mean {guess!r}? Rename it '{name}'" if guess else ""
            problems.append(
                Violation(
                    f"missing required column '{name}'{hint} (the columns found: {found})",
                    source,
                    1,
                    name,
                )
            )
    return problems


def _column_warnings(columns: Iterable[str]) -> list[str]:
    return [
        f"column {name!r} is not one mentormatch reads; did you mean {guess!r}? "
        "It is kept but not used"
        for name in columns
        if name not in COLUMNS and (guess := closest(name, COLUMNS)) is not None
    ]


def _avoid_warnings(profiles: Sequence[Profile]) -> list[str]:
    ids = {p.id for p in profiles}
    organisations = {organisation_key(p.organisation) for p in profiles}
    return [
        f"{person.id}'s avoid entry {entry!r} is neither an id nor an organisation in the "
        "cohort; it rules nothing out"
        for person in profiles
        for entry in person.avoid
        if entry not in ids and organisation_key(entry) not in organisations
    ]


_LISTED = 5
"""At most this many ids are listed per spelling in a warning."""


def _spelling_warnings(profiles: Sequence[Profile]) -> list[str]:
    """Organisations written differently (beyond case and spacing) that share one key and
    may share a country and a level (people without a country or level go with every
    country or level of the key; see :func:`mentormatch.names.employer_level`)."""
    employers: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    by_key: dict[str, list[Profile]] = {}
    levels = {p.id: employer_level(p.organisation, p.level) or "" for p in profiles}
    for person in profiles:
        by_key.setdefault(organisation_key(person.organisation), []).append(person)
    for key, people in by_key.items():
        countries = sorted({p.country for p in people if p.country}) or [""]
        known = sorted({levels[p.id] for p in people if levels[p.id]}) or [""]
        for country, level in itertools.product(countries, known):
            by_spelling = employers.setdefault((key, country, level), {})
            for person in people:
                if person.country in (None, "", country) and levels[person.id] in ("", level):
                    written = " ".join(person.organisation.split())
                    by_spelling.setdefault(written.casefold(), [written]).append(person.id)
    found = []
    for by_spelling in employers.values():
        if len(by_spelling) > 1:
            listed = [
                f"{written!r} ({_ids(ids)})" for written, *ids in sorted(by_spelling.values())
            ]
            found.append(
                f"organisations {', '.join(listed[:-1])} and {listed[-1]} are taken as one employer"
            )
    return found


def _ids(ids: list[str]) -> str:
    more = f" and {len(ids) - _LISTED} more" if len(ids) > _LISTED else ""
    return ", ".join(ids[:_LISTED]) + more


def validate_rows(
    records: Iterable[dict[Any, Any]], source: str | None = None, first_row: int = 2
) -> tuple[list[tuple[int, Profile]], list[Violation]]:
    """Validate table rows into profiles, collecting every problem rather than stopping.

    Blank rows are skipped but counted, so row numbers stay those the user sees.

    Examples
    --------
    >>> rows = [{"id": "M1", "role": "mentor", "organisation": "Bodø", "region": "Nordland"},
    ...         {"id": "E1", "role": "boss", "organisation": "Narvik", "region": "Nordland"}]
    >>> profiles, problems = validate_rows(rows)
    >>> [(row, p.id) for row, p in profiles], [str(v) for v in problems]
    ([(2, 'M1')], ["row 3, column 'role': unknown role 'boss'; expected 'mentor' or 'mentee'"])
    """
    profiles: list[tuple[int, Profile]] = []
    violations: list[Violation] = []
    for row, record in enumerate(records, start=first_row):
        if all(is_blank(v) for v in record.values()):
            continue
        known = {k: v for k, v in record.items() if k in COLUMNS}
        extra = {k: (None if is_blank(v) else v) for k, v in record.items() if k not in COLUMNS}
        try:
            profiles.append((row, Profile.model_validate({**known, "extra": extra})))
        except ValidationError as error:
            violations += [_violation(e, record, source, row) for e in error.errors()]
    return profiles, violations


def _violation(error: Any, record: dict[Any, Any], source: str | None, row: int) -> Violation:
    column = str(error["loc"][0]) if error["loc"] else None
    message = str(error["msg"]).removeprefix("Value error, ")
    if column is not None and error["type"] != "value_error":
        message = f"{message.lower()}, got {record.get(column)!r}"
    if column == "id" and error["type"] == "string_too_short":
        message = "the id is empty; every person needs a unique id"
    if column in ("organisation", "region") and error["type"] == "string_too_short":
        message = f"the {column} is empty; it is required"
    if column is None and "avoids themself" in message:
        column = "avoid"
    if column is None and "ranks themself" in message:
        column = "preferences"
    return Violation(message, source, row, column)


def _check_cohort(
    records: list[dict[Any, Any]], source: str | None, first_row: int
) -> list[Violation]:
    """Checks across rows, on the raw cells so that a row with other problems still counts."""
    violations: list[Violation] = []
    first_seen: dict[str, int] = {}
    for row, record in enumerate(records, start=first_row):
        person_id = as_text(record.get("id"))
        if person_id in first_seen:
            violations.append(
                Violation(
                    f"duplicate id '{person_id}' (first used in row {first_seen[person_id]})",
                    source,
                    row,
                    "id",
                )
            )
        elif person_id:
            first_seen[person_id] = row
    roles = {role_of(str(r.get("role"))) for r in records}
    for role in ("mentor", "mentee"):
        if role not in roles:
            violations.append(
                Violation(
                    f"the cohort has no {role}s; expected at least one mentor and one mentee",
                    source,
                )
            )
    return violations
