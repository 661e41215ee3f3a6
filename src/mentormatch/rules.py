"""The programme's rules: small declarative models, each compiled once into one problem.

A rule is a frozen pydantic model with a ``kind`` tag, so a rule set saves to
and loads from JSON or TOML (:func:`save_rules`, :func:`load_rules`).
:func:`compile_rules` turns a cohort, its rules and a score matrix into one
solver-neutral :class:`~mentormatch.problem.Problem`: forbidding rules into the
allowed-pair mask, ``PairCount`` into pair-count bounds, ``RegionQuota`` into
mentee-side group limits, ``Lock`` into locked pairs; mentor capacity comes from
the cohort. ``str(rule)`` reads like the constructor call, and that text names
the rule in conflicts and explanations.

Organisations and regions are compared case-insensitively (``"Bodø kommune"``
and ``"bodø kommune"`` are one organisation); person ids exactly.

A new rule is one new class: subclass ``_Forbidding`` and implement
:meth:`forbids` for a rule that rules pairs out, or implement ``compile`` to
add to the :class:`Draft` otherwise; then list the class in :data:`Rule`.
"""

from __future__ import annotations

import json
import tomllib
from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeAlias, TypeVar, get_args

import numpy as np
import pandas as pd
import tomli_w
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from mentormatch.cohort import Cohort
from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.feasibility import lock_conflicts
from mentormatch.geo import distance_km
from mentormatch.problem import GroupLimit, Problem
from mentormatch.profiles import Profile

__all__ = [
    "AvoidDeclared",
    "AvoidSameOrganisation",
    "Context",
    "DifferentRegion",
    "Draft",
    "Forbid",
    "Lock",
    "MaxDistance",
    "PairCount",
    "RegionQuota",
    "Rule",
    "SameRegion",
    "compile_rules",
    "load_rules",
    "pilot_rules",
    "save_rules",
]

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


class PairCount(_Rule):
    """The number of pairs: at least ``min``, at most ``max`` (either may be left out).

    Examples
    --------
    >>> PairCount(8, 15), PairCount(max=15)
    (PairCount(min=8, max=15), PairCount(max=15))
    >>> PairCount(min=9, max=3)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: PairCount: expected min <= max, got min=9 > max=3
    """

    kind: Literal["PairCount"] = "PairCount"
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @_call_only
    def __init__(self, min: int | None = None, max: int | None = None, **data: Any) -> None:
        super().__init__(min=min, max=max, **data)

    @model_validator(mode="after")
    def _check(self) -> PairCount:
        if self.min is None and self.max is None:
            raise ValueError("expected min, max or both, e.g. PairCount(min=8, max=15)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"expected min <= max, got min={self.min} > max={self.max}")
        return self

    def compile(self, into: Draft) -> None:
        """Bound the number of pairs, labelled ``PairCount(min=8)`` / ``PairCount(max=15)``."""
        if self.min is not None:
            into.bound("min_pairs", self.min, f"PairCount(min={self.min})")
        if self.max is not None:
            into.bound("max_pairs", self.max, f"PairCount(max={self.max})")


class AvoidSameOrganisation(_Forbidding):
    """Never pair two people of one organisation (compared case-insensitively).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> mask = AvoidSameOrganisation().forbids(Context(cohort.mentors, cohort.mentees))
    >>> [(cohort.mentors[i].id, cohort.mentees[j].id) for i, j in zip(*mask.nonzero())]
    [('M002', 'E017')]
    """

    kind: Literal["AvoidSameOrganisation"] = "AvoidSameOrganisation"

    def forbids(self, context: Context) -> Mask:
        """Pairs of one organisation."""
        return context.same(_organisation)


class AvoidDeclared(_Forbidding):
    """Honour the ``avoid`` column, both directions.

    An entry names a person by id (exactly) or an organisation (case-insensitively);
    a pair is ruled out when either person's entries name the other.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> mask = AvoidDeclared().forbids(Context(cohort.mentors, cohort.mentees))
    >>> [(cohort.mentors[i].id, cohort.mentees[j].id) for i, j in zip(*mask.nonzero())]
    [('M003', 'E004'), ('M010', 'E017')]
    """

    kind: Literal["AvoidDeclared"] = "AvoidDeclared"

    def forbids(self, context: Context) -> Mask:
        """Pairs where one names the other, or the other's organisation, in ``avoid``."""
        mentor_ids, mentee_ids = context.values(lambda p: p.id)
        mentor_orgs, mentee_orgs = context.values(_organisation)
        by_mentor = [_names(p, mentee_ids, mentee_orgs) for p in context.mentors]
        by_mentee = [_names(p, mentor_ids, mentor_orgs) for p in context.mentees]
        rows: Mask = np.array(by_mentor, dtype=bool).reshape(context.shape)
        columns: Mask = np.array(by_mentee, dtype=bool).reshape(context.shape[::-1])
        return rows | columns.T


def _names(person: Profile, ids: NDArray[np.str_], organisations: NDArray[np.str_]) -> Mask:
    """Which of the others (given by ids and folded organisations) ``person.avoid`` names."""
    entries = np.array(person.avoid, dtype=str)
    folded = np.array([entry.casefold() for entry in person.avoid], dtype=str)
    named: Mask = np.isin(ids, entries) | np.isin(organisations, folded)
    return named


class SameRegion(_Forbidding):
    """Mentor and mentee in the same region (compared case-insensitively).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> int((~SameRegion().forbids(Context(cohort.mentors, cohort.mentees))).sum())
    25
    """

    kind: Literal["SameRegion"] = "SameRegion"

    def forbids(self, context: Context) -> Mask:
        """Pairs from different regions."""
        return ~context.same(_region)


class DifferentRegion(_Forbidding):
    """Mentor and mentee in different regions (compared case-insensitively).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> int(DifferentRegion().forbids(Context(cohort.mentors, cohort.mentees)).sum())
    25
    """

    kind: Literal["DifferentRegion"] = "DifferentRegion"

    def forbids(self, context: Context) -> Mask:
        """Pairs from one region."""
        return context.same(_region)


class MaxDistance(_Forbidding):
    """At most ``km`` kilometres between mentor and mentee, great-circle.

    A person without ``latitude`` and ``longitude`` is an ``InputError`` naming
    their id, unless ``skip_missing=True``: then pairs with that person are left
    allowed (the rule cannot judge them).

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> rule = MaxDistance(km=400)
    >>> rule, int(rule.forbids(Context(cohort.mentors, cohort.mentees)).sum())
    (MaxDistance(km=400), 390)
    >>> MaxDistance(km=-1)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: MaxDistance, argument 'km': input should be greater than ...
    """

    kind: Literal["MaxDistance"] = "MaxDistance"
    km: float = Field(ge=0, allow_inf_nan=False)
    skip_missing: bool = False

    def forbids(self, context: Context) -> Mask:
        """Pairs farther apart than ``km``."""
        people = (*context.mentors, *context.mentees)
        missing = [p.id for p in people if p.latitude is None or p.longitude is None]
        if missing and not self.skip_missing:
            raise InputError(
                [
                    Violation(
                        f"{self}: {person_id} has no latitude/longitude; add them, or use "
                        f"skip_missing=True to leave pairs with {person_id} allowed"
                    )
                    for person_id in missing
                ]
            )
        distance = distance_km(context.mentors, context.mentees)
        far: Mask = np.nan_to_num(distance, nan=0.0) > self.km  # NaN: a missing coordinate
        return far


class RegionQuota(_Rule):
    """At most ``max`` pairs whose mentee is in any one region.

    ``regions`` maps a region (case-insensitively) to its own limit, overriding
    ``max`` there; with ``max=None`` only the regions listed are limited. A region
    that no one in the cohort is from is an ``InputError`` (likely a typo).

    Examples
    --------
    >>> RegionQuota(max=3), RegionQuota(regions={"Nordland": 1})
    (RegionQuota(max=3), RegionQuota(regions={'Nordland': 1}))
    """

    kind: Literal["RegionQuota"] = "RegionQuota"
    max: int | None = Field(default=None, ge=0)
    regions: dict[str, Annotated[int, Field(ge=0)]] | None = None

    @model_validator(mode="after")
    def _check(self) -> RegionQuota:
        if self.max is None and not self.regions:
            raise ValueError("expected max, regions or both, e.g. RegionQuota(max=3)")
        seen: set[str] = set()
        for region in self.regions or {}:
            key = region.strip().casefold()
            if not key or key in seen:
                raise ValueError(f"region {region!r} is empty or listed twice")
            seen.add(key)
        return self

    def compile(self, into: Draft) -> None:
        """One mentee-side group limit per region of the mentees, ``max`` or its own."""
        context = into.context
        own = {
            name.strip().casefold(): (name, limit) for name, limit in (self.regions or {}).items()
        }
        known = {_region(p) for p in (*context.mentors, *context.mentees)}
        unknown = [name for key, (name, _) in own.items() if key not in known]
        if unknown:
            raise InputError(
                Violation(f"{self}: no one in the cohort is from {', '.join(map(repr, unknown))}")
            )
        regions = _column(context.mentees, _region)
        spelling: dict[str, str] = {}  # folded region -> its first spelling among the mentees
        for mentee in context.mentees:
            spelling.setdefault(_region(mentee), mentee.region)
        for key in sorted(spelling):
            limit = own[key][1] if key in own else self.max
            if limit is not None:
                pairs = np.repeat((regions == key)[None, :], context.shape[0], axis=0)
                into.limit(GroupLimit(pairs, limit, f"{self}: {spelling[key]}"))


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


class Lock(_Pair):
    """Always pair this mentor with this mentee.

    Examples
    --------
    >>> Lock("M001", "E003")
    Lock('M001', 'E003')
    """

    kind: Literal["Lock"] = "Lock"

    def compile(self, into: Draft) -> None:
        """Lock the pair."""
        into.lock(self.index(into.context), str(self))


class Forbid(_Pair, _Forbidding):
    """Never pair this mentor with this mentee.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> Forbid("M001", "E003").forbids(Context(cohort.mentors, cohort.mentees)).sum()
    np.int64(1)
    """

    kind: Literal["Forbid"] = "Forbid"

    def forbids(self, context: Context) -> Mask:
        """Just this pair."""
        pairs = np.zeros(context.shape, dtype=bool)
        pairs[self.index(context)] = True
        return pairs


Rule: TypeAlias = Annotated[
    PairCount
    | AvoidSameOrganisation
    | AvoidDeclared
    | SameRegion
    | DifferentRegion
    | MaxDistance
    | RegionQuota
    | Lock
    | Forbid,
    Field(discriminator="kind"),
]
"""Any rule; a ``kind`` field tells which when it is read from a file."""

_RULE: TypeAdapter[Rule] = TypeAdapter(Rule)
_KINDS: tuple[str, ...] = tuple(kind.__name__ for kind in get_args(get_args(Rule)[0]))


def pilot_rules() -> tuple[Rule, ...]:
    """The Norwegian pilot's rules, used when none are given.

    Examples
    --------
    >>> pilot_rules()
    (PairCount(min=8, max=15), AvoidSameOrganisation(), AvoidDeclared())
    """
    return PairCount(8, 15), AvoidSameOrganisation(), AvoidDeclared()


def compile_rules(cohort: Cohort, rules: Iterable[Rule], matrix: pd.DataFrame) -> Problem:
    """Compile the rules, each once, into one problem over the score matrix.

    Parameters
    ----------
    cohort : Cohort
        The people; mentor capacity comes from their ``capacity``. Not modified.
    rules : iterable of Rule
        The programme's rules.
    matrix : DataFrame
        Scores, index the cohort's mentor ids and columns its mentee ids; the
        problem's rows and columns follow its order.

    Returns
    -------
    Problem
        Rows are mentors, columns mentees, in the order of the matrix, with the
        ids, and per rule (``str(rule)``) the pairs it rules out.

    Raises
    ------
    InputError
        For ids the cohort lacks (in ``Lock``/``Forbid`` or the matrix), missing
        coordinates under ``MaxDistance``, or something that is not a rule.
    InfeasibleError
        When locks clash with other rules, capacities or limits, or pair-count
        bounds contradict; ``.conflicts`` names the rules and the people's ids.

    Examples
    --------
    >>> from mentormatch.intake import example_cohort
    >>> cohort = example_cohort()
    >>> ids = sorted(p.id for p in cohort.mentors), sorted(p.id for p in cohort.mentees)
    >>> matrix = pd.DataFrame(0.5, *ids)
    >>> rules = [Forbid("M001", "E003"), Lock("M001", "E003")]
    >>> compile_rules(cohort, rules, matrix)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InfeasibleError: Lock('M001', 'E003') clashes with Forbid('M001', ...
    >>> compile_rules(cohort, [PairCount(8, 15)], matrix).labels["min_pairs"]
    'PairCount(min=8)'
    """
    draft = Draft(_context(cohort, matrix))
    for position, rule in enumerate(rules, start=1):
        _check_rule(rule, position).compile(draft)
    return draft.finish(matrix.to_numpy(dtype=np.float64))


def _context(cohort: Cohort, matrix: pd.DataFrame) -> Context:
    if not isinstance(matrix, pd.DataFrame):
        raise InputError(
            Violation(f"expected a DataFrame, got {type(matrix).__name__}", argument="matrix")
        )
    for role, axis, people in (
        ("mentor", matrix.index, cohort.mentors),
        ("mentee", matrix.columns, cohort.mentees),
    ):
        if sorted(map(str, axis)) != sorted(p.id for p in people) or not axis.is_unique:
            raise InputError(
                Violation(
                    f"expected the {'index' if role == 'mentor' else 'columns'} to be "
                    f"the cohort's {role} ids, each once",
                    argument="matrix",
                )
            )
    by_id = {p.id: p for p in cohort.profiles}
    return Context(
        tuple(by_id[str(i)] for i in matrix.index), tuple(by_id[str(j)] for j in matrix.columns)
    )


def _check_rule(rule: object, position: int) -> _Rule:
    if not isinstance(rule, _Rule):
        raise InputError(
            Violation(
                f"item {position}: expected a rule such as PairCount(min=8, max=15), "
                f"got {type(rule).__name__}",
                argument="rules",
            )
        )
    return rule


def save_rules(rules: Iterable[Rule], path: str | Path) -> Path:
    """Write rules to ``.json`` (a list of objects) or ``.toml`` (``[[rule]]`` tables).

    Each rule is written with its ``kind`` first and without arguments left as
    None; :func:`load_rules` reads back equal rules.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = save_rules(pilot_rules(), pathlib.Path(tempfile.mkdtemp()) / "rules.toml")
    >>> print(path.read_text(encoding="utf-8").splitlines()[:4])
    ['[[rule]]', 'kind = "PairCount"', 'min = 8', 'max = 15']
    """
    path = Path(path)
    suffix = _suffix(path)
    records = [
        {"kind": data.pop("kind"), **data}
        for data in (
            _check_rule(rule, position).model_dump(mode="json", exclude_none=True)
            for position, rule in enumerate(rules, start=1)
        )
    ]
    if suffix == ".json":
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "\n".join(map(_toml, records))
    path.write_text(text, encoding="utf-8")
    return path


def load_rules(path: str | Path) -> tuple[Rule, ...]:
    """Read rules written by :func:`save_rules`, or by hand in the same form.

    JSON: a list of objects, each with a ``kind`` (the rule's class name) and
    its arguments. TOML: one ``[[rule]]`` table per rule. Every problem of the
    file is reported together in one ``InputError`` naming the file, the rule's
    position (from 1) and the field.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rules.json"
    >>> _ = path.write_text('[{"kind": "MaxDistance", "km": 400}, {"kind": "Lok"}]')
    >>> load_rules(path)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: .../rules.json: rule 2, field 'kind': unknown kind 'Lok'; ...
    """
    path = Path(path)
    suffix, name = _suffix(path), str(path)
    try:
        text = path.read_text(encoding="utf-8")
        items = json.loads(text) if suffix == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(Violation(f"cannot read the rules: {error}", file=name)) from None
    if suffix == ".toml":
        if not isinstance(items, dict) or set(items) - {"rule"}:
            raise InputError(Violation("expected only [[rule]] tables", file=name))
        items = items.get("rule", [])
    if not isinstance(items, list):
        raise InputError(Violation("expected a list of rules, each with a 'kind'", file=name))
    rules: list[Rule] = []
    violations: list[Violation] = []
    for position, item in enumerate(items, start=1):
        kind = item.get("kind") if isinstance(item, dict) else None
        where = f"rule {position}" + (f" ({kind})" if kind in _KINDS else "")
        try:
            rules.append(_RULE.validate_python(item))
        except ValidationError as error:
            violations += _violations(error, where, "field", name, kind)
    if violations:
        raise InputError(violations)
    return tuple(rules)


def _toml(record: dict[str, Any]) -> str:
    """One rule as a ``[[rule]]`` table (tomli_w alone would inline short tables)."""
    scalars = {key: value for key, value in record.items() if not isinstance(value, dict)}
    tables = [
        f"[rule.{key}]\n{tomli_w.dumps(value)}"
        for key, value in record.items()
        if isinstance(value, dict)
    ]
    return "".join([f"[[rule]]\n{tomli_w.dumps(scalars)}", *tables])


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise InputError(
            Violation(f"expected a .json or .toml rule file, got '{suffix}'", file=str(path))
        )
    return suffix


def _violations(
    error: ValidationError,
    where: str,
    noun: str,
    file: str | None = None,
    kind: object = None,
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
            message = f"{got}; expected one of {', '.join(_KINDS)}"
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
