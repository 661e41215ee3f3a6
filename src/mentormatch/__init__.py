"""mentormatch: mentor-mentee pairing for leadership mentoring programmes.

Read a cohort, score compatibility, and pick the best pairs the programme's
rules allow, with proof of optimality and reasons in plain words.

Examples
--------
>>> import mentormatch as mm
>>> len(mm.match(mm.example_cohort()).pairs)
15
>>> mm.__version__
'0.1.0'
"""

from importlib.metadata import version

from mentormatch.assignment import Assignment, assign
from mentormatch.choices import rematch
from mentormatch.cohort import Cohort
from mentormatch.errors import (
    CohortWarning,
    InfeasibleError,
    InputError,
    RuleWarning,
    TimeLimitError,
)
from mentormatch.intake import example_cohort, read_cohort, write_cohort
from mentormatch.matching import match
from mentormatch.programme import (
    Budget,
    Evaluation,
    Plan,
    evaluation_form,
    plan_programme,
    read_evaluation,
    read_plan,
    signup_sheet,
)
from mentormatch.result import MatchResult
from mentormatch.rules import (
    AvoidDeclared,
    AvoidNeighbours,
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
from mentormatch.synthetic import synthetic_cohort

__version__: str = version("mentormatch")
"""The installed package's version."""

__all__ = [
    "Assignment",
    "AvoidDeclared",
    "AvoidNeighbours",
    "AvoidSameOrganisation",
    "Budget",
    "Cohort",
    "CohortWarning",
    "Criterion",
    "DifferentRegion",
    "Evaluation",
    "Forbid",
    "InfeasibleError",
    "InputError",
    "Lock",
    "MatchResult",
    "MaxDistance",
    "NoRepeat",
    "PairCount",
    "Plan",
    "Quota",
    "RegionQuota",
    "Rule",
    "RuleWarning",
    "SameRegion",
    "Scores",
    "Stable",
    "TimeLimitError",
    "__version__",
    "assign",
    "evaluation_form",
    "example_cohort",
    "load_rules",
    "match",
    "pilot_rules",
    "plan_programme",
    "read_cohort",
    "read_evaluation",
    "read_plan",
    "rematch",
    "save_rules",
    "score",
    "signup_sheet",
    "synthetic_cohort",
    "write_cohort",
]
