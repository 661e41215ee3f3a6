"""Rules: each mask against a per-pair loop over the profiles, files, strings, clashes."""

from __future__ import annotations

import inspect
import json
import math
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from mentormatch.cohort import Cohort
from mentormatch.errors import InfeasibleError, InputError
from mentormatch.intake import example_cohort
from mentormatch.profiles import Profile
from mentormatch.rules import (
    AvoidDeclared,
    AvoidNeighbours,
    AvoidSameOrganisation,
    Context,
    DifferentRegion,
    Forbid,
    Lock,
    MaxDistance,
    NoRepeat,
    PairCount,
    Quota,
    RegionQuota,
    Rule,
    SameRegion,
    Stable,
    compile_rules,
    load_rules,
    pilot_rules,
    save_rules,
)
from mentormatch.rules._union import KINDS
from oracles import great_circle_km, group_mask, names_employer, same_employer
from strategies_cohort import cohorts

EXAMPLE = example_cohort()
FAST = settings(max_examples=60, deadline=None)

# --- the oracle: one Python predicate per forbidding rule, pair by pair ---------------------


def _fold(text: str) -> str:
    return text.casefold()


def _names(person: Profile, other: Profile) -> bool:
    return any(names_employer(entry, other) for entry in person.avoid)


def _located(person: Profile) -> bool:
    return person.latitude is not None and person.longitude is not None


def _forbidden(rule: Rule, mentor: Profile, mentee: Profile) -> bool:
    if isinstance(rule, AvoidSameOrganisation):
        return same_employer(mentor, mentee)
    if isinstance(rule, AvoidDeclared):
        return _names(mentor, mentee) or _names(mentee, mentor)
    if isinstance(rule, SameRegion):
        return _fold(mentor.region) != _fold(mentee.region)
    if isinstance(rule, DifferentRegion):
        return _fold(mentor.region) == _fold(mentee.region)
    if isinstance(rule, MaxDistance):
        both = _located(mentor) and _located(mentee)
        return both and great_circle_km(mentor, mentee) > rule.km
    if isinstance(rule, Forbid):
        return mentor.id == rule.mentor_id and mentee.id == rule.mentee_id
    raise AssertionError(f"not a forbidding rule: {rule}")


def _oracle(cohort: Cohort, rule: Rule, matrix: pd.DataFrame) -> NDArray[np.bool_]:
    return np.array(
        [[_forbidden(rule, cohort[m], cohort[e]) for e in matrix.columns] for m in matrix.index],
        dtype=bool,
    ).reshape(matrix.shape)


# --- cohorts and matrices --------------------------------------------------------------------


def _ids(cohort: Cohort) -> tuple[list[str], list[str]]:
    return sorted(p.id for p in cohort.mentors), sorted(p.id for p in cohort.mentees)


def _matrix(cohort: Cohort) -> pd.DataFrame:
    mentors, mentees = _ids(cohort)
    values = np.arange(len(mentors) * len(mentees), dtype=float).reshape(len(mentors), -1)
    return pd.DataFrame(values / max(values.size, 1), index=mentors, columns=mentees)


@st.composite
def recased_cohorts(draw: st.DrawFn) -> Cohort:
    """Cohorts whose organisations, regions and avoid entries are written in mixed case."""
    cohort = draw(cohorts())

    def recase(text: str) -> str:
        return draw(st.sampled_from([text, text.upper(), text.lower()]))

    return Cohort(
        profiles=tuple(
            p.model_copy(
                update={
                    "organisation": recase(p.organisation),
                    "region": recase(p.region),
                    "avoid": tuple(recase(a) for a in p.avoid),
                }
            )
            for p in cohort.profiles
        )
    )


@st.composite
def shuffled_matrices(draw: st.DrawFn, cohort: Cohort) -> pd.DataFrame:
    mentors, mentees = (draw(st.permutations(ids)) for ids in _ids(cohort))
    values = draw(
        st.lists(
            st.floats(0, 1),
            min_size=len(mentors) * len(mentees),
            max_size=len(mentors) * len(mentees),
        )
    )
    return pd.DataFrame(
        np.array(values).reshape(len(mentors), len(mentees)), index=mentors, columns=mentees
    )


FORBIDDING: list[Rule] = [
    AvoidSameOrganisation(),
    AvoidDeclared(),
    SameRegion(),
    DifferentRegion(),
    MaxDistance(km=400),
    Forbid("M004", "E006"),
]


# --- masks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", FORBIDDING, ids=str)
def test_mask_on_the_example_cohort_matches_the_pair_loop(rule: Rule) -> None:
    matrix = _matrix(EXAMPLE)
    compiled = compile_rules(EXAMPLE, [rule], matrix)
    expected = _oracle(EXAMPLE, rule, matrix)
    assert expected.any()
    np.testing.assert_array_equal(compiled.forbidden_by[str(rule)], expected)
    np.testing.assert_array_equal(compiled.allowed, ~expected)


def test_example_cohort_declared_avoids_are_found_both_ways() -> None:
    mask = compile_rules(EXAMPLE, [AvoidDeclared()], _matrix(EXAMPLE)).forbidden_by
    pairs = {("M003", "E004"), ("M010", "E017")}  # by organisation (mentor), by id (mentee)
    rows, cols = np.nonzero(mask["AvoidDeclared()"])
    mentors, mentees = _ids(EXAMPLE)
    assert {(mentors[i], mentees[j]) for i, j in zip(rows, cols, strict=True)} == pairs


@FAST
@given(data=st.data(), km=st.floats(0, 2500))
def test_masks_on_random_cohorts_match_the_pair_loop(data: st.DataObject, km: float) -> None:
    cohort = data.draw(recased_cohorts())
    matrix = data.draw(shuffled_matrices(cohort))
    mentor, mentee = (
        data.draw(st.sampled_from(cohort.mentors)),
        data.draw(st.sampled_from(cohort.mentees)),
    )
    rules: list[Rule] = [
        AvoidSameOrganisation(),
        AvoidDeclared(),
        SameRegion(),
        DifferentRegion(),
        MaxDistance(km=km, skip_missing=True),
        Forbid(mentor.id, mentee.id),
    ]
    compiled = compile_rules(cohort, rules, matrix)
    assert compiled.mentor_ids == tuple(matrix.index)
    assert compiled.mentee_ids == tuple(matrix.columns)
    np.testing.assert_array_equal(compiled.scores, matrix.to_numpy())
    allowed = np.ones(matrix.shape, dtype=bool)
    for rule in rules:
        expected = _oracle(cohort, rule, matrix)
        np.testing.assert_array_equal(compiled.forbidden_by[str(rule)], expected, str(rule))
        allowed &= ~expected
    np.testing.assert_array_equal(compiled.allowed, allowed)
    capacity = [min(cohort[m].capacity, len(matrix.columns)) for m in matrix.index]
    assert compiled.capacity.tolist() == capacity  # more than the mentees is the same as all


def test_same_and_different_region_together_allow_nothing() -> None:
    compiled = compile_rules(EXAMPLE, [SameRegion(), DifferentRegion()], _matrix(EXAMPLE))
    assert not compiled.allowed.any()


def test_a_repeated_rule_compiles_under_one_name() -> None:
    rules = [Forbid("M001", "E001"), Forbid("M001", "E001")]
    compiled = compile_rules(EXAMPLE, rules, _matrix(EXAMPLE))
    assert list(compiled.forbidden_by) == ["Forbid('M001', 'E001')"]
    assert int((~compiled.allowed).sum()) == 1


# --- MaxDistance and missing coordinates --------------------------------------------------


def _without_coordinates(cohort: Cohort, person_id: str) -> Cohort:
    return Cohort(
        profiles=tuple(
            p.model_copy(update={"latitude": None}) if p.id == person_id else p
            for p in cohort.profiles
        )
    )


def test_missing_coordinate_names_the_id_never_the_name() -> None:
    cohort = _without_coordinates(EXAMPLE, "E005")
    with pytest.raises(InputError) as caught:
        compile_rules(cohort, [MaxDistance(km=400)], _matrix(cohort))
    message = str(caught.value)
    assert "E005" in message and "MaxDistance(km=400)" in message
    assert str(cohort["E005"].name) not in message
    assert not isinstance(caught.value, InfeasibleError)


def test_skip_missing_leaves_pairs_with_that_person_allowed() -> None:
    cohort = _without_coordinates(EXAMPLE, "E005")
    matrix = _matrix(cohort)
    rule = MaxDistance(km=100, skip_missing=True)
    allowed = compile_rules(cohort, [rule], matrix).allowed
    assert allowed[:, list(matrix.columns).index("E005")].all()
    np.testing.assert_array_equal(allowed, ~_oracle(cohort, rule, matrix))


@FAST
@given(cohort=cohorts())
def test_every_missing_coordinate_is_reported(cohort: Cohort) -> None:
    missing = {p.id for p in cohort.profiles if not _located(p)}
    if not missing:
        compile_rules(cohort, [MaxDistance(km=300)], _matrix(cohort))
        return
    with pytest.raises(InputError) as caught:
        compile_rules(cohort, [MaxDistance(km=300)], _matrix(cohort))
    prefix = "MaxDistance(km=300): "
    reported = {v.message.removeprefix(prefix).split(" ")[0] for v in caught.value.violations}
    assert reported == missing


def test_known_distance_oslo_stockholm() -> None:
    people = [
        ("m", "mentor", "Oslo", 59.91, 10.75),
        ("e", "mentee", "Stockholm", 59.33, 18.07),
    ]
    cohort = Cohort(
        profiles=tuple(
            Profile(id=i, role=r, organisation=o, region=o, latitude=la, longitude=lo)
            for i, r, o, la, lo in people
        )
    )
    matrix = pd.DataFrame([[0.5]], index=["m"], columns=["e"])
    assert compile_rules(cohort, [MaxDistance(km=420)], matrix).allowed[0, 0]
    assert not compile_rules(cohort, [MaxDistance(km=410)], matrix).allowed[0, 0]


# --- PairCount ------------------------------------------------------------------------------


def test_pair_count_bounds_and_labels() -> None:
    problem = compile_rules(EXAMPLE, [PairCount(8, 15)], _matrix(EXAMPLE))
    assert (problem.min_pairs, problem.max_pairs) == (8, 15)
    assert problem.labels == {"min_pairs": "PairCount(min=8)", "max_pairs": "PairCount(max=15)"}


def test_without_pair_count_there_are_no_labels() -> None:
    problem = compile_rules(EXAMPLE, [AvoidDeclared()], _matrix(EXAMPLE))
    assert problem.labels == {}
    assert problem.min_pairs == 0


@FAST
@given(
    counts=st.lists(
        st.tuples(st.none() | st.integers(0, 6), st.none() | st.integers(6, 40)).filter(
            lambda c: c != (None, None)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_tightest_pair_count_binds_and_is_named(
    counts: list[tuple[int | None, int | None]],
) -> None:
    rules = [PairCount(lo, hi) for lo, hi in counts]
    problem = compile_rules(EXAMPLE, rules, _matrix(EXAMPLE))
    lows = [lo for lo, _ in counts if lo is not None]
    highs = [hi for _, hi in counts if hi is not None]
    most = min(len(EXAMPLE.mentees), sum(p.capacity for p in EXAMPLE.mentors))
    assert problem.min_pairs == max(lows, default=0)
    assert problem.max_pairs == min([*highs, most])
    expected = {}
    if lows:
        expected["min_pairs"] = f"PairCount(min={max(lows)})"
    if highs:
        expected["max_pairs"] = f"PairCount(max={min(highs)})"
    assert problem.labels == expected


def test_contradicting_pair_counts_are_a_conflict() -> None:
    with pytest.raises(InfeasibleError) as caught:
        compile_rules(EXAMPLE, [PairCount(min=10), PairCount(max=8)], _matrix(EXAMPLE))
    assert caught.value.conflicts == ("PairCount(min=10) and PairCount(max=8) cannot both hold",)


# --- RegionQuota ----------------------------------------------------------------------------


@FAST
@given(data=st.data(), default=st.none() | st.integers(0, 4))
def test_region_quota_is_one_mentee_side_group_per_region(
    data: st.DataObject, default: int | None
) -> None:
    cohort = data.draw(recased_cohorts())
    matrix = data.draw(shuffled_matrices(cohort))
    regions = sorted({_fold(p.region) for p in cohort.mentees})
    own = data.draw(
        st.dictionaries(st.sampled_from(regions), st.integers(0, 4), min_size=default is None)
    )
    rule = RegionQuota(max=default, regions={r.upper(): k for r, k in own.items()})
    groups = compile_rules(cohort, [rule], matrix).groups
    limited = [r for r in regions if r in own or default is not None]
    assert len(groups) == len(limited)
    for region, group in zip(limited, groups, strict=True):
        assert group.side == "mentee"
        assert group.max == own.get(region, default)
        assert group.rule.startswith(f"{rule}: ") and _fold(group.rule).endswith(region)
        expected = [
            [_fold(cohort[e].region) == region for e in matrix.columns] for _ in matrix.index
        ]
        mask = group_mask(group, matrix.shape)
        np.testing.assert_array_equal(mask, np.array(expected, dtype=bool))


def test_region_quota_names_the_region_in_the_group() -> None:
    groups = compile_rules(EXAMPLE, [RegionQuota(max=3)], _matrix(EXAMPLE)).groups
    assert "RegionQuota(max=3): Nordland" in [g.rule for g in groups]
    assert len(groups) == len({p.region for p in EXAMPLE.mentees})


def test_region_quota_for_a_region_no_one_is_from_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Nordlandd"):
        compile_rules(EXAMPLE, [RegionQuota(regions={"Nordlandd": 1})], _matrix(EXAMPLE))


# --- Lock and Forbid --------------------------------------------------------------------------


def test_locks_compile_into_locked_pairs() -> None:
    matrix = _matrix(EXAMPLE)
    rules = [Lock("M006", "E001"), Lock("M006", "E008"), Lock("M001", "E003")]
    compiled = compile_rules(EXAMPLE, rules, matrix)
    mentors, mentees = list(matrix.index), list(matrix.columns)
    expected = {(mentors.index(r.mentor_id), mentees.index(r.mentee_id)) for r in rules}
    assert set(compiled.locked) == expected


def _conflicts(*rules: Rule) -> tuple[str, ...]:
    with pytest.raises(InfeasibleError) as caught:
        compile_rules(EXAMPLE, rules, _matrix(EXAMPLE))
    return caught.value.conflicts


@pytest.mark.parametrize(
    ("rules", "words"),
    [
        (
            [AvoidSameOrganisation(), Lock("M002", "E017")],
            ["Lock('M002', 'E017')", "AvoidSameOrganisation()", "M002", "E017"],
        ),
        ([AvoidDeclared(), Lock("M010", "E017")], ["Lock('M010', 'E017')", "AvoidDeclared()"]),
        ([Forbid("M001", "E003"), Lock("M001", "E003")], ["Forbid('M001', 'E003')"]),
        ([SameRegion(), Lock("M001", "E003")], ["SameRegion()", "M001", "E003"]),
        (
            [Lock("M001", "E001"), Lock("M002", "E001")],
            ["Lock('M001', 'E001')", "Lock('M002', 'E001')", "E001", "2 mentors"],
        ),
        (
            [Lock("M001", "E001"), Lock("M001", "E002")],
            ["M001", "2 mentees", "but its capacity is 1"],
        ),
        (
            [PairCount(max=1), Lock("M001", "E001"), Lock("M002", "E003")],
            ["2 locks", "PairCount(max=1)", "Lock('M002', 'E003')"],
        ),
        (
            [RegionQuota(max=1), Lock("M001", "E001"), Lock("M002", "E002")],
            ["RegionQuota(max=1): Nordland", "Lock('M001', 'E001')", "Lock('M002', 'E002')"],
        ),
    ],
)
def test_lock_clashes_name_the_rules_and_the_ids(rules: list[Rule], words: list[str]) -> None:
    conflicts = _conflicts(*rules)
    assert len(conflicts) == 1
    for word in words:
        assert word in conflicts[0]
    names = {p.name for p in EXAMPLE.profiles if p.name}
    assert not any(name in conflicts[0] for name in names)


def test_a_mentor_of_capacity_two_takes_two_locks() -> None:
    compiled = compile_rules(
        EXAMPLE, [Lock("M006", "E001"), Lock("M006", "E002")], _matrix(EXAMPLE)
    )
    assert len(compiled.locked) == 2


@FAST
@given(data=st.data())
def test_random_locks_raise_exactly_when_they_clash(data: st.DataObject) -> None:
    cohort = data.draw(cohorts())
    locks = data.draw(
        st.lists(
            st.tuples(st.sampled_from(cohort.mentors), st.sampled_from(cohort.mentees)),
            max_size=4,
            unique_by=lambda pair: (pair[0].id, pair[1].id),
        )
    )
    limit, quota = data.draw(st.integers(0, 4)), data.draw(st.integers(0, 3))
    rules: list[Rule] = [
        AvoidSameOrganisation(),
        PairCount(max=limit),
        RegionQuota(max=quota),
        *(Lock(m.id, e.id) for m, e in locks),
    ]
    mentors, mentees = Counter(m.id for m, _ in locks), Counter(e.id for _, e in locks)
    regions = Counter(e.region for _, e in locks)
    clash = (
        any(same_employer(m, e) for m, e in locks)
        or any(k > 1 for k in mentees.values())
        or any(k > cohort[m].capacity for m, k in mentors.items())
        or len(locks) > limit
        or any(k > quota for k in regions.values())
    )
    if clash:
        with pytest.raises(InfeasibleError):
            compile_rules(cohort, rules, _matrix(cohort))
    else:
        assert len(compile_rules(cohort, rules, _matrix(cohort)).locked) == len(locks)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (Lock("M999", "E001"), ["Lock('M999', 'E001')", "no 'M999'"]),
        (Forbid("M001", "E999"), ["Forbid('M001', 'E999')", "no 'E999'"]),
        (Lock("E001", "M001"), ["'E001' is a mentee"]),
        (Forbid("M001", "M002"), ["'M002' is a mentor"]),
    ],
)
def test_unknown_ids_are_input_errors(rule: Rule, words: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        compile_rules(EXAMPLE, [rule], _matrix(EXAMPLE))
    assert not isinstance(caught.value, InfeasibleError)
    for word in words:
        assert word in str(caught.value)


# --- constructors, strings, validation ------------------------------------------------------


def test_positional_and_keyword_arguments_agree() -> None:
    assert PairCount(8, 15) == PairCount(min=8, max=15)
    assert PairCount(8) == PairCount(min=8)
    assert Lock("M001", "E003") == Lock(mentor_id="M001", mentee_id="E003")
    assert Forbid("M001", "E003") == Forbid(mentee_id="E003", mentor_id="M001")
    assert Lock("M001", "E003") != Forbid("M001", "E003")


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (PairCount(min=8, max=15), "PairCount(min=8, max=15)"),
        (PairCount(8, 15), "PairCount(min=8, max=15)"),
        (PairCount(max=15), "PairCount(max=15)"),
        (AvoidSameOrganisation(), "AvoidSameOrganisation()"),
        (AvoidDeclared(), "AvoidDeclared()"),
        (SameRegion(), "SameRegion()"),
        (DifferentRegion(), "DifferentRegion()"),
        (MaxDistance(km=400), "MaxDistance(km=400)"),
        (MaxDistance(km=12.5, skip_missing=True), "MaxDistance(km=12.5, skip_missing=True)"),
        (RegionQuota(max=3), "RegionQuota(max=3)"),
        (RegionQuota(regions={"Nordland": 1}), "RegionQuota(regions={'Nordland': 1})"),
        (Lock("M001", "E003"), "Lock('M001', 'E003')"),
        (Forbid("M002", "E005"), "Forbid('M002', 'E005')"),
    ],
)
def test_str_reads_like_the_constructor_call(rule: Rule, text: str) -> None:
    assert str(rule) == text
    assert repr(rule) == text


def test_pilot_rules() -> None:
    assert pilot_rules() == (PairCount(8, 15), AvoidSameOrganisation(), AvoidDeclared())


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: PairCount(), ["PairCount", "min, max or both"]),
        (lambda: PairCount(9, 3), ["PairCount", "min <= max"]),
        (lambda: PairCount(min=-1), ["PairCount", "'min'"]),
        (lambda: MaxDistance(km=-5), ["MaxDistance", "'km'", "-5"]),
        (lambda: MaxDistance(km=float("inf")), ["MaxDistance", "'km'"]),
        (lambda: MaxDistance(km="far"), ["MaxDistance", "'km'", "'far'"]),
        (lambda: RegionQuota(), ["RegionQuota", "max, regions or both"]),
        (lambda: RegionQuota(max=-1), ["RegionQuota", "'max'"]),
        (lambda: RegionQuota(regions={"Nordland": -2}), ["RegionQuota", "regions.Nordland"]),
        (lambda: RegionQuota(regions={"Troms": 1, "troms": 2}), ["'troms'", "twice"]),
        (lambda: Lock("", "E001"), ["Lock", "'mentor_id'"]),
        (lambda: Forbid("M001", "E001", note="x"), ["Forbid", "'note'"]),
        (lambda: SameRegion(kind="DifferentRegion"), ["SameRegion", "'kind'"]),
    ],
)
def test_bad_arguments_are_input_errors_naming_rule_and_argument(
    make: Callable[[], Rule], words: list[str]
) -> None:
    with pytest.raises(InputError) as caught:
        make()
    assert caught.value.__cause__ is None
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    ("huge", "same"),
    [
        (RegionQuota(max=10**30), []),
        (RegionQuota(regions={"Nordland": 2**63}), []),
        (Quota("country", max=2**63), []),
        (Quota("country", min=1, max=10**30), [Quota("country", min=1)]),
        (Quota("region", side="pair", max=10**30), []),
        (Quota("level", side="mentor", max=2**64), []),
        (PairCount(max=10**30), []),
    ],
    ids=str,
)
def test_limits_beyond_any_cohort_are_no_limits(huge: Rule, same: list[Rule]) -> None:
    import mentormatch as mm

    found, expected = mm.match(EXAMPLE, rules=[huge]), mm.match(EXAMPLE, rules=same)
    assert found.objective == pytest.approx(expected.objective, abs=1e-9)
    assert found.status == "optimal"


@pytest.mark.parametrize(
    "huge", [Quota("country", min=10**30), Quota("region", side="pair", min=2**63)], ids=str
)
def test_minimums_beyond_any_cohort_are_infeasible_and_named(huge: Rule) -> None:
    import mentormatch as mm

    with pytest.raises(InfeasibleError) as info:
        mm.match(EXAMPLE, rules=[huge])
    assert str(huge) in str(info.value)


HOSTILE: list[object] = [
    -1,
    math.nan,
    -math.inf,
    10**30,
    "x",
    "",
    None,
    [1, 2],
    {"a": 1},
    True,
    b"x",
]
"""Values people (or programs) pass where a rule expects something else."""
GIVEN: dict[str, tuple[tuple[object, ...], dict[str, object]]] = {
    "PairCount": ((), {"max": 5}),
    "MaxDistance": ((), {"km": 10}),
    "RegionQuota": ((), {"max": 3}),
    "Lock": (("M001", "E001"), {}),
    "Forbid": (("M001", "E001"), {}),
    "Quota": (("country",), {"min": 1}),
    "NoRepeat": (([("M001", "E001")],), {}),
}
"""Arguments that make each rule valid, to which one hostile argument is added."""


@pytest.mark.parametrize("kind", KINDS)
def test_every_rule_refuses_hostile_arguments_naming_rule_and_argument(kind: str) -> None:
    import mentormatch as mm

    rule = getattr(mm, kind)
    args, kwargs = GIVEN.get(kind, ((), {}))
    rule(*args, **kwargs)  # valid as given
    signature = list(inspect.signature(rule.__init__).parameters.values())[1:]
    positional = sum(p.kind is p.POSITIONAL_OR_KEYWORD for p in signature)
    filled = [p.name for p in signature[len(args) : positional]]
    fillers = [kwargs.get(name) for name in filled]
    rest = {name: value for name, value in kwargs.items() if name not in filled}
    fields = [name for name in rule.model_fields if name != "kind"]
    for value in HOSTILE:
        with pytest.raises(InputError) as caught:
            rule(*args, *fillers, value, **rest)  # one positional argument too many
        assert str(caught.value).startswith(f"{kind}: expected"), str(caught.value)
        for field in fields:
            try:
                made = rule(*args, **{**kwargs, field: value})
            except InputError as error:
                assert kind in str(error) and field in str(error), (field, value, str(error))
            else:
                assert str(made).startswith(kind)
    given = {p.name for p in signature[: len(args)]}
    for name in given:  # given by position and by name
        with pytest.raises(InputError, match=rf"{kind}, argument '{name}': given twice"):
            rule(*args, **{**kwargs, name: "x"})
    required = [p.name for p in signature[:positional] if p.default is p.empty]
    for name in required:
        with pytest.raises(InputError, match=rf"{kind}, argument '{name}': missing"):
            rule()


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (lambda: Stable(1), "Stable: expected no arguments, got 1"),
        (
            lambda: MaxDistance(400),
            "MaxDistance: expected arguments by name (km, skip_missing), "
            "got 400, e.g. MaxDistance(km=400)",
        ),
        (
            lambda: PairCount(8, 15, 3),
            "PairCount: expected at most 2 positional arguments (min, max), got 3: 8, 15, 3",
        ),
        (lambda: PairCount(min=True), "PairCount, argument 'min': expected a number, got True"),
        (
            lambda: MaxDistance(km=float("nan")),
            "MaxDistance, argument 'km': expected a finite number, got nan",
        ),
        (lambda: NoRepeat(), "NoRepeat, argument 'history': missing; it is required"),
        (lambda: NoRepeat(5), "NoRepeat, argument 'history': expected earlier results"),
    ],
)
def test_wrong_calls_are_worded_as_the_rule_is_called(make: Callable[[], Rule], text: str) -> None:
    with pytest.raises(InputError) as caught:
        make()
    assert str(caught.value).startswith(text), str(caught.value)
    assert caught.value.__cause__ is None


def test_a_huge_value_is_shown_short() -> None:
    with pytest.raises(InputError) as caught:
        MaxDistance(km=list(range(100_000)))  # type: ignore[arg-type]
    assert len(str(caught.value)) < 200


def test_rules_are_frozen() -> None:
    rule = MaxDistance(km=400)
    with pytest.raises(ValueError, match="frozen"):
        rule.km = 500  # type: ignore[misc]


def test_not_a_rule_is_an_input_error() -> None:
    with pytest.raises(InputError, match="item 2"):
        compile_rules(EXAMPLE, [PairCount(8), "AvoidDeclared"], _matrix(EXAMPLE))  # type: ignore[list-item]


@pytest.mark.parametrize(
    "matrix",
    [
        _matrix(EXAMPLE).drop(index="M001"),
        _matrix(EXAMPLE).rename(columns={"E001": "X"}),
        _matrix(EXAMPLE).T,
    ],
)
def test_a_matrix_of_other_ids_is_an_input_error(matrix: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="argument 'matrix'"):
        compile_rules(EXAMPLE, pilot_rules(), matrix)


@FAST
@given(cohort=cohorts())
def test_compiling_mutates_neither_cohort_nor_matrix(cohort: Cohort) -> None:
    before, matrix = cohort.model_dump(), _matrix(cohort)
    copy = matrix.copy()
    rules = [*pilot_rules(), RegionQuota(max=1), SameRegion(), Forbid("m0", "e0")]
    compile_rules(cohort, rules, matrix)
    assert cohort.model_dump() == before
    pd.testing.assert_frame_equal(matrix, copy)


# --- files ------------------------------------------------------------------------------------

_IDS = st.text(min_size=1, max_size=8)
_REGIONS = st.dictionaries(
    st.text(min_size=1, max_size=8).filter(str.strip), st.integers(0, 20), max_size=3
).filter(lambda d: len({k.strip().casefold() for k in d}) == len(d))


@st.composite
def _pair_counts(draw: st.DrawFn) -> PairCount:
    low, high = draw(st.none() | st.integers(0, 50)), draw(st.none() | st.integers(50, 99))
    return PairCount(low, high) if (low, high) != (None, None) else PairCount(max=15)


@st.composite
def _quotas(draw: st.DrawFn) -> RegionQuota:
    default, own = draw(st.none() | st.integers(0, 20)), draw(_REGIONS)
    return RegionQuota(max=default if own else 3, regions=own or None)


def rules() -> st.SearchStrategy[Rule]:
    """Any rule, with any valid arguments."""
    return st.one_of(
        _pair_counts(),
        st.sampled_from(
            [AvoidSameOrganisation(), AvoidDeclared(), SameRegion(), DifferentRegion()]
        ),
        st.builds(
            lambda km, skip: MaxDistance(km=km, skip_missing=skip),
            st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
            st.booleans(),
        ),
        _quotas(),
        st.builds(Lock, _IDS, _IDS),
        st.builds(Forbid, _IDS, _IDS),
        st.builds(AvoidNeighbours, corners=st.booleans(), skip_unknown=st.booleans()),
        st.builds(
            lambda pairs: AvoidNeighbours(borders=pairs),
            st.lists(st.tuples(st.sampled_from(["Bodø", "Moss"]), st.just("Fauske")), min_size=1),
        ),
        st.builds(lambda path: AvoidNeighbours(borders=path), st.sampled_from(["b.csv", "x/y"])),
    )


@settings(max_examples=80, deadline=None)
@given(rule_set=st.lists(rules(), max_size=6), suffix=st.sampled_from([".json", ".toml"]))
def test_rule_files_round_trip_losslessly(rule_set: list[Rule], suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = save_rules(rule_set, Path(folder) / f"rules{suffix}")
        loaded = load_rules(path)
    assert loaded == tuple(rule_set)
    assert [str(r) for r in loaded] == [str(r) for r in rule_set]
    assert [type(r) for r in loaded] == [type(r) for r in rule_set]


def test_toml_is_written_as_rule_tables(tmp_path: Path) -> None:
    path = save_rules(
        [PairCount(8, 15), RegionQuota(max=3, regions={"Nordland": 1})], tmp_path / "r.toml"
    )
    text = path.read_text(encoding="utf-8")
    assert text.count("[[rule]]") == 2 and "[rule.regions]" in text
    assert 'kind = "PairCount"' in text


def test_json_is_a_list_of_objects_with_kind_first(tmp_path: Path) -> None:
    path = save_rules([MaxDistance(km=400), Lock("M001", "E003")], tmp_path / "r.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == [
        {"kind": "MaxDistance", "km": 400.0, "skip_missing": False},
        {"kind": "Lock", "mentor_id": "M001", "mentee_id": "E003"},
    ]
    assert [next(iter(item)) for item in data] == ["kind", "kind"]


def test_a_hand_written_toml_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rule]]\nkind = "PairCount"\nmin = 8\nmax = 15\n\n'
        '[[rule]]\nkind = "MaxDistance"\nkm = 400\n\n'
        '[[rule]]\nkind = "RegionQuota"\nregions = { Nordland = 2 }\n',
        encoding="utf-8",
    )
    assert load_rules(path) == (
        PairCount(8, 15),
        MaxDistance(km=400),
        RegionQuota(regions={"Nordland": 2}),
    )


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("r.json", '[{"kind": "MaxDistance", "km": -3}]', ["rule 1 (MaxDistance)", "'km'"]),
        ("r.json", '[{"kind": "PairCount"}, {"kind": "Lok"}]', ["rule 2", "'kind'", "'Lok'"]),
        ("r.json", '[{"km": 3}]', ["rule 1", "'kind'", "missing"]),
        ("r.json", "[3]", ["rule 1", "got 3"]),
        ("r.json", '[{"kind": "Lock", "mentor_id": "M1"}]', ["rule 1 (Lock)", "'mentee_id'"]),
        ("r.json", '[{"kind": "SameRegion", "x": 1}]', ["rule 1 (SameRegion)", "'x'"]),
        ("r.json", '{"kind": "SameRegion"}', ["expected a list"]),
        ("r.json", "[{", ["cannot read"]),
        ("r.toml", '[[rule]]\nkind = "PairCount"\nmin = 5\nmax = 2\n', ["rule 1", "min <= max"]),
        ("r.toml", '[[rule]]\nkind = "SameRegion"\n[[rule]]\nkm = 1\n', ["rule 2", "'kind'"]),
        ("r.toml", "kind = 'SameRegion'\n", ["[[rule]]"]),
        ("r.toml", "[[rule]\n", ["cannot read"]),
        ("r.yaml", "- kind: SameRegion\n", ["'.yaml'"]),
    ],
)
def test_bad_rule_files_name_file_position_and_field(
    tmp_path: Path, name: str, text: str, words: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert str(path) in str(caught.value)
    for word in words:
        assert word in str(caught.value)


def test_every_bad_rule_of_a_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('[{"kind": "MaxDistance", "km": -1}, {"kind": "X"}]', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert len(caught.value.violations) == 2


def test_a_missing_rule_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_rules(tmp_path / "none.toml")


def test_save_rules_refuses_other_suffixes_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"'\.txt'"):
        save_rules(pilot_rules(), tmp_path / "rules.txt")
    assert list(tmp_path.iterdir()) == []


def test_one_employer_whatever_the_spelling() -> None:
    frame = pd.DataFrame(
        {
            "id": ["m1", "m2", "e1", "e2", "e3"],
            "role": ["mentor", "mentor", "mentee", "mentee", "mentee"],
            "organisation": ["Bergen", "Region Skåne", "Bergen kommune", "Skåne", "Bergenhus"],
            "region": "R",
            "avoid": ["", "", "", "", " bergen  KOMMUNE"],
        }
    )
    with pytest.warns(UserWarning, match="are taken as one employer"):
        cohort = Cohort.from_frame(frame)
    context = Context(cohort.mentors, cohort.mentees)
    assert AvoidSameOrganisation().forbids(context).tolist() == [
        [True, False, False],
        [False, True, False],
    ]
    assert AvoidDeclared().forbids(context).tolist() == [[False, False, True], [False] * 3]


def test_one_name_in_two_countries_is_two_organisations() -> None:
    import warnings

    frame = pd.DataFrame(
        {
            "id": ["m1", "e1", "e2"],
            "role": ["mentor", "mentee", "mentee"],
            "organisation": ["Lund kommun", "Lund kommune", "Lund"],
            "region": ["Skåne län", "Rogaland", "Skåne län"],
            "country": ["SE", "NO", None],
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cohort = Cohort.from_frame(frame)
    mask = AvoidSameOrganisation().forbids(Context(cohort.mentors, cohort.mentees))
    assert mask.tolist() == [[False, True]]  # the Norwegian Lund differs; no country may be
    assert sorted(str(w.message) for w in caught if "one employer" in str(w.message)) == [
        "organisations 'Lund' (e2) and 'Lund kommun' (m1) are taken as one employer",
        "organisations 'Lund' (e2) and 'Lund kommune' (e1) are taken as one employer",
    ]


def test_a_county_and_a_municipality_of_one_name_are_two_organisations() -> None:
    import warnings

    frame = pd.DataFrame(
        {
            "id": ["m1", "m2", "m3", "e1", "e2", "e3", "e4"],
            "role": ["mentor"] * 3 + ["mentee"] * 4,
            "organisation": [
                "Region Uppsala",
                "Uppsala",
                "Uppsala",
                "Uppsala kommun",
                "Uppsala",
                "Region  Uppsala",
                "Uppsala",
            ],
            "region": "Uppsala län",
            "country": "SE",
            "level": [None, "county", None, None, "municipality", None, None],
            "avoid": ["", "", "Uppsala kommun", "", "", "", "Region Uppsala"],
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cohort = Cohort.from_frame(frame)
    context = Context(cohort.mentors, cohort.mentees)
    # m1 county (words), m2 county (column), m3 unknown; e1 municipality (words),
    # e2 municipality (column), e3 county (words), e4 unknown
    assert AvoidSameOrganisation().forbids(context).tolist() == [
        [False, False, True, True],
        [False, False, True, True],
        [True, True, True, True],
    ]
    assert AvoidDeclared().forbids(context).tolist() == [
        [False, False, False, True],  # e4 avoids "Region Uppsala": the county's people
        [False, False, False, True],
        [True, True, False, True],  # m3 avoids "Uppsala kommun": not the county's people
    ]
    spellings = sorted(str(w.message) for w in caught if "one employer" in str(w.message))
    assert spellings == [
        "organisations 'Region Uppsala' (m1, e3) and 'Uppsala' (m2, m3, e4) are taken as one "
        "employer",
        "organisations 'Uppsala' (m3, e2, e4) and 'Uppsala kommun' (e1) are taken as one employer",
    ]
