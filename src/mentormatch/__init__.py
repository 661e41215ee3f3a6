"""mentormatch: mentor-mentee pairing for leadership mentoring programmes.

Read a cohort, score compatibility, and pick the best pairs the programme's
rules allow, with proof of optimality and reasons in plain words.

Examples
--------
>>> import mentormatch as mm
>>> len(mm.match(mm.example_cohort()).pairs)
15
"""

from mentormatch.assignment import Assignment, assign
from mentormatch.choices import rematch
from mentormatch.cohort import Cohort
from mentormatch.errors import InfeasibleError, InputError
from mentormatch.intake import example_cohort, read_cohort, write_cohort
from mentormatch.matching import match
from mentormatch.result import MatchResult
from mentormatch.rules import (
    AvoidDeclared,
    AvoidSameOrganisation,
    DifferentRegion,
    Forbid,
    Lock,
    MaxDistance,
    NoRepeat,
    PairCount,
    Quota,
    RegionQuota,
    Rule,
    SameRegion,
    Stable,
    load_rules,
    pilot_rules,
    save_rules,
)
from mentormatch.scoring import Criterion, Scores, score

__all__ = [
    "Assignment",
    "AvoidDeclared",
    "AvoidSameOrganisation",
    "Cohort",
    "Criterion",
    "DifferentRegion",
    "Forbid",
    "InfeasibleError",
    "InputError",
    "Lock",
    "MatchResult",
    "MaxDistance",
    "NoRepeat",
    "PairCount",
    "Quota",
    "RegionQuota",
    "Rule",
    "SameRegion",
    "Scores",
    "Stable",
    "assign",
    "example_cohort",
    "load_rules",
    "match",
    "pilot_rules",
    "read_cohort",
    "rematch",
    "save_rules",
    "score",
    "write_cohort",
]
