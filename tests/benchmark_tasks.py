"""Tasks for the worker processes of ``test_benchmarks.py``: light to import, so a worker
starts fast (``benchmarks/harness.py`` runs ``module.function(*args, timeout=...)``)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from harness import Prepared


def sleep_for(seconds: str, *, timeout: float) -> Prepared:
    """Sleeps ``seconds``."""
    return Prepared(run=lambda: time.sleep(float(seconds)), report=lambda _: {})


def allocate(mib: str, *, timeout: float) -> Prepared:
    """Fills an array of ``mib`` MiB and reports its size."""

    def report(array: NDArray[np.float64]) -> dict[str, Any]:
        return {"note": f"{array.nbytes} bytes"}

    return Prepared(run=lambda: np.ones(int(mib) * 2**17), report=report)
