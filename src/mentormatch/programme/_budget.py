"""The programme's cost estimate: travel to meetings and gatherings, and days of work.

Travel. Every in-person meeting of a pair is a round trip over the pair's
distance by the traveller (the mentee, unless set otherwise; ``"both"`` meet
halfway); every gathering a round trip from each participant's organisation to
the gathering's place (mentors to all gatherings, mentees to the joint ones).
Kilometres are great-circle kilometres times ``detour`` (1: as the crow flies),
there and back; hours are those kilometres at ``speed_kmh`` (door to door); a
trip longer than ``night_km`` one way needs a night away. A pair's row holds
its meetings' travel and its share of the gatherings' (its mentee's, and its
mentor's divided among the mentor's pairs), so the pairs add up to the whole.

Work. The secretariat's and the external support's days, each for the
development and for the programme year, at an hourly cost. The defaults are
the pilot's figures where it has them (up to 10 days each, for development and
for the pilot) and stated assumptions where it has none: the Norwegian state's
allowance for driving one's own car (4.90 NOK per km from 1 January 2024), 1,000
NOK an hour for the time of participants, secretariat and support, 60 km/h door
to door, a night away beyond 250 km one way (not costed unless ``night_cost``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch.errors import InputError, Violation, check_number, gather
from mentormatch.geo import great_circle_km
from mentormatch.places import find_places
from mentormatch.sheets import write_xlsx, xlsx_path

if TYPE_CHECKING:
    from mentormatch.programme._plan import Plan

__all__ = ["Budget", "budget"]

COST_PER_KM = 4.90
"""NOK per km: the Norwegian state's allowance for driving one's own car from 1 January 2024."""
HOURLY_COST = 1000.0
"""NOK per hour of a participant's, the secretariat's or the support's time: an assumption."""
SPEED_KMH = 60.0
NIGHT_KM = 250.0
DAY_HOURS = 7.5
PILOT_DAYS = (10.0, 10.0)
"""Days of work for development and for the programme year: the pilot's "up to 10 days each"."""
TRAVELLERS = ("mentee", "mentor", "both")
ITEMS = (
    "pair meetings", "gatherings", "secretariat, development", "secretariat, programme year",
    "external support, development", "external support, programme year", "total",
)  # fmt: skip
"""The budget's lines, in order."""


@dataclass(frozen=True, eq=False)
class Budget:
    """The programme's cost estimate (see ``Plan.budget``).

    Attributes
    ----------
    pairs : DataFrame
        One row per pair: ``mentor_id``, ``mentee_id``, ``in_person`` (its
        in-person meetings), ``meeting_km``, ``gathering_km`` (its share of the
        gatherings' travel), ``km``, ``hours``, ``nights`` and ``cost`` (travel).
    gatherings : DataFrame
        One row per gathering: ``number``, ``date``, ``audience``, ``people``,
        ``km``, ``hours``, ``nights``, ``cost``.
    work : DataFrame
        ``who`` (secretariat, external support), ``phase`` (development,
        programme year), ``days``, ``hours``, ``cost``.
    lines : DataFrame
        The budget as a table: ``item`` (pair meetings, gatherings, each part of
        the work, total), ``km``, ``hours``, ``nights``, ``days``, ``cost``.
    total : float
        The whole cost, in ``currency``.
    place : str
        Where the gatherings are: the place given, or the one chosen.
    currency : str
        The currency of the costs (as the rates were given).
    settings : mapping
        Every parameter the budget was made with.
    """

    pairs: pd.DataFrame
    gatherings: pd.DataFrame
    work: pd.DataFrame
    lines: pd.DataFrame
    total: float
    place: str
    currency: str
    settings: Mapping[str, Any] = field(repr=False)

    def summary(self) -> str:
        """One line: the total, travel and work.

        Examples
        --------
        >>> import mentormatch as mm
        >>> cohort = mm.example_cohort()
        >>> plan = mm.plan_programme(mm.match(cohort), "2027-02-01", cohort=cohort)
        >>> print(plan.budget(place="Trondheim").summary())
        total 4,297,195 NOK: travel 185,341 km, 3,089 hours, 162 nights; work 40 days
        """
        travel = self.lines[self.lines["item"].isin(ITEMS[:2])]
        days = float(self.work["days"].sum())
        return (
            f"total {self.total:,.0f} {self.currency}: travel {travel['km'].sum():,.0f} km, "
            f"{travel['hours'].sum():,.0f} hours, {travel['nights'].sum():,.0f} nights; "
            f"work {days:g} days"
        )

    def __repr__(self) -> str:
        return f"<Budget: {self.summary()}>"

    def to_excel(self, path: str | Path) -> Path:
        """Write a workbook: ``lines``, ``pairs``, ``gatherings``, ``work``, ``about``."""
        path = xlsx_path(path)
        about = pd.DataFrame(
            [(k, str(v)) for k, v in self.settings.items()], columns=["setting", "value"]
        )
        sheets = {"lines": self.lines, "pairs": self.pairs, "gatherings": self.gatherings}
        return write_xlsx({**sheets, "work": self.work, "about": about}, path)


def _days(value: object, argument: str) -> tuple[float, float]:
    parts = value if isinstance(value, tuple | list) and len(value) == 2 else None
    try:
        if parts is not None:
            return check_number(parts[0], argument), check_number(parts[1], argument)
        return check_number(value, argument), 0.0
    except InputError:
        raise InputError(
            Violation(
                f"expected days of work >= 0, or (development, programme year), got {value!r}",
                argument=argument,
            )
        ) from None


def _choice(value: object, argument: str, choices: tuple[str, ...]) -> str:
    if value in choices:
        return str(value)
    listed = ", ".join(repr(c) for c in choices)
    raise InputError(Violation(f"expected one of {listed}, got {value!r}", argument=argument))


def _settings(given: dict[str, Any]) -> dict[str, Any]:
    """Every parameter checked; every bad one named at once."""
    support = given["support_hourly_cost"]
    checks: dict[str, Callable[[], object]] = {
        "traveller": lambda: _choice(given["traveller"], "traveller", TRAVELLERS),
        "cost_per_km": lambda: check_number(given["cost_per_km"], "cost_per_km"),
        "hourly_cost": lambda: check_number(given["hourly_cost"], "hourly_cost"),
        "support_hourly_cost": lambda: (
            None if support is None else check_number(support, "support_hourly_cost")
        ),
        "speed_kmh": lambda: check_number(given["speed_kmh"], "speed_kmh", above=True),
        "detour": lambda: check_number(given["detour"], "detour", 1),
        "night_km": lambda: check_number(given["night_km"], "night_km"),
        "night_cost": lambda: check_number(given["night_cost"], "night_cost"),
        "day_hours": lambda: check_number(given["day_hours"], "day_hours", 0, 24, above=True),
        "secretariat_days": lambda: _days(given["secretariat_days"], "secretariat_days"),
        "support_days": lambda: _days(given["support_days"], "support_days"),
        "currency": lambda: _currency(given["currency"]),
    }
    settings = gather(checks)
    if settings["support_hourly_cost"] is None:
        settings["support_hourly_cost"] = settings["hourly_cost"]
    return settings


def _currency(value: object) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise InputError(
        Violation(f"expected a currency such as 'NOK' or 'SEK', got {value!r}", argument="currency")
    )


def _people(plan: Plan) -> pd.DataFrame:
    """Everyone in the plan once: id, role, organisation, latitude, longitude."""
    sides = []
    for role in ("mentor", "mentee"):
        columns = [f"{role}_{c}" for c in ("id", "organisation", "latitude", "longitude")]
        side = plan.pairs[columns].set_axis(["id", "organisation", "latitude", "longitude"], axis=1)
        sides.append(side.assign(role=role).drop_duplicates("id"))
    return pd.concat(sides, ignore_index=True)


def _central(located: pd.DataFrame, weights: NDArray[np.float64]) -> tuple[str, float, float]:
    """The organisation whose place gives the least travel, each person weighted by the
    gatherings they go to (ties: the first in the plan's order)."""
    where = located[["latitude", "longitude"]].to_numpy(float)
    total = great_circle_km(where, where) @ weights[located.index.to_numpy()]
    best = located.iloc[int(np.argmin(np.round(total, 6)))]
    return str(best["organisation"]), float(best["latitude"]), float(best["longitude"])


def _place(
    value: object, people: pd.DataFrame, weights: NDArray[np.float64]
) -> tuple[str, float, float]:
    """The gatherings' place: coordinates, a municipality or county by name (the package's
    place table), or (None) the participants' organisation with the least travel."""
    located = people.dropna(subset=["latitude", "longitude"])
    if value is None:
        return _central(located, weights)
    if isinstance(value, tuple | list) and len(value) == 2:
        numbers = [v for v in value if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(numbers) == 2 and -90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180:
            return f"{numbers[0]:.4f}, {numbers[1]:.4f}", float(numbers[0]), float(numbers[1])
    if isinstance(value, str) and value.strip():
        name, _, county = value.partition(",")
        found = find_places(name.strip(), region=county.strip() or None)
        if len(found) == 1:
            place = found[0]
            label = place.name if place.level == "county" else f"{place.name} ({place.county})"
            return label, place.latitude, place.longitude
        problem = "names no Norwegian or Swedish municipality or county; give one"
        if found:
            problem = (
                f"may mean {' or '.join(map(str, found))}; add the county, e.g. "
                f"'{found[0].name}, {found[0].county}'"
            )
        raise InputError(
            Violation(f"{value!r} {problem}, or give (latitude, longitude)", argument="place")
        )
    raise InputError(
        Violation(
            "expected a municipality or county, (latitude, longitude) in decimal degrees, "
            f"or None, got {value!r}",
            argument="place",
        )
    )


def _meeting_travel(plan: Plan, settings: Mapping[str, Any]) -> pd.DataFrame:
    """Per pair: in-person meetings, and their km, hours and nights."""
    in_person = plan.meetings[plan.meetings["mode"] == "in person"].groupby("mentee_id").size()
    table = plan.pairs[["mentor_id", "mentee_id", "distance_km"]].copy()
    table["in_person"] = table["mentee_id"].map(in_person).fillna(0).astype(int)
    unknown = table[table["distance_km"].isna() & (table["in_person"] > 0)]
    if len(unknown):
        pairs = ", ".join(f"{m}-{e}" for m, e in zip(unknown["mentor_id"], unknown["mentee_id"],
                                                       strict=True))  # fmt: skip
        raise InputError(
            Violation(
                f"no distance for the pairs {pairs}: make the plan with cohort= (with latitude "
                "and longitude) or from pairs with distance_km",
                argument="plan",
            )
        )
    one_way = table["distance_km"].fillna(0) * settings["detour"]
    travellers = 2 if settings["traveller"] == "both" else 1
    leg = one_way / travellers  # each traveller's way
    table["meeting_km"] = table["in_person"] * 2 * one_way
    table["meeting_nights"] = table["in_person"] * travellers * (leg > settings["night_km"])
    return table


def _gathering_travel(
    plan: Plan, settings: Mapping[str, Any], given_place: object
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Per gathering its travel; per person their km and nights; and the place."""
    people = _people(plan)
    gatherings = plan.events[plan.events["kind"] == "gathering"]
    joint = (gatherings["audience"] == "mentors and mentees").to_numpy()
    attends = np.where(people["role"] == "mentor", len(gatherings), joint.sum()).astype(float)
    if not len(gatherings):
        empty = pd.DataFrame(columns=["number", "date", "audience", "people", "km", "nights"])
        nothing = pd.DataFrame({"km": 0.0, "nights": 0.0}, index=people["id"])
        return empty, nothing, "-"
    missing = people[people[["latitude", "longitude"]].isna().any(axis=1) & (attends > 0)]
    if len(missing):
        raise InputError(
            Violation(
                f"no coordinates for {', '.join(missing['id'])}, who go to the gatherings: make "
                "the plan with cohort= whose latitude and longitude are filled in",
                argument="plan",
            )
        )
    name, lat, lon = _place(given_place, people, attends)
    where = people[["latitude", "longitude"]].to_numpy(float)
    one_way = great_circle_km(where, np.array([[lat, lon]]))[:, 0] * settings["detour"]
    rows = []
    for row, is_joint in zip(gatherings.to_dict(orient="records"), joint, strict=True):
        going = (people["role"] == "mentor").to_numpy() | is_joint
        rows.append(
            {
                "number": row["number"],
                "date": row["start"].date(),
                "audience": row["audience"],
                "people": int(going.sum()),
                "km": float(2 * one_way[going].sum()),
                "nights": int((one_way[going] > settings["night_km"]).sum()),
            }
        )
    person_km = pd.Series(2 * one_way * attends, index=people["id"])
    person_nights = pd.Series((one_way > settings["night_km"]) * attends, index=people["id"])
    return pd.DataFrame(rows), pd.concat({"km": person_km, "nights": person_nights}, axis=1), name


def _cost(table: pd.DataFrame, settings: Mapping[str, Any]) -> pd.Series:
    cost: pd.Series = (
        table["km"] * settings["cost_per_km"]
        + table["hours"] * settings["hourly_cost"]
        + table["nights"] * settings["night_cost"]
    )
    return cost


def budget(
    plan: Plan,
    *,
    place: str | tuple[float, float] | None = None,
    traveller: str = "mentee",
    cost_per_km: float = COST_PER_KM,
    hourly_cost: float = HOURLY_COST,
    support_hourly_cost: float | None = None,
    speed_kmh: float = SPEED_KMH,
    detour: float = 1.0,
    night_km: float = NIGHT_KM,
    night_cost: float = 0.0,
    day_hours: float = DAY_HOURS,
    secretariat_days: float | tuple[float, float] = PILOT_DAYS,
    support_days: float | tuple[float, float] = PILOT_DAYS,
    currency: str = "NOK",
) -> Budget:
    """The programme's cost estimate: travel to meetings and gatherings, and days of work.

    Every in-person meeting is a round trip over the pair's distance by
    the ``traveller``; every gathering a round trip from each participant's
    organisation to ``place`` (mentors to all gatherings, mentees to the
    joint ones). The plan must know the pairs' distances and, for the
    gatherings, everyone's coordinates (make it with ``cohort=``).

    Parameters
    ----------
    place : str, (float, float) or None
        Where the gatherings are: a Norwegian or Swedish municipality or
        county by name (``"Trondheim"``; ``"Herøy, Nordland"`` where a name is
        ambiguous), or (latitude, longitude) in decimal degrees; default: the
        participants' organisation with the least travel.
    traveller : {"mentee", "mentor", "both"}, default "mentee"
        Who travels to the pair's in-person meetings ("both": they meet
        halfway).
    cost_per_km : float, default 4.90
        Per km travelled: the Norwegian state's allowance for driving
        one's own car from 1 January 2024, in NOK.
    hourly_cost : float, default 1000
        Per hour of travel and of the secretariat's work (an assumption:
        set your own).
    support_hourly_cost : float, optional
        Per hour of external support; default ``hourly_cost``.
    speed_kmh : float, default 60
        Average speed door to door, for the hours of travel.
    detour : float, default 1
        Kilometres travelled per great-circle kilometre (1: as the crow
        flies; about 1.3 on Nordic roads).
    night_km, night_cost : float, default 250 and 0
        A trip longer than ``night_km`` one way needs a night away, at
        ``night_cost`` (0: nights counted, not costed).
    day_hours : float, default 7.5
        Hours in a day of work.
    secretariat_days, support_days : float or (float, float), default (10, 10)
        Days of work for the development and for the programme year (the
        pilot's "up to 10 days each"); one number is development alone.
    currency : str, default "NOK"
        The currency the rates are in, for reports.

    Returns
    -------
    Budget
        ``.pairs`` (one row per pair: ``mentor_id``, ``mentee_id``, ``km``,
        ``hours``, ``cost``, ...), ``.gatherings``, ``.work``, ``.lines``
        (the budget as a table) and ``.total``.

    Raises
    ------
    mm.InputError
        Naming every bad parameter at once, or the pairs and people whose
        distances or coordinates the plan lacks.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.example_cohort()
    >>> plan = mm.plan_programme(mm.match(cohort), "2027-02-01", cohort=cohort)
    >>> estimate = plan.budget(place=(63.43, 10.39), night_cost=1500)
    >>> list(estimate.pairs.columns[:2]), round(estimate.total) > 0
    (['mentor_id', 'mentee_id'], True)
    >>> estimate.lines["item"].tolist()[:2]
    ['pair meetings', 'gatherings']
    """
    given = dict(locals())  # every parameter, by name
    settings = _settings(given)
    pairs = _meeting_travel(plan, settings)
    gatherings, per_person, place = _gathering_travel(plan, settings, given["place"])
    share = 1 / pairs.groupby("mentor_id")["mentee_id"].transform("size")
    for column in ("km", "nights"):
        mentor_part = pairs["mentor_id"].map(per_person[column]) * share
        pairs[f"gathering_{column}"] = pairs["mentee_id"].map(per_person[column]) + mentor_part
    pairs["km"] = pairs["meeting_km"] + pairs["gathering_km"]
    pairs["hours"] = pairs["km"] / settings["speed_kmh"]
    pairs["nights"] = pairs["meeting_nights"] + pairs["gathering_nights"]
    pairs["cost"] = _cost(pairs, settings)
    gatherings["hours"] = gatherings["km"] / settings["speed_kmh"]
    gatherings["cost"] = _cost(gatherings, settings) if len(gatherings) else []
    work = _work(settings)
    lines = _lines(pairs, gatherings, work, settings)
    columns = ["mentor_id", "mentee_id", "in_person", "meeting_km", "gathering_km", "km",
               "hours", "nights", "cost"]  # fmt: skip
    return Budget(
        pairs=pairs[columns].reset_index(drop=True),
        gatherings=gatherings.reindex(
            columns=["number", "date", "audience", "people", "km", "hours", "nights", "cost"]
        ),
        work=work,
        lines=lines,
        total=float(lines["cost"].iloc[-1]),
        place=place,
        currency=settings["currency"],
        settings={**settings, "place": place},
    )


def _work(settings: Mapping[str, Any]) -> pd.DataFrame:
    rows = []
    for who, days, rate in (
        ("secretariat", settings["secretariat_days"], settings["hourly_cost"]),
        ("external support", settings["support_days"], settings["support_hourly_cost"]),
    ):
        for phase, count in zip(("development", "programme year"), days, strict=True):
            hours = count * settings["day_hours"]
            rows.append({"who": who, "phase": phase, "days": count, "hours": hours,
                         "cost": hours * rate})  # fmt: skip
    return pd.DataFrame(rows)


def _lines(
    pairs: pd.DataFrame, gatherings: pd.DataFrame, work: pd.DataFrame, settings: Mapping[str, Any]
) -> pd.DataFrame:
    meeting_km = float(pairs["meeting_km"].sum())
    meetings = {"km": meeting_km, "hours": meeting_km / settings["speed_kmh"],
                "nights": float(pairs["meeting_nights"].sum())}  # fmt: skip
    meetings["cost"] = float(_cost(pd.DataFrame([meetings]), settings).iloc[0])
    travel = [
        {"item": ITEMS[0], **meetings, "days": math.nan},
        {"item": ITEMS[1], **{c: float(gatherings[c].sum()) for c in ("km", "hours", "nights")},
         "cost": float(gatherings["cost"].sum()), "days": math.nan},
    ]  # fmt: skip
    labour = [
        {"item": f"{row['who']}, {row['phase']}", "km": math.nan, "hours": row["hours"],
         "nights": math.nan, "days": row["days"], "cost": row["cost"]}
        for row in work.to_dict(orient="records")
    ]  # fmt: skip
    lines = pd.DataFrame([*travel, *labour])
    total = {"item": ITEMS[-1], **lines[["km", "hours", "nights", "days", "cost"]].sum().to_dict()}
    lines = pd.concat([lines, pd.DataFrame([total])], ignore_index=True)
    return lines[["item", "km", "hours", "nights", "days", "cost"]]
