"""Time mm.synthetic_cohort at 1,000, 10,000 and 100,000 people, split into drawing and validating.

Drawing is everything up to the table; validating is ``Cohort.from_frame`` on that
table (one pydantic profile per row), timed on the same table in the same run.
Prints medians over ``--repeat`` runs. Run from the repository root:

    .venv/bin/python benchmarks/bench_synthetic.py
"""

from __future__ import annotations

import argparse
from functools import partial
from typing import cast
from unittest import mock

import pandas as pd

import mentormatch as mm
from bench_scoring import median_seconds  # a script: its folder is on the path
from mentormatch.cohort import Cohort


def main() -> None:
    """Print one row per size: total, validation, and validation's share."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| people | synthetic_cohort (s) | of which Cohort.from_frame (s) | share |")
    print("| ---: | ---: | ---: | ---: |")
    for people in (1_000, 10_000, 100_000):
        make = partial(mm.synthetic_cohort, people * 2 // 5, people - people * 2 // 5, seed=1)
        with mock.patch.object(Cohort, "from_frame", side_effect=lambda frame: frame):
            table = cast(pd.DataFrame, make())  # what synthetic_cohort hands to from_frame
        total = median_seconds(make, args.repeat)
        validate = median_seconds(partial(Cohort.from_frame, table), args.repeat)
        print(f"| {people:,} | {total:.2f} | {validate:.2f} | {validate / total:.0%} |")


if __name__ == "__main__":
    main()
