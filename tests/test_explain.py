"""Reasons checked claim by claim: every id, number and rule a reason states, against an
independent computation from the profiles, the rules and the scores (never the Problem).

Every reason must match exactly one of the templates below, so a reason the checker
cannot read fails the test rather than passing unchecked.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.explain import Outcome, numbers, pair_texts, unmatched_reasons
from mentormatch.problem import Problem
from mentormatch.profiles import Profile
from oracles import pair_allowed
from strategies_cohort import cohorts, rule_sets

NUM = r"(-?\d+\.\d+)"
ID = r"([^\s,;()]+)"
COUNTING = (mm.PairCount, mm.RegionQuota, mm.Lock)
FORBIDDING_NAMES = ("AvoidDeclared", "AvoidSameOrganisation", "Forbid(", "MaxDistance", "Region()")


def close(printed: str, value: float) -> bool:
    """Whether a printed number is the value, rounded to the decimals it shows."""
    decimals = len(printed.split(".")[1])
    return abs(float(printed) - value) <= 0.5 * 10**-decimals + 1e-12


@dataclass
class World:
    """The facts of a matched cohort, computed from the profiles and rules alone."""

    cohort: mm.Cohort
    rules: list[mm.Rule]
    result: mm.MatchResult
    seen: Counter[str] = field(default_factory=Counter)

    @cached_property
    def pairs(self) -> list[tuple[str, str]]:
        return list(
            zip(self.result.pairs["mentor_id"], self.result.pairs["mentee_id"], strict=True)
        )

    @cached_property
    def mentor_of(self) -> dict[str, str]:
        return {e: m for m, e in self.pairs}

    @cached_property
    def load(self) -> Counter[str]:
        return Counter(m for m, _ in self.pairs)

    @cached_property
    def locks(self) -> set[tuple[str, str]]:
        return {(r.mentor_id, r.mentee_id) for r in self.rules if isinstance(r, mm.Lock)}

    @cached_property
    def mentors(self) -> list[str]:
        return [str(m) for m in self.result.scores.index]

    @cached_property
    def mentees(self) -> list[str]:
        return [str(e) for e in self.result.scores.columns]

    def score(self, mentor: str, mentee: str) -> float:
        return float(self.result.scores.loc[mentor, mentee])

    def capacity(self, mentor: str) -> int:
        return self.cohort[mentor].capacity

    def ruled(self, mentor: str, mentee: str) -> list[str]:
        """The forbidding rules (as written) that rule the pair out."""
        return self.ruling[mentor, mentee]

    @cached_property
    def ruling(self) -> dict[tuple[str, str], list[str]]:
        forbidding = [r for r in self.rules if not isinstance(r, COUNTING)]
        return {
            (m, e): list(
                dict.fromkeys(
                    str(r)
                    for r in forbidding
                    if not pair_allowed(r, self.cohort[m], self.cohort[e])
                )
            )
            for m in self.mentors
            for e in self.mentees
        }

    def usable(self, mentor: str, mentee: str) -> bool:
        return not self.ruled(mentor, mentee) and self.capacity(mentor) > 0

    def role(self, person: str) -> str:
        return self.cohort[person].role

    def partners(self, person: str) -> list[str]:
        return self.mentees if self.role(person) == "mentor" else self.mentors

    def pair(self, person: str, partner: str) -> tuple[str, str]:
        return (person, partner) if self.role(person) == "mentor" else (partner, person)

    def has_room(self, partner: str) -> bool:
        """A mentor below capacity, or a mentee without a mentor."""
        if self.role(partner) == "mentor":
            return self.load[partner] < self.capacity(partner)
        return partner not in self.mentor_of

    @cached_property
    def quotas(self) -> list[tuple[str, str, int]]:
        """Per region quota group: (rule as written, folded region, limit)."""
        regions = {p.region.casefold() for p in self.cohort.mentees}
        found = []
        for rule in self.rules:
            if isinstance(rule, mm.RegionQuota):
                own = {k.strip().casefold(): v for k, v in (rule.regions or {}).items()}
                for region in sorted(regions):
                    limit = own.get(region, rule.max)
                    if limit is not None:
                        found.append((str(rule), region, limit))
        return found

    def region_count(self, region: str) -> int:
        return sum(self.cohort[e].region.casefold() == region for _, e in self.pairs)

    def full_groups_of(self, mentor: str, mentee: str) -> set[str]:
        """The full quota groups (``rule: region`` folded) that count the pair."""
        region = self.cohort[mentee].region.casefold()
        return {
            f"{rule}: {region}".casefold()
            for rule, key, limit in self.quotas
            if key == region and self.region_count(key) >= limit
        }

    def available(self, person: str) -> list[str]:
        """Allowed partners with room whose pair no full group counts."""
        return [
            p
            for p in self.partners(person)
            if self.usable(*self.pair(person, p))
            and self.has_room(p)
            and not self.full_groups_of(*self.pair(person, p))
        ]

    @cached_property
    def max_pairs(self) -> int | None:
        maxes = [r.max for r in self.rules if isinstance(r, mm.PairCount) and r.max is not None]
        return min(maxes) if maxes else None

    # --- the checks ---------------------------------------------------------------------

    def check_numbers(self, printed: list[str], values: list[float]) -> None:
        assert all(close(p, v) for p, v in zip(printed, values, strict=True)), (printed, values)
        by_value = {v: p for p, v in zip(printed, values, strict=True)}
        assert len(set(by_value.values())) == len(by_value), f"{printed} hide a difference"

    def check_unmatched(self, person: str, reason: str, shared: bool) -> None:
        role = self.role(person)
        other = "mentee" if role == "mentor" else "mentor"
        checks = [
            (r"capacity 0 in the cohort: takes no mentee this round", self._capacity_zero),
            (
                rf"no allowed {other}: the programme's rules rule out (?:all (\d+)|(\d+) of the "
                rf"(\d+)) {other}s(?:, and the other (\d+) (?:takes|take) no mentee this round)?"
                if shared
                else rf"no allowed {other}: of (\d+) {other}s, (.*)",
                self._shared_none if shared else self._internal_none,
            ),
            (
                r"left out because (RegionQuota\([^()]*\)): (.+?) allows at most (\d+) pairs "
                r"and has (\d+)",
                self._group_full,
            ),
            (
                rf"its one allowed mentor, {ID} \({NUM}\), is at capacity, paired with (.*)"
                rf"|its (\d+) allowed mentors are all at capacity; the best, {ID} \({NUM}\), "
                r"is paired with (.*)",
                self._mentors_full,
            ),
            (
                rf"its one allowed mentee, {ID} \({NUM}\), is paired with {ID} \({NUM}(, locked)?\)"
                rf"|its (\d+) allowed mentees are all paired with other mentors; the best for "
                rf"it, {ID} \({NUM}\), is with {ID} \({NUM}(, locked)?\)",
                self._mentees_paired,
            ),
            (
                r"pairing with (?:its one allowed (?:mentor with room|unpaired mentee)|any of its "
                r"(\d+) allowed (?:mentors with room|unpaired mentees)) \((.+?)\) would exceed a "
                r"full limit: (.*)",
                self._blocked,
            ),
            (
                rf"left out by the (\d+)-pair limit \((.+?)\): (?:all (\d+) pairs are locked|"
                rf"its best (?:free allowed mentor|unpaired allowed mentee), {ID} \({NUM}\), "
                rf"(ties with|scores less than) the lowest chosen pair( not locked)?, {ID} with "
                rf"{ID} \({NUM}\))",
                self._limit,
            ),
            (
                rf"pairing with its best (?:free allowed mentor|unpaired allowed mentee), {ID}, "
                rf"would not raise the total: the pair scores {NUM}",
                self._zero,
            ),
        ]
        found = [(check, m) for pattern, check in checks if (m := re.fullmatch(pattern, reason))]
        assert len(found) == 1, f"{person}: no single template reads {reason!r}"
        check, matched = found[0]
        self.seen[check.__name__] += 1
        check(person, matched)

    def _capacity_zero(self, person: str, _: re.Match[str]) -> None:
        assert self.role(person) == "mentor" and self.capacity(person) == 0

    def _no_partner(self, person: str) -> None:
        assert self.role(person) == "mentee" or self.capacity(person) > 0
        assert not any(self.usable(*self.pair(person, p)) for p in self.partners(person))

    def _internal_none(self, person: str, m: re.Match[str]) -> None:
        self._no_partner(person)
        partners = self.partners(person)
        assert int(m[1]) == len(partners)
        listed = dict(re.findall(r"([A-Z]\w*\([^()]*\)) rules out (\d+)", m[2]))
        expected = Counter(rule for p in partners for rule in self.ruled(*self.pair(person, p)))
        assert {rule: int(k) for rule, k in listed.items()} == dict(expected), m[2]
        zero = sum(self.capacity(p) == 0 for p in self.mentors)
        capacity = re.search(r"(\d+) have capacity 0", m[2])
        if self.role(person) == "mentee" and zero:
            assert capacity is not None and int(capacity[1]) == zero
        else:
            assert capacity is None

    def _shared_none(self, person: str, m: re.Match[str]) -> None:
        self._no_partner(person)
        partners = self.partners(person)
        ruled = sum(bool(self.ruled(*self.pair(person, p))) for p in partners)
        if m[1] is not None:
            assert int(m[1]) == ruled == len(partners) and m[4] is None
        else:
            assert (int(m[2]), int(m[3])) == (ruled, len(partners)) and ruled < len(partners)
            assert int(m[4]) == len(partners) - ruled

    def _group_full(self, person: str, m: re.Match[str]) -> None:
        rule, region, limit, count = m[1], m[2].casefold(), int(m[3]), int(m[4])
        assert (rule, region, limit) in self.quotas
        assert count == self.region_count(region) >= limit
        usable = [
            self.pair(person, p)
            for p in self.partners(person)
            if self.usable(*self.pair(person, p))
        ]
        assert usable and all(self.cohort[e].region.casefold() == region for _, e in usable)

    def _mentors_full(self, person: str, m: re.Match[str]) -> None:
        count, best, value, partners = (
            (1, m[1], m[2], m[3]) if m[1] is not None else (int(m[4]), m[5], m[6], m[7])
        )
        usable = [p for p in self.mentors if self.usable(p, person)]
        assert count == len(usable) and all(not self.has_room(p) for p in usable)
        assert best in usable
        assert self.score(best, person) == max(self.score(p, person) for p in usable)
        listed = re.findall(rf"{ID} \({NUM}\)", partners)
        assert [e for e, _ in listed] == sorted(e for mm_, e in self.pairs if mm_ == best)
        self.check_numbers(
            [value, *(s for _, s in listed)],
            [self.score(best, person), *(self.score(best, e) for e, _ in listed)],
        )

    def _mentees_paired(self, person: str, m: re.Match[str]) -> None:
        count, best, value, other, theirs, locked = (
            (1, *m.group(1, 2, 3, 4, 5))
            if m[1] is not None
            else (int(m[6]), *m.group(7, 8, 9, 10, 11))
        )
        usable = [e for e in self.mentees if self.usable(person, e)]
        assert count == len(usable) and all(e in self.mentor_of for e in usable)
        assert best in usable
        assert self.score(person, best) == max(self.score(person, e) for e in usable)
        assert other == self.mentor_of[best]
        assert bool(locked) == ((other, best) in self.locks)
        self.check_numbers([value, theirs], [self.score(person, best), self.score(other, best)])

    def _blocked(self, person: str, m: re.Match[str]) -> None:
        with_room = [
            p
            for p in self.partners(person)
            if self.usable(*self.pair(person, p)) and self.has_room(p)
        ]
        assert int(m[1] or 1) == len(with_room) > 0
        assert m[2] == ", ".join(with_room[:3]) + (
            f" and {len(with_room) - 3} more" if len(with_room) > 3 else ""
        )
        listed = {g.casefold() for g in m[3].split("; ")}
        for p in with_room:
            assert self.full_groups_of(*self.pair(person, p)) & listed
        assert listed <= set().union(
            *(self.full_groups_of(*self.pair(person, p)) for p in with_room)
        )

    def _limit(self, person: str, m: re.Match[str]) -> None:
        assert int(m[1]) == len(self.pairs) == self.max_pairs
        assert m[2] == f"PairCount(max={self.max_pairs})"
        free = [p for p in self.pairs if p not in self.locks]
        if m[3] is not None:
            assert int(m[3]) == len(self.pairs) and not free
            return
        best, value, verb, not_locked, low_m, low_e, low = m.group(4, 5, 6, 7, 8, 9, 10)
        assert best in self.available(person)
        mine = self.score(*self.pair(person, best))
        assert mine == max(self.score(*self.pair(person, p)) for p in self.available(person))
        assert (low_m, low_e) in free
        floor = self.score(low_m, low_e)
        assert floor == min(self.score(*p) for p in free)
        assert (verb == "ties with") == (mine == floor) and mine <= floor
        assert bool(not_locked) == bool(self.locks)
        self.check_numbers([value, low], [mine, floor])

    def _zero(self, person: str, m: re.Match[str]) -> None:
        best, value = m[1], m[2]
        assert self.max_pairs is None or len(self.pairs) < self.max_pairs
        mine = self.score(*self.pair(person, best))
        assert best in self.available(person) and mine <= 0
        assert mine == max(self.score(*self.pair(person, p)) for p in self.available(person))
        assert close(value, mine) and float(value) <= 0

    def check_pair(self, mentor: str, mentee: str, text: str, shared: bool) -> None:
        head = re.match(
            rf"{re.escape(mentee)} is paired with {re.escape(mentor)} \(score {NUM}\): ", text
        )
        assert head and close(head[1], self.score(mentor, mentee)), text
        mine = self.score(mentor, mentee)
        usable = [p for p in self.mentors if self.usable(p, mentee)]
        top = max(self.score(p, mentee) for p in usable)
        lock = re.search(r"The pair is set by Lock\('([^']+)', '([^']+)'\)", text)
        assert bool(lock) == ((mentor, mentee) in self.locks)
        if lock:
            assert lock.groups() == (mentor, mentee)
            self.seen["locked pair"] += 1
        best = re.search(
            rf"{re.escape(mentor)} is {re.escape(mentee)}'s best allowed mentor[;.]", text
        )
        tied = re.search(
            rf"{re.escape(mentor)} is one of {re.escape(mentee)}'s best allowed mentors, tied "
            r"with (.+?)(?:; |\.$)",
            text,
        )
        worse = re.search(
            rf"{re.escape(mentee)}'s best allowed mentor, {ID} \({NUM} against {NUM}\), "
            r"(is at capacity with (.+?)|has room, but the chosen pairs are the best the rules "
            r"allow)(?:; |\.$)",
            text,
        )
        assert sum(x is not None for x in (best, tied, worse)) == 1, text
        ties = [p for p in usable if p != mentor and self.score(p, mentee) == mine]
        if best:
            assert mine == top and not ties
            self.seen["best"] += 1
        elif tied:
            assert mine == top and ties
            listed = tied[1].split(", ")
            more = re.fullmatch(r"(.*) and (\d+) more", tied[1])
            if more:
                listed = more[1].split(", ")
                assert len(listed) + int(more[2]) == len(ties)
            else:
                assert len(listed) == len(ties)
            assert listed == ties[: len(listed)]
            self.seen["tied"] += 1
        else:
            assert worse is not None
            other, theirs, ours = worse[1], worse[2], worse[3]
            assert other in usable and self.score(other, mentee) == top > mine
            self.check_numbers([theirs, ours], [top, mine])
            if worse[5] is not None:
                assert not self.has_room(other)
                listed = re.findall(rf"{ID} \({NUM}\)", worse[5])
                assert [e for e, _ in listed] == sorted(e for m_, e in self.pairs if m_ == other)
                self.check_numbers(
                    [s for _, s in listed], [self.score(other, e) for e, _ in listed]
                )
            else:
                assert self.has_room(other)
            self.seen["not the best"] += 1
        ruled_out = [p for p in self.mentors if self.ruled(p, mentee)]
        better = max(ruled_out, key=lambda p: self.score(p, mentee), default=None)
        beats = better is not None and self.score(better, mentee) > mine
        if shared:
            said = re.search(
                rf"a mentor who would score {NUM} is ruled out by the programme's rules\.$", text
            )
            assert not any(name in text for name in FORBIDDING_NAMES), text
        else:
            said = re.search(rf"{ID} would score {NUM} but is ruled out by (.+)\.$", text)
        assert bool(said) == beats, text
        if said and beats:
            assert better is not None
            value = said[1] if shared else said[2]
            assert close(value, self.score(better, mentee))
            if not shared:
                assert self.score(said[1], mentee) == self.score(better, mentee)
                assert said[3] == ", ".join(self.ruled(said[1], mentee))
            self.seen["ruled out"] += 1

    def check_all(self) -> None:
        result = self.result
        for row in result.pairs.itertuples():
            self.check_pair(row.mentor_id, row.mentee_id, result.explain(row.mentee_id), False)
            self.check_pair(row.mentor_id, row.mentee_id, row.reason, True)
        for mentor in {m for m, _ in self.pairs}:
            mine = sorted(e for m, e in self.pairs if m == mentor)
            text = result.explain(mentor)
            listed = re.findall(rf"{ID} \(score {NUM}(, locked)?: ", text)
            assert [e for e, _, _ in listed] == mine
            assert all(bool(lock) == ((mentor, e) in self.locks) for e, _, lock in listed)
            capacity = min(self.capacity(mentor), len(self.mentees))  # more is the same as all
            assert text.endswith(f"; capacity {capacity}.")
        shared = dict(zip(result.unmatched["id"], result.unmatched["reason"], strict=True))
        for person, reason in shared.items():
            internal = result.explain(person)
            prefix = f"{person} is not paired: "
            assert internal.startswith(prefix) and internal.endswith(".")
            self.check_unmatched(person, internal[len(prefix) : -1], shared=False)
            self.check_unmatched(person, reason, shared=True)
            assert not any(name in reason for name in FORBIDDING_NAMES), reason
        paired = {m for m, _ in self.pairs} | {e for _, e in self.pairs}
        assert set(shared) == {p.id for p in self.cohort.profiles} - paired


def checked(cohort: mm.Cohort, rules: list[mm.Rule], **kwargs: object) -> World:
    world = World(cohort, rules, mm.match(cohort, rules=rules, **kwargs))  # type: ignore[arg-type]
    world.check_all()
    return world


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_claim_of_every_reason_on_random_cohorts_and_rules(data: st.DataObject) -> None:
    cohort = data.draw(cohorts(max_mentors=5, max_mentees=6))
    checked_or_infeasible(cohort, data.draw(rule_sets(cohort)))


def checked_or_infeasible(cohort: mm.Cohort, rules: list[mm.Rule]) -> None:
    """Check every reason of the round, or note that the rules clash; report what was seen."""
    try:
        world = checked(cohort, rules)
    except mm.InfeasibleError:
        event("infeasible")
        return
    for kind in world.seen:
        event(kind)


@st.composite
def busy_rounds(draw: st.DrawFn) -> tuple[mm.Cohort, list[mm.Rule]]:
    """Rounds where the pair limit, capacities and quotas bind: every mentor takes 1-2
    mentees, scores rarely tie, and a small PairCount(max) is always among the rules."""
    n_mentors, n_mentees = draw(st.integers(2, 5)), draw(st.integers(2, 6))
    regions = ("N", "S", "W")
    people = [
        Profile(
            id=f"{role[0] if role == 'mentor' else 'e'}{k}",
            role=role,
            organisation=draw(st.sampled_from(["A", "B", "C", "D"])),
            region=draw(st.sampled_from(regions)),
            years_in_role=draw(st.integers(0, 25)),
            population=draw(st.integers(1_000, 100_000)),
            capacity=draw(st.integers(1, 2)),
            latitude=draw(st.floats(58.0, 70.0)),
            longitude=draw(st.floats(5.0, 20.0)),
        )
        for role, count in (("mentor", n_mentors), ("mentee", n_mentees))
        for k in range(count)
    ]
    mentors = [p.id for p in people if p.role == "mentor"]
    mentees = [p.id for p in people if p.role == "mentee"]
    optional: list[st.SearchStrategy[mm.Rule]] = [
        st.just(mm.AvoidSameOrganisation()),
        st.builds(lambda k: mm.MaxDistance(km=k), st.sampled_from([300, 600])),
        st.builds(lambda k: mm.RegionQuota(max=k), st.integers(0, 2)),
        st.builds(mm.Lock, st.sampled_from(mentors), st.sampled_from(mentees)),
        st.builds(mm.Forbid, st.sampled_from(mentors), st.sampled_from(mentees)),
    ]
    rules = [
        mm.PairCount(max=draw(st.integers(1, 4))),
        *draw(st.lists(st.one_of(optional), max_size=3)),
    ]
    return mm.Cohort(profiles=tuple(people)), rules


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(busy_rounds())
def test_every_claim_of_every_reason_where_limits_bind(
    round_: tuple[mm.Cohort, list[mm.Rule]],
) -> None:
    checked_or_infeasible(*round_)


# --- each kind of reason, at least once, on a cohort built for it ---------------------------


def person(person_id: str, role: str, region: str = "R", **fields: object) -> Profile:
    return Profile(
        id=person_id, role=role, organisation=f"org {person_id}", region=region, **fields
    )


def cohort_of(*people: Profile) -> mm.Cohort:
    return mm.Cohort(profiles=people)


SENIOR = {"years_in_role": 20.0}
ONLY_EXPERIENCE = {
    "experience": 1,
    "themes": 0,
    "size": 0,
    "proximity": 0,
    "level": 0,
    "language": 0,
}


@pytest.mark.parametrize(
    ("people", "rules", "expected"),
    [
        (
            [
                person("m1", "mentor", **SENIOR),
                person("m2", "mentor", capacity=0),
                person("e1", "mentee", avoid=("m1",)),
            ],
            [mm.AvoidDeclared()],
            {"_capacity_zero", "_internal_none", "_shared_none"},
        ),
        (
            [
                person("m1", "mentor", **SENIOR),
                person("m2", "mentor", **SENIOR),
                person("e1", "mentee"),
                person("e2", "mentee"),
            ],
            [mm.RegionQuota(max=1)],
            {"_group_full"},
        ),
        (
            [person("m1", "mentor", **SENIOR), person("e1", "mentee"), person("e2", "mentee")],
            [],
            {"_mentors_full", "best"},
        ),
        (
            [
                person("m1", "mentor", **SENIOR),
                person("m2", "mentor", **SENIOR),
                person("m3", "mentor"),
                person("e1", "mentee"),
            ],
            [],
            {"_mentees_paired", "tied"},
        ),
        (
            [
                person("m1", "mentor", **SENIOR),
                person("m2", "mentor", "S", **SENIOR),
                person("e1", "mentee"),
                person("e2", "mentee", years_in_role=5.0),
            ],
            [mm.PairCount(max=1)],
            {"_limit"},
        ),
        (
            [
                person("m1", "mentor", **SENIOR),
                person("m2", "mentor", **SENIOR),
                person("e1", "mentee"),
                person("e2", "mentee"),
            ],
            [mm.PairCount(max=1), mm.Lock("m2", "e2")],
            {"_limit", "locked pair"},
        ),
        (
            [
                person("m1", "mentor", years_in_role=8.0),
                person("m2", "mentor", years_in_role=3.0),
                person("m3", "mentor", **SENIOR),
                person("e1", "mentee", years_in_role=0.0),
                person("e2", "mentee", years_in_role=0.0, avoid=("org m3",)),
                person("e3", "mentee", years_in_role=0.0),
            ],
            [mm.AvoidDeclared()],
            {"ruled out", "not the best"},
        ),
    ],
)
def test_each_kind_of_reason_is_checked(
    people: list[Profile], rules: list[mm.Rule], expected: set[str]
) -> None:
    world = checked(cohort_of(*people), rules, weights={"experience": 1, "themes": 0})
    assert expected <= set(world.seen), world.seen


def test_a_full_limit_that_blocks_every_unpaired_mentee_of_a_mentor() -> None:
    people = [
        person("m1", "mentor", **SENIOR),
        person("m2", "mentor", years_in_role=5.0),
        person("m3", "mentor", **SENIOR),
        person("e1", "mentee", "N", years_in_role=0.0),
        person("e2", "mentee", "N", years_in_role=0.0),
        person("e3", "mentee", "S", years_in_role=0.0),
    ]
    world = checked(
        cohort_of(*people), [mm.RegionQuota(regions={"N": 1})], weights={"experience": 1}
    )
    assert world.seen["_blocked"] == 2  # in both voices
    unpaired = "e2" if "e1" in set(world.result.pairs["mentee_id"]) else "e1"
    assert world.result.explain("m2") == (
        f"m2 is not paired: pairing with its one allowed unpaired mentee ({unpaired}) would "
        "exceed a full limit: RegionQuota(regions={'N': 1}): N."
    )


def test_a_free_partner_scoring_zero_would_not_raise_the_total() -> None:
    people = [
        person("m1", "mentor", years_in_role=1.0),
        person("m2", "mentor", **SENIOR),
        person("e1", "mentee", years_in_role=5.0),
        person("e2", "mentee", years_in_role=5.0),
    ]
    world = checked(cohort_of(*people), [mm.Forbid("m2", "e2")], weights=ONLY_EXPERIENCE)
    assert world.seen["_zero"] == 4  # m1 (mentor) and e2 (mentee), in both voices
    assert world.result.explain("e2") == (
        "e2 is not paired: pairing with its best free allowed mentor, m1, would not raise the "
        "total: the pair scores 0.00."
    )


def test_scores_that_print_alike_are_told_apart_or_said_to_tie() -> None:
    scores = np.array([[0.8, 0.8], [0.80001, 0.1]])
    problem = Problem.build(scores, max_pairs=1, mentor_ids=("m1", "m2"), mentee_ids=("e1", "e2"))
    reasons = unmatched_reasons(Outcome(problem, [(1, 0)], lambda m, e: ""))
    assert reasons["e2"][1].endswith(
        "m1 (0.80000), scores less than the lowest chosen pair, m2 with e1 (0.80001)"
    )
    problem = Problem.build(
        np.array([[0.8, 0.8]]), capacity=2, max_pairs=1, mentor_ids=("m1",), mentee_ids=("e1", "e2")
    )
    reasons = unmatched_reasons(Outcome(problem, [(0, 0)], lambda m, e: ""))
    assert reasons["e2"][1].endswith(
        "m1 (0.80), ties with the lowest chosen pair, m1 with e1 (0.80)"
    )
    assert numbers(0.123456789, 0.123456788) == ["0.123456789", "0.123456788"]


def test_a_locked_pair_is_never_said_to_be_chosen_for_a_higher_total() -> None:
    result = mm.match(mm.example_cohort(), rules=[mm.PairCount(8, 12), mm.Lock("M006", "E005")])
    text = result.explain("E005")
    assert "The pair is set by Lock('M006', 'E005')" in text
    assert "higher total" not in " ".join(result.explanations.values())
    assert "locked" in result.explain("M006")


def test_shared_reasons_never_reveal_declared_conflicts() -> None:
    people = [
        person("m1", "mentor", years_in_role=8.0),
        person("m3", "mentor", **SENIOR),
        person("e1", "mentee", years_in_role=0.0),
        person("e2", "mentee", years_in_role=0.0, avoid=("org m3",)),
        person("e4", "mentee", years_in_role=0.0, avoid=("org m1", "m3")),
    ]
    world = checked(cohort_of(*people), [mm.AvoidDeclared()], weights=ONLY_EXPERIENCE)
    result = world.result
    assert result.explain("e2").endswith("m3 would score 1.00 but is ruled out by AvoidDeclared().")
    (shared,) = result.pairs.loc[result.pairs["mentee_id"] == "e2", "reason"]
    assert shared.endswith("a mentor who would score 1.00 is ruled out by the programme's rules.")
    assert "m3" not in shared
    assert result.explain("e4") == (
        "e4 is not paired: no allowed mentor: of 2 mentors, AvoidDeclared() rules out 2."
    )
    assert result.unmatched.set_index("id").loc["e4", "reason"] == (
        "no allowed mentor: the programme's rules rule out all 2 mentors"
    )


def test_the_not_optimal_fallback_says_so() -> None:
    problem = Problem.build(
        np.array([[0.9, 0.5], [0.1, 0.4]]), mentor_ids=("m1", "m2"), mentee_ids=("e1", "e2")
    )
    outcome = Outcome(problem, [(0, 0)], lambda m, e: "", status="feasible")
    assert unmatched_reasons(outcome)["e2"][1] == (
        "its best free allowed mentor, m2 (0.40), is not in the best pairing found within the "
        "time limit (not proven optimal)"
    )
    (text,) = pair_texts(Outcome(problem, [(1, 1)], lambda m, e: "", status="feasible"))
    assert text.endswith(
        "e2's best allowed mentor, m1 (0.50 against 0.40), has room; the pairs are the best "
        "found within the time limit (not proven optimal)."
    )


def test_survey_in_blocks_equals_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [mm.PairCount(8, 10), mm.AvoidSameOrganisation(), mm.RegionQuota(max=1)]
    whole = mm.match(mm.example_cohort(), rules=rules)
    monkeypatch.setattr("mentormatch.explain.BLOCK_CELLS", 7)
    blocks = mm.match(mm.example_cohort(), rules=rules)
    assert whole.explanations == blocks.explanations
    pd.testing.assert_frame_equal(whole.unmatched, blocks.unmatched)
