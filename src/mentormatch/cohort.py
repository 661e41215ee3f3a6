"""A cohort: the validated mentors and mentees of one pairing round, as a table or as profiles.

``Cohort.from_frame`` validates a whole table at once and reports every problem
together; ``Cohort.to_frame`` gives the table back, unknown columns included,
so that ``Cohort.from_frame(c.to_frame()) == c``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from mentormatch.errors import InputError, Violation
from mentormatch.places import fill_coordinates
from mentormatch.profiles import COLUMNS, REQUIRED_COLUMNS, Profile, as_text, is_blank, role_of

__all__ = ["Cohort", "validate_rows"]

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

    @property
    def mentors(self) -> tuple[Profile, ...]:
        """The mentors, in file order."""
        return tuple(p for p in self.profiles if p.role == "mentor")

    @property
    def mentees(self) -> tuple[Profile, ...]:
        """The mentees, in file order."""
        return tuple(p for p in self.profiles if p.role == "mentee")

    def __getitem__(self, person_id: str) -> Profile:
        """The profile with this id; ``KeyError`` names the id when there is none."""
        for profile in self.profiles:
            if profile.id == person_id:
                return profile
        raise KeyError(f"no person with id '{person_id}' in the cohort")

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
        columns = tuple(str(c).strip() for c in frame.columns)
        if frame.empty:
            raise InputError(Violation("the file has no people in it", source))
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise InputError(
                [Violation(f"missing required column '{c}'", source, 1, c) for c in missing]
            )
        records = frame.set_axis(columns, axis=1).to_dict(orient="records")
        profiles, violations = validate_rows(records, source, first_row)
        violations += _check_cohort(records, source, first_row)
        if violations:
            raise InputError(violations)
        return cls(profiles=tuple(p for _, p in profiles), columns=columns)

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
