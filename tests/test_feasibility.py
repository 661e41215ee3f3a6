"""Why there is no pairing: every number and rule a conflict states, against brute force."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from functools import reduce

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.assignment import solve
from mentormatch.problem import GroupLimit, Preferences, Problem
from oracles import all_pairings, group_mask, keeps_every_rule

EXAMPLE = mm.example_cohort()


def most_by_brute_force(problem: Problem, without: frozenset[str] = frozenset()) -> int:
    """The most pairs keeping every rule but ``min_pairs``, with the named rules (keys of
    ``forbidden_by``) and group limits (by rule) taken away; locks kept."""
    m, n = problem.shape
    masks = [mask for rule, mask in problem.forbidden_by.items() if rule not in without]
    allowed = ~reduce(np.logical_or, masks, np.zeros((m, n), dtype=bool))
    groups = [(group_mask(g, (m, n)), g.max) for g in problem.groups if g.rule not in without]
    best = -1
    for choice in itertools.product(range(-1, m), repeat=n):
        pairs = [(i, j) for j, i in enumerate(choice) if i >= 0]
        load = np.bincount([i for i, _ in pairs], minlength=m)
        if (
            all(allowed[i, j] for i, j in pairs)
            and (load <= problem.capacity).all()
            and len(pairs) <= problem.max_pairs
            and all(sum(bool(mask[p]) for p in pairs) <= limit for mask, limit in groups)
            and set(problem.locked) <= set(pairs)
        ):
            best = max(best, len(pairs))
    return best


@st.composite
def short_of_pairs(draw: st.DrawFn) -> Problem:
    """Small problems with named rules, quotas on the mentees' regions (one each, as
    RegionQuota makes them) and locks, and a pair-count minimum above what they allow."""
    m, n = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    rules = {
        name: np.array(draw(st.lists(st.booleans(), min_size=m * n, max_size=m * n))).reshape(m, n)
        for name in draw(st.lists(st.sampled_from(["Far()", "Declared()", "Same()"]), unique=True))
    }
    regions = np.array(
        draw(st.lists(st.sampled_from(["", "North", "South"]), min_size=n, max_size=n))
    )
    groups = tuple(
        GroupLimit(draw(st.integers(0, 1)), f"Quota(max=1): {name}", mentees=regions == name)
        for name in draw(st.lists(st.sampled_from(["North", "South"]), unique=True))
    )
    allowed = ~reduce(np.logical_or, rules.values(), np.zeros((m, n), dtype=bool))
    locked = draw(st.lists(st.tuples(st.integers(0, m - 1), st.integers(0, n - 1)), max_size=1))
    return Problem.build(
        np.ones((m, n)),
        allowed=allowed,
        capacity=draw(st.lists(st.integers(0, 2), min_size=m, max_size=m)),
        min_pairs=draw(st.integers(1, n)),
        groups=groups,
        locked=tuple(locked),
        labels={"min_pairs": "Count(min)"},
        forbidden_by=rules,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short_of_pairs())
def test_every_number_and_rule_of_a_pair_count_conflict(problem: Problem) -> None:
    most = most_by_brute_force(problem)
    if most < 0 or most >= problem.min_pairs:
        event("lock clash" if most < 0 else "feasible")
        return
    with pytest.raises(mm.InfeasibleError) as caught:
        solve(problem)
    (conflict,) = caught.value.conflicts
    head = re.match(
        r"Count\(min\), but at most (\d+) pairs? (?:is|are) possible( \((\d+) of them locked\))?: ",
        conflict,
    )
    assert head, conflict
    assert int(head[1]) == most
    assert int(head[3] or 0) == len(problem.locked)
    limits = [*problem.forbidden_by, *(g.rule for g in problem.groups)]
    alone = {limit: most_by_brute_force(problem, frozenset({limit})) for limit in limits}
    stated = dict(re.findall(r"without ([^;]+?), (\d+) would be", conflict))
    joint = re.search(
        r"no one rule alone limits it, but without (.+) together, (\d+) would be$", conflict
    )
    if any(more > most for more in alone.values()):
        event("limited by single rules")
        assert {k: int(v) for k, v in stated.items()} == {
            k: v for k, v in alone.items() if v > most
        }
        assert not joint
    elif joint:
        event("limited by rules together")
        names = frozenset(joint[1].split(" and "))
        assert names <= set(limits)
        assert most_by_brute_force(problem, names) == int(joint[2]) > most
        for name in names:
            assert most_by_brute_force(problem, names - {name}) <= most
    else:
        event("limited by the cohort")
        assert most_by_brute_force(problem, frozenset(limits)) == most


def test_locked_pairs_count_among_the_possible_ones() -> None:
    allowed = np.array([[True, True, False], [False, False, False]])
    problem = Problem.build(
        np.ones((2, 3)),
        allowed=allowed,
        capacity=[2, 1],
        min_pairs=3,
        locked=((0, 0),),
        forbidden_by={"Far()": ~allowed},
        mentee_ids=("e1", "e2", "e3"),
    )
    with pytest.raises(mm.InfeasibleError) as caught:
        solve(problem)
    assert caught.value.conflicts == (
        "min_pairs=3, but at most 2 pairs are possible (1 of them locked): besides the 1 "
        "locked pair, only 1 mentee has any allowed mentor (e2); none for e3 (Far() rules "
        "out 2 of their 2 pairs); without Far(), 3 would be",
    )


def test_the_mentors_room_counts_only_the_mentees_each_may_take() -> None:
    allowed = np.array([[True, False, False, False, False], [True, True, True, True, True]])
    with pytest.raises(mm.InfeasibleError) as caught:
        mm.assign(np.ones((2, 5)), capacity=[3, 2], forbidden=~allowed, min_pairs=4)
    assert caught.value.conflicts == (
        "min_pairs=4, but at most 3 pairs are possible: the mentors can take only 3 mentees "
        "in all (their capacity, counting only allowed mentees)",
    )


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            [mm.PairCount(min=22), mm.MaxDistance(km=150)],
            "PairCount(min=22), but at most 20 pairs are possible: the mentees with allowed "
            "mentors share too few of them: the allowed pairs admit no more than 20 at once; "
            "without MaxDistance(km=150), 25 would be",
        ),
        (
            [mm.PairCount(min=22), mm.MaxDistance(km=150), mm.Lock("M001", "E016")],
            "PairCount(min=22), but at most 20 pairs are possible (1 of them locked): besides "
            "the 1 locked pair, the mentees with allowed mentors share too few of them: the "
            "allowed pairs admit no more than 19 at once; without MaxDistance(km=150), 25 would be",
        ),
        (
            [mm.PairCount(min=27), mm.PairCount(max=30)],
            "PairCount(min=27), but at most 25 pairs are possible: the mentors can take only "
            "25 mentees in all (their capacity, counting only allowed mentees)",
        ),
    ],
)
def test_the_conflicts_of_a_real_cohort_name_the_limiting_rule(
    rules: list[mm.Rule], expected: str
) -> None:
    with pytest.raises(mm.InfeasibleError) as caught:
        mm.match(EXAMPLE, rules=rules)
    assert caught.value.conflicts == (expected,)


def test_a_region_quota_that_limits_the_count_is_named() -> None:
    with pytest.raises(mm.InfeasibleError) as caught:
        mm.match(EXAMPLE, rules=[mm.PairCount(min=24), mm.RegionQuota(max=1)])
    (conflict,) = caught.value.conflicts
    assert conflict.startswith(
        "PairCount(min=24), but at most 21 pairs are possible: the group limits leave room "
        "for no more; without RegionQuota(max=1): "
    )
    regions = re.findall(r"without RegionQuota\(max=1\): ([^,]+), (\d+) would be", conflict)
    assert regions and all(int(more) > 21 for _, more in regions)


# --- every clash names its rules and people, never an empty list, and is true ----------------

EMPTY = re.compile(r"(?<!\w)\(\s*\)|\(\s*;|;\s*\)|none for\s*[(;]|:\s*$|,\s*,|\band\s*$")
"""What a statement with an empty list of rules, people or groups looks like (a rule's own
call, ``Stable()``, is not empty)."""


def assert_worded(conflict: str) -> None:
    assert conflict and not EMPTY.search(conflict), conflict


@st.composite
def clashing(draw: st.DrawFn) -> Problem:
    """Small problems with every kind of limit, named as rules name them: pair counts,
    group minimums and maximums (one-sided and over pairs), locks, stability."""
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    allowed = np.array(draw(st.lists(st.booleans(), min_size=m * n, max_size=m * n)))
    groups = []
    for k, kind in enumerate(
        draw(st.lists(st.sampled_from(["mentee", "mentor", "either"]), max_size=3))
    ):
        low = draw(st.integers(0, 3))
        high = draw(st.integers(low, 4))
        mentors = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)))
        mentees = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        rule = f"Quota('q{k}', min={low}, max={high}): v{k}"
        groups.append(
            GroupLimit(high, rule, mentees=mentees, min=low)
            if kind == "mentee"
            else GroupLimit(high, rule, mentors=mentors, min=low)
            if kind == "mentor"
            else GroupLimit(high, rule, mentors=mentors, mentees=mentees, min=low, either=True)
        )
    low = draw(st.integers(0, 4))
    high = draw(st.integers(low, 4))
    locked = draw(
        st.lists(
            st.tuples(st.integers(0, m - 1), st.integers(0, n - 1)),
            max_size=2,
            unique_by=lambda pair: pair[1],
        )
    )
    ranks = st.lists(st.integers(0, 3), min_size=m * n, max_size=m * n)
    preferences = (
        Preferences.of(
            np.array(draw(ranks)).reshape(m, n), np.array(draw(ranks)).reshape(m, n), "Stable()"
        )
        if draw(st.booleans())
        else None
    )
    return Problem.build(
        np.ones((m, n)),
        allowed=allowed.reshape(m, n)
        | np.isin(np.arange(m * n), [i * n + j for i, j in locked]).reshape(m, n),
        capacity=draw(st.lists(st.integers(0, 2), min_size=m, max_size=m)),
        min_pairs=low,
        max_pairs=high,
        groups=tuple(groups),
        locked=tuple(locked),
        labels={"min_pairs": f"PairCount(min={low})", "max_pairs": f"PairCount(max={high})"},
        mentor_ids=tuple(f"m{i}" for i in range(m)),
        mentee_ids=tuple(f"e{j}" for j in range(n)),
        preferences=preferences,
    )


def only(problem: Problem, names: set[str]) -> Problem:
    """The problem with only the named limits (as conflicts name them) kept."""
    locks = tuple(p for p in problem.locked if f"Lock('m{p[0]}', 'e{p[1]}')" in names)
    return replace(
        problem,
        min_pairs=problem.min_pairs if problem.label("min_pairs") in names else 0,
        max_pairs=problem.max_pairs if problem.label("max_pairs") in names else 10,
        groups=tuple(g for g in problem.groups if g.rule in names),
        locked=locks,
        preferences=problem.preferences if "Stable()" in names else None,
    )


def feasible(problem: Problem) -> bool:
    return any(keeps_every_rule(problem, pairs) for pairs in all_pairings(problem))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clashing())
def test_every_clash_is_worded_and_the_rules_it_names_cannot_hold_together(
    problem: Problem,
) -> None:
    if feasible(problem):  # then a pairing is found, whatever the ties in the ranks
        event("feasible")
        found = solve(problem)
        assert keeps_every_rule(problem, found.pairs)
        assert len(found.pairs) == max(
            len(pairs) for pairs in all_pairings(problem) if keeps_every_rule(problem, pairs)
        )
        return
    with pytest.raises(mm.InfeasibleError) as caught:
        solve(problem)
    for conflict in caught.value.conflicts:
        assert_worded(conflict)
    (first, *_) = caught.value.conflicts
    listed = re.match(r"these rules cannot hold together: (.+) \(the pairs the rules allow", first)
    alone = re.match(r"(.+?) cannot hold[:( ]", first)
    if not (listed or alone) or first.startswith("PairCount(min="):
        event("explained without CP-SAT")
        return
    event("a set of rules" if listed else "one rule")
    text = listed[1] if listed else alone[1]  # type: ignore[index]
    limits = [
        problem.label("min_pairs"),
        problem.label("max_pairs"),
        "Stable()",
        *(g.rule for g in problem.groups),
        *(f"Lock('m{i}', 'e{j}')" for i, j in problem.locked),
    ]
    names = {limit for limit in limits if limit in text}
    assert names, first
    assert not feasible(only(problem, names)), first  # together they cannot hold
    for name in names:  # and each is needed
        assert feasible(only(problem, names - {name})), (first, name)


@pytest.mark.parametrize(
    ("rules", "words"),
    [
        ([mm.PairCount(min=5), mm.MaxDistance(km=0)], ["PairCount(min=5)", "MaxDistance(km=0)"]),
        (
            [mm.PairCount(min=1), mm.SameRegion(), mm.DifferentRegion()],
            ["no mentee has any allowed mentor; none for E001", "SameRegion() rules out"],
        ),
        (
            [mm.Quota("country", min=20)],
            ["Quota('country', min=20): SE cannot hold", "at least 20 pairs", "at most 12 in it"],
        ),
        (
            [mm.RegionQuota(max=1), mm.Quota("region", min=2, values=["Nordland"])],
            ["RegionQuota(max=1): Nordland", "Quota('region', min=2, values=('Nordland',))"],
        ),
        (
            [mm.PairCount(max=0), mm.Lock("M001", "E001")],
            ["1 lock (Lock('M001', 'E001')) but PairCount(max=0) allows at most 0 pairs"],
        ),
        (
            [mm.AvoidSameOrganisation(), mm.Lock("M002", "E017")],
            ["Lock('M002', 'E017')", "AvoidSameOrganisation()", "M002", "E017"],
        ),
        (
            [mm.PairCount(max=2), mm.Quota("country", side="pair", min=2), mm.Lock("M001", "E003")],
            ["PairCount(max=2)", "Quota('country', side='pair', min=2)", "Lock('M001', 'E003')"],
        ),
    ],
)
def test_infeasible_combinations_name_their_rules_and_people(
    rules: list[mm.Rule], words: list[str]
) -> None:
    with pytest.raises(mm.InfeasibleError) as caught:
        mm.match(EXAMPLE, rules=rules)
    text = " ".join(caught.value.conflicts)
    for conflict in caught.value.conflicts:
        assert_worded(conflict)
    for word in words:
        assert word in text, text


def test_stability_clashing_with_a_lock_names_both() -> None:
    cohort = mm.Cohort.from_frame(
        pd.DataFrame(
            {
                "id": ["m1", "m2", "e1", "e2"],
                "role": ["mentor"] * 2 + ["mentee"] * 2,
                "organisation": list("ABCD"),
                "region": "R",
                "preferences": ["e1;e2", "e1;e2", "m1;m2", "m1;m2"],
            }
        )
    )
    for rules in (
        [mm.Stable(), mm.Lock("m2", "e1")],
        [mm.Stable(), mm.Lock("m1", "e2"), mm.Lock("m2", "e1")],
    ):
        with pytest.raises(mm.InfeasibleError) as caught:
            mm.match(cohort, rules=rules)
        (conflict,) = caught.value.conflicts
        assert_worded(conflict)
        assert conflict.startswith(
            "these rules cannot hold together: Stable() and Lock('m2', 'e1')"
        )
    with pytest.raises(mm.InfeasibleError) as caught:
        mm.match(
            cohort,
            rules=[mm.Stable(), mm.Lock("m2", "e1"), mm.PairCount(min=2), mm.Forbid("m1", "e2")],
        )
    assert_worded(caught.value.conflicts[0])
    assert "Forbid('m1', 'e2')" in caught.value.conflicts[0]


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (
            {"scores": np.ones((5, 2)), "min_pairs": 3},
            "(mentee 0, mentee 1), and there are no other",
        ),
        ({"scores": np.ones((0, 3)), "min_pairs": 1}, "there are 0 mentors and 3 mentees"),
        ({"scores": np.ones((3, 0)), "min_pairs": 1}, "there are 3 mentors and 0 mentees"),
        (
            {"scores": np.ones((2, 2)), "min_pairs": 1, "forbidden": np.ones((2, 2), dtype=bool)},
            "no mentee has any allowed mentor; none for mentee 0, mentee 1 (4 of their 4 pairs "
            "are forbidden)",
        ),
        (
            {"scores": np.ones((2, 2)), "capacity": 0, "min_pairs": 1},
            "none for mentee 0, mentee 1 (2 mentors allowed for them have no room left)",
        ),
    ],
)
def test_pair_count_conflicts_never_list_no_one(arguments: dict[str, object], words: str) -> None:
    with pytest.raises(mm.InfeasibleError) as caught:
        mm.assign(**arguments)  # type: ignore[arg-type]
    (conflict,) = caught.value.conflicts
    assert_worded(conflict)
    assert words in conflict
