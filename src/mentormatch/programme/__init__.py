"""After the pairing: the programme year, its evaluation, and the reports people read.

``plan_programme`` turns a round's pairs into a year of meetings and events
(:class:`Plan`, with Excel, iCalendar and agenda exports);
``evaluation_form`` and ``read_evaluation`` hand out and read back the
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

from mentormatch.programme._evaluation import Evaluation, evaluation_form, read_evaluation
from mentormatch.programme._plan import Plan, plan_programme
from mentormatch.programme._report import round_report
from mentormatch.programme._texts import LANGUAGES, Question, questions

__all__ = [
    "LANGUAGES",
    "Evaluation",
    "Plan",
    "Question",
    "evaluation_form",
    "plan_programme",
    "questions",
    "read_evaluation",
    "round_report",
]
