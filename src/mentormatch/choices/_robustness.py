"""Robustness: how often each pair survives re-solves under perturbed criterion weights.

Each run multiplies every criterion weight by ``exp(noise * z)`` (``z`` standard
normal, so ``noise=0.1`` moves weights by about 10 %, never below 0), recombines
the criteria's scores as :func:`mm.score` does (the weighted mean, clipped to
[0, 1]), and solves the round again under its rules and objective. The weights are
drawn in logarithms and normalised there (:func:`perturbed`), so any finite noise
gives finite weights that sum to 1: a huge noise makes one criterion decide each
run, never a NaN score. Runs go through joblib, so any joblib backend runs them
unchanged::

    import joblib
    with joblib.parallel_config(backend="loky", n_jobs=2):     # local processes
        result.robustness(n=1000)
    # a Dask cluster: from dask.distributed import Client; client = Client(address)
    with joblib.parallel_config(backend="dask"):
        result.robustness(n=1000)
    # Ray: from ray.util.joblib import register_ray; register_ray()
    with joblib.parallel_config(backend="ray"):
        result.robustness(n=1000)

Each run has its own random stream, spawned from ``seed``, so the same seed gives
the same table whatever the backend, the number of workers or the order in which
runs finish. A progress bar (tqdm) appears when the runs take longer than two
seconds on a terminal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from numpy.typing import NDArray
from tqdm.auto import tqdm

from mentormatch.choices._changes import id_pairs, index_pairs, setup_of
from mentormatch.errors import InputError, Violation, check_number, gather
from mentormatch.matching import Round
from mentormatch.result import MatchResult

__all__ = ["MAX_RUNS", "perturbed", "robustness"]

_PROGRESS_AFTER = 2.0
"""Seconds before the progress bar shows."""
MAX_RUNS = 1_000_000
"""The most runs one call makes (each has its own random stream, held in memory)."""
MAX_JOBS = 2**31 - 1
"""The largest number of workers joblib is given (a C int)."""


def robustness(
    result: MatchResult,
    n: int = 200,
    noise: float = 0.1,
    seed: int = 0,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """How often each pair of the result survives ``n`` re-solves under perturbed weights.

    Parameters
    ----------
    result : MatchResult
        From :func:`mm.match`.
    n : int, default 200
        Runs, from 1 to :data:`MAX_RUNS`.
    noise : float, default 0.1
        Spread of the weights' multiplicative noise: any finite number >= 0 (0 re-solves
        the same round; beyond about 10, each run is decided by one criterion).
    seed : int, default 0
        The same seed gives the same table.
    n_jobs : int, optional
        Workers, as joblib counts them; ``None`` takes joblib's current setting (one,
        unless inside ``joblib.parallel_config``).

    Returns
    -------
    DataFrame
        One row per pair of the result: ``mentor_id``, ``mentee_id``, ``score``,
        ``survival`` (the share of runs that keep the pair, 0-1), most robust first.

    Examples
    --------
    >>> import mentormatch as mm
    >>> table = mm.match(mm.example_cohort()).robustness(n=5, noise=0.0)
    >>> table["survival"].tolist() == [1.0] * 15
    True
    """
    gather(
        {
            "n": lambda: _whole(n, "n", 1, MAX_RUNS),
            "noise": lambda: check_number(noise, "noise"),
            "seed": lambda: _whole(seed, "seed", 0),
            "n_jobs": lambda: None if n_jobs is None else _jobs(n_jobs),
        }
    )
    setup = setup_of(result)
    problem = setup.problem
    names = list(setup.scores.weights)
    weights = np.array([setup.scores.weights[name] for name in names])
    blocks = np.stack(
        [
            setup.scores.breakdown[name]
            .loc[list(problem.mentor_ids), list(problem.mentee_ids)]
            .to_numpy(dtype=np.float64)
            for name in names
        ]
    )
    streams = np.random.SeedSequence(seed).spawn(n)
    runs = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_run)(setup, blocks, weights, noise, stream) for stream in streams
    )
    kept: Counter[tuple[int, int]] = Counter()
    bar = tqdm(runs, total=n, delay=_PROGRESS_AFTER, desc="robustness", unit="run", disable=None)
    for pairs in bar:
        kept.update(pairs)
    chosen = index_pairs(setup, id_pairs(result))
    table = pd.DataFrame(
        {
            "mentor_id": [problem.mentor_ids[i] for i, _ in chosen],
            "mentee_id": [problem.mentee_ids[j] for _, j in chosen],
            "score": [float(problem.scores[pair]) for pair in chosen],
            "survival": [kept[pair] / n for pair in chosen],
        }
    )
    ordered = table.sort_values(
        ["survival", "mentor_id", "mentee_id"], ascending=[False, True, True]
    )
    return ordered.reset_index(drop=True)


def _run(
    setup: Round,
    blocks: NDArray[np.float64],
    weights: NDArray[np.float64],
    noise: float,
    stream: np.random.SeedSequence,
) -> list[tuple[int, int]]:
    """One re-solve under weights drawn from ``stream``: its pairs."""
    drawn = perturbed(weights, noise, np.random.default_rng(stream))
    matrix = np.clip(np.tensordot(drawn, blocks, axes=1), 0.0, 1.0)
    matrix.flags.writeable = False
    return setup.solve(replace(setup.problem, scores=matrix)).pairs


def perturbed(
    weights: NDArray[np.float64], noise: float, rng: np.random.Generator
) -> NDArray[np.float64]:
    """``weights * exp(noise * z)`` normalised to sum 1, ``z`` standard normal, computed in
    logarithms: finite and >= 0 for any finite ``noise`` >= 0 and weights >= 0 (not all 0).

    Examples
    --------
    >>> w = np.array([3.0, 1.0])
    >>> perturbed(w, 0.0, np.random.default_rng(0)).tolist()
    [0.75, 0.25]
    >>> [sorted(perturbed(w, noise, np.random.default_rng(0)).tolist())
    ...  for noise in (1e308, 5e-324)]
    [[0.0, 1.0], [0.25, 0.75]]
    """
    z = rng.standard_normal(len(weights))
    with np.errstate(divide="ignore", over="ignore"):  # log(0) = -inf; noise * -huge = -inf
        logs = np.log(weights)
        if noise <= 1:
            spread = logs + noise * z
            spread -= spread.max()
        else:  # over noise first, so that noise * z never overflows
            scaled = z + logs / noise
            spread = noise * (scaled - scaled.max())
    drawn = np.exp(spread)  # the largest is 1, the rest in [0, 1]
    normalised: NDArray[np.float64] = drawn / drawn.sum()
    return normalised


def _whole(value: object, argument: str, low: int, high: int | None = None) -> int:
    number = _integer(value)
    if number is not None and low <= number and (high is None or number <= high):
        return number
    bounds = f"from {low} to {high:,}" if high is not None else f">= {low}"
    raise InputError(
        Violation(f"expected a whole number {bounds}, got {value!r}", argument=argument)
    )


def _jobs(n_jobs: object) -> int:
    number = _integer(n_jobs)
    if number is not None and number != 0 and abs(number) <= MAX_JOBS:
        return number
    raise InputError(
        Violation(
            f"expected None or a whole number other than 0, from -{MAX_JOBS} to {MAX_JOBS} "
            f"(joblib's count: -1 is every core), got {n_jobs!r}",
            argument="n_jobs",
        )
    )


def _integer(value: object) -> int | None:
    """``value`` as an int when it is a whole number (not a bool), else ``None``."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return int(value)
    return None
