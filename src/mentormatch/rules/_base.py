"""The rule machinery: how a rule sees the cohort (:class:`Context`), the problem it
compiles into (:class:`Draft`), and the base classes every rule derives from.

A rule is a frozen pydantic model with a ``kind`` tag; ``str(rule)`` reads like
the constructor call, and that text names the rule in conflicts and explanations.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.feasibility import lock_conflicts
from mentormatch.problem import GroupLimit, Preferences, Problem
from mentormatch.profiles import Profile

__all__ = ["Bound", "Context", "Draft", "Mask"]

Mask: TypeAlias = NDArray[np.bool_]
Bound: TypeAlias = Literal["min_pairs", "max_pairs"]


def _organisation(person: Profile) -> str:
    return person.organisation.casefold()


def _region(person: Profile) -> str:
    return person.region.casefold()


def _column(people: Sequence[Profile], key: Callable[[Profile], str]) -> NDArray[np.str_]:
    return np.array([key(p) for p in people], dtype=str)


@dataclass(frozen=True, eq=False)
class Context:
    """The cohort as rules see it: mentors and mentees in the order of the score matrix.

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

    @property
    def shape(self) -> tuple[int, int]:
        """(number of mentors, number of mentees)."""
        return len(self.mentors), len(self.mentees)

    def values(self, key: Callable[[Profile], str]) -> tuple[NDArray[np.str_], NDArray[np.str_]]:
        """``key`` of every mentor and of every mentee, as two text arrays."""
        return _column(self.mentors, key), _column(self.mentees, key)

    def same(self, key: Callable[[Profile], str]) -> Mask:
        """The pairs whose mentor and mentee have the same ``key``, shape (mentors, mentees)."""
        rows, columns = self.values(key)
        same: Mask = rows[:, None] == columns[None, :]
        return same

    def index(self, person_id: str, role: Literal["mentor", "mentee"], rule: str) -> int:
        """Row (mentor) or column (mentee) of a person; ``InputError`` naming the rule if none."""
        people = self.mentors if role == "mentor" else self.mentees
        for position, person in enumerate(people):
            if person.id == person_id:
                return position
        other = self.mentees if role == "mentor" else self.mentors
        hint = (
            f"'{person_id}' is a {'mentee' if role == 'mentor' else 'mentor'}"
            if any(p.id == person_id for p in other)
            else f"there is no '{person_id}' in the cohort"
        )
        raise InputError(Violation(f"{rule}: expected a {role} id as {role}_id, but {hint}"))


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
    forbidden_by: dict[str, Mask] = field(default_factory=dict)
    bounds: dict[Bound, tuple[int, str]] = field(default_factory=dict)
    groups: list[GroupLimit] = field(default_factory=list)
    locks: dict[tuple[int, int], str] = field(default_factory=dict)
    preferences: Preferences | None = None

    def forbid(self, rule: str, pairs: Mask) -> None:
        """Rule out ``pairs`` (True = not allowed) in the name of ``rule``."""
        before = self.forbidden_by.get(rule)
        self.forbidden_by[rule] = pairs if before is None else before | pairs

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
        allowed = np.ones(self.context.shape, dtype=bool)
        for pairs in self.forbidden_by.values():
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
            forbidden_by=self.forbidden_by,
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
    validates data (files, dicts) without calling it, as it does for ``BaseModel``."""
    setattr(init, "__pydantic_base_init__", True)  # noqa: B010 -- pydantic's own marker
    return init


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
    """A rule that rules pairs out; it compiles into the allowed-pair mask."""

    @abstractmethod
    def forbids(self, context: Context) -> Mask:
        """The pairs this rule rules out (True = not allowed), shape (mentors, mentees)."""

    def compile(self, into: Draft) -> None:
        """Rule out :meth:`forbids` in this rule's name."""
        into.forbid(str(self), self.forbids(into.context))


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
            message = f"{message[:1].lower()}{message[1:]}, got {item['input']!r}"
        place = f"{where}, {noun} '{'.'.join(loc)}'" if loc else where
        found.append(Violation(f"{place}: {message}", file=file))
    return found


def _show(value: object) -> str:
    """A rule argument as written in a call: ``400`` rather than ``400.0``."""
    text = repr(value)
    return text.removesuffix(".0") if isinstance(value, float) else text
