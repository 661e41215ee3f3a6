"""The budget: kilometres against an independent great-circle computation, costs that add up.

Each pair's meeting kilometres and each gathering's kilometres are recomputed person by person
with ``oracles.great_circle_km`` (a haversine written out without numpy); the place chosen when
none is given is checked against a brute force over every participant's place.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.places import find_places
from mentormatch.profiles import Profile
from oracles import great_circle_km

COHORT = mm.example_cohort()
RESULT = mm.match(COHORT)
PLAN = mm.plan_programme(RESULT, "2027-02-01", cohort=COHORT)
TRONDHEIM = (63.43, 10.39)


def at(latitude: float, longitude: float) -> Profile:
    return Profile(id="place", role="mentor", organisation="-", region="-",
                   latitude=latitude, longitude=longitude)  # fmt: skip


def in_person(mentee: str) -> int:
    meetings = PLAN.meetings
    return int(((meetings["mentee_id"] == mentee) & (meetings["mode"] == "in person")).sum())


def gatherings() -> pd.DataFrame:
    return PLAN.events[PLAN.events["kind"] == "gathering"]


def test_meeting_kilometres_are_great_circle_round_trips() -> None:
    estimate = PLAN.budget(place=TRONDHEIM, detour=1.0)
    for pair in estimate.pairs.to_dict(orient="records"):
        mentor, mentee = COHORT[pair["mentor_id"]], COHORT[pair["mentee_id"]]
        trips = in_person(mentee.id)
        assert pair["in_person"] == trips >= 2  # the first and the last at least
        assert pair["meeting_km"] == pytest.approx(trips * 2 * great_circle_km(mentor, mentee))
    longer = PLAN.budget(place=TRONDHEIM, detour=1.3)
    assert longer.pairs["meeting_km"].to_numpy() == pytest.approx(
        1.3 * estimate.pairs["meeting_km"].to_numpy()
    )


def test_gathering_kilometres_are_each_participant_s_round_trip() -> None:
    estimate = PLAN.budget(place=TRONDHEIM)
    place = at(*TRONDHEIM)
    mentors = sorted(set(RESULT.pairs["mentor_id"]))
    mentees = sorted(RESULT.pairs["mentee_id"])
    way = {i: great_circle_km(COHORT[i], place) for i in [*mentors, *mentees]}
    for gathering, row in zip(
        gatherings().to_dict(orient="records"), estimate.gatherings.to_dict(orient="records"),
        strict=True,
    ):  # fmt: skip
        going = mentors + (mentees if gathering["audience"] == "mentors and mentees" else [])
        assert row["people"] == len(going)
        assert row["km"] == pytest.approx(sum(2 * way[i] for i in going))
        assert row["nights"] == sum(way[i] > 250 for i in going)
    joint = int((gatherings()["audience"] == "mentors and mentees").sum())
    for pair in estimate.pairs.to_dict(orient="records"):
        share = 1 / (RESULT.pairs["mentor_id"] == pair["mentor_id"]).sum()
        expected = 2 * way[pair["mentee_id"]] * joint
        expected += 2 * way[pair["mentor_id"]] * len(gatherings()) * share
        assert pair["gathering_km"] == pytest.approx(expected)
    assert estimate.pairs["gathering_km"].sum() == pytest.approx(estimate.gatherings["km"].sum())


def test_who_travels_and_the_nights_away() -> None:
    by = {t: PLAN.budget(place=TRONDHEIM, traveller=t) for t in ("mentee", "mentor", "both")}
    for pair in by["mentee"].pairs.to_dict(orient="records"):
        km = great_circle_km(COHORT[pair["mentor_id"]], COHORT[pair["mentee_id"]])
        trips = in_person(pair["mentee_id"])
        nights = {"mentee": trips * (km > 250), "mentor": trips * (km > 250),
                  "both": 2 * trips * (km / 2 > 250)}  # fmt: skip
        for traveller, estimate in by.items():
            found = estimate.pairs.set_index("mentee_id").loc[pair["mentee_id"]]
            assert found["meeting_km"] == pytest.approx(pair["meeting_km"])
            gathering = by["mentee"].pairs.set_index("mentee_id").loc[pair["mentee_id"]]
            gathering_nights = gathering["nights"] - nights["mentee"]
            assert found["nights"] == pytest.approx(nights[traveller] + gathering_nights)
    stricter = PLAN.budget(place=TRONDHEIM, night_km=0)
    assert stricter.pairs["nights"].sum() > by["mentee"].pairs["nights"].sum()


def test_costs_add_up_from_the_rates() -> None:
    rates = {"cost_per_km": 3.5, "hourly_cost": 800.0, "night_cost": 1500.0, "speed_kmh": 70.0}
    estimate = PLAN.budget(place=TRONDHEIM, support_hourly_cost=1400.0, **rates)
    pairs = estimate.pairs
    assert pairs["hours"].to_numpy() == pytest.approx(pairs["km"].to_numpy() / 70)
    recomputed = pairs["km"] * 3.5 + pairs["hours"] * 800 + pairs["nights"] * 1500
    assert pairs["cost"].to_numpy() == pytest.approx(recomputed.to_numpy())
    lines = estimate.lines.set_index("item")
    travel = lines.loc["pair meetings", "cost"] + lines.loc["gatherings", "cost"]
    assert pairs["cost"].sum() == pytest.approx(travel)
    work = estimate.work
    assert work["days"].tolist() == [10, 10, 10, 10]  # the pilot's figures
    assert work["hours"].tolist() == [75, 75, 75, 75]
    assert work["cost"].tolist() == [60_000, 60_000, 105_000, 105_000]
    assert lines.loc["total", "cost"] == pytest.approx(travel + work["cost"].sum())
    assert estimate.total == pytest.approx(lines.loc["total", "cost"])
    assert lines.loc["total", "days"] == 40
    fewer = PLAN.budget(place=TRONDHEIM, secretariat_days=5, support_days=(2, 3))
    assert fewer.work["days"].tolist() == [5, 0, 2, 3]
    assert f"{estimate.total:,.0f} NOK" in estimate.summary() and "work 40 days" in repr(estimate)


def test_the_gatherings_place_by_name_or_chosen() -> None:
    by_name = PLAN.budget(place="Trondheim kommune")
    (trondheim,) = find_places("Trondheim")
    assert by_name.place == "Trondheim (Trøndelag)"
    assert by_name.gatherings["km"].to_numpy() == pytest.approx(
        PLAN.budget(place=(trondheim.latitude, trondheim.longitude)).gatherings["km"].to_numpy()
    )
    assert PLAN.budget(place="Herøy, Nordland").place == "Herøy (Nordland)"
    assert PLAN.budget(place="Region Skåne").place == "Skåne län"
    chosen = PLAN.budget()
    people = {*RESULT.pairs["mentor_id"], *RESULT.pairs["mentee_id"]}
    joint = int((gatherings()["audience"] == "mentors and mentees").sum())
    visits = {i: len(gatherings()) if COHORT[i].role == "mentor" else joint for i in people}

    def travel(place: Profile) -> float:
        return sum(visits[i] * great_circle_km(COHORT[i], place) for i in people)

    best = min(travel(COHORT[i]) for i in people)
    winner = [COHORT[i].organisation for i in people if math.isclose(travel(COHORT[i]), best)]
    assert chosen.place in winner
    assert chosen.gatherings["km"].sum() == pytest.approx(2 * best)
    with pytest.raises(mm.InputError) as error:
        PLAN.budget(place="Gardermoen")
    (violation,) = error.value.violations
    assert violation.argument == "place" and "no Norwegian or Swedish" in violation.message
    with pytest.raises(mm.InputError, match=r"add the county, e\.g\. 'Herøy, Møre og Romsdal'"):
        PLAN.budget(place="Herøy")


def test_what_the_plan_does_not_know_is_named() -> None:
    without = mm.plan_programme(RESULT, "2027-02-01")  # distances from the pairs, no places
    with pytest.raises(mm.InputError) as error:
        without.budget()
    assert "no coordinates for" in str(error.value) and "M001" in str(error.value)
    alone = mm.plan_programme(RESULT, "2027-02-01", gatherings=0)
    estimate = alone.budget()
    assert estimate.gatherings.empty
    assert estimate.lines.set_index("item").loc["gatherings", "km"] == 0
    pairs = RESULT.pairs.drop(columns=["distance_km"])
    blind = mm.plan_programme(pairs, "2027-02-01", gatherings=0)
    with pytest.raises(mm.InputError, match="no distance for the pairs M001-E016"):
        blind.budget()
    before = PLAN.pairs.copy()
    PLAN.budget()
    assert PLAN.pairs.equals(before)


def test_bad_parameters_are_named_at_once() -> None:
    with pytest.raises(mm.InputError) as error:
        PLAN.budget(
            traveller="the mentor's driver", cost_per_km=-1, hourly_cost="lots",  # type: ignore[arg-type]
            speed_kmh=0, detour=0.5, night_km=math.nan, night_cost=-5, day_hours=0,
            secretariat_days=(10, -1), support_days="ten", currency="",  # type: ignore[arg-type]
            support_hourly_cost=True,  # type: ignore[arg-type]
        )  # fmt: skip
    named = {v.argument for v in error.value.violations}
    assert named == {
        "traveller", "cost_per_km", "hourly_cost", "speed_kmh", "detour", "night_km",
        "night_cost", "day_hours", "secretariat_days", "support_days", "currency",
        "support_hourly_cost",
    }  # fmt: skip
    for place in [(91, 10), ("63", "10"), (1, 2, 3), 42]:
        with pytest.raises(mm.InputError, match="argument 'place'"):
            PLAN.budget(place=place)  # type: ignore[arg-type]


def test_budget_workbook_and_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    estimate = PLAN.budget(place=TRONDHEIM)
    path = estimate.to_excel(tmp_path / "budget.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["lines", "pairs", "gatherings", "work",
                                                       "about"]  # fmt: skip
    lines = pd.read_excel(path, sheet_name="lines")
    assert lines["cost"].iloc[-1] == pytest.approx(estimate.total)
    with pytest.raises(mm.InputError, match=r"ending in \.xlsx"):
        estimate.to_excel(tmp_path / "budget.csv")
    plan = PLAN.to_excel(tmp_path / "plan.xlsx")
    out = tmp_path / "b.xlsx"
    args = ["budget", str(plan), "--place", "63.43,10.39", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "gatherings at: 63.4300, 10.3900" in printed and f"{estimate.total:,.0f}" in printed
    again = pd.read_excel(out, sheet_name="lines")
    assert again["cost"].iloc[-1] == pytest.approx(estimate.total)
    assert main(["budget", str(plan), "--place", "Oz", "--out", str(tmp_path / "c.xlsx")]) == 2
    assert "argument 'place'" in capsys.readouterr().err
    assert not (tmp_path / "c.xlsx").exists()
    assert main(["budget", str(plan), "--out", str(plan)]) == 2
    assert "is an input" in capsys.readouterr().err
