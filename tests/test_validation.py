"""Arguments at the door: every entry of every table refused with its name, in one voice."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import mentormatch as mm
from mentormatch.assignment import solve
from mentormatch.problem import Problem
from mentormatch.validation import PARAMETERS

EXAMPLE = mm.example_cohort()


class Constant:
    """A custom criterion scoring every pair the same."""

    name = "constant"

    def __call__(self, mentors: Any, mentees: Any) -> np.ndarray:
        return np.full((len(mentors), len(mentees)), 0.5)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "assign": mm.assign,
    "solve": solve,
    "match": mm.match,
    "score": mm.score,
}
GOOD: dict[str, dict[str, Any]] = {
    "assign": {"scores": np.ones((2, 2))},
    "solve": {"problem": Problem.build(np.ones((2, 2)))},
    "match": {"cohort": EXAMPLE},
    "score": {"cohort": EXAMPLE},
}
"""A call of each function that works; each test changes one argument."""

BAD: dict[str, list[Any]] = {
    "scores": [[[1.0, math.nan]], [[1.0, math.inf]], [1.0, 2.0], [["a", "b"]]],
    "capacity": [-1, [1, 2, 3], 1.5, "two"],
    "min_pairs": [-1, 2.5, "2", 3],  # 3 > max_pairs=2 below
    "max_pairs": [-1, "x", 1.5],
    "forbidden": [np.zeros((3, 2), dtype=bool), np.zeros((2, 2)), [[1, 0], [0, 1]], "x"],
    "time_limit": [-1, "10", math.nan, math.inf, True, [1.0]],
    "seed": ["x", -1, 2**31, 2**40, 1.5, True, None],
    "problem": [np.ones((2, 2)), None],
    "solver": ["gurobi", 3],
    "cohort": [EXAMPLE.to_frame(), "cohort.csv", None],
    "rules": [mm.PairCount(1, 3), "pilot", 5, {"kind": "PairCount"}, [5]],
    "weights": [[("size", 1)], {"size": -1}, {"theme": 1}, "themes", {"size": math.nan}],
    "criteria": [Constant(), 5, "themes", [5], [Constant(), Constant()]],
    "candidates": [0, -3, 2.5, "8", True],
    "objective": ["fairness", None, 1, ["total"]],
}
"""Bad values for every argument name in the tables."""


def _cases() -> list[tuple[str, str, Any]]:
    return [
        (function, argument, value)
        for function, table in PARAMETERS.items()
        for argument in table
        for value in BAD[argument]
    ]


def test_every_table_matches_its_function_and_has_bad_values() -> None:
    assert set(PARAMETERS) == set(FUNCTIONS)
    for name, function in FUNCTIONS.items():
        assert list(PARAMETERS[name]) == list(inspect.signature(function).parameters), name
        assert all(BAD[argument] for argument in PARAMETERS[name]), name
    for table in PARAMETERS.values():
        for constraint in table.values():
            assert constraint.expected
            assert (constraint.holds is None) == bool(constraint.where)


@pytest.mark.parametrize(("function", "argument", "value"), _cases())
def test_every_bad_argument_is_refused_naming_it(function: str, argument: str, value: Any) -> None:
    arguments = {**GOOD[function], argument: value}
    if function == "assign" and argument == "min_pairs":
        arguments["max_pairs"] = 2
    with pytest.raises(mm.InputError) as caught:
        FUNCTIONS[function](**arguments)
    assert not isinstance(caught.value, mm.InfeasibleError)
    named = [v for v in caught.value.violations if v.argument == argument]
    assert named, str(caught.value)
    assert all(str(v).startswith(f"argument '{argument}': ") for v in named)
    assert all("expected" in v.message for v in named)


@pytest.mark.parametrize(
    ("function", "argument", "value"),
    [
        ("assign", "time_limit", 0),
        ("assign", "time_limit", 2.5),
        ("assign", "time_limit", np.float32(1)),
        ("assign", "seed", 2**31 - 1),
        ("assign", "seed", np.int64(7)),
        ("assign", "forbidden", np.zeros((2, 2), dtype=bool)),
        ("match", "rules", ()),
        ("match", "rules", (rule for rule in [mm.PairCount(max=3)])),
        ("match", "criteria", iter([Constant()])),
        ("match", "candidates", 1),
        ("match", "candidates", np.int64(20)),
        ("score", "weights", {"themes": 1e300}),
    ],
)
def test_edge_values_that_are_fine(function: str, argument: str, value: Any) -> None:
    FUNCTIONS[function](**{**GOOD[function], argument: value})


def test_a_lone_rule_is_refused_with_the_list_to_pass() -> None:
    with pytest.raises(mm.InputError) as caught:
        mm.match(EXAMPLE, rules=mm.PairCount(1, 3))  # type: ignore[arg-type]
    assert str(caught.value) == (
        "argument 'rules': expected a list of rules such as [mm.PairCount(min=8, max=15)], "
        "or None for the pilot's, got PairCount(min=1, max=3); "
        "pass a list: rules=[PairCount(min=1, max=3)]"
    )


def test_every_bad_argument_of_a_call_is_reported_together() -> None:
    with pytest.raises(mm.InputError) as caught:
        mm.assign(np.ones((2, 2)), forbidden=np.zeros((2, 2)), time_limit=-1, seed="x")
    assert [v.argument for v in caught.value.violations] == ["forbidden", "time_limit", "seed"]


def test_forbidden_of_another_shape_is_named_forbidden() -> None:
    with pytest.raises(mm.InputError, match=r"argument 'forbidden': .*shape \(3, 2\)"):
        mm.assign(np.ones((2, 2)), forbidden=np.zeros((3, 2), dtype=bool))
