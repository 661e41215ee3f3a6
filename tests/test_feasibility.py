"""Why there is no pairing: every number and rule a conflict states, against brute force."""

from __future__ import annotations

import itertools
import re
from functools import reduce

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.assignment import solve
from mentormatch.problem import GroupLimit, Problem
from oracles import group_mask

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
