"""Min-cost flow (OR-Tools ``SimpleMinCostFlow``) for every problem that is a network flow.

The network: source -> mentor groups -> mentors -> mentees -> mentee groups -> sink,
one unit per pair. The source supplies ``max_pairs`` units and a bypass arc
source -> sink carries up to ``max_pairs - min_pairs`` of them at no cost, so
between ``min_pairs`` and ``max_pairs`` units go through pairs, and a pair of
negative score carries a unit only when ``min_pairs`` demands it.

Costs are integers: scores are multiplied by a scale chosen from the network's
size (the largest OR-Tools accepts without overflow, at most 2**40 per unit of
the largest score) and rounded, so the optimum is exact up to that resolution.

When ``max_pairs`` is small, only pairs that can be in an optimum are built: an
optimum never pairs a mentor with a mentee ranked below ``max_pairs`` others of
the same mentee group in that mentor's list (one of them is free and would do
at least as well), nor a mentee with a mentor ranked below ``max_pairs`` others
of the same mentor group that have room; so only pairs in both top lists stay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow

from mentormatch.problem import GroupLimit, Problem
from mentormatch.solvers import NoSolutionError, Solution

__all__ = ["flow_groups", "most_pairs", "solve", "supports"]

NAME = "flow"
SOURCE, SINK = 0, 1
_COST_BUDGET = 2**60
_MAX_SCALE = 2**40


def supports(problem: Problem) -> str | None:
    """``None`` when every group limit is one-sided and the groups of a side are disjoint."""
    if problem.locked:
        return "has locked pairs (solve the problem without them)"
    if any(group.side == "pairs" for group in problem.groups):
        return "a group limit counts pairs that are not whole mentor rows or mentee columns"
    for side in ("mentor", "mentee"):
        if _classes(problem, side) is None:
            return f"{side} group limits overlap"
    return None


def solve(problem: Problem, time_limit: float | None = None, seed: int = 0) -> Solution:
    """Solve a network-flow problem exactly (``time_limit`` and ``seed`` do not apply).

    Raises ``NoSolutionError`` when fewer than ``min_pairs`` pairs can be formed.
    """
    if problem.min_pairs > problem.max_pairs:
        raise NoSolutionError
    candidates = _candidates(problem)
    network = _Network.build(problem, candidates)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, -_integer_scores(problem, network)
    )
    flow.set_nodes_supplies(np.arange(network.nodes), network.supplies(problem))
    status = flow.solve()
    if status == flow.INFEASIBLE:
        raise NoSolutionError
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed with status {status}")
    used = flow.flows(np.arange(network.first_pair, network.first_pair + len(network.mentors))) > 0
    pairs = zip(network.mentors[used].tolist(), network.mentees[used].tolist(), strict=True)
    return Solution(sorted(pairs), "optimal")


def most_pairs(problem: Problem) -> int:
    """The largest number of pairs the allowed pairs, capacities and one-sided groups permit.

    Group limits that are not one-sided, or overlap, are left out, so the
    number is an upper bound for them.
    """
    relaxed = replace(problem, groups=flow_groups(problem), min_pairs=0)
    network = _Network.build(relaxed, relaxed.usable)
    flow = max_flow.SimpleMaxFlow()
    arcs = slice(1, None)  # all but the bypass
    flow.add_arcs_with_capacity(network.tails[arcs], network.heads[arcs], network.capacities[arcs])
    if flow.solve(SOURCE, SINK) != flow.OPTIMAL:
        raise RuntimeError("OR-Tools max flow failed")
    return int(flow.optimal_flow())


def flow_groups(problem: Problem) -> tuple[GroupLimit, ...]:
    """The group limits a flow network can hold: one-sided, and disjoint from those kept
    before them on their side."""
    kept: list[GroupLimit] = []
    for group in problem.groups:
        if group.side == "pairs":
            continue
        size = problem.shape[0 if group.side == "mentor" else 1]
        members = group.members(size)
        if not any(k.side == group.side and (k.members(size) & members).any() for k in kept):
            kept.append(group)
    return tuple(kept)


def _classes(problem: Problem, side: str) -> NDArray[np.int64] | None:
    """Per mentor (or mentee), the index of its group on that side, -1 for none;
    ``None`` when groups of that side overlap."""
    size = problem.shape[0] if side == "mentor" else problem.shape[1]
    classes = np.full(size, -1, dtype=np.int64)
    for index, group in enumerate(g for g in problem.groups if g.side == side):
        members = group.members(size)
        if (classes[members] >= 0).any():
            return None
        classes[members] = index
    return classes


def _top(values: NDArray[np.float64], k: int, axis: int) -> NDArray[np.bool_]:
    """Along ``axis``, the entries among the ``k`` largest (ties at the k-th all kept)."""
    size = values.shape[axis]
    if k >= size:
        return np.ones(values.shape, dtype=bool)
    if k == 0:
        return np.zeros(values.shape, dtype=bool)
    kth = np.take(np.partition(values, size - k, axis=axis), [size - k], axis=axis)
    keep: NDArray[np.bool_] = values >= kth
    return keep


def _top_within(
    values: NDArray[np.float64], k: int, axis: int, classes: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Along ``axis``, the ``k`` largest entries within each class of the people along
    that axis (``classes``: mentee groups for ``axis=1``, mentor groups for ``axis=0``)."""
    kinds = np.unique(classes)
    if kinds.size <= 1:
        return _top(values, k, axis)
    keep = np.zeros(values.shape, dtype=bool)
    for kind in kinds:
        members = np.flatnonzero(classes == kind)
        chosen = np.take(values, members, axis=axis)
        if axis == 1:
            keep[:, members] = _top(chosen, k, axis)
        else:
            keep[members, :] = _top(chosen, k, axis)
    return keep


def _candidates(problem: Problem) -> NDArray[np.bool_]:
    """The pairs that can be in an optimum (see the module docstring)."""
    usable = problem.usable
    k = problem.max_pairs
    if k >= max(problem.shape):
        return usable
    values = np.where(usable, problem.scores, -np.inf)
    mentee_classes = _classes(problem, "mentee")
    mentor_classes = _classes(problem, "mentor")
    assert mentee_classes is not None and mentor_classes is not None
    keep = _top_within(values, k, 1, mentee_classes)
    keep &= _top_within(values, k, 0, mentor_classes)
    keep &= usable
    return keep


def _integer_scores(problem: Problem, network: _Network) -> NDArray[np.int64]:
    """The pair arcs' scores as integers at the finest scale OR-Tools accepts; 0 elsewhere."""
    pair_scores = problem.scores[network.mentors, network.mentees]
    largest = float(np.abs(pair_scores).max(initial=0.0))
    scale = min(_MAX_SCALE, _COST_BUDGET / ((network.nodes + 1) ** 2 * max(largest, 1e-300)))
    gains = np.zeros(len(network.tails), dtype=np.int64)
    gains[network.first_pair :] = np.rint(pair_scores * scale).astype(np.int64)
    return gains


@dataclass(frozen=True)
class _Network:
    """The flow network's arcs; pair arcs come last, from ``first_pair`` on."""

    tails: NDArray[np.int64]
    heads: NDArray[np.int64]
    capacities: NDArray[np.int64]
    nodes: int
    first_pair: int
    mentors: NDArray[np.int64]
    mentees: NDArray[np.int64]

    @classmethod
    def build(cls, problem: Problem, candidates: NDArray[np.bool_]) -> _Network:
        m, n = problem.shape
        mentor_groups = [g for g in problem.groups if g.side == "mentor"]
        mentee_groups = [g for g in problem.groups if g.side == "mentee"]
        mentor_node = 2 + len(mentor_groups) + np.arange(m)
        mentee_node = 2 + len(mentor_groups) + m + np.arange(n)
        group_node = 2 + len(mentor_groups) + m + n + np.arange(len(mentee_groups))
        arcs: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = []
        arcs.append(
            (
                np.array([SOURCE]),
                np.array([SINK]),
                np.array([problem.max_pairs - problem.min_pairs]),
            )
        )
        mentor_class = _classes(problem, "mentor")
        mentee_class = _classes(problem, "mentee")
        assert mentor_class is not None and mentee_class is not None
        feeds = np.where(mentor_class >= 0, 2 + mentor_class, SOURCE)
        arcs.append(
            (
                np.full(len(mentor_groups), SOURCE),
                2 + np.arange(len(mentor_groups)),
                np.array([g.max for g in mentor_groups], dtype=np.int64),
            )
        )
        arcs.append((feeds, mentor_node, problem.capacity))
        drains = np.append(group_node, SINK)[mentee_class]  # class -1 drains to the sink
        arcs.append((mentee_node, drains, np.ones(n, dtype=np.int64)))
        arcs.append(
            (
                group_node,
                np.full(len(mentee_groups), SINK),
                np.array([g.max for g in mentee_groups], dtype=np.int64),
            )
        )
        mentors, mentees = np.nonzero(candidates)
        first_pair = sum(len(t) for t, _, _ in arcs)
        arcs.append(
            (mentor_node[mentors], mentee_node[mentees], np.ones(len(mentors), dtype=np.int64))
        )
        return cls(
            tails=np.concatenate([t for t, _, _ in arcs]).astype(np.int64),
            heads=np.concatenate([h for _, h, _ in arcs]).astype(np.int64),
            capacities=np.concatenate([c for _, _, c in arcs]).astype(np.int64),
            nodes=2 + len(mentor_groups) + m + n + len(mentee_groups),
            first_pair=first_pair,
            mentors=mentors.astype(np.int64),
            mentees=mentees.astype(np.int64),
        )

    def supplies(self, problem: Problem) -> NDArray[np.int64]:
        supply = np.zeros(self.nodes, dtype=np.int64)
        supply[SOURCE], supply[SINK] = problem.max_pairs, -problem.max_pairs
        return supply
