"""Which scoring criteria went with good outcomes, how sure we can be, and the weights to try next.

With 8-15 pairs an evaluation is a small sample, so every figure carries its
uncertainty and the proposal says when the data cannot tell:

- The outcome of a pair is the mean of its answers to the questions about the
  pair. It is related to the pair's criterion values (``result.pairs``) by a
  ridge regression on standardised criteria (scikit-learn); a criterion's
  *effect* is the rating points a pair scoring 1 rather than 0 on it gets,
  other criteria equal. Its 90% interval is a bootstrap over pairs (scipy).
- Whether the criteria together explain the outcomes better than chance is a
  permutation test of the fit's R² (scipy). Unless p <= 0.10, the current
  weights stay: with six criteria, one interval in two would clear zero by
  chance alone, so single intervals are not enough.
- Otherwise the criteria whose interval is clear of zero move towards the
  outcomes' shares (positive effects, normalised) by ``n / (n + prior_pairs)``
  of the way: the current weights count as much as ``prior_pairs`` pairs of
  evidence, so 15 pairs move them a third of the way and 400 pairs nearly all
  the way. The other criteria keep their weight (then all are rescaled to
  sum to 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

__all__ = ["ALPHA", "LEVEL", "PRIOR_PAIRS", "WeightAnalysis", "analyse"]

LEVEL = 0.90
"""The confidence level of every interval."""

ALPHA = 0.10
"""The permutation test's p-value at or below which the weights move."""

PRIOR_PAIRS = 30
"""How many pairs of evidence the current weights count as."""

Conclusion = Literal["few", "noise", "unclear", "move"]


@dataclass(frozen=True)
class WeightAnalysis:
    """The criteria against the outcomes, and the proposal.

    Attributes
    ----------
    table : DataFrame
        One row per criterion: ``criterion``, ``current`` (weight),
        ``effect``, ``low``, ``high`` (its 90% interval), ``verdict``
        (``"better"``, ``"worse"``, ``"cannot tell"`` or ``"no variation"``),
        ``proposed`` (weight).
    proposed : dict of str to float
        The proposed weights, summing to 1 (rounded to two decimals).
    pairs : int
        The pairs with an outcome.
    p_value : float
        The permutation test's p-value (NaN when too few pairs).
    conclusion : {"few", "noise", "unclear", "move"}
        Why the weights moved or stayed.
    share : float
        How far the weights moved towards the outcomes' shares (0 when they stayed).
    """

    table: pd.DataFrame
    proposed: dict[str, float]
    pairs: int
    p_value: float
    conclusion: Conclusion
    share: float


def _effects(values: NDArray[np.float64], outcome: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rating points per unit of each criterion, from a ridge fit on standardised criteria."""
    model = make_pipeline(StandardScaler(), Ridge(alpha=1.0)).fit(values, outcome)
    scaler, ridge = model[0], model[1]
    effects: NDArray[np.float64] = ridge.coef_ / scaler.scale_
    return effects


def _r2(values: NDArray[np.float64]) -> Any:
    """The fit's R² of each outcome vector (vectorised over leading axes, as scipy asks)."""

    def statistic(outcome: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
        y = np.moveaxis(np.atleast_2d(outcome), axis, -1).reshape(-1, values.shape[0]).T
        model = make_pipeline(StandardScaler(), Ridge(alpha=1.0)).fit(values, y)
        fitted = model.predict(values).reshape(y.shape)
        residual = ((y - fitted) ** 2).sum(axis=0)
        total = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
        r2 = 1 - residual / np.where(total > 0, total, 1)
        shape = np.shape(outcome)[:-1]
        return np.asarray(r2.reshape(shape) if shape else r2[0], dtype=np.float64)

    return statistic


def analyse(
    criteria: pd.DataFrame,
    outcome: pd.Series,
    current: Mapping[str, float],
    *,
    seed: int = 0,
    n_boot: int = 1000,
    prior_pairs: int = PRIOR_PAIRS,
) -> WeightAnalysis:
    """Relate outcomes to criteria over the pairs, with intervals, and propose weights.

    Parameters
    ----------
    criteria : DataFrame
        One row per pair with an outcome, one column per criterion (values in [0, 1]).
    outcome : Series
        The pairs' outcomes, aligned with ``criteria``.
    current : mapping of str to float
        The weights used for the round (normalised to sum to 1).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> values = pd.DataFrame(rng.random((200, 3)), columns=["a", "b", "c"])
    >>> outcome = 1 + 4 * (0.6 * values["a"] + 0.3 * values["b"] + 0.1 * values["c"])
    >>> result = analyse(values, outcome, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, n_boot=200)
    >>> result.conclusion, result.proposed
    ('move', {'a': 0.57, 'b': 0.3, 'c': 0.13})
    """
    names = list(current)
    n = len(outcome)
    spread = criteria[names].std(axis=0, ddof=0) if n else pd.Series(0.0, index=names)
    varying = [c for c in names if spread[c] > 1e-9]
    table = pd.DataFrame(
        {"criterion": names, "current": [float(current[c]) for c in names]}
    ).set_index("criterion")
    table[["effect", "low", "high"]] = np.nan
    table["verdict"] = "no variation"
    needed = max(5, len(varying) + 3)
    if n < needed or not varying:
        return _result(table, n, np.nan, "few", 0.0)
    values = criteria[varying].to_numpy(dtype=np.float64)
    y = outcome.to_numpy(dtype=np.float64)
    effects = _effects(values, y)
    boot = stats.bootstrap(
        (np.arange(n),),
        lambda rows: _effects(values[rows.astype(int)], y[rows.astype(int)]),
        vectorized=False,
        n_resamples=n_boot,
        confidence_level=LEVEL,
        method="percentile",
        rng=seed,
    )
    table.loc[varying, "effect"] = effects
    table.loc[varying, "low"] = boot.confidence_interval.low
    table.loc[varying, "high"] = boot.confidence_interval.high
    table.loc[varying, "verdict"] = [
        "better" if lo > 0 else "worse" if hi < 0 else "cannot tell"
        for lo, hi in zip(table.loc[varying, "low"], table.loc[varying, "high"], strict=True)
    ]
    test = stats.permutation_test(
        (y,),
        _r2(values),
        permutation_type="pairings",
        vectorized=True,
        n_resamples=999,
        alternative="greater",
        rng=seed,
    )
    p_value = float(test.pvalue)
    if p_value > ALPHA:
        return _result(table, n, p_value, "noise", 0.0)
    clear = table.index[table["verdict"].isin(["better", "worse"])]
    if clear.empty:
        return _result(table, n, p_value, "unclear", 0.0)
    positive = pd.Series(np.clip(effects, 0, None), index=varying)
    mass = table.loc[varying, "current"].sum()
    target = mass * positive / positive.sum() if positive.sum() > 0 else positive
    share = n / (n + prior_pairs)
    proposed = table["current"].copy()
    proposed[clear] = (1 - share) * proposed[clear] + share * target[clear]
    table["proposed"] = proposed / proposed.sum()
    return _result(table, n, p_value, "move", share)


def _result(
    table: pd.DataFrame,
    pairs: int,
    p_value: float,
    conclusion: Conclusion,
    share: float,
) -> WeightAnalysis:
    if conclusion != "move":
        table["proposed"] = table["current"]
    proposed = {str(c): round(float(w), 2) for c, w in table["proposed"].items()}
    return WeightAnalysis(
        table=table.reset_index(),
        proposed=proposed,
        pairs=pairs,
        p_value=p_value,
        conclusion=conclusion,
        share=share,
    )
