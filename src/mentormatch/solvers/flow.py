"""Min-cost flow (OR-Tools ``SimpleMinCostFlow``) for every problem that is a network flow.

The network: source -> mentor groups -> mentors -> mentees -> mentee groups -> sink,
one unit per pair. The source supplies ``max_pairs`` units and a bypass arc
source -> sink carries up to ``max_pairs - min_pairs`` of them at no cost, so
between ``min_pairs`` and ``max_pairs`` units go through pairs, and a pair of
negative score carries a unit only when ``min_pairs`` demands it.

Costs are integers: scores are multiplied by the finest scale OR-Tools accepts
without overflow for this network (``2**60 / (nodes + 1)**2`` units for the largest
absolute score, so the scale follows the scores' range: scores of 1e-12 and of 1e15
are resolved alike) and rounded. The resolution is about 1e-11 of the largest
absolute score at 1,000 people and 1e-8 at 200,000; the reported bound adds one
unit per pair, so it is proven whatever the rounding, and the status is "optimal"
only within :data:`~mentormatch.solvers.OPTIMALITY_GAP`.

When ``max_pairs`` is small, only pairs that can be in an optimum are built: an
optimum never pairs a mentor with a mentee ranked below ``max_pairs`` others of
the same mentee group in that mentor's list (one of them is free and would do
at least as well), nor a mentee with a mentor ranked below ``max_pairs`` others
of the same mentor group that have room; so only pairs in both top lists stay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow

from mentormatch.problem import GroupLimit, Problem
from mentormatch.solvers import Integers, NoSolutionError, Solution, proven

__all__ = [
    "Limits",
    "Solved",
    "flow_groups",
    "most_pairs",
    "overlapping",
    "shortest_distances",
    "solve",
    "solve_pairs",
    "supports",
]

NAME = "flow"
SOURCE, SINK = 0, 1
_COST_BUDGET = 2**60


def supports(problem: Problem) -> str | None:
    """``None`` when every group limit is one-sided and the groups of a side are disjoint."""
    if problem.locked:
        return "has locked pairs (solve the problem without them)"
    if any(group.side == "pairs" for group in problem.groups):
        return "a group limit counts pairs that are not whole mentor rows or mentee columns"
    if overlapping(problem):
        return "group limits of one side overlap"
    return None


def overlapping(problem: Limits) -> bool:
    """Whether two group limits of one side count some person both."""
    return _classes(problem, "mentor") is None or _classes(problem, "mentee") is None


def solve(problem: Problem, time_limit: float | None = None, seed: int = 0) -> Solution:
    """Solve a network-flow problem exactly (``time_limit`` and ``seed`` do not apply).

    Raises ``NoSolutionError`` when fewer than ``min_pairs`` pairs can be formed.
    """
    mentors, mentees = np.nonzero(_candidates(problem))
    return solve_pairs(problem, mentors, mentees, problem.scores[mentors, mentees]).solution


class Limits(Protocol):
    """What the network needs besides the pairs: a :class:`Problem` has it, and so does
    the sparse problem of a national cohort, whose scores are never one dense matrix."""

    @property
    def shape(self) -> tuple[int, int]:
        """(number of mentors, number of mentees)."""

    @property
    def capacity(self) -> NDArray[np.int64]:
        """The most mentees each mentor takes."""

    @property
    def min_pairs(self) -> int:
        """The fewest pairs."""

    @property
    def max_pairs(self) -> int:
        """The most pairs."""

    @property
    def groups(self) -> tuple[GroupLimit, ...]:
        """Group limits (one-sided and disjoint per side, for a flow)."""


@dataclass(frozen=True, eq=False)
class Solved:
    """An optimal flow over given pairs: the solution, and what its prices are read from."""

    solution: Solution
    rounded: Integers
    network: _Network
    costs: NDArray[np.int64]
    flows: NDArray[np.int64]

    def prices(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Mentor and mentee prices in the integer units of ``rounded``.

        Every pair the flow was given and did not take, with integer gain ``g``, has
        ``g <= mentor[i] + mentee[j]`` (the taken ones ``>=``); so does every other pair
        when the flow is optimal over all pairs, by LP duality: a pair that was not given
        and whose gain exceeds its prices is the only kind that could improve the optimum.
        The prices are the residual network's shortest-path distances.

        Examples
        --------
        >>> p = Problem.build([[0.9, 0.1], [0.8, 0.7]])
        >>> rows, columns = np.array([0, 1, 1]), np.array([0, 0, 1])
        >>> solved = solve_pairs(p, rows, columns, p.scores[rows, columns])
        >>> solved.solution.pairs
        [(0, 0), (1, 1)]
        >>> mentor, mentee = solved.prices()
        >>> bool(solved.rounded.gains[1] <= mentor[1] + mentee[0])  # (1, 0) was not taken
        True
        """
        network = self.network
        forward = self.flows < network.capacities
        backward = self.flows > 0
        tails = np.concatenate([network.tails[forward], network.heads[backward]])
        heads = np.concatenate([network.heads[forward], network.tails[backward]])
        lengths = np.concatenate([self.costs[forward], -self.costs[backward]])
        distance = shortest_distances(network.nodes, tails, heads, lengths)
        # Each mentee's potential may lie anywhere its arcs allow (no arc joins two
        # mentees): take the lowest, so its price, which certifies the pairs the flow was
        # not given, is the highest the optimum supports (for a mentee without a
        # candidate, the price of one more pair rather than 0).
        none = np.iinfo(np.int64).min
        lowest = np.full(network.nodes, none, dtype=np.int64)
        np.maximum.at(lowest, tails, distance[heads] - lengths)
        mentees = network.mentee_node
        distance[mentees] = np.where(lowest[mentees] > none, lowest[mentees], distance[mentees])
        return distance[network.mentor_node], -distance[network.mentee_node]


def shortest_distances(
    nodes: int, tails: NDArray[np.int64], heads: NDArray[np.int64], lengths: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Shortest distances from a root joined to every node at length 0 (Bellman-Ford,
    every arc relaxed at once per round); exact in integers. The graph must have no
    negative cycle, which holds for the residual network of an optimal flow.

    Examples
    --------
    >>> shortest_distances(3, np.array([0, 1]), np.array([1, 2]), np.array([-2, -3])).tolist()
    [0, -2, -5]
    """
    distance = np.zeros(nodes, dtype=np.int64)
    if not len(heads):
        return distance
    order = np.argsort(heads, kind="stable")
    tails, heads, lengths = tails[order], heads[order], lengths[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    for _ in range(nodes + 1):
        best = np.minimum.reduceat(distance[tails] + lengths, starts)
        shorter = best < distance[targets]
        if not shorter.any():
            return distance
        distance[targets[shorter]] = best[shorter]
    raise RuntimeError("the residual network has a negative cycle: the flow is not optimal")


def solve_pairs(
    limits: Limits,
    mentors: NDArray[np.intp],
    mentees: NDArray[np.intp],
    scores: NDArray[np.float64],
    largest: float | None = None,
) -> Solved:
    """The best flow over the listed pairs (``mentors[k]`` with ``mentees[k]``, scoring
    ``scores[k]``), under the capacities, pair-count bounds and one-sided groups of
    ``limits``. ``largest`` fixes the integer scale's reference (default: the largest
    absolute score listed), so that pairs checked later are rounded alike.

    Raises ``NoSolutionError`` when fewer than ``min_pairs`` pairs can be formed.
    """
    if limits.min_pairs > limits.max_pairs:
        raise NoSolutionError
    network = _Network.build(limits, mentors, mentees)
    rounded = Integers.of(scores, _COST_BUDGET / (network.nodes + 1) ** 2, largest)
    costs = np.zeros(len(network.tails), dtype=np.int64)
    costs[network.first_pair :] = -rounded.gains
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, costs
    )
    flow.set_nodes_supplies(np.arange(network.nodes), network.supplies(limits))
    status = flow.solve()
    if status == flow.INFEASIBLE:
        raise NoSolutionError
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed with status {status}")
    flows = flow.flows(np.arange(len(network.tails))).astype(np.int64)
    used = flows[network.first_pair :] > 0
    pairs = list(zip(network.mentors[used].tolist(), network.mentees[used].tolist(), strict=True))
    bound = rounded.bound(int(rounded.gains[used].sum()), limits.max_pairs)
    solution = proven(pairs, float(scores[used].sum()), bound, rounded.largest)
    return Solved(solution, rounded, network, costs, flows)


def most_pairs(problem: Problem) -> int:
    """The largest number of pairs the allowed pairs, capacities and one-sided groups permit.

    Group limits that are not one-sided, or overlap, are left out, so the
    number is an upper bound for them.
    """
    relaxed = replace(problem, groups=flow_groups(problem), min_pairs=0)
    network = _Network.build(relaxed, *np.nonzero(relaxed.usable))
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


def _classes(problem: Limits, side: str) -> NDArray[np.int64] | None:
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
    mentor_node: NDArray[np.int64]
    mentee_node: NDArray[np.int64]

    @classmethod
    def build(
        cls, problem: Limits, mentors: NDArray[np.intp], mentees: NDArray[np.intp]
    ) -> _Network:
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
            mentors=np.asarray(mentors, dtype=np.int64),
            mentees=np.asarray(mentees, dtype=np.int64),
            mentor_node=mentor_node.astype(np.int64),
            mentee_node=mentee_node.astype(np.int64),
        )

    def supplies(self, problem: Limits) -> NDArray[np.int64]:
        supply = np.zeros(self.nodes, dtype=np.int64)
        supply[SOURCE], supply[SINK] = problem.max_pairs, -problem.max_pairs
        return supply
