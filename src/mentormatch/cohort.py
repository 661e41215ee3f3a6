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
from collections.abc import Collection, Iterable, Sequence
from functools import cached_property
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter
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

    Made directly, ``Cohort(profiles=...)`` checks what :meth:`from_frame` checks
    across rows (every id used once, ids that differ only in capitals counted as
    one; at least one mentor and one mentee) and raises ``mm.InputError`` naming
    the argument; each profile was checked when it was made (a profile changed
    with ``model_copy(update=...)`` is not checked again: pydantic does not).
    Columns of the profiles' ``extra`` missing from ``columns`` are added.

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

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise InputError([_argument_violation(e) for e in error.errors()]) from None
        problems = [
            Violation(message, argument="profiles") for message in _people_problems(self.profiles)
        ]
        twice = [c for c, count in Counter(self.columns).items() if count > 1]
        problems += [
            Violation(f"the column {c!r} is given twice", argument="columns") for c in twice
        ]
        if problems:
            raise InputError(problems)

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
        extras = dict.fromkeys(key for p in people if p.extra for key in p.extra)
        columns += tuple(c for c in extras if c not in columns)
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
        header_row = first_row - 1 if first_row > 1 else None  # a JSON list has none
        problems = _header_problems([str(c) for c in frame.columns], columns, source, header_row)
        first = {name: at for at, name in reversed(list(enumerate(columns)))}  # first of a name
        order = sorted(first, key=first.__getitem__)
        table = (
            frame.set_axis(columns, axis=1)
            if len(order) == len(columns)
            else frame.iloc[:, [first[name] for name in order]].set_axis(order, axis=1)
        )
        records = table.to_dict(orient="records")
        missing = [name for name in REQUIRED_COLUMNS if name not in first]
        profiles, violations, people = _validate(records, source, first_row, missing)
        if not people:  # no rows, or only blank ones
            raise InputError([*problems, Violation("the file has no people in it", source)])
        violations += _check_cohort(records, source, first_row, roles="role" not in missing)
        if problems or violations:
            place = {name: at for at, name in enumerate(order)}
            rows = sorted(
                violations,
                key=lambda v: (v.row is None, v.row or 0, place.get(v.column or "", len(place))),
            )
            raise InputError([*problems, *rows])
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
    written: Sequence[str], columns: Sequence[str], source: str | None, row: int | None = 1
) -> list[Violation]:
    """Two columns that read as one (by their positions), and required columns missing (with
    the closest found)."""
    found = ", ".join(repr(c.strip()) for c in written)
    problems = []
    for name, count in Counter(columns).items():
        if count > 1:
            at = [k for k, c in enumerate(columns) if c == name]
            where = f"columns {_and([str(k + 1) for k in at])} ({_and(_letters(at))})"
            spellings = [written[k] for k in at]
            if len(set(spellings)) == 1:
                message = f"the column {spellings[0]!r} is there {count} times, in {where}"
            else:
                spelt = _and([repr(w) for w in spellings])
                both = "both" if count == 2 else "all"
                message = f"the columns {spelt}, in {where}, {both} read as '{name}'"
            problems.append(Violation(f"{message}; keep one", source, row, name))
    unknown = [c for c in columns if c not in COLUMNS]
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            guess = closest(name, unknown)
            hint = f"; did you mean {guess!r}? Rename it '{name}'" if guess else ""
            problems.append(
                Violation(
                    f"missing required column '{name}'{hint} (the columns found: {found})",
                    source,
                    row,
                    name,
                )
            )
    return problems


def _letters(positions: Iterable[int]) -> list[str]:
    """Columns by 0-based position as a spreadsheet names them (0 -> A, 27 -> AB)."""
    return [get_column_letter(k + 1) for k in positions]


def _and(items: Sequence[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


_NORDIC_HEADERS = {
    **dict.fromkeys(("kapasitet", "kapacitet", "antall mentees", "antal adepter"), "capacity"),
    **dict.fromkeys(("tema", "teman", "temaer", "temaene"), "themes"),
    **dict.fromkeys(("språk", "sprak"), "languages"),
    **dict.fromkeys(("organisasjon", "arbeidsgiver", "arbetsgivare"), "organisation"),
    **dict.fromkeys(("fylke", "län", "lan"), "region"),
    **dict.fromkeys(("rolle", "roll"), "role"),
    **dict.fromkeys(("navn", "namn"), "name"),
    **dict.fromkeys(("unngå", "undvik"), "avoid"),
    **dict.fromkeys(("nivå", "niva"), "level"),
    **dict.fromkeys(("land",), "country"),
    **dict.fromkeys(("innbyggere", "invånare", "folketall", "befolkning"), "population"),
}
"""Headers a Norwegian or Swedish sheet may use for a column, by the column they mean."""


def _column_warnings(columns: Iterable[str]) -> list[str]:
    """A warning per column that is not read but looks meant as one that is: close to its
    name, or a Norwegian or Swedish name of it (``Kapasitet``); other columns are kept
    quietly, for the user's own criteria."""
    return [
        f"column {name!r} is not one mentormatch reads; did you mean {guess!r}? "
        "It is kept but not used"
        for name in columns
        if name not in COLUMNS
        and (guess := _NORDIC_HEADERS.get(name.strip().casefold()) or closest(name, COLUMNS))
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
    records: Iterable[dict[Any, Any]],
    source: str | None = None,
    first_row: int = 2,
    *,
    missing: Collection[str] = (),
) -> tuple[list[tuple[int, Profile]], list[Violation]]:
    """Validate table rows into profiles, collecting every problem rather than stopping.

    Blank rows are skipped but counted, so row numbers stay those the user sees.
    The ``missing`` columns (the table has none of that name; reported once, as a
    header problem) are not reported again in every row.

    Examples
    --------
    >>> rows = [{"id": "M1", "role": "mentor", "organisation": "Bodø", "region": "Nordland"},
    ...         {"id": "E1", "role": "boss", "organisation": "Narvik", "region": "Nordland"}]
    >>> profiles, problems = validate_rows(rows)
    >>> [(row, p.id) for row, p in profiles], [str(v) for v in problems]
    ([(2, 'M1')], ["row 3, column 'role': unknown role 'boss'; expected 'mentor' or 'mentee'"])
    """
    profiles, violations, _ = _validate(records, source, first_row, missing)
    return profiles, violations


def _validate(
    records: Iterable[dict[Any, Any]], source: str | None, first_row: int, missing: Collection[str]
) -> tuple[list[tuple[int, Profile]], list[Violation], int]:
    """:func:`validate_rows`, and how many rows are not blank."""
    profiles: list[tuple[int, Profile]] = []
    violations: list[Violation] = []
    people = 0
    for row, record in enumerate(records, start=first_row):
        if all(is_blank(v) for v in record.values()):
            continue
        people += 1
        known = {k: v for k, v in record.items() if k in COLUMNS}
        extra = {k: (None if is_blank(v) else v) for k, v in record.items() if k not in COLUMNS}
        try:
            profiles.append((row, Profile.model_validate({**known, "extra": extra})))
        except ValidationError as error:
            violations += [
                _violation(e, record, source, row)
                for e in error.errors()
                if not (e["type"] == "missing" and e["loc"] and e["loc"][0] in missing)
            ]
    return profiles, violations, people


_NUMBERS = {
    "years_in_role": "a number of years, 0 or more, such as 12 or 12,5",
    "population": "a whole number of inhabitants, 0 or more, such as 12400",
    "capacity": "a whole number of mentees, 0 or more, such as 1 or 2",
    "latitude": "a latitude in decimal degrees, from -90 to 90, such as 67,28",
    "longitude": "a longitude in decimal degrees, from -180 to 180, such as 14,4",
}
"""What each number column holds, in words a secretariat reads."""


def _violation(error: Any, record: dict[Any, Any], source: str | None, row: int) -> Violation:
    column = str(error["loc"][0]) if error["loc"] else None
    message = str(error["msg"]).removeprefix("Value error, ")
    if column in _NUMBERS and error["type"] != "value_error":
        message = _number_message(column, record.get(column))
    elif column is not None and error["type"] != "value_error":
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


def _number_message(column: str, value: object) -> str:
    """A number cell that is not one, or out of range: what it should be, and a hint."""
    shown = value.isoformat(sep=" ") if hasattr(value, "isoformat") else value
    message = f"expected {_NUMBERS[column]}, got {shown!r}"
    text = str(value).strip()
    if hasattr(value, "isoformat"):
        return f"{message}; the spreadsheet took the number for a date: format the column as text"
    if any(c.isalpha() for c in text) and any(c.isdigit() for c in text):
        return f"{message}; write the number only, without words or units"
    if any(c.isalpha() for c in text):
        return f"{message}; write it in digits"
    return message


def _people_problems(profiles: Sequence[Profile]) -> list[str]:
    """Ids used twice (capitals aside) and a role without people, by the profiles' order."""
    keys = [p.id.casefold() for p in profiles]
    roles = {p.role for p in profiles}
    problems = [
        f"the cohort has no {role}s; expected at least one mentor and one mentee"
        for role in ("mentor", "mentee")
        if role not in roles
    ]
    if len(set(keys)) == len(keys):
        return problems
    first: dict[str, int] = {}
    twice = []
    for index, (person, key) in enumerate(zip(profiles, keys, strict=True), start=1):
        if key in first:
            earlier = profiles[first[key] - 1].id
            same = "" if earlier == person.id else f" ('{earlier}' differs only in capitals)"
            twice.append(f"duplicate id '{person.id}' in profiles {first[key]} and {index}{same}")
        else:
            first[key] = index
    return [*twice, *problems]


def _argument_violation(error: Any) -> Violation:
    """A pydantic error of ``Cohort(...)`` as an argument's violation: 'item 3, id: ...'."""
    where = [str(part) for part in error["loc"]]
    argument = where[0] if where else None
    place = [f"item {int(p) + 1}" if p.isdigit() else p for p in where[1:]]
    message = str(error["msg"]).removeprefix("Value error, ")
    return Violation(f"{', '.join(place)}: {message}" if place else message, argument=argument)


def _check_cohort(
    records: list[dict[Any, Any]], source: str | None, first_row: int, *, roles: bool = True
) -> list[Violation]:
    """Checks across rows, on the raw cells so that a row with other problems still counts:
    ids used twice (ids that differ only in capitals count as one, as spreadsheets and file
    systems take them), and, when ``roles``, a role without people."""
    violations: list[Violation] = []
    first_seen: dict[str, tuple[int, str]] = {}
    for row, record in enumerate(records, start=first_row):
        person_id = as_text(record.get("id"))
        key = person_id.casefold()
        if key in first_seen:
            first, written = first_seen[key]
            same = (
                "" if written == person_id else f" as '{written}', which differs only in capitals"
            )
            violations.append(
                Violation(
                    f"duplicate id '{person_id}' (first used in row {first}{same})",
                    source,
                    row,
                    "id",
                )
            )
        elif person_id:
            first_seen[key] = (row, person_id)
    found = {role_of(str(r.get("role"))) for r in records}
    for role in ("mentor", "mentee") if roles else ():
        if role not in found:
            violations.append(
                Violation(
                    f"the cohort has no {role}s; expected at least one mentor and one mentee",
                    source,
                )
            )
    return violations
