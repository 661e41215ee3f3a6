"""mentormatch: mentor-mentee pairing for leadership mentoring programmes.

Read a cohort, score compatibility, and pick the best pairs the programme's
rules allow, with proof of optimality and reasons in plain words.

Examples
--------
>>> import mentormatch as mm
>>> sorted(mm.__all__)[:2]
['Cohort', 'InfeasibleError']
"""

from mentormatch.cohort import Cohort
from mentormatch.errors import InfeasibleError, InputError
from mentormatch.intake import example_cohort, read_cohort, write_cohort

__all__ = [
    "Cohort",
    "InfeasibleError",
    "InputError",
    "example_cohort",
    "read_cohort",
    "write_cohort",
]
