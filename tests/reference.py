"""Public reference instances, read in place from the shared folder beside the checkout.

CI has ``../shared``; the package never reads it. OR-Library's assignment instances
(J.E. Beasley) and other projects' test data (``peers/``, see its SOURCES.md).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"
ORLIB = SHARED / "orlib"


def orlib_optima() -> dict[str, Any]:
    """The published optima (minimum total cost), ``dense`` and ``sparse_forbidden_missing``."""
    optima: dict[str, Any] = json.loads((ORLIB / "optima.json").read_text(encoding="utf-8"))
    return optima


def read_orlib(name: str) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """An instance's cost matrix and its allowed pairs (sparse files list the allowed ones).

    Dense files hold ``n`` then n*n costs row by row; sparse ones ``n`` then lines ``i j c``
    (1-based).
    """
    numbers = (ORLIB / f"{name}.txt").read_text(encoding="ascii").split()
    n = int(numbers[0])
    if name.startswith("assignp"):
        cells = np.array(numbers[1:], dtype=np.int64).reshape(-1, 3)
        cost = np.zeros((n, n))
        allowed = np.zeros((n, n), dtype=bool)
        cost[cells[:, 0] - 1, cells[:, 1] - 1] = cells[:, 2]
        allowed[cells[:, 0] - 1, cells[:, 1] - 1] = True
        return cost, allowed
    return np.array(numbers[1:], dtype=float).reshape(n, n), np.ones((n, n), dtype=bool)


def lap_cost_eps() -> tuple[NDArray[np.float64], float]:
    """lap's ``cost_eps`` matrix (368 x 368, stresses epsilon handling) and its minimum cost
    of a perfect assignment (gatagat/lap, BSD-2-Clause; see peers/SOURCES.md)."""
    with gzip.open(SHARED / "peers" / "lap" / "cost_eps.csv.gz", "rt", encoding="ascii") as file:
        cost = np.loadtxt(file, delimiter=",")
    return cost, 224.8899507294651
