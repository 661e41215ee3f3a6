"""The programme plan: its invariants, its exports re-read, and its refusals of bad input."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import holidays
import icalendar
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.programme._ics import uid
from mentormatch.themes import catalogue

COHORT = mm.example_cohort()
RESULT = mm.match(COHORT)
START = dt.date(2027, 2, 1)


@pytest.fixture(scope="module")
def plan() -> mm.Plan:
    return mm.plan_programme(RESULT, START, cohort=COHORT)


def _main(entries: tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    for entry in entries:
        key = entry.split("/")[0]
        if key not in seen:
            seen.append(key)
    return seen


def _expected_themes(mentor_id: str, mentee_id: str, middle: int) -> list[str]:
    """Written out independently: sought-and-offered, sought-only, the catalogue's rest, cycled."""
    sought = _main(COHORT[mentee_id].themes)
    offered = set(_main(COHORT[mentor_id].themes))
    order = [k for k in sought if k in offered]
    order += [k for k in sought if k not in offered]
    order += [k for k in catalogue() if k not in order]
    return [order[i % len(order)] for i in range(middle)]


def _closed(day: dt.date, countries: set[str]) -> bool:
    return (
        day.weekday() >= 5
        or day.month == 7
        or (day.month, day.day) >= (12, 20)
        or (day.month, day.day) <= (1, 6)
        or any(day in holidays.country_holidays(c, years=day.year) for c in countries)
    )


def check_plan(plan: mm.Plan, lo: int, hi: int, remote_km: float = 300.0) -> None:
    """Every invariant of a plan made from RESULT with COHORT."""
    meetings, events = plan.meetings, plan.events
    gatherings = events[events["kind"] == "gathering"]
    gathering_days = set(gatherings["start"].dt.date)
    joint = gatherings[gatherings["audience"] == "mentors and mentees"]["start"].dt.date.tolist()
    pairs = RESULT.pairs.set_index("mentee_id")
    assert set(meetings["mentee_id"]) == set(pairs.index)
    for mentee_id, rows in meetings.groupby("mentee_id"):
        pair = pairs.loc[mentee_id]
        assert (rows["mentor_id"] == pair["mentor_id"]).all()
        count = len(rows)
        sought = len(_main(COHORT[str(mentee_id)].themes))
        assert count == min(max(2 + sought, lo), hi)
        assert rows["number"].tolist() == list(range(1, count + 1))
        assert (rows["count"] == count).all()
        modes = rows["mode"].tolist()
        assert modes[0] == modes[-1] == "in person"
        far = pair["distance_km"] > remote_km
        assert modes[1:-1] == ["remote" if far else "in person"] * (count - 2)
        themes = rows["theme"].tolist()
        assert themes[0] == "intro" and themes[-1] == "kick-out"
        assert themes[1:-1] == _expected_themes(pair["mentor_id"], str(mentee_id), count - 2)
        for part in ("follow_up", "challenge", "deep_dive", "title", "where"):
            assert rows[part].str.len().gt(5).all(), part
        days = rows["start"].dt.date.tolist()
        assert days == sorted(days) and len(set(days)) == count
        countries = {COHORT[str(mentee_id)].country, COHORT[pair["mentor_id"]].country}
        for day in days:
            assert plan.start <= day <= plan.end
            assert not _closed(day, {c for c in countries if c})
            assert day not in gathering_days
            if len(joint) > 1:
                assert joint[0] < day < joint[-1]
        hours = (rows["end"] - rows["start"]).dt.total_seconds() / 3600
        assert hours.between(1, 3).all()
        zone = {"NO": "Europe/Oslo", "SE": "Europe/Stockholm"}[COHORT[str(mentee_id)].country]
        assert (rows["timezone"] == zone).all()


def test_the_default_plan_keeps_every_invariant(plan: mm.Plan) -> None:
    check_plan(plan, 8, 10)
    assert plan.start == START and plan.end == dt.date(2028, 1, 31)
    assert len(plan.meetings) >= 8 * len(RESULT.pairs)


def test_events_gatherings_and_one_steering_meeting_per_quarter(plan: mm.Plan) -> None:
    events = plan.events
    gatherings = events[events["kind"] == "gathering"]
    assert gatherings["audience"].tolist() == ["mentors", "mentors and mentees"] * 4
    assert "mentoring principles" in gatherings["title"].iloc[0]
    assert "kick-off" in gatherings["title"].iloc[1]
    assert "closing" in gatherings["title"].iloc[-1]
    assert (gatherings["mode"] == "in person").all()
    steering = events[events["kind"] == "steering group"]
    assert (steering["mode"] == "remote").all()
    for quarter in range(4):
        first = pd.Timestamp(START) + pd.DateOffset(months=3 * quarter)
        last = pd.Timestamp(START) + pd.DateOffset(months=3 * quarter + 3)
        inside = steering["start"].between(first, last, inclusive="left")
        assert inside.sum() == 1, quarter
    assert events["start"].dt.date.between(plan.start, plan.end).all()
    assert events["number"].tolist() == list(range(1, len(events) + 1))
    assert events["start"].is_monotonic_increasing


def test_pair_themes_put_sought_and_offered_first() -> None:
    # A pair whose mentee seeks a theme the mentor does not offer, and one that is offered.
    mentee = next(p for p in COHORT.mentees if len(p.themes) >= 2)
    mentor = next(
        p
        for p in COHORT.mentors
        if _main(mentee.themes)[1] in _main(p.themes)
        and _main(mentee.themes)[0] not in _main(p.themes)
    )
    table = pd.DataFrame({"mentor_id": [mentor.id], "mentee_id": [mentee.id]})
    plan = mm.plan_programme(table, START, cohort=COHORT, meetings=12)
    themes = plan.meetings["theme"].tolist()
    assert themes[1] == _main(mentee.themes)[1]  # sought and offered comes first
    assert themes[2] == _main(mentee.themes)[0]
    assert set(themes[1:-1]) == set(catalogue())  # 10 deep dives: the catalogue, then again


def test_prompts_are_the_sub_themes_with_the_mentees_first() -> None:
    crisis_seeker = next(
        p for p in COHORT.mentees if any(t.startswith("crisis/") for t in p.themes)
    )
    mentor = COHORT.mentors[0]
    table = pd.DataFrame({"mentor_id": [mentor.id], "mentee_id": [crisis_seeker.id]})
    plan = mm.plan_programme(table, START, cohort=COHORT)
    row = plan.meetings[plan.meetings["theme"] == "crisis"].iloc[0]
    named = next(t for t in crisis_seeker.themes if t.startswith("crisis/")).split("/")[1]
    first = row["prompts"].split("; ")[0]
    assert first.replace(",", "").replace(" ", "-") == named
    assert len(row["prompts"].split("; ")) == len(catalogue()["crisis"].subthemes)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
    bounds=st.tuples(st.integers(2, 8), st.integers(0, 4)),
    gatherings=st.integers(0, 10),
    steering=st.integers(0, 12),
    remote_km=st.sampled_from([0.0, 300.0, 10_000.0]),
)
def test_invariants_hold_for_any_settings(
    start: dt.date, bounds: tuple[int, int], gatherings: int, steering: int, remote_km: float
) -> None:
    lo, hi = bounds[0], bounds[0] + bounds[1]
    plan = mm.plan_programme(
        RESULT,
        start,
        cohort=COHORT,
        meetings=(lo, hi),
        gatherings=gatherings,
        steering=steering,
        remote_km=remote_km,
    )
    check_plan(plan, lo, hi, remote_km)
    assert (plan.events["kind"] == "gathering").sum() == gatherings
    assert (plan.events["kind"] == "steering group").sum() == steering


def test_row_order_does_not_change_the_plan() -> None:
    table = RESULT.pairs.sample(frac=1.0, random_state=3)
    before = table.copy()
    shuffled = mm.plan_programme(table, START, cohort=COHORT)
    pd.testing.assert_frame_equal(table, before)  # the caller's table is not touched
    original = mm.plan_programme(RESULT, START, cohort=COHORT)
    pd.testing.assert_frame_equal(shuffled.meetings, original.meetings)
    pd.testing.assert_frame_equal(shuffled.events, original.events)


def test_without_the_cohort_themes_follow_the_catalogue() -> None:
    plan = mm.plan_programme(
        RESULT.pairs[["mentor_id", "mentee_id"]], START, timezone="Europe/Stockholm"
    )
    rows = plan.meetings[plan.meetings["mentee_id"] == RESULT.pairs["mentee_id"].iloc[0]]
    assert rows["theme"].tolist()[1:-1] == list(catalogue())[:6]
    assert (plan.meetings["timezone"] == "Europe/Stockholm").all()
    assert (plan.meetings["mode"] == "in person").all()  # distance unknown: never guessed remote
    assert plan.meetings["mentor_name"].isna().all()


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_texts_in_each_language(language: str) -> None:
    plan = mm.plan_programme(RESULT, START, cohort=COHORT, language=language)
    first = plan.meetings.iloc[0]
    words = {"en": "Mentoring meeting", "sv": "Mentorsmöte", "nb": "Mentormøte"}[language]
    assert first["title"].startswith(words)
    text = plan.agenda(first["mentee_id"], 2)
    assert {"en": "When", "sv": "När", "nb": "Når"}[language] in text
    others = {"en", "sv", "nb"} - {language}
    for other in others:
        wrong = {"en": "Mentoring meeting", "sv": "Mentorsmöte", "nb": "Mentormøte"}[other]
        assert not plan.meetings["title"].str.contains(wrong).any()


def test_ics_files_reparse_with_every_meeting(plan: mm.Plan, tmp_path: Path) -> None:
    paths = plan.to_ics(tmp_path / "ics")
    assert paths[0].name == "programme.ics"
    assert {p.name for p in (tmp_path / "ics").iterdir()} == {p.name for p in paths}
    programme = icalendar.Calendar.from_ical(paths[0].read_bytes())
    assert len(programme.events) == len(plan.events)
    uids: set[str] = set()
    seen = 0
    for path in paths[1:]:
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert cal["VERSION"] == "2.0" and "mentormatch" in str(cal["PRODID"])
        zones = {tz["TZID"] for tz in cal.walk("VTIMEZONE")}
        for event in cal.events:
            assert "DTSTAMP" in event
            uids.add(str(event["UID"]))
            start = event.start
            assert start.tzinfo is not None and str(start.tzinfo.key) in zones
            seen += 1
        mentee = path.stem.split("-")[-1]
        rows = plan.pair(mentee)
        got = [e.start.replace(tzinfo=None) for e in cal.events]
        assert got == [t.to_pydatetime() for t in rows["start"]]
        assert [str(e["SUMMARY"]) for e in cal.events] == rows["title"].tolist()
        assert {e.start.tzinfo.key for e in cal.events} == set(rows["timezone"])
    assert seen == len(plan.meetings) == len(uids)
    swedes = plan.meetings[plan.meetings["timezone"] == "Europe/Stockholm"]
    assert len(swedes), "the example has Swedish pairs"


def test_what_one_pair_gets_names_nobody_else(plan: mm.Plan, tmp_path: Path) -> None:
    people = {p.id: p for p in COHORT.profiles}
    files = plan.to_ics(tmp_path / "ics") + plan.to_agendas(tmp_path / "agendas")
    programme = files[0].read_text(encoding="utf-8")
    for person in people.values():
        assert person.id not in programme and str(person.name) not in programme
    for path in files[1:]:
        text = path.read_text(encoding="utf-8").replace("\r\n ", "")
        mentor_id, mentee_id = path.stem.split("-")[1:]
        for person in people.values():
            if person.id in (mentor_id, mentee_id):
                assert str(person.name) in text
                continue
            assert f"{person.id}" not in text, (path.name, person.id)
            assert str(person.name) not in text, (path.name, person.id)
            assert person.organisation not in text


def test_agendas_have_a_page_per_meeting(plan: mm.Plan, tmp_path: Path) -> None:
    paths = plan.to_agendas(tmp_path)
    assert len(paths) == len(RESULT.pairs)
    first = paths[0].read_text(encoding="utf-8")
    mentee = paths[0].stem.split("-")[-1]
    assert first.count('<section class="sheet">') == len(plan.pair(mentee))
    assert "break-after: page" in first


HOSTILE_IDS = [
    ("M" * 300, "E" * 300),  # each id alone is longer than a file name may be
    ("M" * 300, "E" * 299 + "F"),  # the same name when cut: must not replace the first
    ("a/b", "c:d"),  # path separators and a drive colon
    ("a_b", "c_d"),  # what the first two become when made safe
    ("nul\0id", "tab\tid"),
    ("M.1", "E.2"),
    ("M.1", "E.3"),  # a dot in an id is no file type
    ("m.1", "e.2"),  # differs only in case from M.1, E.2
    ("n", "\u00c5se"),  # (an "Å" typed decomposed is the same id: composed on reading)
    ("..", "."),
]


def _pairs_plan(ids: list[tuple[str, str]]) -> mm.Plan:
    pairs = pd.DataFrame(ids, columns=["mentor_id", "mentee_id"])
    return mm.plan_programme(pairs, START, meetings=2, gatherings=2, steering=1)


def test_hostile_ids_make_safe_bounded_distinct_file_names(tmp_path: Path) -> None:
    plan = _pairs_plan(HOSTILE_IDS)
    calendars = plan.to_ics(tmp_path / "ics")[1:]
    agendas = plan.to_agendas(tmp_path / "agendas")
    for folder, paths in (("ics", calendars), ("agendas", agendas)):
        names = [p.name for p in paths]
        written = {p.name for p in (tmp_path / folder).iterdir()} - {"programme.ics"}
        assert written == set(names)
        assert len({unicodedata.normalize("NFC", n).casefold() for n in names}) == len(names)
        assert all(len(n.encode()) <= 130 and p.parent == tmp_path / folder
                   for n, p in zip(names, paths, strict=True))  # fmt: skip
    for (mentor_id, mentee_id), path in zip(sorted(HOSTILE_IDS), calendars, strict=True):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        expected = {uid(START, mentor_id, mentee_id, n) for n in (1, 2)}
        assert {str(e["UID"]) for e in cal.events} == expected, path.name


def test_a_long_id_s_file_name_does_not_depend_on_the_other_pairs(tmp_path: Path) -> None:
    """Cut names end in a digest of the ids, not in a number given in order, so a pair's
    calendar keeps its name when the plan is exported again with other pairs (after a
    rematch, say)."""
    together = _pairs_plan(HOSTILE_IDS[:2]).to_ics(tmp_path / "together")[1:]
    alone = [
        _pairs_plan([ids]).to_ics(tmp_path / str(i))[1] for i, ids in enumerate(HOSTILE_IDS[:2])
    ]
    assert [p.name for p in together] == [p.name for p in alone]


def test_calendars_and_agendas_need_a_folder(plan: mm.Plan, tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    for write in (plan.to_ics, plan.to_agendas):
        for folder, expected in [
            ("", "argument 'folder': expected a folder's name, got ''"),
            (" ", "argument 'folder': expected a folder's name, got ' '"),
            (tmp_path / "file.txt", f"{tmp_path / 'file.txt'}, argument 'folder': is a file"),
            (tmp_path / "file.txt" / "ics", f"'{tmp_path / 'file.txt'}' is a file"),
        ]:
            with pytest.raises(mm.InputError, match=re.escape(expected)):
                write(folder)
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_excel_export_reads_back(plan: mm.Plan, tmp_path: Path) -> None:
    path = plan.to_excel(tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == [path]
    meetings = pd.read_excel(
        path, sheet_name="meetings", dtype={"mentor_id": str, "mentee_id": str}
    )
    assert meetings[["mentor_id", "mentee_id", "number", "mode", "theme"]].equals(
        plan.meetings[["mentor_id", "mentee_id", "number", "mode", "theme"]]
    )
    assert (pd.to_datetime(meetings["start"]) == plan.meetings["start"]).all()
    events = pd.read_excel(path, sheet_name="events")
    assert len(events) == len(plan.events)


def test_every_bad_argument_is_named_at_once() -> None:
    with pytest.raises(mm.InputError) as error:
        mm.plan_programme(
            RESULT,
            "2027-02-30",
            meetings=(10, 8),
            language="de",
            months=0,
            remote_km=-1,
            in_person_hours=5,
            remote_hours="2",  # type: ignore[arg-type]
            gatherings=["mentors", "everyone"],
            steering=52,
            timezone="Mars/Olympus",
        )
    named = {v.argument for v in error.value.violations}
    assert named == {
        "start", "meetings", "language", "months", "remote_km", "in_person_hours",
        "remote_hours", "gatherings", "steering", "timezone",
    }  # fmt: skip
    assert "expected 'en', 'sv' or 'nb', got 'de'" in str(error.value)


@pytest.mark.parametrize(
    ("start", "ok"),
    [("2027-02-01", True), (dt.datetime(2027, 2, 1, 9), True), ("1/2/2027", False),
     (20270201, False), ("", False), (None, False)],
)  # fmt: skip
def test_start_dates(start: object, ok: bool) -> None:
    if ok:
        assert mm.plan_programme(RESULT, start).start == START  # type: ignore[arg-type]
    else:
        with pytest.raises(mm.InputError, match="argument 'start'"):
            mm.plan_programme(RESULT, start)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [(dt.date(9999, 6, 1), 12, "expected a date by 9998-12-31, got datetime.date(9999, 6, 1)"),
     (dt.date.max, 12, "expected a date by 9998-12-31"),
     (dt.date(9998, 1, 2), 12, "a programme of 12 months from 9998-01-02 would end after "
      "9998-12-31, the last day a plan reaches; expected a start by 9998-01-01"),
     (dt.date(9998, 10, 2), 3, "expected a start by 9998-10-01"),
     (dt.date(9997, 2, 1), 36, "expected a start by 9996-01-01")],
)  # fmt: skip
def test_a_year_past_the_calendar_is_refused_naming_start(
    start: dt.date, months: int, expected: str
) -> None:
    with pytest.raises(mm.InputError) as error:
        mm.plan_programme(RESULT, start, months=months)
    (violation,) = error.value.violations
    assert violation.argument == "start" and expected in violation.message


@pytest.mark.parametrize(("start", "months"), [(dt.date(9998, 1, 1), 12), (dt.date(9998, 10, 1), 3),
                                               (dt.date(1, 1, 1), 12)])  # fmt: skip
def test_the_latest_and_earliest_years_plan_and_export(
    start: dt.date, months: int, tmp_path: Path
) -> None:
    plan = mm.plan_programme(RESULT, start, months=months, cohort=COHORT, meetings=2)
    assert plan.end == mm.plan_programme(RESULT, start, months=months).end
    assert plan.end <= dt.date(9998, 12, 31)
    log = pd.DataFrame({"mentee_id": [plan.meetings["mentee_id"][0]],
                        "date": [plan.meetings["start"][0].date()]})  # fmt: skip
    again = mm.read_plan(plan.to_excel(tmp_path / "plan.xlsx"))
    assert again.end == plan.end
    assert len(plan.to_ics(tmp_path / "ics")) == len(RESULT.pairs) + 1
    plan.report(tmp_path / "steering.html", log, today=plan.end, budget=plan.budget())
    mm.read_evaluation(mm.evaluation_form(RESULT), RESULT, plan=plan, n_boot=10)


def test_bad_pairs_and_cohorts_are_refused() -> None:
    with pytest.raises(mm.InputError, match=r"argument 'result'.*MatchResult"):
        mm.plan_programme("pairs.xlsx", START)  # type: ignore[arg-type]
    with pytest.raises(mm.InputError, match="no column 'mentee_id'"):
        mm.plan_programme(pd.DataFrame({"mentor_id": ["M001"]}), START)
    twice = pd.DataFrame({"mentor_id": ["M001", "M002"], "mentee_id": ["E001", "E001"]})
    with pytest.raises(mm.InputError, match="row 3, column 'mentee_id': mentee 'E001' is also"):
        mm.plan_programme(twice, START)
    with pytest.raises(mm.InputError, match="no pairs"):
        mm.plan_programme(pd.DataFrame({"mentor_id": [], "mentee_id": []}), START)
    strangers = pd.DataFrame({"mentor_id": ["M001", "E002"], "mentee_id": ["X9", "E003"]})
    with pytest.raises(mm.InputError) as error:
        mm.plan_programme(strangers, START, cohort=COHORT)
    assert [str(v) for v in error.value.violations] == [
        "argument 'cohort': no mentee 'X9' in the cohort",
        "argument 'cohort': no mentor 'E002' in the cohort",
    ]
    with pytest.raises(mm.InputError, match="argument 'cohort'"):
        mm.plan_programme(RESULT, START, cohort=RESULT)  # type: ignore[arg-type]


def test_too_many_meetings_for_the_period_is_explained() -> None:
    with pytest.raises(mm.InputError, match="working days between the kick-off and the closing"):
        mm.plan_programme(RESULT, START, months=3, meetings=24)


def test_lookups_name_the_bad_id(plan: mm.Plan) -> None:
    with pytest.raises(mm.InputError, match="no pair with mentee 'nobody'"):
        plan.agenda("nobody", 1)
    mentee = plan.meetings["mentee_id"].iloc[0]
    with pytest.raises(mm.InputError, match="meeting number from 1 to"):
        plan.agenda(mentee, 99)
    with pytest.raises(mm.InputError, match=r"ending in \.xlsx"):
        plan.to_excel("plan.csv")


def test_even_a_crowded_year_meets_between_the_kick_off_and_the_closing() -> None:
    plan = mm.plan_programme(RESULT, START, cohort=COHORT, meetings=24)
    check_plan(plan, 24, 24)
    joint = plan.events[plan.events["audience"] == "mentors and mentees"]["start"]
    assert plan.meetings["start"].min() > joint.min() + pd.Timedelta(hours=12)
