"""Robustness: how often each pair survives re-solves under perturbed criterion weights.

Each run multiplies every criterion weight by ``exp(noise * z)`` (``z`` standard
normal, so ``noise=0.1`` moves weights by about 10 %, never below 0), recombines
the criteria's scores as :func:`mm.score` does (the weighted mean, clipped to
[0, 1]), and solves the round again under its rules and objective. Runs go
through joblib, so any joblib backend runs them unchanged::

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

import math
from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from numpy.typing import NDArray
from tqdm.auto import tqdm

from mentormatch.choices._changes import id_pairs, index_pairs, setup_of
from mentormatch.errors import InputError, Violation
from mentormatch.matching import Round
from mentormatch.result import MatchResult

__all__ = ["robustness"]

_PROGRESS_AFTER = 2.0
"""Seconds before the progress bar shows."""


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
        Runs.
    noise : float, default 0.1
        Spread of the weights' multiplicative noise (0 re-solves the same round).
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
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InputError(Violation(f"expected a whole number >= 1, got {n!r}", argument="n"))
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not noise >= 0:
        raise InputError(Violation(f"expected a number >= 0, got {noise!r}", argument="noise"))
    if not math.isfinite(noise):
        raise InputError(Violation(f"expected a finite number, got {noise!r}", argument="noise"))
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(Violation(f"expected a whole number >= 0, got {seed!r}", argument="seed"))
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0
    ):
        raise InputError(
            Violation(
                f"expected None or a whole number other than 0, got {n_jobs!r}", argument="n_jobs"
            )
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
    rng = np.random.default_rng(stream)
    drawn = weights * np.exp(noise * rng.standard_normal(len(weights)))
    matrix = np.clip(np.tensordot(drawn / drawn.sum(), blocks, axes=1), 0.0, 1.0)
    matrix.flags.writeable = False
    return setup.solve(replace(setup.problem, scores=matrix)).pairs
