"""Around the pairing: the sign-up sheet, the programme year, its evaluation, and the reports.

``signup_sheet`` writes the workbook candidates fill in (``mm.read_cohort``
reads it as it is); ``plan_programme`` turns a round's pairs into a year of
meetings and events (:class:`Plan`, with Excel, iCalendar and agenda exports,
``Plan.progress`` against the meetings logged, ``Plan.budget`` (:class:`Budget`)
and ``Plan.report``, the steering group's quarterly page; ``read_plan`` reads
the plan's workbook back); ``evaluation_form`` and ``read_evaluation`` hand out and read back the
programme's questionnaire (:class:`Evaluation`, with a weight proposal for the
next round); ``round_report`` writes the secretariat's page of a round (it is
``MatchResult.report``). All text is in English, Swedish or Norwegian bokmål.

Examples
--------
>>> import mentormatch as mm
>>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
>>> sorted(plan.events["kind"].unique())
['gathering', 'steering group']
"""

from mentormatch.programme._budget import Budget
from mentormatch.programme._evaluation import Evaluation, evaluation_form, read_evaluation
from mentormatch.programme._plan import Plan, plan_programme
from mentormatch.programme._read_plan import read_plan
from mentormatch.programme._report import round_report
from mentormatch.programme._signup import signup_sheet
from mentormatch.programme._texts import LANGUAGES, Question, questions

__all__ = [
    "LANGUAGES",
    "Budget",
    "Evaluation",
    "Plan",
    "Question",
    "evaluation_form",
    "plan_programme",
    "questions",
    "read_evaluation",
    "read_plan",
    "round_report",
    "signup_sheet",
]
