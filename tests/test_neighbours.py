"""AvoidNeighbours: its mask against the shared adjacency files pair by pair, optimality against
scipy, people it cannot place, your own border tables, files and reasons."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

import mentormatch as mm
from mentormatch.rules import Context, compile_rules
from oracles import are_neighbours, shared_municipalities

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _counties() -> dict[str, tuple[str, str]]:
    """County id -> (name, country), from the shared files."""
    found = {}
    for row in shared_municipalities().values():
        norwegian = row["county_id"].startswith("NO")
        found[row["county_id"]] = (row["fylke"] if norwegian else row["lan"], row["county_id"][:2])
    return found


PLACES = sorted(shared_municipalities()) + sorted(_counties())


def _written(place: str, form: int) -> tuple[str, str, str]:
    """(organisation as someone writes it, region, country) for a place id."""
    counties = _counties()
    if place in counties:
        name, country = counties[place]
        written = [f"{name} fylkeskommune" if country == "NO" else f"Region {name}", name]
        return written[form % 2], name, country
    row = shared_municipalities()[place]
    country = place[:2]
    name = row["name_no"] if country == "NO" else row["name"]
    written = [name, f"{name} kommune" if country == "NO" else f"{name} kommun"]
    return written[form % 2], counties[row["county_id"]][0], country


@st.composite
def placed_cohorts(draw: st.DrawFn, near: str | None = None) -> mm.Cohort:
    """People at known places (column ``place``); half near ``near``'s county when given."""
    pool = st.sampled_from(PLACES)
    if near is not None:
        local = [p for p in PLACES if p.startswith(near)]
        pool = st.one_of(pool, st.sampled_from(local))
    n_mentors, n_mentees = draw(st.integers(1, 6)), draw(st.integers(1, 7))
    rows = []
    for k in range(n_mentors + n_mentees):
        place = draw(pool)
        organisation, region, country = _written(place, draw(st.integers(0, 1)))
        rows.append(
            {
                "id": f"m{k}" if k < n_mentors else f"e{k}",
                "role": "mentor" if k < n_mentors else "mentee",
                "organisation": organisation,
                "region": region,
                "country": country,
                "level": "county" if place in _counties() else "municipality",
                "themes": ";".join(draw(st.lists(st.sampled_from(["crisis", "strategy"])))),
                "years_in_role": draw(st.integers(0, 20)),
                "capacity": draw(st.integers(0, 2)),
                "place": place,
            }
        )
    return mm.Cohort.from_frame(pd.DataFrame(rows))


def _oracle(cohort: mm.Cohort, matrix: pd.DataFrame, corners: bool = True) -> np.ndarray:
    place = {p.id: p.extra["place"] for p in cohort.profiles}
    return np.array(
        [
            [are_neighbours(place[m], place[e], corners) for e in matrix.columns]
            for m in matrix.index
        ]
    ).reshape(matrix.shape)


@FAST
@given(cohort=placed_cohorts(near="NO-18"), corners=st.booleans())
def test_the_rule_forbids_exactly_the_pairs_whose_places_are_neighbours(
    cohort: mm.Cohort, corners: bool
) -> None:
    matrix = mm.score(cohort).matrix
    rule = mm.AvoidNeighbours(corners=corners)
    forbidden = compile_rules(cohort, [rule], matrix).forbidden_by[str(rule)]
    np.testing.assert_array_equal(forbidden, _oracle(cohort, matrix, corners))


@FAST
@given(cohort=placed_cohorts(near="SE-1"))
def test_match_is_optimal_among_pairs_that_are_not_neighbours(cohort: mm.Cohort) -> None:
    result = mm.match(cohort, rules=[mm.AvoidNeighbours()])
    matrix = result.scores
    forbidden = _oracle(cohort, matrix)
    for m, e in zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True):
        assert not forbidden[matrix.index.get_loc(m), matrix.columns.get_loc(e)]
    capacity = [cohort[m].capacity for m in matrix.index]
    rows = np.repeat(np.arange(len(capacity)), capacity)  # one row per mentor place
    gains = np.where(forbidden, 0.0, matrix.to_numpy())[rows]
    best = gains[linear_sum_assignment(gains, maximize=True)].sum() if rows.size else 0.0
    assert result.objective == pytest.approx(best, abs=1e-9)


def test_corners_decide_the_vertex_only_pairs() -> None:
    # Danderyd and Stockholm touch at one point of the simplified boundaries
    people = [("m", "mentor", "Danderyds kommun"), ("e", "mentee", "Stockholms stad")]
    context = _context(people, region="Stockholms län")
    assert mm.AvoidNeighbours().forbids(context).tolist() == [[True]]
    assert mm.AvoidNeighbours(corners=False).forbids(context).tolist() == [[False]]


def _context(people: list[tuple[str, str, str]], region: str = "-") -> Context:
    frame = pd.DataFrame(people, columns=["id", "role", "organisation"]).assign(region=region)
    cohort = mm.Cohort.from_frame(frame)
    return Context(cohort.mentors, cohort.mentees)


# --- people the package cannot place ---------------------------------------------------------


def test_unknown_and_ambiguous_organisations_are_named_once_with_their_ids() -> None:
    people = [
        ("m1", "mentor", "Atlantis"),
        ("m2", "mentor", "Bodø"),
        ("e1", "mentee", "Atlantis"),
        ("e2", "mentee", "Herøy kommune"),
        ("e3", "mentee", "Fauske"),
    ]
    with pytest.raises(mm.InputError) as caught:
        mm.AvoidNeighbours().forbids(_context(people))
    messages = [v.message for v in caught.value.violations]
    assert len(messages) == 2
    assert messages[0].startswith("AvoidNeighbours(): 'Atlantis' (e1, m1) names no known")
    assert (
        "'Herøy kommune' (e2) may mean Herøy (municipality in Møre og Romsdal, NO)" in (messages[1])
    )
    assert all("skip_unknown=True" in m for m in messages)
    allowed = mm.AvoidNeighbours(skip_unknown=True).forbids(_context(people))
    assert allowed.tolist() == [[False, False, False], [False, False, True]]


# --- your own borders ------------------------------------------------------------------------

PEOPLE = [
    ("m1", "mentor", "Bodø kommune"),
    ("m2", "mentor", "Narvik"),
    ("e1", "mentee", "NARVIK KOMMUNE"),
    ("e2", "mentee", "Fauske"),
    ("e3", "mentee", "Bodø"),
]


def test_own_borders_as_pairs_replace_the_package_borders() -> None:
    rule = mm.AvoidNeighbours(borders=[("Bodø", "Narvik kommune")])
    assert rule.forbids(_context(PEOPLE)).tolist() == [[True, False, False], [False, False, True]]
    assert mm.AvoidNeighbours().forbids(_context(PEOPLE)).tolist() == [
        [False, True, False],
        [False, False, False],
    ]


@pytest.mark.parametrize(
    "content",
    [
        "a,b\nBodø,Narvik kommune\n",
        "\ufefffrom;to;note\nBodø kommune;Narvik;x\n\n",
        "a,b\n Bodø , Narvik\nFauske,Saltdal\n",
    ],
)
def test_own_borders_from_a_csv_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "borders.csv"
    path.write_text(content, encoding="utf-8")
    rule = mm.AvoidNeighbours(borders=str(path))
    assert rule.forbids(_context(PEOPLE)).tolist() == [[True, False, False], [False, False, True]]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a,b\nBodø,\nFauske,Fauske kommune\n", ["row 2: expected two", "row 3: 'Fauske' and"]),
        ("a,b\n", ["expected pairs of organisations below a header row"]),
        (b"a,b\n\xff\xfe,x\n", ["cannot read the borders: not UTF-8 text"]),
    ],
)
def test_bad_border_files_name_the_file_and_rows(
    tmp_path: Path, content: str | bytes, expected: list[str]
) -> None:
    path = tmp_path / "borders.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(mm.InputError) as caught:
        mm.AvoidNeighbours(borders=str(path)).forbids(_context(PEOPLE))
    assert all(str(path) in str(v) for v in caught.value.violations)
    for text in expected:
        assert text in str(caught.value)
    with pytest.raises(mm.InputError, match="cannot read the borders"):
        mm.AvoidNeighbours(borders=str(tmp_path / "missing.csv")).forbids(_context(PEOPLE))


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"borders": [("Bodø", " ")]}, "expected two organisation names"),
        ({"borders": [("Bodø", "bodø kommune")]}, "are one organisation"),
        ({"borders": ""}, "expected the path of a CSV file"),
        ({"borders": [("Bodø", "Fauske", "Saltdal")]}, "expected pairs of two organisation names"),
        (
            {"borders": [["Bodø", 7]]},
            "expected pairs of two organisation names, got \\['Bodø', 7\\]",
        ),
        ({"borders": 123}, "expected the path of a CSV file or a list of pairs, got 123"),
        ({"borders": "b.csv", "corners": False}, "apply to the package's borders"),
        ({"corners": "sometimes"}, "'corners'"),
    ],
)
def test_bad_arguments_are_refused_when_the_rule_is_made(
    arguments: dict[str, object], expected: str
) -> None:
    with pytest.raises(mm.InputError, match=expected) as caught:
        mm.AvoidNeighbours(**arguments)  # type: ignore[arg-type]
    assert "AvoidNeighbours" in str(caught.value)


# --- files, text and reasons -----------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_every_form_saves_and_loads(tmp_path: Path, suffix: str) -> None:
    rules = [
        mm.AvoidNeighbours(),
        mm.AvoidNeighbours(corners=False, skip_unknown=True),
        mm.AvoidNeighbours(borders="borders.csv"),
        mm.AvoidNeighbours(borders=[("Bodø", "Fauske"), ("Lund", "Malmö")]),
    ]
    assert mm.load_rules(mm.save_rules(rules, tmp_path / f"rules{suffix}")) == tuple(rules)
    assert [str(rule) for rule in rules[:3]] == [
        "AvoidNeighbours()",
        "AvoidNeighbours(corners=False, skip_unknown=True)",
        "AvoidNeighbours(borders='borders.csv')",
    ]


def _pilot(tmp_path: Path) -> mm.Cohort:
    rows = [
        ("M1", "mentor", "Fauske kommune", "Nordland", "crisis;strategy", 20),
        ("M2", "mentor", "Kiruna kommun", "Norrbottens län", "", 1),
        ("E1", "mentee", "Bodø kommune", "Nordland", "crisis;strategy", 1),
    ]
    columns = ["id", "role", "organisation", "region", "themes", "years_in_role"]
    path = tmp_path / "cohort.csv"
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return mm.read_cohort(path)


def test_reasons_and_conflicts_name_the_rule(tmp_path: Path) -> None:
    cohort = _pilot(tmp_path)
    one = mm.PairCount(max=1)
    assert mm.match(cohort, rules=[one]).pairs["mentor_id"].tolist() == ["M1"]  # fits best
    result = mm.match(cohort, rules=[one, mm.AvoidNeighbours()])
    assert result.pairs["mentor_id"].tolist() == ["M2"]
    assert "M1 would score" in result.explain("E1") and "AvoidNeighbours()" in result.explain("E1")
    with pytest.raises(mm.InfeasibleError, match=r"Lock\('M1', 'E1'\).*AvoidNeighbours\(\)"):
        mm.match(cohort, rules=[mm.AvoidNeighbours(), mm.Lock("M1", "E1")])
