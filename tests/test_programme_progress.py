"""Following the year: the meeting log read with row and column errors, and pairs falling behind.

The behind rule is checked on synthetic logs (a pair that stopped, a pair on track, the rule's
edges) and, on hypothesis logs, against the rule written out again from its words.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.programme._progress import kickoff, middle
from mentormatch.themes import catalogue

COHORT = mm.example_cohort()
RESULT = mm.match(COHORT)
PLAN = mm.plan_programme(RESULT, "2027-02-01", cohort=COHORT)
PAIRS = list(zip(PLAN.pairs["mentor_id"], PLAN.pairs["mentee_id"], strict=True))
KICKOFF = dt.date(2027, 2, 8)  # the first joint gathering of this plan


def planned(mentee: str) -> pd.DataFrame:
    return PLAN.meetings[PLAN.meetings["mentee_id"] == mentee]


def as_planned(mentee: str, until: dt.date) -> pd.DataFrame:
    """The pair's meetings held on their planned days, up to ``until``."""
    rows = planned(mentee)
    rows = rows[rows["start"].dt.date <= until]
    return pd.DataFrame(
        {"mentee_id": mentee, "date": rows["start"].dt.date, "mode": rows["mode"],
         "theme": rows["theme"]}
    )  # fmt: skip


def row(progress: pd.DataFrame, mentee: str) -> pd.Series:
    found = progress[progress["mentee_id"] == mentee]
    assert len(found) == 1
    return found.iloc[0]


def test_the_plan_s_kick_off_and_middle() -> None:
    joint = PLAN.events[PLAN.events["audience"] == "mentors and mentees"]
    assert kickoff(PLAN) == joint["start"].min().date() == KICKOFF
    assert middle(PLAN) == dt.date(2027, 8, 2)  # 2027-02-01 + 364 days / 2


def test_a_pair_that_stopped_and_a_pair_on_track() -> None:
    today = dt.date(2027, 9, 15)
    (_, going), (_, stopped) = PAIRS[0], PAIRS[1]
    kept = as_planned(going, today)
    quit_after = as_planned(stopped, today).iloc[:2]
    progress = PLAN.progress(pd.concat([kept, quit_after]), today=today)
    on_track, behind = row(progress, going), row(progress, stopped)
    assert not on_track["behind"] and on_track["reason"].startswith("on track")
    assert on_track["held"] == on_track["due"] == len(kept) >= 4
    assert on_track["planned"] == len(planned(going))
    assert behind["behind"] and behind["held"] == 2
    last = quit_after["date"].max()
    assert behind["last"] == last
    assert behind["weeks_since_last"] == round((today - last).days / 7, 1)
    assert f"(the last on {last.isoformat()})" in behind["reason"]
    assert f"2 of the {behind['due']} meetings planned so far held" in behind["reason"]
    themes = [t for t in kept["theme"] if t in catalogue()]
    assert on_track["themes_covered"] == ";".join(dict.fromkeys(themes))
    others = progress[~progress["mentee_id"].isin([going, stopped])]
    assert others["behind"].all() and (others["held"] == 0).all()
    assert set(progress.columns) >= {"mentor_id", "mentee_id", "held", "planned",
                                     "weeks_since_last", "themes_covered", "behind"}  # fmt: skip
    assert list(zip(progress["mentor_id"], progress["mentee_id"], strict=True)) == PAIRS


def test_the_rule_at_its_edges() -> None:
    mentee = PAIRS[0][1]
    first = dt.date(2027, 3, 1)
    log = pd.DataFrame({"mentee_id": [mentee], "date": [first]})

    def judged(today: dt.date, **rule: float) -> pd.Series:
        return row(PLAN.progress(log, today=today, **rule), mentee)

    assert not judged(first + dt.timedelta(days=70))["behind"]  # exactly 10 weeks: not yet
    assert judged(first + dt.timedelta(days=71))["behind"]
    assert not judged(first + dt.timedelta(days=71), quiet_weeks=11)["behind"]
    quiet = pd.DataFrame({"mentee_id": [], "date": []})
    assert not row(PLAN.progress(quiet, today=KICKOFF + dt.timedelta(days=70)), mentee)["behind"]
    assert row(PLAN.progress(quiet, today=KICKOFF + dt.timedelta(days=71)), mentee)["behind"]
    before = row(PLAN.progress(quiet, today=KICKOFF - dt.timedelta(days=1)), mentee)
    assert not before["behind"] and "from the kick-off" in before["reason"]
    # the pace: a pair meeting recently enough for quiet_weeks, but too seldom
    half = middle(PLAN)
    opening = as_planned(mentee, PLAN.end).iloc[:1]

    def twice(today: dt.date, **rule: float) -> pd.Series:
        recent = pd.DataFrame({"mentee_id": [mentee], "date": [today - dt.timedelta(days=7)]})
        return row(PLAN.progress(pd.concat([opening, recent]), today=today, **rule), mentee)

    early = twice(half - dt.timedelta(days=1))
    assert early["due"] >= 4 and not early["behind"]  # before the middle the pace does not count
    late = twice(half + dt.timedelta(days=40))
    assert late["due"] >= 5 and late["behind"] and "(under 50%)" in late["reason"]
    assert twice(half, pace=0.4)["behind"] == (0.4 * twice(half)["due"] > 2)
    assert twice(half, pace=0.9)["behind"]  # the middle day itself counts
    assert not twice(half + dt.timedelta(days=40), pace=0)["behind"]
    # a pair that has held all its meetings is never behind
    done = as_planned(mentee, PLAN.end)
    assert len(done) == len(planned(mentee))
    finished = row(PLAN.progress(done, today=PLAN.end), mentee)
    assert not finished["behind"] and finished["reason"].startswith("all")


def oracle(plan: mm.Plan, log: pd.DataFrame, today: dt.date, quiet: float, pace: float,
           mentee: str) -> bool:  # fmt: skip
    """The rule, written out again from its words."""
    dates = sorted(pd.to_datetime(log[log["mentee_id"] == mentee]["date"]).dt.date)
    scheduled = planned(mentee)["start"].dt.date.tolist()
    if len(dates) >= len(scheduled) or today < KICKOFF:
        return False
    quiet_since = dates[-1] if dates else KICKOFF
    silent = today - quiet_since > dt.timedelta(weeks=quiet)
    halfway = plan.start + (plan.end - plan.start) / 2
    due = len([d for d in scheduled if d <= today])
    slow = today >= halfway and len(dates) < pace * due
    return silent or slow


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    today=st.dates(dt.date(2027, 1, 15), dt.date(2028, 2, 15)),
    quiet=st.sampled_from([4, 8, 10, 12.5]),
    pace=st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]),
)
def test_the_flag_follows_the_rule_on_any_log(
    data: st.DataObject, today: dt.date, quiet: float, pace: float
) -> None:
    rows = []
    for _, mentee in PAIRS[:6]:
        days = [d for d in planned(mentee)["start"].dt.date if d <= today]
        kept = data.draw(st.lists(st.sampled_from(days), unique=True) if days else st.just([]))
        rows += [{"mentee_id": mentee, "date": d} for d in kept]
    log = pd.DataFrame(rows, columns=["mentee_id", "date"])
    progress = PLAN.progress(log, today=today, quiet_weeks=quiet, pace=pace)
    for _, mentee in PAIRS[:6]:
        found = row(progress, mentee)
        assert found["behind"] == oracle(PLAN, log, today, quiet, pace, mentee)
        assert found["held"] == (log["mentee_id"] == mentee).sum()
        assert found["due"] == (planned(mentee)["start"].dt.date <= today).sum()
    shuffled = log.sample(frac=1, random_state=random.Random(len(log)).randint(0, 99))
    again = PLAN.progress(shuffled, today=today, quiet_weeks=quiet, pace=pace)
    assert again.equals(progress)  # the log's row order does not matter


def test_every_log_problem_is_named_at_once(tmp_path: Path) -> None:
    (mentor, mentee), (other, _) = PAIRS[0], PAIRS[1]
    log = pd.DataFrame(
        [
            [mentor, mentee, "2027-03-01", "in person", "intro"],  # row 2: fine
            [None, "E999", "2027-03-02", "remote", "crisis"],  # row 3: no such pair
            [other, mentee, "2027-03-03", None, None],  # row 4: not the pair's mentor
            [None, mentee, "1. mars", "by bike", "Krisr"],  # row 5: date, mode, theme
            [None, None, None, None, None],  # row 6: blank, skipped but counted
            [None, mentee, "2027-09-01", None, None],  # row 7: after today
            [None, mentee, "2026-12-01", None, None],  # row 8: before the programme
            [None, mentee, "01.03.2027", None, None],  # row 9: the same day as row 2
            [None, "", "2027-03-04", None, None],  # row 10: no mentee
            [mentor, mentee, None, "remote", None],  # row 11: no date
            [None, mentee, "2027-06-01", "fysisk", None],  # row 12: held today: fine
            [None, mentee, "2028-02-02", None, None],  # row 13: after the programme
        ],
        columns=["mentor_id", "mentee_id", "date", "mode", "theme"],
    )
    path = tmp_path / "log.csv"
    log.to_csv(path, sep=";", index=False)
    with pytest.raises(mm.InputError) as error:
        PLAN.progress(path, today="2028-03-01")
    found = {(v.row, v.column) for v in error.value.violations}
    assert found == {
        (3, "mentee_id"), (4, "mentor_id"), (5, "date"), (5, "mode"), (5, "theme"),
        (8, "date"), (9, "date"), (10, "mentee_id"), (11, "date"), (13, "date"),
    }  # fmt: skip
    with pytest.raises(mm.InputError) as error:
        PLAN.progress(path, today="2027-06-01")
    assert (7, "date") in {(v.row, v.column) for v in error.value.violations}  # after today
    assert (12, "date") not in {(v.row, v.column) for v in error.value.violations}
    assert all(v.file == "log.csv" for v in error.value.violations)
    text = str(error.value)
    assert f"expected '{mentor}' or a blank cell" in text and "(row 2)" in text
    workbook = tmp_path / "old-plan.xlsx"
    with pd.ExcelWriter(workbook) as writer:  # a workbook without a log sheet
        PLAN.meetings.to_excel(writer, sheet_name="meetings", index=False)
        PLAN.events.to_excel(writer, sheet_name="events", index=False)
    with pytest.raises(
        mm.InputError, match=r"old-plan\.xlsx: no sheet 'log' .*'meetings', 'events'"
    ):
        PLAN.progress(workbook, today="2027-06-01")
    alone = tmp_path / "logg.xlsx"
    log.iloc[:1].to_excel(alone, sheet_name="Ark1", index=False)  # one sheet: whatever its name
    assert PLAN.progress(alone, today="2027-06-01")["held"].sum() == 1
    with pytest.raises(mm.InputError, match="missing the column 'date'"):
        PLAN.progress(pd.DataFrame({"mentee_id": [mentee], "when": ["2027-03-01"]}), "2027-06-01")


def test_modes_themes_and_dates_in_every_language() -> None:
    mentee = PAIRS[0][1]
    log = pd.DataFrame(
        {
            "Adept (mentee_id)": [mentee] * 6,
            "Datum (date)": [dt.datetime(2027, 2, 15, 10), "2027-03-01 14:00", "10.03.2027",
                             pd.Timestamp("2027-04-01"), dt.date(2027, 4, 20), "2027-05-03"],
            "Form (mode)": ["Fysiskt möte", " digitalt ", "Remote (video)", "fysisk",
                            "In person", None],
            "Tema (theme)": ["Introduksjon", "crisis/after", "Politisk turbulens",
                             "STRATEGY", "Avslutning", None],
            "anteckning": ["x"] * 6,
        }
    )  # fmt: skip
    progress = PLAN.progress(log, today="2027-06-01")
    found = row(progress, mentee)
    assert found["held"] == 6 and found["in_person"] == 3
    assert found["themes_covered"] == "crisis;political-turbulence;strategy"
    assert found["last"] == dt.date(2027, 5, 3)


def test_the_plan_workbook_has_the_log_sheet_to_fill_in(tmp_path: Path) -> None:
    plan = mm.plan_programme(RESULT, "2027-02-01", cohort=COHORT, language="nb")
    path = plan.to_excel(tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["log"]
    header = [c.value for c in sheet[1]]
    assert header == ["Mentor (mentor_id)", "Mentee (mentee_id)", "Dato (date)",
                      "Form (mode)", "Tema (theme)"]  # fmt: skip
    rules = {str(r.sqref)[0]: r for r in sheet.data_validations.dataValidation}
    low = (plan.start - dt.date(1899, 12, 30)).days
    high = (plan.end - dt.date(1899, 12, 30)).days
    assert (rules["C"].type, rules["C"].formula1, rules["C"].formula2) == (
        "date", str(low), str(high))  # fmt: skip
    lists = book["lists"]

    def values(letter: str) -> list[str]:
        cells = rules[letter].formula1.split("!")[1].replace("$", "")
        return [c.value for line in lists[cells] for c in line]

    assert values("B") == sorted(plan.pairs["mentee_id"])
    assert values("D") == ["Fysisk møte", "Digitalt møte"]
    assert values("E")[0].startswith("Introduksjon") and len(values("E")) == 11
    mentee = PAIRS[2][1]
    for number, (day, mode, theme) in enumerate(
        [(dt.date(2027, 2, 22), "Fysisk møte", values("E")[0]),
         (dt.date(2027, 4, 5), "Digitalt møte", values("E")[2])], start=2
    ):  # fmt: skip
        sheet.cell(number, 2, mentee)
        sheet.cell(number, 3, day)
        sheet.cell(number, 4, mode)
        sheet.cell(number, 5, theme)
    book.save(path)
    progress = plan.progress(path, today="2027-05-01")
    found = row(progress, mentee)
    assert found["held"] == 2 and found["themes_covered"] == "complex-inquiries"
    assert found["reason"].startswith("i rute")
    again = mm.read_plan(path).progress(path, today="2027-05-01")
    assert again.equals(progress)


def test_read_plan_gives_the_plan_back_and_names_damage(tmp_path: Path) -> None:
    path = PLAN.to_excel(tmp_path / "plan.xlsx")
    again = mm.read_plan(path)
    for name in ("mentor_id", "mentee_id", "number", "start", "end", "mode", "theme"):
        assert again.meetings[name].tolist() == PLAN.meetings[name].tolist(), name
    assert again.events[["kind", "audience", "start"]].equals(
        PLAN.events[["kind", "audience", "start"]]
    )
    pd.testing.assert_frame_equal(again.pairs, PLAN.pairs, rtol=1e-12)  # xlsx keeps 15 digits
    assert (again.start, again.end, again.language) == (PLAN.start, PLAN.end, PLAN.language)
    book = openpyxl.load_workbook(path)
    book["meetings"]["E5"] = "soon"  # the start of the fourth meeting
    book["events"]["D3"] = "later"
    del book["about"]
    book.save(tmp_path / "damaged.xlsx")
    with pytest.raises(mm.InputError, match="no sheet 'about'"):
        mm.read_plan(tmp_path / "damaged.xlsx")
    book.create_sheet("about").append(["setting", "value"])
    book["about"].append(["start", "2027-02-01"])
    book.save(tmp_path / "damaged.xlsx")
    with pytest.raises(mm.InputError) as error:
        mm.read_plan(tmp_path / "damaged.xlsx")
    found = {(v.file, v.row, v.column) for v in error.value.violations}
    assert found == {
        ("damaged.xlsx, sheet 'meetings'", 5, "start"),
        ("damaged.xlsx, sheet 'events'", 3, "start"),
    }
    book = openpyxl.load_workbook(path)
    about = book["about"]
    for cells in about.iter_rows(min_row=2):
        if cells[0].value == "language":
            cells[1].value = "de"
        if cells[0].value == "end":
            cells[0].value = "slutt"
    book.save(tmp_path / "settings.xlsx")
    with pytest.raises(mm.InputError) as error:
        mm.read_plan(tmp_path / "settings.xlsx")
    assert [v.message.split(":")[0] for v in error.value.violations] == [
        "setting 'end'", "setting 'language'"]  # fmt: skip
    with pytest.raises(mm.InputError, match=r"expected the plan's \.xlsx workbook"):
        mm.read_plan(tmp_path / "plan.csv")


def test_bad_arguments_are_named_at_once() -> None:
    with pytest.raises(mm.InputError) as error:
        PLAN.progress(pd.DataFrame(), today="2027-13-01", quiet_weeks=0, pace=2)
    assert {v.argument for v in error.value.violations} == {"today", "quiet_weeks", "pace"}
    with pytest.raises(mm.InputError) as error:
        PLAN.progress(42, today="2027-06-01")
    assert {v.argument for v in error.value.violations} == {"log"}


def test_today_is_the_current_date_by_default() -> None:
    today = dt.date.today()
    plan = mm.plan_programme(RESULT, today - dt.timedelta(days=120))
    mentee = plan.pairs["mentee_id"].iloc[0]
    held = today - dt.timedelta(days=3)
    found = row(plan.progress(pd.DataFrame({"mentee_id": [mentee], "date": [held]})), mentee)
    assert found["weeks_since_last"] == round(3 / 7, 1)
    tomorrow = pd.DataFrame({"mentee_id": [mentee], "date": [today + dt.timedelta(days=1)]})
    with pytest.raises(mm.InputError, match="after today"):
        plan.progress(tomorrow)


def test_progress_command_reads_the_plan_s_own_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = PLAN.to_excel(tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(path)
    book["log"].append([None, PAIRS[0][1], dt.date(2027, 2, 20)])
    book.save(path)
    out = tmp_path / "summary.html"
    assert main(["progress", str(path), "--today", "2027-03-01", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"written: {out}" in printed and "on track: 1 of the 1" in printed
    assert "Summary for the steering group" in out.read_text(encoding="utf-8")
    assert main(["progress", str(path), "--today", "2027-03-01", "--out", str(path)]) == 2
    assert (
        "'--out': expected a file name ending in .html or .htm, got 'plan.xlsx'"
        in capsys.readouterr().err
    )
    assert main(["progress", str(path), "--today", "2027-02-19"]) == 2
    assert "row 2, column 'date': the meeting is dated after today" in capsys.readouterr().err


def test_the_readme_s_following_the_year_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    part = readme.split("## Following the year")[1].split("\n## ")[0]
    code = part.split("```python\n")[1].split("```")[0]
    monkeypatch.chdir(tmp_path)
    PLAN.to_excel("plan.xlsx")
    namespace: dict[str, object] = {"mm": mm}
    exec(code, namespace)
    assert (tmp_path / "steering-q2.html").exists()
    table = namespace["table"]
    assert isinstance(table, pd.DataFrame) and table["behind"].all()  # an empty log
