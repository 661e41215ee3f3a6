"""The steering group's quarterly summary: one self-contained HTML page (``Plan.report``).

As of a day: the meetings held against the plan, the pairs behind and why (by
the rule in words), every pair's progress, the meetings over time, the themes
covered, the gatherings and steering-group meetings held and coming, and the
budget when one is given. Pairs are named by their ids only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib import dates

from mentormatch.errors import InputError, Violation, gather
from mentormatch.programme._budget import Budget
from mentormatch.programme._html import (
    figure,
    new_figure,
    page,
    page_path,
    paragraphs,
    section,
    table,
)
from mentormatch.programme._html import write_page as _write
from mentormatch.programme._log import read_log
from mentormatch.programme._progress import checked, kickoff, middle, progress_table
from mentormatch.programme._texts import Language, check_language, say, theme_text

if TYPE_CHECKING:
    from mentormatch.programme._plan import Plan

__all__ = ["quarter", "steering_report"]

QUARTERS = 4


def quarter(plan: Plan, today: dt.date) -> tuple[int, dt.date, dt.date]:
    """The programme quarter (1-4) ``today`` falls in (the first before the start, the last
    after the end), with its first and last day.

    Examples
    --------
    >>> import mentormatch as mm
    >>> plan = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01")
    >>> quarter(plan, dt.date(2027, 6, 15))
    (2, datetime.date(2027, 5, 3), datetime.date(2027, 8, 1))
    """
    length = (plan.end - plan.start).days + 1
    elapsed = min(max((today - plan.start).days, 0), length - 1)
    number = max(q for q in range(QUARTERS) if q * length // QUARTERS <= elapsed)
    first = plan.start + dt.timedelta(days=number * length // QUARTERS)
    last = plan.start + dt.timedelta(days=(number + 1) * length // QUARTERS - 1)
    return number + 1, first, last


def _pairs_table(rows: pd.DataFrame, language: Language, *, reasons: bool) -> pd.DataFrame:
    shown: dict[str, object] = {
        say("mentor", language): rows["mentor_id"],
        say("mentee", language): rows["mentee_id"],
        say("held", language): rows["held"].astype(str),
        say("due", language): rows["due"].astype(str),
        say("planned", language): rows["planned"].astype(str),
        say("weeks since last", language): rows["weeks_since_last"].astype(float),
    }
    if reasons:
        shown[say("reason", language)] = rows["reason"]
    else:
        shown[say("theme", language)] = [
            ", ".join(theme_text(t, language) for t in covered.split(";") if t)
            for covered in rows["themes_covered"]
        ]
        shown[say("next planned", language)] = [
            "" if d is None else d.isoformat() for d in rows["next"]
        ]
    return pd.DataFrame(shown)


def _over_time(plan: Plan, held: pd.Series, today: dt.date, language: Language) -> str:
    """Cumulative meetings planned (all year) and held (up to today), and today's line when
    today is within the programme."""
    fig = new_figure(7.0, 3.2)
    ax = fig.subplots()
    planned = np.sort(plan.meetings["start"].dt.normalize().to_numpy())
    ax.step(planned, np.arange(1, len(planned) + 1), where="post", label=say("planned", language))
    days = np.sort(pd.to_datetime(pd.Series(held, dtype=object)).to_numpy())
    if len(days):
        ax.step(days, np.arange(1, len(days) + 1), where="post", label=say("held", language))
    if plan.start <= today <= plan.end:  # else the line would stretch the year out of sight
        now = float(dates.date2num(today))  # type: ignore[no-untyped-call]
        ax.axvline(now, color="#888", linestyle="--", label=say("today", language))
    ax.set_xlabel(say("date", language))
    ax.set_ylabel(say("cumulative", language))
    ax.set_title(say("meetings over time", language))
    ax.legend(loc="upper left", fontsize=7)
    fig.autofmt_xdate()
    return figure(fig)


def _themes(rows: pd.DataFrame, language: Language) -> str:
    counts = Counter(t for covered in rows["themes_covered"] for t in covered.split(";") if t)
    if not counts:
        return paragraphs(say("no themes yet", language), note=True)
    frame = pd.DataFrame(
        {
            say("theme", language): [theme_text(t, language) for t, _ in counts.most_common()],
            say("pairs", language): [str(k) for _, k in counts.most_common()],
        }
    )
    return paragraphs(say("themes covered text", language), note=True) + table(frame)


def _events(plan: Plan, today: dt.date, language: Language) -> pd.DataFrame:
    events = plan.events
    return pd.DataFrame(
        {
            say("date", language): [d.date().isoformat() for d in events["start"]],
            say("event", language): events["title"],
            say("status", language): [
                say("event held" if d.date() <= today else "event upcoming", language)
                for d in events["start"]
            ],
        }
    )


def budget_section(estimate: Budget, language: Language) -> str:
    """The budget as a table, with its assumptions in words."""
    settings = estimate.settings
    money = estimate.currency
    lines = estimate.lines
    frame = pd.DataFrame(
        {
            say("item", language): [say(f"budget {i}", language) for i in lines["item"]],
            "km": lines["km"],
            say("hours", language): lines["hours"],
            say("nights", language): lines["nights"],
            say("days", language): lines["days"],
            say("cost", language, currency=money): lines["cost"],
        }
    )
    assumptions = say(
        "budget assumptions",
        language,
        traveller=say(f"traveller {settings['traveller']}", language),
        place=estimate.place,
        detour=f"{settings['detour']:g}",
        speed=f"{settings['speed_kmh']:g}",
        night_km=f"{settings['night_km']:g}",
        cost_per_km=f"{settings['cost_per_km']:g}",
        hourly_cost=f"{settings['hourly_cost']:,.0f}",
        support_hourly_cost=f"{settings['support_hourly_cost']:,.0f}",
        night_cost=f"{settings['night_cost']:,.0f}",
        day_hours=f"{settings['day_hours']:g}",
        currency=money,
    )
    unpriced = settings["night_cost"] == 0 and lines["nights"].sum() > 0
    notes = [assumptions, say("nights not costed", language) if unpriced else ""]
    return table(frame, digits=0) + paragraphs(*notes, note=True)


def _budget(budget: object) -> Budget | None:
    if budget is None or isinstance(budget, Budget):
        return budget
    raise InputError(
        Violation(
            f"expected a mm.Budget (from plan.budget), got {type(budget).__name__}",
            argument="budget",
        )
    )


def steering_report(
    plan: Plan,
    path: str | Path,
    log: object,
    today: object = None,
    *,
    budget: Budget | None = None,
    language: str | None = None,
    quiet_weeks: float = 10,
    pace: float = 0.5,
) -> Path:
    """Write the steering group's quarterly summary as one self-contained HTML page.

    As of ``today``: the meetings held against the plan, the pairs behind
    and why (the rule of :meth:`progress`, in words), every pair's progress
    and themes covered, the meetings over time, the gatherings and
    steering-group meetings held and coming, and the budget when given.
    Pairs are named by their ids only.

    Parameters
    ----------
    path : str or Path
        The ``.html`` file to write.
    log, today, quiet_weeks, pace
        As for :meth:`progress`.
    budget : Budget, optional
        From :meth:`budget`: shown as a table with its assumptions.
    language : {"en", "sv", "nb"}, optional
        The page's language; default: the plan's.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, mentormatch as mm
    >>> cohort = mm.example_cohort()
    >>> plan = mm.plan_programme(mm.match(cohort), "2027-02-01", cohort=cohort, language="nb")
    >>> log = pd.DataFrame({"mentee_id": ["E016"], "date": ["2027-02-18"]})
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "styring.html"
    >>> path = plan.report(out, log, today="2027-06-01", budget=plan.budget())
    >>> "Sammendrag for styringsgruppen: programmets kvartal 2" in path.read_text("utf-8")
    True
    """
    found = gather(
        {
            "path": lambda: page_path(path),
            "language": lambda: plan.language if language is None else check_language(language),
            "budget": lambda: _budget(budget),
            "judge": lambda: checked(today, quiet_weeks, pace),
        }
    )
    code: Language = found["language"]
    day, rule = found["judge"]
    held = read_log(log, plan, day)
    rows = progress_table(plan, held, day, rule, code)
    number, first, last = quarter(plan, day)
    behind = rows[rows["behind"]]
    body = [
        section(
            say("summary", code),
            paragraphs(
                say(
                    "steering as of",
                    code,
                    today=day.isoformat(),
                    quarter=number,
                    first=first.isoformat(),
                    last=last.isoformat(),
                    start=plan.start.isoformat(),
                    end=plan.end.isoformat(),
                ),
                say(
                    "steering summary",
                    code,
                    held=int(rows["held"].sum()),
                    planned=int(rows["planned"].sum()),
                    due=int(rows["due"].sum()),
                    behind=len(behind),
                    pairs=len(rows),
                ),
            ),
            paragraphs(
                rule.describe(code, kickoff(plan), middle(plan)), say("ids only", code), note=True
            ),
        ),
        section(
            say("behind pairs", code),
            table(_pairs_table(behind, code, reasons=True), digits=1)
            if len(behind)
            else paragraphs(say("nobody behind", code)),
        ),
        section(say("meetings over time", code), _over_time(plan, held["date"], day, code)),
        section(say("all pairs", code), table(_pairs_table(rows, code, reasons=False), digits=1)),
        section(say("themes covered", code), _themes(rows, code)),
        section(say("events", code), table(_events(plan, day, code))),
        section(
            say("budget", code),
            budget_section(budget, code)
            if budget is not None
            else paragraphs(say("no budget", code), note=True),
        ),
    ]
    return _write(page(say("steering title", code, quarter=number), body, code), path)
