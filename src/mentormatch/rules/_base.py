"""The rule machinery: how a rule sees the cohort (:class:`Context`), the problem it
compiles into (:class:`Draft`), and the base classes every rule derives from.

A rule is a frozen pydantic model with a ``kind`` tag; ``str(rule)`` reads like
the constructor call, and that text names the rule in conflicts and explanations.
"""

from __future__ import annotations

import functools
import inspect
import math
from abc import abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.feasibility import lock_conflicts
from mentormatch.geo import located
from mentormatch.names import organisation_key
from mentormatch.problem import GroupLimit, Preferences, Problem
from mentormatch.profiles import Profile

__all__ = ["Bound", "Context", "Count", "Draft", "Kilometres", "Mask", "PairTest", "listed_pairs"]

Mask: TypeAlias = NDArray[np.bool_]
Bound: TypeAlias = Literal["min_pairs", "max_pairs"]
PairTest: TypeAlias = Callable[[NDArray[np.intp], NDArray[np.intp]], Mask]
"""``test(rows, columns)`` -> mask of shape (len(rows), len(columns)), True = ruled out;
``rows`` (mentor positions) and ``columns`` (mentee positions) each without repeats."""


def _number(value: object) -> object:
    """A rule's number as given, refusing what pydantic would take for one: True and False
    (not 1 and 0), NaN and infinity (not a number out of range)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return value


Count: TypeAlias = Annotated[int, Field(ge=0), BeforeValidator(_number)]
"""A rule's count of pairs: a whole number >= 0 (not a bool)."""
Kilometres: TypeAlias = Annotated[float, Field(ge=0), BeforeValidator(_number)]
"""A rule's distance: a finite number >= 0 (not a bool)."""


def _organisation(person: Profile) -> str:
    return organisation_key(person.organisation)


def _region(person: Profile) -> str:
    return person.region.casefold()


def _column(people: Sequence[Profile], key: Callable[[Profile], str]) -> NDArray[np.str_]:
    return np.array([key(p) for p in people], dtype=str)


def _same(context: Context, key: Callable[[Profile], str]) -> PairTest:
    """A test of the pairs whose mentor and mentee have the same ``key``."""
    mentors, mentees = context.codes(key)

    def same(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> Mask:
        found: Mask = mentors[rows][:, None] == mentees[columns][None, :]
        return found

    return same


def listed_pairs(pairs: Sequence[tuple[int, int]]) -> PairTest:
    """A test of the listed (mentor, mentee) pairs, for rules that name a few pairs.

    Examples
    --------
    >>> test = listed_pairs([(0, 1), (2, 0)])
    >>> test(np.array([2, 0]), np.array([0, 1])).tolist()
    [[True, False], [False, True]]
    """
    listed = np.array(pairs, dtype=np.intp).reshape(-1, 2)

    def named(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> Mask:
        found = np.zeros((len(rows), len(columns)), dtype=bool)
        if not len(listed):
            return found
        row_at = np.full(int(max(listed[:, 0].max(), rows.max(initial=0))) + 1, -1)
        column_at = np.full(int(max(listed[:, 1].max(), columns.max(initial=0))) + 1, -1)
        row_at[rows] = np.arange(len(rows))
        column_at[columns] = np.arange(len(columns))
        at_rows, at_columns = row_at[listed[:, 0]], column_at[listed[:, 1]]
        inside = (at_rows >= 0) & (at_columns >= 0)
        found[at_rows[inside], at_columns[inside]] = True
        return found

    return named


@dataclass(frozen=True, eq=False)
class Context:
    """The cohort as rules see it: mentors and mentees in the order of the score matrix.

    Per-person values a rule reads (labels, coordinates, positions) are read once and
    kept, so that a rule can test any block of pairs without reading the profiles again.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> context = Context(cohort.mentors[:2], cohort.mentees[:3])
    >>> context.shape, context.same(lambda p: p.region).tolist()[0]
    ((2, 3), [True, True, False])
    """

    mentors: tuple[Profile, ...]
    mentees: tuple[Profile, ...]
    _kept: dict[object, Any] = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(number of mentors, number of mentees)."""
        return len(self.mentors), len(self.mentees)

    def values(self, key: Callable[[Profile], str]) -> tuple[NDArray[np.str_], NDArray[np.str_]]:
        """``key`` of every mentor and of every mentee, as two text arrays."""
        return _column(self.mentors, key), _column(self.mentees, key)

    def codes(self, key: Callable[[Profile], str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """``key`` of every mentor and mentee as integer codes, equal where the values are.

        Examples
        --------
        >>> from mentormatch.intake import example_cohort
        >>> cohort = example_cohort()
        >>> rows, columns = Context(cohort.mentors[:2], cohort.mentees[:3]).codes(_region)
        >>> (rows[:, None] == columns[None, :]).tolist()[0]
        [True, True, False]
        """
        if key not in self._kept:
            rows, columns = self.values(key)
            _, codes = np.unique(np.concatenate([rows, columns]), return_inverse=True)
            self._kept[key] = (codes[: len(rows)].astype(np.int64), codes[len(rows) :])
        kept: tuple[NDArray[np.int64], NDArray[np.int64]] = self._kept[key]
        return kept

    def same(self, key: Callable[[Profile], str]) -> Mask:
        """The pairs whose mentor and mentee have the same ``key``, shape (mentors, mentees)."""
        rows, columns = self.codes(key)
        same: Mask = rows[:, None] == columns[None, :]
        return same

    def coordinates(self, role: Literal["mentor", "mentee"]) -> NDArray[np.float64]:
        """Latitude and longitude of every mentor (or mentee), shape (people, 2); NaN unknown."""
        if role not in self._kept:
            self._kept[role] = located(self.mentors if role == "mentor" else self.mentees)
        kept: NDArray[np.float64] = self._kept[role]
        return kept

    def index(self, person_id: str, role: Literal["mentor", "mentee"], rule: str) -> int:
        """Row (mentor) or column (mentee) of a person; ``InputError`` naming the rule if none."""
        positions = self._positions(role)
        if person_id in positions:
            return positions[person_id]
        hint = (
            f"'{person_id}' is a {'mentee' if role == 'mentor' else 'mentor'}"
            if person_id in self._positions("mentee" if role == "mentor" else "mentor")
            else f"there is no '{person_id}' in the cohort"
        )
        raise InputError(Violation(f"{rule}: expected a {role} id as {role}_id, but {hint}"))

    def _positions(self, role: Literal["mentor", "mentee"]) -> dict[str, int]:
        key = ("positions", role)
        if key not in self._kept:
            people = self.mentors if role == "mentor" else self.mentees
            self._kept[key] = {p.id: position for position, p in enumerate(people)}
        positions: dict[str, int] = self._kept[key]
        return positions


@dataclass(eq=False)
class Draft:
    """The problem while rules compile into it; :func:`compile_rules` makes and finishes it.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> from mentormatch.rules import PairCount
    >>> draft = Draft(Context(cohort.mentors, cohort.mentees))
    >>> PairCount(max=15).compile(draft)
    >>> draft.bounds["max_pairs"]
    (15, 'PairCount(max=15)')
    """

    context: Context
    tests: dict[str, list[PairTest]] = field(default_factory=dict)
    bounds: dict[Bound, tuple[int, str]] = field(default_factory=dict)
    groups: list[GroupLimit] = field(default_factory=list)
    locks: dict[tuple[int, int], str] = field(default_factory=dict)
    preferences: Preferences | None = None

    def rule_out(self, rule: str, test: PairTest) -> None:
        """Rule out the pairs ``test`` marks (True = not allowed) in the name of ``rule``."""
        self.tests.setdefault(rule, []).append(test)

    def forbidden_by(
        self, rows: NDArray[np.intp] | None = None, columns: NDArray[np.intp] | None = None
    ) -> dict[str, Mask]:
        """Per rule, the pairs it rules out among ``rows`` x ``columns`` (default: all)."""
        m, n = self.context.shape
        rows = np.arange(m) if rows is None else rows
        columns = np.arange(n) if columns is None else columns
        return {
            rule: np.logical_or.reduce([test(rows, columns) for test in tests])
            for rule, tests in self.tests.items()
        }

    def bound(self, bound: Bound, value: int, label: str) -> None:
        """Bound the number of pairs; of several bounds the tightest is kept, with its label."""
        current = self.bounds.get(bound)
        if current is None or (value > current[0] if bound == "min_pairs" else value < current[0]):
            self.bounds[bound] = (value, label)

    def limit(self, group: GroupLimit) -> None:
        """Add a limit on the number of pairs among a group of pairs."""
        self.groups.append(group)

    def lock(self, pair: tuple[int, int], rule: str) -> None:
        """Demand the (mentor, mentee) pair in the name of ``rule``."""
        self.locks[pair] = rule

    def prefer(self, preferences: Preferences) -> None:
        """Demand a pairing without blocking pairs under these preferences."""
        self.preferences = preferences

    def conflicts(self) -> list[str]:
        """Pair-count bounds that contradict each other."""
        found: list[str] = []
        low, high = self.bounds.get("min_pairs"), self.bounds.get("max_pairs")
        if low and high and low[0] > high[0]:
            found.append(f"{low[1]} and {high[1]} cannot both hold")
        return found

    def finish(self, scores: NDArray[np.float64]) -> Problem:
        """Check the locks and build the problem; ``InfeasibleError`` lists every clash found."""
        contradictions = self.conflicts()
        if contradictions:
            raise InfeasibleError(contradictions)
        forbidden_by = self.forbidden_by()
        allowed = np.ones(self.context.shape, dtype=bool)
        for pairs in forbidden_by.values():
            allowed &= ~pairs
        problem = Problem.build(
            scores,
            allowed=allowed,
            capacity=np.array([p.capacity for p in self.context.mentors], dtype=np.int64),
            min_pairs=self.bounds["min_pairs"][0] if "min_pairs" in self.bounds else None,
            max_pairs=self.bounds["max_pairs"][0] if "max_pairs" in self.bounds else None,
            groups=tuple(self.groups),
            locked=tuple(self.locks),
            labels={bound: label for bound, (_, label) in self.bounds.items()},
            forbidden_by=forbidden_by,
            mentor_ids=tuple(p.id for p in self.context.mentors),
            mentee_ids=tuple(p.id for p in self.context.mentees),
            preferences=self.preferences,
        )
        clashes = lock_conflicts(problem)
        if clashes:
            raise InfeasibleError(clashes)
        return problem


_Init = TypeVar("_Init", bound=Callable[..., None])


def _call_only(init: _Init) -> _Init:
    """Mark a rule's ``__init__`` as the Python-call convenience only: pydantic then
    validates data (files, dicts) without calling it, as it does for ``BaseModel``.

    The call is checked against ``init``'s signature first, so that a positional argument
    too many, one given twice or one missing is an ``InputError`` naming the rule and the
    argument (every one at once), like a value pydantic refuses, never Python's TypeError.
    """
    signature = inspect.signature(init)

    @functools.wraps(init)
    def checked(self: _Rule, *args: Any, **kwargs: Any) -> None:
        problems = _call_problems(type(self), signature, args, kwargs)
        if problems:
            raise InputError(problems)
        init(self, *args, **kwargs)

    setattr(checked, "__pydantic_base_init__", True)  # noqa: B010 -- pydantic's own marker
    return checked  # type: ignore[return-value]


def _positional(
    kind: type[_Rule],
    named: list[inspect.Parameter],
    args: tuple[Any, ...],
    shown: Callable[[object], str],
) -> str:
    """What is wrong with too many positional arguments, and how to give them."""
    given = ", ".join(shown(a) for a in args)
    fields = [name for name in kind.model_fields if name != "kind"]
    if not fields:
        return f"expected no arguments, got {given}"
    if named:
        first = [p.name for p in named]
        others = [name for name in fields if name not in first]
        return (
            f"expected at most {len(named)} positional argument{'s' * (len(named) > 1)} "
            f"({', '.join(first)}), got {len(args)}: {given}"
            + (f"; give the others by name: {', '.join(others)}" if others else "")
        )
    example = f", e.g. {kind.__name__}({fields[0]}={shown(args[0])})" if len(args) == 1 else ""
    return f"expected arguments by name ({', '.join(fields)}), got {given}{example}"


def _call_problems(
    kind: type[_Rule], signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[Violation]:
    """What is wrong with calling rule ``kind`` with ``args`` and ``kwargs`` as ``signature``
    (of its ``__init__``, ``self`` first) reads them; empty when the call binds."""
    from mentormatch.validation import shown  # validation reads rules: import at call time

    rule = kind.__name__
    named = [
        p for p in list(signature.parameters.values())[1:] if p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    found = []
    if len(args) > len(named):
        found.append(Violation(f"{rule}: {_positional(kind, named, args, shown)}"))
    found += [
        Violation(f"{rule}, argument '{p.name}': given twice, by position and by name")
        for p in named[: len(args)]
        if p.name in kwargs
    ]
    found += [
        Violation(f"{rule}, argument '{p.name}': missing; it is required")
        for p in named[len(args) :]
        if p.default is p.empty and p.name not in kwargs
    ]
    return found


class _Rule(BaseModel):
    """A rule: frozen, tagged by ``kind``, shown as its constructor call."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @_call_only
    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise InputError(_violations(error, type(self).__name__, "argument")) from None

    def __str__(self) -> str:
        fields = type(self).model_fields
        shown = [
            f"{name}={_show(getattr(self, name))}"
            for name, info in fields.items()
            if name != "kind" and getattr(self, name) != info.default
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    def __repr__(self) -> str:
        return str(self)

    @abstractmethod
    def compile(self, into: Draft) -> None:
        """Add this rule to the problem being compiled."""


class _Forbidding(_Rule):
    """A rule that rules pairs out; it compiles into a test of any block of pairs.

    A subclass implements :meth:`ruled_out`, reading what it needs of the people once;
    the test then serves a whole cohort (:meth:`forbids`) or, for cohorts too large for
    one mask, one block of pairs at a time.
    """

    @abstractmethod
    def ruled_out(self, context: Context) -> PairTest:
        """``test(rows, columns)``: True where this rule rules the pair out, shape
        (len(rows), len(columns)), for mentor rows and mentee columns of ``context``."""

    def forbids(self, context: Context) -> Mask:
        """The pairs this rule rules out (True = not allowed), shape (mentors, mentees)."""
        m, n = context.shape
        return self.ruled_out(context)(np.arange(m), np.arange(n))

    def compile(self, into: Draft) -> None:
        """Rule out the pairs of :meth:`ruled_out` in this rule's name."""
        into.rule_out(str(self), self.ruled_out(into.context))


class _Pair(_Rule):
    """A rule about one named (mentor, mentee) pair, given positionally or by name."""

    mentor_id: str = Field(min_length=1)
    mentee_id: str = Field(min_length=1)

    @_call_only
    def __init__(self, mentor_id: str, mentee_id: str, **data: Any) -> None:
        super().__init__(mentor_id=mentor_id, mentee_id=mentee_id, **data)

    def __str__(self) -> str:
        return f"{type(self).__name__}({self.mentor_id!r}, {self.mentee_id!r})"

    def index(self, context: Context) -> tuple[int, int]:
        """The pair's (row, column); ``InputError`` when an id is not a mentor / mentee."""
        rule = str(self)
        return context.index(self.mentor_id, "mentor", rule), context.index(
            self.mentee_id, "mentee", rule
        )


def _violations(
    error: ValidationError,
    where: str,
    noun: str,
    file: str | None = None,
    kind: object = None,
    kinds: Sequence[str] = (),
) -> list[Violation]:
    """Pydantic's errors in the programme's words: ``where, field 'km': expected ...``."""
    from mentormatch.validation import shown  # validation reads rules: import at call time

    found = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        if loc and loc[0] == kind:
            loc = loc[1:]
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc, got = ["kind"], f"unknown kind {kind!r}" if kind is not None else "missing"
            message = f"{got}; expected one of {', '.join(kinds)}"
        elif item["type"] == "missing":
            message = "missing; it is required"
        elif item["type"] == "model_attributes_type":
            message = f"expected a table of a rule's kind and arguments, got {item['input']!r}"
        elif item["type"] != "value_error":
            message = f"{message[:1].lower()}{message[1:]}, got {shown(item['input'])}"
        place = f"{where}, {noun} '{'.'.join(loc)}'" if loc else where
        found.append(Violation(f"{place}: {message}", file=file))
    return found


def _show(value: object) -> str:
    """A rule argument as written in a call: ``400`` rather than ``400.0``."""
    text = repr(value)
    return text.removesuffix(".0") if isinstance(value, float) else text
