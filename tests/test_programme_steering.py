"""The steering group's quarterly summary: its claims, no names, and rendered by a real browser."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.programme._steering import quarter
from test_programme_reports import render, self_contained

COHORT = mm.example_cohort()
RESULT = mm.match(COHORT)
TODAY = dt.date(2027, 9, 15)


def plan_and_log(language: str) -> tuple[mm.Plan, pd.DataFrame]:
    """A plan, and a log in which the first pair keeps to it and the others stop early."""
    plan = mm.plan_programme(RESULT, "2027-02-01", cohort=COHORT, language=language)
    meetings = plan.meetings[plan.meetings["start"].dt.date <= TODAY]
    first = plan.pairs["mentee_id"].iloc[0]
    kept = meetings[(meetings["mentee_id"] == first) | (meetings["number"] == 1)]
    log = kept.assign(date=kept["start"].dt.date)[["mentee_id", "date", "mode", "theme"]]
    return plan, log


def text_of(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_summary_renders_in_a_browser(language: str, tmp_path: Path) -> None:
    plan, log = plan_and_log(language)
    estimate = plan.budget(place="Trondheim")
    path = plan.report(tmp_path / "summary.html", log, TODAY, budget=estimate)
    assert list(tmp_path.iterdir()) == [path]
    page = path.read_text(encoding="utf-8")
    self_contained(page)
    assert f'<html lang="{language}">' in page and page.count("<svg") == 1
    for person in COHORT.profiles:
        assert str(person.name) not in page  # ids only
    _, pdf = render(path, tmp_path)
    assert len(re.findall(rb"/Type /Page\b", pdf.read_bytes())) >= 2


def test_summary_says_what_the_progress_and_budget_say(tmp_path: Path) -> None:
    plan, log = plan_and_log("en")
    progress = plan.progress(log, TODAY)
    estimate = plan.budget(place=(63.43, 10.39), night_cost=1200)
    text = text_of(plan.report(tmp_path / "s.html", log, TODAY, budget=estimate))
    behind = progress[progress["behind"]]
    assert len(behind) == len(progress) - 1 >= 10
    assert (
        f"{progress['held'].sum()} of the {progress['planned'].sum()} meetings in the plan have "
        f"been held ({progress['due'].sum()} were planned up to today); {len(behind)} of the "
        f"{len(progress)} pairs are behind."
    ) in text
    section = text.split("<h2>Pairs behind</h2>")[1].split("<h2>")[0]
    for reason in behind["reason"]:
        assert reason in section
    assert progress["mentee_id"].iloc[0] not in section  # the pair on track is not listed
    assert "no meeting for more than 10 weeks" in text and "fewer than 50%" in text
    assert "quarter 3 of the programme" in text and "As of 2027-09-15" in text
    assert f"{estimate.total:,.0f}" in text and "63.4300, 10.3900" in text
    assert "1,200 NOK per night away" in text and "not costed" not in text
    held_events = (plan.events["start"].dt.date <= TODAY).sum()
    assert text.count("<td>held</td>") == held_events
    assert text.count("<td>upcoming</td>") == len(plan.events) - held_events
    that_day = plan.events["start"].dt.date.iloc[4]  # an event on the day itself counts as held
    on_the_day = text_of(plan.report(tmp_path / "d.html", log.iloc[:0], that_day))
    assert on_the_day.count("<td>held</td>") == 5
    strict = text_of(plan.report(tmp_path / "t.html", log, TODAY, quiet_weeks=52, pace=0))
    assert "0 of the 15 pairs are behind" in strict and "No pair is behind." in strict
    assert "No budget in this summary" in strict


def test_summary_in_another_language_than_the_plan(tmp_path: Path) -> None:
    plan, log = plan_and_log("nb")
    text = text_of(plan.report(tmp_path / "s.html", log, TODAY, language="sv"))
    assert "Sammanfattning för styrgruppen" in text and "inget möte på" in text
    assert plan.progress(log, TODAY)["reason"].str.contains("ingen møter på").any()


def test_quarters_of_the_programme() -> None:
    plan, _ = plan_and_log("en")
    assert quarter(plan, dt.date(2026, 1, 1)) == (1, plan.start, dt.date(2027, 5, 2))
    assert quarter(plan, dt.date(2027, 5, 2))[0] == 1
    assert quarter(plan, dt.date(2027, 5, 3))[0] == 2
    assert quarter(plan, plan.end) == (4, dt.date(2027, 11, 1), plan.end)
    assert quarter(plan, dt.date(2030, 1, 1))[0] == 4
    starts = [quarter(plan, plan.start + dt.timedelta(days=d))[1] for d in range(365)]
    steering = plan.events[plan.events["kind"] == "steering group"]["start"].dt.date
    assert [quarter(plan, d)[0] for d in steering] == [1, 2, 3, 4]  # one meeting a quarter
    assert len(set(starts)) == 4


def test_bad_arguments_are_named_at_once(tmp_path: Path) -> None:
    plan, log = plan_and_log("en")
    with pytest.raises(mm.InputError) as error:
        plan.report(tmp_path / "s.htm1", log, "someday", budget="big",  # type: ignore[arg-type]
                    language="fi", pace=-1)  # fmt: skip
    named = {v.argument for v in error.value.violations}
    assert named == {"path", "today", "budget", "language", "pace"}
    with pytest.raises(mm.InputError, match=r"ending in \.html"):
        plan.report(tmp_path / "s.pdf", log, TODAY)
    with pytest.raises(mm.InputError, match=r"s\.html: cannot write the file"):
        plan.report(tmp_path / "missing" / "s.html", log, TODAY)
    with pytest.raises(mm.InputError, match=r"b\.xlsx: cannot write the file"):
        plan.budget().to_excel(tmp_path / "missing" / "b.xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("today", [dt.date(9998, 12, 31), dt.date(1, 1, 1)])
def test_a_day_far_from_the_programme_draws_the_year_alone(today: dt.date, tmp_path: Path) -> None:
    """Today's line is drawn only within the programme; far off, it stretched the chart past
    the calendar's end (a matplotlib error)."""
    plan, log = plan_and_log("en")
    log = log.iloc[:0] if today < plan.start else log
    text = text_of(plan.report(tmp_path / "s.html", log, today))
    assert f"{today.isoformat()}" in text
    with pytest.raises(mm.InputError, match=r"argument 'today': expected a date by 9998-12-31"):
        plan.report(tmp_path / "s.html", log, dt.date(9999, 1, 1))
