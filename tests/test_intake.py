"""Cohort intake: files as users export them, every problem named, nothing lost or mutated."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.themes import catalogue

BASE = {
    "id": ["m1", "e1"],
    "role": ["mentor", "mentee"],
    "organisation": ["Bodø kommune", "Narvik kommune"],
    "region": ["Nordland", "Nordland"],
}

text = st.text(
    alphabet=string.ascii_letters + string.digits + "æøåÆØÅäöÄÖ ,.'\"-=+@", min_size=1, max_size=12
).filter(lambda s: s.strip() == s and s.strip() != "")
ident = st.text(alphabet=string.digits + "ABCxyz-_ø", min_size=1, max_size=6)
theme_keys = st.sampled_from(sorted(catalogue()))


@st.composite
def cohorts(draw: st.DrawFn) -> mm.Cohort:
    """Valid cohorts with nasty but legal values: leading-zero ids, Nordic letters, extras."""
    ids = draw(st.lists(ident, min_size=2, max_size=8, unique=True))
    roles = [
        "mentor",
        "mentee",
        *draw(
            st.lists(
                st.sampled_from(["mentor", "mentee"]), min_size=len(ids) - 2, max_size=len(ids) - 2
            )
        ),
    ]
    rows = []
    for person_id, role in zip(ids, roles, strict=True):
        row = {
            "id": person_id,
            "role": role,
            "name": draw(st.none() | text),
            "organisation": draw(text),
            "region": draw(text),
            "level": draw(st.none() | st.sampled_from(["municipality", "county"])),
            "years_in_role": draw(st.none() | st.floats(0, 40).map(lambda x: round(x, 2))),
            "population": draw(st.none() | st.integers(0, 1_000_000)),
            "themes": ";".join(draw(st.lists(theme_keys, max_size=3, unique=True))),
            "languages": ";".join(draw(st.lists(st.sampled_from(["nb", "sv", "en"]), unique=True))),
            "capacity": draw(st.integers(0, 3)),
            "latitude": draw(st.none() | st.floats(-90, 90).map(lambda x: round(x, 5))),
            "longitude": draw(st.none() | st.floats(-180, 180).map(lambda x: round(x, 5))),
            "notes": draw(st.none() | text),
        }
        rows.append(row)
    return mm.Cohort.from_frame(pd.DataFrame(rows))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cohort=cohorts(), suffix=st.sampled_from([".csv", ".xlsx", ".json"]))
def test_any_valid_cohort_round_trips_through_every_format(
    tmp_path: Path, cohort: mm.Cohort, suffix: str
) -> None:
    path = mm.write_cohort(cohort, tmp_path / f"cohort{suffix}")
    assert mm.read_cohort(path) == cohort


@settings(max_examples=40, deadline=None)
@given(cohort=cohorts())
def test_to_frame_from_frame_round_trips(cohort: mm.Cohort) -> None:
    assert mm.Cohort.from_frame(cohort.to_frame()) == cohort


def test_nordic_csv_dialect_semicolon_bom_decimal_comma(tmp_path: Path) -> None:
    content = (
        "\ufeffid;role;name;organisation;region;years_in_role;population;latitude;longitude\n"
        "007;mentor;Øystein Æsøy;Bodø kommune;Nordland;12,5;53 712;67,26;14,84\n"
        "010;mentee;Åsa Öberg;Umeå kommun;Västerbottens län;0,5;122892;63,9;20,2\n"
    )
    cohort = mm.read_cohort(write(tmp_path, "nordic.csv", content))
    mentor, mentee = cohort.mentors[0], cohort.mentees[0]
    assert (mentor.id, mentee.id) == ("007", "010")
    assert mentor.name == "Øystein Æsøy" and mentee.organisation == "Umeå kommun"
    assert (mentor.years_in_role, mentor.population, mentor.latitude) == (12.5, 53712, 67.26)
    assert cohort.columns[0] == "id"


def test_comma_csv_with_quoted_decimal_comma_and_windows_1252(tmp_path: Path) -> None:
    content = (
        "id,role,organisation,region,years_in_role\n"
        '1,mentor,Tromsø,Troms,"3,5"\n2,mentee,Bø,Nordland,1\n'
    )
    cohort = mm.read_cohort(write(tmp_path, "legacy.csv", content.encode("cp1252")))
    assert cohort.mentors[0].years_in_role == 3.5
    assert cohort.mentors[0].organisation == "Tromsø"


def test_excel_ids_stay_text_and_numbers_are_read(tmp_path: Path) -> None:
    frame = pd.DataFrame({**BASE, "id": ["007", "0010"], "capacity": [2, None]})
    frame.to_excel(tmp_path / "c.xlsx", index=False)
    cohort = mm.read_cohort(tmp_path / "c.xlsx")
    assert [p.id for p in cohort.profiles] == ["007", "0010"]
    assert cohort.mentors[0].capacity == 2 and cohort.mentees[0].capacity == 1


def test_themes_accept_keys_and_labels_in_any_language(tmp_path: Path) -> None:
    content = (
        "id,role,organisation,region,themes\n"
        "m1,mentor,A,R,CRISIS;Politisk turbulens;Den gylne sonen: mål og strategi mellom "
        "politikk og administrasjon\n"
        "e1,mentee,B,R,crisis/Preparedness;balance in life and making time suffice;"
        "Det svåra ledarskapet/Konflikthantering;Det vanskelige lederskapet/nedbemanning;"
        "crisis/etter\n"
    )
    cohort = mm.read_cohort(write(tmp_path, "themes.csv", content))
    assert cohort.mentors[0].themes == ("crisis", "political-turbulence", "golden-zone")
    assert cohort.mentees[0].themes == (
        "crisis/preparedness",
        "life-balance",
        "hard-leadership/conflict-handling",
        "hard-leadership/staff-reductions",
        "crisis/after",
    )


def test_unknown_columns_are_kept_in_place(tmp_path: Path) -> None:
    frame = pd.DataFrame({"email": ["a@x", "b@y"], **BASE, "start_year": ["2020", None]})
    out = mm.Cohort.from_frame(frame).to_frame()
    columns = ["email", "id", "role", "organisation", "region", "start_year"]
    assert list(out.columns) == [*columns, "latitude", "longitude"]  # from Bodø's and Narvik's
    assert out["email"].tolist() == ["a@x", "b@y"]
    assert out["start_year"].tolist() == ["2020", None]


def test_the_callers_frame_is_not_mutated() -> None:
    frame = pd.DataFrame({**BASE, "themes": ["Crisis", None], " notes ": ["x", "y"]})
    before = frame.copy(deep=True)
    mm.Cohort.from_frame(frame)
    pd.testing.assert_frame_equal(frame, before)


BAD_ROWS = [
    ({"id": ["m1", "m1"]}, 3, "id", "duplicate id 'm1'"),
    ({"id": ["m1", " "]}, 3, "id", "id is empty"),
    ({"role": ["mentor", "boss"]}, 3, "role", "unknown role 'boss'; expected 'mentor' or 'mentee'"),
    ({"years_in_role": ["-3", "1"]}, 2, "years_in_role", "a number of years, 0 or more"),
    ({"years_in_role": ["10 år", "1"]}, 2, "years_in_role", "write the number only"),
    ({"population": ["1", "-10"]}, 3, "population", "whole number of inhabitants, 0 or more"),
    ({"capacity": ["-1", ""]}, 2, "capacity", "whole number of mentees, 0 or more"),
    ({"capacity": ["1.5", ""]}, 2, "capacity", "whole number of mentees"),
    ({"capacity": ["two", ""]}, 2, "capacity", "got 'two'; write it in digits"),
    ({"latitude": ["91", "60"]}, 2, "latitude", "latitude in decimal degrees, from -90 to 90"),
    ({"longitude": ["10", "-181"]}, 3, "longitude", "from -180 to 180"),
    ({"themes": ["crisis", "cooking"]}, 3, "themes", "unknown theme 'cooking'"),
    ({"themes": ["crisis", "crises"]}, 3, "themes", "did you mean 'crisis'?"),
    ({"avoid": ["x;m1", ""]}, 2, "avoid", "'m1' avoids themself"),
    ({"organisation": ["", "B"]}, 2, "organisation", "organisation is empty"),
]


@pytest.mark.parametrize(("change", "row", "column", "expected"), BAD_ROWS)
def test_each_bad_cell_is_named_by_file_row_and_column(
    tmp_path: Path, change: dict[str, list[str]], row: int, column: str, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    pd.DataFrame({**BASE, **change}).to_csv(path, index=False)
    with pytest.raises(mm.InputError) as caught:
        mm.read_cohort(path)
    (violation,) = [v for v in caught.value.violations if v.row is not None]
    assert (violation.file, violation.row, violation.column) == ("bad.csv", row, column)
    assert expected in violation.message
    assert f"bad.csv, row {row}, column '{column}'" in str(caught.value)


def test_unknown_theme_lists_the_valid_keys() -> None:
    with pytest.raises(mm.InputError, match=r"expected a theme's key \(golden-zone, complex-inq"):
        mm.Cohort.from_frame(pd.DataFrame({**BASE, "themes": ["x", None]}))


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    content = (
        "id,role,organisation,region,capacity\nm1,mentor,A,R,-1\nm1,mentee,B,R,\n,mentor,C,R,x\n"
    )
    with pytest.raises(mm.InputError) as caught:
        mm.read_cohort(write(tmp_path, "many.csv", content))
    found = {(v.row, v.column) for v in caught.value.violations}
    assert found == {(2, "capacity"), (3, "id"), (4, "id"), (4, "capacity")}
    assert str(caught.value).startswith("4 problems found:")


def test_the_message_is_capped_but_every_violation_is_kept() -> None:
    frame = pd.DataFrame(
        {
            "id": [f"m{i}" for i in range(80)],
            "role": "mentor",
            "organisation": "A",
            "region": "R",
            "capacity": "-1",
        }
    )
    with pytest.raises(mm.InputError) as caught:
        mm.Cohort.from_frame(frame)
    assert len(caught.value.violations) == 81
    assert "... and 31 more" in str(caught.value)


@pytest.mark.parametrize("missing", ["id", "role", "organisation", "region"])
def test_missing_required_column(missing: str) -> None:
    frame = pd.DataFrame(BASE).drop(columns=missing)
    with pytest.raises(mm.InputError, match=f"row 1, column '{missing}': missing required column"):
        mm.Cohort.from_frame(frame)


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_a_cohort_needs_both_roles(role: str) -> None:
    frame = pd.DataFrame({**BASE, "role": [role, role]})
    other = "mentee" if role == "mentor" else "mentor"
    with pytest.raises(mm.InputError, match=f"the cohort has no {other}s"):
        mm.Cohort.from_frame(frame)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", "", "the file is empty"),
        ("header.csv", "id,role,organisation,region\n", "no people in it"),
        ("empty.json", "[]", "no people in it"),
        ("object.json", '{"id": 1}', "expected a JSON list of objects"),
        ("broken.json", "[{", "not valid JSON"),
        ("broken.xlsx", "not a workbook", "not a readable Excel workbook"),
        ("cohort.txt", "id", "unsupported file type '.txt'"),
    ],
)
def test_unreadable_files_are_named(tmp_path: Path, name: str, content: str, expected: str) -> None:
    with pytest.raises(mm.InputError, match=expected) as caught:
        mm.read_cohort(write(tmp_path, name, content))
    assert name in str(caught.value)


def test_json_rows_are_item_numbers_and_lists_are_accepted(tmp_path: Path) -> None:
    records = [
        {"id": "m1", "role": "mentor", "organisation": "A", "region": "R", "themes": ["crisis"]},
        {"id": "e1", "role": "mentee", "organisation": "B", "region": "R", "capacity": -2},
    ]
    path = write(tmp_path, "c.json", json.dumps(records))
    with pytest.raises(mm.InputError, match=r"c\.json, row 2, column 'capacity'"):
        mm.read_cohort(path)
    records[1]["capacity"] = 1
    path.write_text(json.dumps(records), encoding="utf-8")
    assert mm.read_cohort(path).mentors[0].themes == ("crisis",)


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    content = "id,role,organisation,region\nm1,mentor,A,R\n,,,\ne1,mentee,B,R\ne2,mentee,,R\n"
    with pytest.raises(mm.InputError, match="row 5, column 'organisation'"):
        mm.read_cohort(write(tmp_path, "gaps.csv", content))


def test_the_example_cohort_is_valid_and_realistic() -> None:
    cohort = mm.example_cohort()
    assert len(cohort.mentors) == 20 and len(cohort.mentees) == 30
    assert {p.country for p in cohort.profiles} == {"NO", "SE"}
    assert all(p.latitude is not None and p.population for p in cohort.profiles)
    assert "start_year" in cohort.to_frame().columns


def test_error_classes_are_as_pinned() -> None:
    assert issubclass(mm.InputError, ValueError)
    assert issubclass(mm.InfeasibleError, mm.InputError)
    assert mm.InfeasibleError(["a clash"]).conflicts == ("a clash",)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_text_that_looks_missing_stays_text(tmp_path: Path, suffix: str) -> None:
    rows = [
        {"id": "NA", "role": "mentor", "organisation": "None", "region": "null", "notes": "n/a"},
        {"id": "E1", "role": "mentee", "organisation": "NaN", "region": "N/A", "notes": None},
    ]
    cohort = mm.Cohort.from_frame(pd.DataFrame(rows))
    again = mm.read_cohort(mm.write_cohort(cohort, tmp_path / f"c{suffix}"))
    assert again == cohort
    assert again["NA"].organisation == "None" and again["NA"].extra["notes"] == "n/a"


# --- what people really get wrong in headers and cells --------------------------------------


def test_headers_are_matched_ignoring_case_spaces_and_separators(tmp_path: Path) -> None:
    content = (
        " ID ;Role;ORGANISATION; Region ;Years in role;years-in-role2\n"
        "m1;mentor;Bodø;Nordland;12;x\ne1;mentee;Moss;Østfold;1;y\n"
    )
    cohort = mm.read_cohort(write(tmp_path, "headers.csv", content))
    assert cohort.columns[:6] == (
        "id",
        "role",
        "organisation",
        "region",
        "years_in_role",
        "years-in-role2",
    )
    assert cohort.mentors[0].years_in_role == 12
    assert cohort["e1"].extra == {"years-in-role2": "y"}
    assert list(cohort.to_frame().columns)[:5] == [
        "id",
        "role",
        "organisation",
        "region",
        "years_in_role",
    ]


def test_two_headers_that_read_as_one_are_refused() -> None:
    frame = pd.DataFrame({**BASE, "Region ": ["X", "Y"]})
    with pytest.raises(
        mm.InputError,
        match=r"the columns 'region' and 'Region ', in columns 4 and 5 \(D and E\), both read as "
        "'region'; keep one",
    ):
        mm.Cohort.from_frame(frame)


def test_a_missing_column_names_the_columns_found_and_the_closest() -> None:
    frame = pd.DataFrame(BASE).rename(columns={"organisation": "Organization"})
    with pytest.raises(mm.InputError) as caught:
        mm.Cohort.from_frame(frame, source="c.csv")
    assert str(caught.value) == (
        "c.csv, row 1, column 'organisation': missing required column 'organisation'; "
        "did you mean 'Organization'? Rename it 'organisation' "
        "(the columns found: 'id', 'role', 'Organization', 'region')"
    )
    frame = pd.DataFrame(BASE).drop(columns="region").assign(notes=["", ""])
    with pytest.raises(
        mm.InputError, match=r"missing required column 'region' \(the columns found"
    ):
        mm.Cohort.from_frame(frame)


def test_a_column_close_to_a_known_one_is_warned_about_and_kept(tmp_path: Path) -> None:
    content = (
        "id,role,organisation,region,theme,langauges,notes\n"
        "m1,mentor,A,R,crisis,nb,x\ne1,mentee,B,R,,sv,\n"
    )
    with pytest.warns(mm.CohortWarning) as caught:
        cohort = mm.read_cohort(write(tmp_path, "close.csv", content))
    assert [str(w.message) for w in caught] == [
        "close.csv: column 'theme' is not one mentormatch reads; did you mean 'themes'? "
        "It is kept but not used",
        "close.csv: column 'langauges' is not one mentormatch reads; did you mean 'languages'? "
        "It is kept but not used",
    ]
    assert cohort.warnings == tuple(str(w.message).removeprefix("close.csv: ") for w in caught)
    assert cohort["m1"].themes == () and cohort["m1"].extra["theme"] == "crisis"
    assert list(cohort.to_frame().columns)[4:] == ["theme", "langauges", "notes"]


def test_an_avoid_entry_naming_no_one_is_warned_about() -> None:
    frame = pd.DataFrame({**BASE, "avoid": ["e1;M099;narvik;Oslo kommune", "m1"]})
    with pytest.warns(mm.CohortWarning) as caught:
        cohort = mm.Cohort.from_frame(frame)
    assert [str(w.message) for w in caught] == [
        f"m1's avoid entry {entry!r} is neither an id nor an organisation in the cohort; "
        "it rules nothing out"
        for entry in ("M099", "Oslo kommune")
    ]
    assert cohort["m1"].avoid == ("e1", "M099", "narvik", "Oslo kommune")


def test_two_spellings_of_one_organisation_are_warned_about() -> None:
    frame = pd.DataFrame(
        {
            "id": ["m1", "m2", "e1", "e2"],
            "role": ["mentor", "mentor", "mentee", "mentee"],
            "organisation": ["Bergen", "bergen  kommune", "Bergen kommune", "BERGEN"],
            "region": "Vestland",
        }
    )
    with pytest.warns(mm.CohortWarning) as caught:
        mm.Cohort.from_frame(frame)
    assert [str(w.message) for w in caught] == [
        "organisations 'Bergen' (m1, e2) and 'bergen kommune' (m2, e1) are taken as one employer"
    ]


def test_the_example_cohort_raises_no_warning() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mm.example_cohort().warnings == ()


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_every_sub_theme_is_read_by_its_label_in_every_language(language: str) -> None:
    for key, theme in catalogue().items():
        head = getattr(theme, language)
        labels = {"en": theme.subthemes, "sv": theme.subthemes_sv, "nb": theme.subthemes_nb}
        assert len(labels[language]) == len(theme.subtheme_keys)
        for sub_key, label in zip(theme.subtheme_keys, labels[language], strict=True):
            profile = mm.Cohort.from_frame(
                pd.DataFrame({**BASE, "themes": [f"{head} / {label.upper()}", f"{key}/{label}"]})
            )
            assert profile.mentors[0].themes == (f"{key}/{sub_key}",)
            assert profile.mentees[0].themes == (f"{key}/{sub_key}",)


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path: Path) -> None:
    content = (
        "id;role;organisation;region;themes\n"
        "m1;mentor;Bodø;Nordland;crisis;strategy\ne1;mentee;Moss;Østfold;crisis\n"
    )
    with pytest.raises(mm.InputError) as caught:
        mm.read_cohort(write(tmp_path, "unquoted.csv", content))
    assert str(caught.value) == (
        "unquoted.csv, row 2: 6 cells, but the header has 5 columns; a cell that holds "
        "the separator ';' (such as a list of themes or avoid entries) must be in quotes"
    )


def test_trailing_separators_are_harmless(tmp_path: Path) -> None:
    content = "id;role;organisation;region\n007;mentor;Bodø;Nordland;;\ne1;mentee;Moss;Østfold;\n"
    cohort = mm.read_cohort(write(tmp_path, "trailing.csv", content))
    assert [p.id for p in cohort.profiles] == ["007", "e1"]
    assert cohort["007"].organisation == "Bodø"


def test_languages_by_name_are_read_as_codes_and_unknown_ones_refused_by_row() -> None:
    frame = pd.DataFrame(
        {
            "id": ["m1", "e1", "e2"],
            "role": ["mentor", "mentee", "mentee"],
            "organisation": ["A", "B", "C"],
            "region": ["R", "R", "R"],
            "languages": ["norsk; Svenska", "NB;english", "nb;klingon"],
        }
    )
    with pytest.raises(mm.InputError) as caught:
        mm.Cohort.from_frame(frame)
    (violation,) = caught.value.violations
    assert (violation.row, violation.column) == (4, "languages")
    assert "'klingon'" in violation.message
    cohort = mm.Cohort.from_frame(frame.iloc[:2])
    assert [p.languages for p in cohort.profiles] == [("nb", "sv"), ("nb", "en")]


def test_a_norwegian_or_swedish_header_of_a_known_column_is_warned_about() -> None:
    frame = pd.DataFrame({"id": ["m1", "e1"], "role": ["mentor", "mentee"],
                          "organisation": ["A", "B"], "region": ["R", "R"],
                          "Kapasitet": [2, None], "Språk": ["nb", "sv"],
                          "start_year": [2020, 2024]})  # fmt: skip
    with pytest.warns(mm.CohortWarning):
        cohort = mm.Cohort.from_frame(frame)
    assert [w.split("?")[0] for w in cohort.warnings] == [
        "column 'Kapasitet' is not one mentormatch reads; did you mean 'capacity'",
        "column 'Språk' is not one mentormatch reads; did you mean 'languages'",
    ]
