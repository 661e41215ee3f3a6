"""The registry of case families that ``run.py`` runs, and the tasks of the non-assignment ones.

A *family* is one kind of problem measured at several sizes (``dense``, ``orlib``,
``pilot``, ``scoring``, ``stable``, ``e2e``); at each size every *method* of the family solves
the same instance in its own process (``harness.py``), the first method being
mentormatch's, the reference the others' objectives are checked against.

Adding a family (the alternatives or quota cases, ...) takes three steps, all in this folder:

1. a task function ``prepare(*args: str, timeout: float) -> harness.Prepared`` that
   builds the instance of one size and returns the call to time and a ``report``
   of its result: ``objective`` (compared across methods when the family's
   ``same_problem``), ``tolerance`` (the rounding an integer solver may add to it),
   ``known`` (a published optimum), ``broken`` (what rule the answer breaks, or
   ""), ``status`` ("optimal" when proven), ``note`` and ``phases`` (seconds by
   name), all optional;
2. one :class:`Method` per solver: its label, its :class:`harness.Task` per size,
   and why it does not run at a size (a peer not installed, a size cap);
3. ``register(Family(...))`` below with its sizes (the full run's and ``--quick``'s),
   a paragraph saying what is measured, and optionally its targets.

``run.py`` picks the new family up everywhere: ``--cases``, ``--sizes``, the progress
bar, the table, the plots and ``tests/test_benchmarks.py``.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import inspect
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd

from assign_peers import SOLVERS, missing, orlib_missing
from harness import Outcome, Prepared, Task

Results = Mapping[int, Mapping[str, Outcome]]
"""A family's outcomes: size -> method key -> outcome."""


def _no_reason(size: int) -> str | None:
    return None


@dataclass(frozen=True)
class Method:
    """One solver of a family: ``task(size)`` runs it; ``skip(size)`` says why it does not
    run at that size (None: it runs)."""

    key: str
    label: str
    task: Callable[[int], Task]
    skip: Callable[[int], str | None] = _no_reason


@dataclass(frozen=True)
class Family:
    """A kind of problem at several sizes, its methods (mentormatch's first) and targets."""

    key: str
    title: str
    about: str
    size_label: str
    sizes: tuple[int, ...]
    quick_sizes: tuple[int, ...]
    methods: tuple[Method, ...]
    same_problem: bool = True
    targets: Callable[[Results], list[str]] | None = None
    unavailable: Callable[[int], str | None] = _no_reason
    """Why the family's instance of a size cannot be built here (data missing), or None."""
    timeout: float = 60.0
    """Seconds a run may take when ``run.py`` is not given ``--timeout``."""


FAMILIES: dict[str, Family] = {}
"""Every family ``run.py`` knows, in the order it runs them."""


def register(family: Family) -> Family:
    """Add a family to :data:`FAMILIES` (its key must be new)."""
    if family.key in FAMILIES:
        raise ValueError(f"family {family.key!r} is registered twice")
    FAMILIES[family.key] = family
    return family


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# ---------------------------------------------------------------------------- assignment


def _assign_method(key: str, kind: str, max_size: int | None = None) -> Method:
    def skip(size: int) -> str | None:
        if max_size is not None and size > max_size:
            return f"not run above n = {max_size}"
        return missing(key)

    def task(size: int) -> Task:
        return Task("assign_peers", "prepare", (key, kind, str(size)))

    return Method(key, SOLVERS[key].label, task, skip)


DENSE_PEERS = ("scipy", "lap", "ortools")
NETWORKX_MAX_N = 200


def _dense_targets(results: Results) -> list[str]:
    lines = []
    for n, outcomes in sorted(results.items()):
        peers = [outcomes[k] for k in DENSE_PEERS if k in outcomes and outcomes[k].ran]
        if n < 1000 or not outcomes["ours"].ran or not peers:
            continue
        ratio = outcomes["ours"].median / min(p.median for p in peers)
        lines.append(
            f"dense n = {n:,}: mm.assign / fastest of scipy, lap, OR-Tools = {ratio:.2f} "
            f"(target <= 1): {verdict(ratio <= 1.0)}"
        )
    return lines


register(
    Family(
        key="dense",
        title="Plain dense assignment",
        about=(
            "n mentors x n mentees, scores uniform in [0, 1), a full assignment of the "
            "largest total: `mm.assign(scores)` against scipy `linear_sum_assignment`, "
            "`lap.lapjv` (on `-scores`), OR-Tools `SimpleLinearSumAssignment` (integer "
            "costs, scaled) and networkx's blossom algorithm (`max_weight_matching`, "
            f"pure Python, n <= {NETWORKX_MAX_N} only). Peers' times include building "
            "their input (the notes' `build`). Each timed run solves three random draws "
            "of the size one after the other (`assign_peers.PLAIN_DRAWS`: on one draw "
            "a solver's time moves by 2-3x from draw to draw, lap's most); the objective "
            "is their sum."
        ),
        size_label="n",
        sizes=(100, 500, 1000, 2000, 3000, 5000),
        quick_sizes=(50, 1000),
        methods=(
            *(_assign_method(k, "plain") for k in ("ours", *DENSE_PEERS)),
            _assign_method("networkx", "plain", NETWORKX_MAX_N),
        ),
        targets=_dense_targets,
    )
)

register(
    Family(
        key="orlib",
        title="OR-Library dense instances",
        about=(
            "J.E. Beasley's OR-Library `assign100` ... `assign800` (integer costs 1-100, "
            "minimised), read in place from `../shared/reference/orlib/`: "
            "`mm.assign(-C, min_pairs=n)` beside scipy, lap and OR-Tools on C. The check "
            "also compares every answer with the published optimum (objective = -optimum)."
        ),
        size_label="n",
        sizes=(100, 200, 300, 400, 500, 600, 700, 800),
        quick_sizes=(100,),
        methods=tuple(_assign_method(k, "orlib") for k in ("ours", *DENSE_PEERS)),
        unavailable=orlib_missing,
    )
)

register(
    Family(
        key="pilot",
        title="The pilot's rules",
        about=(
            "n mentors x n mentees, scores uniform in [0, 1), capacity 2 per mentor, 5% of "
            "pairs forbidden at random, between 8 and 15 pairs: `mm.assign(scores, "
            "capacity=2, min_pairs=8, max_pairs=15, forbidden=...)` against the same model "
            "(one binary per allowed pair) in CP-SAT (1 worker), HiGHS (`scipy.optimize.milp`) "
            "and CBC (PuLP). A solver stopped by its own time limit without proof counts "
            "as a timeout."
        ),
        size_label="n",
        sizes=(100, 200, 2000),
        quick_sizes=(50, 100),
        methods=tuple(_assign_method(k, "constrained") for k in ("ours", "cpsat", "highs", "cbc")),
    )
)


# ---------------------------------------------------------------------------- scoring


def prepare_scoring(method: str, n: str, *, timeout: float) -> Prepared:
    """``mm.score`` of a random n x n cohort (``bench_scoring``'s), or one float64 product of
    its feature matrices (NaN as 0), the size of the work scoring is measured against."""
    from bench_scoring import synthetic_cohort
    from mentormatch.scoring import PairScorer, score

    cohort = synthetic_cohort(int(n), int(n))
    if method == "score":
        return Prepared(run=lambda: score(cohort), report=lambda scores: {})
    scorer = PairScorer.of(cohort)
    a = np.nan_to_num(scorer.mentors.features)
    b = np.nan_to_num(scorer.mentees.features)
    note = f"{a.shape[0]}x{a.shape[1]} @ {b.shape[1]}x{b.shape[0]}"
    return Prepared(run=lambda: a @ b.T, report=lambda product: {"note": note})


def _scoring_method(key: str, label: str) -> Method:
    return Method(key, label, lambda n: Task("cases", "prepare_scoring", (key, str(n))))


SCORING_N = 5000


def _scoring_targets(results: Results) -> list[str]:
    outcomes = results.get(SCORING_N)
    if not outcomes or not outcomes["score"].ran or not outcomes["product"].ran:
        return []
    ratio = outcomes["score"].median / outcomes["product"].median
    gib = outcomes["score"].peak_mib / 1024
    return [
        f"scoring n = {SCORING_N:,}: mm.score / feature product = {ratio:.2f} (target <= 10): "
        f"{verdict(ratio <= 10)}",
        f"scoring n = {SCORING_N:,}: peak {gib:.2f} GiB, the cohort included "
        f"(target < 1.5 GB): {verdict(gib * 2**30 / 1e9 < 1.5)}",
    ]


register(
    Family(
        key="scoring",
        title="Scoring",
        about=(
            "`mm.score(cohort)` of a random n x n cohort (`bench_scoring.synthetic_cohort`: "
            "every field known for 90% of people) against one float64 product of the "
            "cohort's feature matrices (n x ~40 @ ~40 x n, built before the clock starts): "
            "the size of the input scoring reads and of the table it writes. Not the same "
            "problem, so no objective check."
        ),
        size_label="n",
        sizes=(1000, 2000, SCORING_N, 10000),
        quick_sizes=(500, 2000),
        methods=(
            _scoring_method("score", "mm.score"),
            _scoring_method("product", "feature product f64"),
        ),
        same_problem=False,
        targets=_scoring_targets,
    )
)


# ---------------------------------------------------------------------------- stability


STABLE_LIST = 10
"""How many people of the other side each person ranks."""


def stable_cohort(n: int) -> tuple[Any, dict[str, list[str]]]:
    """``mm.synthetic_cohort(n, n, seed=1)`` without declared conflicts, everyone ranking
    :data:`STABLE_LIST` people of the other side at random (seed 0); and the lists by id."""
    import mentormatch as mm

    frame = mm.synthetic_cohort(n, n, seed=1).to_frame()
    rng = np.random.default_rng(0)
    mentors = frame.loc[frame["role"] == "mentor", "id"].tolist()
    mentees = frame.loc[frame["role"] == "mentee", "id"].tolist()
    lists = {i: rng.permutation(mentees)[:STABLE_LIST].tolist() for i in mentors}
    lists |= {j: rng.permutation(mentors)[:STABLE_LIST].tolist() for j in mentees}
    frame["preferences"] = frame["id"].map(lambda person: ";".join(lists[person]))
    frame["avoid"] = ""
    return mm.Cohort.from_frame(frame), lists


def prepare_stable(method: str, n: str, *, timeout: float) -> Prepared:
    """``mm.match(cohort, rules=[mm.Stable()])`` (``ours``), or the ``matching`` package's
    hospital-resident game on the same lists, mentee-optimal (``package``); both reported
    with the total of mentormatch's scores over their pairs."""
    import sys

    import mentormatch as mm

    cohort, lists = stable_cohort(int(n))
    matrix = mm.score(cohort).matrix

    def total(pairs: Sequence[tuple[str, str]]) -> float:
        mentors, mentees = zip(*pairs, strict=True) if pairs else ((), ())
        rows = matrix.index.get_indexer(pd.Index(mentors))
        columns = matrix.columns.get_indexer(pd.Index(mentees))
        return float(matrix.to_numpy()[rows, columns].sum())

    if method == "ours":

        def report(result: Any) -> dict[str, Any]:
            pairs = list(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))
            blocking = len(result.blocking_pairs())
            return {
                "objective": total(pairs),
                "status": result.status,
                "broken": f"{blocking} blocking pairs" if blocking else "",
                "note": f"{len(pairs)} pairs, solver {result.solver}",
            }

        return Prepared(run=lambda: mm.match(cohort, rules=[mm.Stable()]), report=report)

    from matching.games import HospitalResident  # type: ignore[import-untyped]

    mentors = set(matrix.index)
    capacity = {p.id: int(p.capacity) for p in cohort.mentors}

    def solve() -> Any:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 100_000))  # its deep copies recurse (n = 100)
        try:
            game = HospitalResident.create_from_dictionaries(
                {j: lists[j] for j in lists if j not in mentors},
                {i: lists[i] for i in lists if i in mentors},
                capacity,
                clean=True,
            )
            game.solve(optimal="resident")
        finally:
            sys.setrecursionlimit(limit)  # put back: an inline run shares the process
        return game

    def report_package(game: Any) -> dict[str, Any]:
        pairs = [(str(h.name), str(r.name)) for h, rs in game.matching.items() for r in rs]
        return {
            "objective": total(pairs),
            "broken": "" if game.check_stability() else "not stable",
            "note": f"{len(pairs)} pairs, mentee-optimal, total score {total(pairs):.6f}",
        }

    return Prepared(run=solve, report=report_package)


def _stable_method(key: str, label: str) -> Method:
    def skip(n: int) -> str | None:
        if key == "package" and importlib.util.find_spec("matching") is None:
            return "not installed: matching"
        return None

    return Method(key, label, lambda n: Task("cases", "prepare_stable", (key, str(n))), skip)


register(
    Family(
        key="stable",
        title="Stable pairings",
        about=(
            f"`mm.synthetic_cohort(n, n, seed=1)` (capacities 1-2), everyone ranking "
            f"{STABLE_LIST} people of the other side at random: `mm.match(cohort, "
            "rules=[mm.Stable()])`, the pairing of the largest total score with no blocking "
            "pair among people who ranked each other (exact, CP-SAT), against the "
            "`matching` package's hospital-resident game on the same lists "
            "(`HospitalResident.solve(optimal='resident')`, the mentee-optimal stable "
            "matching of Gale-Shapley; pairs only where both ranked). Not the same "
            "problem: mentormatch optimises the scores over every stable pairing, the "
            "package returns one stable matching; the objective column is mentormatch's "
            "total score of each answer, the check its stability."
        ),
        size_label="n",
        sizes=(20, 50, 100),
        quick_sizes=(10, 20),
        methods=(
            _stable_method("ours", "mm.match + Stable"),
            _stable_method("package", "matching HR"),
        ),
        same_problem=False,
    )
)


# ---------------------------------------------------------------------------- end to end


def e2e_rules() -> list[Any]:
    """The pilot's rules plus ``RegionQuota(max=3)``."""
    import mentormatch as mm

    return [*mm.pilot_rules(), mm.RegionQuota(max=3)]


def e2e_shape(people: int) -> tuple[int, int]:
    """Mentors and mentees of a cohort of ``people``: two mentors to three mentees."""
    mentors = people * 2 // 5
    return mentors, people - mentors


def phase_functions() -> dict[str, tuple[tuple[object, str], ...]]:
    """The functions ``mm.match`` spends its time in, by phase, as ``(owner, name)``.

    The one place the phases are named: when ``match`` calls other functions (or a
    ``timings`` field on the result makes this unnecessary), change it here. On the
    dense path ``score`` is ``PairScorer.of`` and ``Scores.of`` (the whole table),
    ``rules`` ``compile_rules``, ``solve`` ``Round.solve``, ``reasons`` ``result_of``;
    on the sparse path ``score`` is ``PairScorer.of`` (the people's features; pairs are
    scored block by block in the scan, within ``solve``), ``rules`` ``compile_sparse``,
    ``solve`` the rest of ``solve_large`` (scan, flow, certificate), ``reasons``
    ``_result``.
    """
    from mentormatch import matching, sparse
    from mentormatch.scoring import PairScorer, Scores

    return {
        "score": ((PairScorer, "of"), (Scores, "of")),
        "rules": ((matching, "compile_rules"), (sparse, "compile_sparse")),
        "solve": ((matching.Round, "solve"), (matching, "solve_large")),
        "reasons": ((matching, "result_of"), (matching, "_result")),
    }


@contextlib.contextmanager
def timed_phases(
    places: Mapping[str, Sequence[tuple[object, str]]],
) -> Iterator[dict[str, float]]:
    """While inside, every call of the named functions adds its own seconds to its phase
    (a timed call nested in another counts for its own phase, not twice). For functions
    called from one thread only."""
    seconds = dict.fromkeys(places, 0.0)
    nested: list[float] = []

    def timed(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            nested.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                seconds[phase] += elapsed - nested.pop()
                if nested:
                    nested[-1] += elapsed

        return call

    with contextlib.ExitStack() as stack:
        for phase, functions in places.items():
            for owner, name in functions:
                found = inspect.getattr_static(owner, name)
                if isinstance(found, classmethod):
                    replacement: Any = classmethod(timed(phase, found.__func__))
                else:
                    replacement = timed(phase, found)
                stack.enter_context(mock.patch.object(owner, name, replacement))
        yield seconds


def match_by_phase(
    path: Path, rules: Sequence[Any], **options: Any
) -> tuple[Any, dict[str, float]]:
    """``mm.read_cohort`` then ``mm.match(cohort, rules, **options)``, and the seconds of each
    phase (:func:`phase_functions`; ``other``: the rest of ``match``, its checks included)."""
    import mentormatch as mm

    start = time.perf_counter()
    cohort = mm.read_cohort(path)
    read = time.perf_counter() - start
    with timed_phases(phase_functions()) as seconds:
        start = time.perf_counter()
        result = mm.match(cohort, rules=rules, **options)
        total = time.perf_counter() - start
    return result, {"read": read, **seconds, "other": total - sum(seconds.values())}


def broken_rule(pairs: Any, quota: int, low: int, high: int) -> str:
    """What the pairs table breaks of the e2e rules that can be read off it, or ""."""
    if not low <= len(pairs) <= high:
        return f"{len(pairs)} pairs"
    if pairs["mentee_id"].duplicated().any():
        return "a mentee twice"
    if (pairs["mentor_organisation"] == pairs["mentee_organisation"]).any():
        return "a shared organisation"
    if len(pairs) and pairs["mentee_region"].str.casefold().value_counts().max() > quota:
        return "a region over its quota"
    return ""


def prepare_e2e(method: str, people: str, *, timeout: float) -> Prepared:
    """A synthetic cohort written once to CSV; the timed call reads it and pairs it, its
    phases timed (``phases``) or not (``match``)."""
    import mentormatch as mm

    scratch = Path(tempfile.mkdtemp(prefix="mm_e2e_"))
    path = scratch / "cohort.csv"
    mm.write_cohort(mm.synthetic_cohort(*e2e_shape(int(people)), seed=1), path)
    rules = e2e_rules()

    def whole() -> tuple[Any, dict[str, float]]:
        return mm.match(mm.read_cohort(path), rules=rules), {}

    def report(found: tuple[Any, dict[str, float]]) -> dict[str, Any]:
        result, phases = found
        return {
            "objective": result.objective,
            "status": result.status,
            "broken": broken_rule(result.pairs, 3, 8, 15),
            "note": f"{len(result.pairs)} pairs, solver {result.solver}",
            **({"phases": phases} if phases else {}),
        }

    run = partial(match_by_phase, path, rules) if method == "phases" else whole
    return Prepared(run=run, report=report, cleanup=partial(shutil.rmtree, scratch, True))


E2E_WHOLE_MAX = 5000
E2E_TIMEOUT = 300.0
"""Seconds per e2e run: the largest cohorts take minutes on 2 busy cores."""
E2E_TARGET = 200_000


def _e2e_task(method: str, people: int) -> Task:
    return Task("cases", "prepare_e2e", (method, str(people)))


def _e2e_whole_skip(people: int) -> str | None:
    return f"not run above {E2E_WHOLE_MAX:,} people" if people > E2E_WHOLE_MAX else None


def _e2e_targets(results: Results) -> list[str]:
    text = "100,000 x 100,000 (200,000 people) end to end < 60 s, < 8 GB, proven optimal"
    outcome = results.get(E2E_TARGET, {}).get("phases")
    if outcome is None or outcome.skipped:
        return [f"e2e {text}: not run (--sizes e2e=...,{E2E_TARGET})"]
    if not outcome.ran:
        return [f"e2e {text}: {outcome.failure}: FAIL"]
    gib, status = outcome.peak_mib / 1024, outcome.report["status"]
    ok = outcome.median < 60 and gib * 2**30 < 8e9 and status == "optimal"
    return [f"e2e {text}: {outcome.median:.1f} s, {gib:.2f} GiB, {status}: {verdict(ok)}"]


register(
    Family(
        key="e2e",
        title="End to end: `mm.match` on synthetic cohorts",
        about=(
            "`mm.synthetic_cohort` (two mentors to three mentees, seed 1) written once to "
            "CSV before the clock starts; the timed call reads it (`mm.read_cohort`) and "
            "pairs it with `mm.match` under the pilot's rules plus `RegionQuota(max=3)`, "
            "which takes its dense path up to `DENSE_CELLS` pairs (5,000 x 5,000) and its "
            "sparse path beyond (candidates, blockwise scan, flow, certificate; the "
            "solver note says which). *phase by phase* times the functions `match` calls "
            "(`benchmarks/cases.py: phase_functions`): `read` (`mm.read_cohort`), `score` "
            "(`PairScorer.of`, and `Scores.of` on the dense path; the sparse path scores "
            "pairs within `solve`), `rules` (`compile_rules` or `compile_sparse`), `solve`, "
            "`reasons` (the reasons and the result's tables), `other` (the rest: argument "
            f"checks, the candidates table); *mm.match*, up to {E2E_WHOLE_MAX:,} people, is "
            "the same call untimed inside, whose objective the phased run must equal. The "
            "check also reads the rules off the pairs table."
        ),
        size_label="people",
        sizes=(50, 500, 5000, 20_000, 100_000),
        quick_sizes=(50, 500),
        methods=(
            Method("phases", "phase by phase", partial(_e2e_task, "phases")),
            Method("match", "mm.match", partial(_e2e_task, "match"), _e2e_whole_skip),
        ),
        targets=_e2e_targets,
        timeout=E2E_TIMEOUT,
    )
)
