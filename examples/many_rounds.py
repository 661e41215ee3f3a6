# %% [markdown]
# # Many rounds at once: seeds and weights through joblib
#
# A researcher asks how much the pairing depends on who signs up and on the
# weights: each round is a synthetic cohort (fictional people, real Norwegian
# and Swedish municipalities) paired under the pilot's rules. The rounds are
# independent, so joblib runs them side by side; the same code runs on a Dask
# or Ray cluster by changing only the backend (see the last cell). Run it as a
# script (`python examples/many_rounds.py [ROUNDS]`) or as a notebook.

# %%
import sys

import joblib
import pandas as pd

import mentormatch as mm

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
weightings = {
    "default": None,
    "themes first": {"themes": 6.0},
}


# %% [markdown]
# ## 1. One round, as a plain function
# It returns a small row, not the whole result: what travels back from a worker
# (or a cluster node) stays small, and no profile leaves it.


# %%
def one_round(seed: int, weighting: str) -> dict[str, object]:
    cohort = mm.synthetic_cohort(60, 90, seed=seed)
    rules = [*mm.pilot_rules(), mm.AvoidNeighbours()]
    result = mm.match(cohort, rules=rules, weights=weightings[weighting], seed=seed)
    return {
        "seed": seed,
        "weighting": weighting,
        "pairs": len(result.pairs),
        "objective": result.objective,
        "worst pair": result.pairs["score"].min(),
        "status": result.status,
    }


# %% [markdown]
# ## 2. Every round through joblib
# `n_jobs=2` uses both cores of a small machine; each round is deterministic for
# its seed, so the table is the same with any number of workers.

# %%
tasks = [(seed, weighting) for seed in range(rounds) for weighting in weightings]
rows = joblib.Parallel(n_jobs=2)(joblib.delayed(one_round)(*task) for task in tasks)
table = pd.DataFrame(rows)
print(table.groupby("weighting")[["objective", "worst pair"]].describe().round(3).T)

# %% [markdown]
# ## 3. On a cluster
# joblib's backends run the same call elsewhere, unchanged:
#
# ```python
# from dask.distributed import Client          # pip install "dask[distributed]"
# client = Client("tcp://scheduler:8786")
# with joblib.parallel_config(backend="dask"):
#     rows = joblib.Parallel()(joblib.delayed(one_round)(*task) for task in tasks)
#
# from ray.util.joblib import register_ray     # pip install ray
# register_ray()
# with joblib.parallel_config(backend="ray"):
#     rows = joblib.Parallel()(joblib.delayed(one_round)(*task) for task in tasks)
# ```
