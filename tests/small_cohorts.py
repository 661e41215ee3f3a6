"""Small random cohorts with preferences, for tests that check results by brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd

import mentormatch as mm

REGIONS = ("Nordland", "Troms", "Dalarna")


def small_cohort(seed: int, mentors: int, mentees: int, ranked: float = 0.6) -> mm.Cohort:
    """``mentors`` x ``mentees`` people; each ranks a random share ``ranked`` of the other
    side in random order; countries NO/SE, levels, regions and capacities 1-2 at random."""
    rng = np.random.default_rng(seed)
    mentor_ids = [f"m{i}" for i in range(mentors)]
    mentee_ids = [f"e{j}" for j in range(mentees)]
    rows = []
    for role, ids, others in (
        ("mentor", mentor_ids, mentee_ids),
        ("mentee", mentee_ids, mentor_ids),
    ):
        for person in ids:
            listed = [o for o in rng.permutation(others).tolist() if rng.random() < ranked]
            rows.append(
                {
                    "id": person,
                    "role": role,
                    "organisation": f"org{rng.integers(0, 4)}",
                    "region": str(rng.choice(REGIONS)),
                    "country": str(rng.choice(["NO", "SE"])),
                    "level": str(rng.choice(["municipality", "county"])),
                    "years_in_role": float(rng.integers(0, 20)),
                    "capacity": int(rng.integers(1, 3)) if role == "mentor" else 1,
                    "preferences": ";".join(listed),
                }
            )
    return mm.Cohort.from_frame(pd.DataFrame(rows))
