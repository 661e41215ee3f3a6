"""Hostile and careless input to the intake: each is read as meant or refused by name, at once.

Ids that break the ``;`` lists, headers that hide a column, workbooks whose data sit on another
(or a hidden) sheet, CSV files as odd editors save them, JSON of the wrong shape, and the
secretariat's usual typing mistakes: never a traceback, never a silent loss.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.profiles import Profile
from test_intake import write


def refused(path: Path | pd.DataFrame, **kwargs: object) -> mm.InputError:
    """The InputError reading ``path`` (a file, or a table for Cohort.from_frame) raises."""
    with pytest.raises(mm.InputError) as caught:
        if isinstance(path, pd.DataFrame):
            mm.Cohort.from_frame(path)
        else:
            mm.read_cohort(path, **kwargs)  # type: ignore[arg-type]
    return caught.value


def where(error: mm.InputError) -> set[tuple[int | None, str | None]]:
    return {(v.row, v.column) for v in error.violations}


# --- 1. ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person_id", "expected"),
    [
        ("m;1", "holds ';', which separates the ids listed in the avoid and preferences"),
        ("m\n1", "holds a line break"),
        ("m\t1", "holds a tab"),
        ("m\u200b1", "holds an invisible character (U+200B)"),
        ("m\u00a01", "holds an invisible character (U+00A0)"),
        ("'A1", "begins with an apostrophe"),  # '=A1 reads as =A1: the CSV export's mark
    ],
)
def test_an_id_that_lists_or_exports_would_break_is_refused_by_row(
    tmp_path: Path, person_id: str, expected: str
) -> None:
    frame = pd.DataFrame(
        {
            "id": [person_id, "e1"],
            "role": ["mentor", "mentee"],
            "organisation": ["A", "B"],
            "region": ["R", "R"],
            "avoid": ["", person_id.split(";")[0]],
        }
    )
    path = tmp_path / "ids.csv"
    frame.to_csv(path, index=False)
    error = refused(path)
    (violation,) = error.violations
    assert (violation.file, violation.row, violation.column) == ("ids.csv", 2, "id")
    assert expected in violation.message
    with pytest.raises(ValueError, match="the id"):
        Profile(id=person_id, role="mentor", organisation="A", region="R")


def test_ids_are_trimmed_and_composed_alike_wherever_they_are_written() -> None:
    """' m1 ' and 'm1', and an 'å' typed as a + ring (macOS) and as one letter, are one id:
    in the id column and in the avoid and preferences lists alike."""
    decomposed, composed = "a\u030a1", "\u00e51"
    frame = pd.DataFrame(
        {
            "id": [" m1 ", decomposed, "e1"],
            "role": ["mentor", "mentor", "mentee"],
            "organisation": ["A", "B", "C"],
            "region": ["R", "R", "R"],
            "avoid": ["", "", f"m1 ;{composed}"],
            "preferences": ["", "", f"{decomposed}; m1"],
        }
    )
    cohort = mm.Cohort.from_frame(frame)
    assert [p.id for p in cohort.profiles] == ["m1", composed, "e1"]
    assert cohort["e1"].avoid == ("m1", composed)
    assert cohort["e1"].preferences == (composed, "m1")
    result = mm.match(cohort, rules=[mm.AvoidDeclared()])
    assert result.pairs.empty  # e1 avoids both mentors, as written


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("M1", "m1", "duplicate id 'm1' (first used in row 2 as 'M1', which differs only in"),
        ("\u00e51", "a\u030a1", "duplicate id '\u00e51' (first used in row 2)"),
    ],
)
def test_ids_that_differ_only_in_capitals_or_composition_are_one_id(
    first: str, second: str, expected: str
) -> None:
    frame = pd.DataFrame(
        {
            "id": [first, second, "e1"],
            "role": ["mentor", "mentor", "mentee"],
            "organisation": ["A", "B", "C"],
            "region": ["R"] * 3,
        }
    )
    (violation,) = refused(frame).violations
    assert (violation.row, violation.column) == (3, "id")
    assert expected in violation.message


# --- 2. duplicate headers ----------------------------------------------------------------------


def _workbook(
    path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.active = next(i for i, t in enumerate(sheets) if t not in hidden)
    book.save(path)
    return path


DUPLICATED = [
    ["id", "role", "organisation", "region", "avoid", "avoid"],
    ["m1", "mentor", "A", "R", "e1", None],
    ["e1", "mentee", "B", "R", None, "m1"],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_header_written_twice_is_refused_naming_both_positions(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"twice{suffix}"
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["" if c is None else c for c in r] for r in DUPLICATED])
    else:
        _workbook(path, {"cohort": DUPLICATED})
    (violation,) = refused(path).violations
    assert (violation.file, violation.row, violation.column) == (path.name, 1, "avoid")
    assert violation.message == (
        "the column 'avoid' is there 2 times, in columns 5 and 6 (E and F); keep one"
    )


def test_headers_that_read_as_one_column_are_refused_with_their_spellings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spelt.csv",
        "id,role,organisation,region,Avoid,avoid \nm1,mentor,A,R,,\ne1,mentee,B,R,,\n",
    )
    (violation,) = refused(path).violations
    assert violation.message == (
        "the columns 'Avoid' and 'avoid ', in columns 5 and 6 (E and F), both read as 'avoid'; "
        "keep one"
    )


def test_two_unknown_columns_of_one_name_are_not_joined_beside_keyed_headers(
    tmp_path: Path,
) -> None:
    """Beside headers with the column in brackets, two 'notes' columns stay two, and are
    refused, rather than joined into one cell with ';'."""
    path = write(
        tmp_path,
        "keyed.csv",
        "ID (id),Rolle (role),Org (organisation),Fylke (region),notes,notes\n"
        "m1,mentor,A,R,x,y\ne1,mentee,B,R,,\n",
    )
    (violation,) = refused(path).violations
    assert (violation.row, violation.column) == (1, "notes")
    assert "is there 2 times, in columns 5 and 6" in violation.message


# --- 3. which sheet of a workbook -------------------------------------------------------------

PEOPLE = [
    ["id", "role", "organisation", "region"],
    ["m1", "mentor", "A", "R"],
    ["e1", "mentee", "B", "R"],
]
OLD = [
    ["id", "role", "organisation", "region"],
    ["x1", "mentor", "A", "R"],
    ["x2", "mentee", "B", "R"],
]
README = [["About this file"], ["Fill in the people sheet."]]
ROLE = {"nb": "mentee", "sv": "adept", "en": "mentee"}


def test_a_hidden_sheet_is_never_read_unless_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "h.xlsx", {"old": OLD, "people": PEOPLE}, hidden=("old",))
    cohort = mm.read_cohort(path)
    assert [p.id for p in cohort.profiles] == ["m1", "e1"]
    assert "read the sheet 'people' of the workbook; not read: 'old'" in cohort.notes
    assert [p.id for p in mm.read_cohort(path, sheet="OLD").profiles] == ["x1", "x2"]


def test_the_sheet_of_people_is_chosen_among_visible_sheets(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "r.xlsx", {"readme": README, "people": PEOPLE})
    assert [p.id for p in mm.read_cohort(path).profiles] == ["m1", "e1"]
    named = _workbook(tmp_path / "n.xlsx", {"old": OLD, "Cohort": PEOPLE})
    assert [p.id for p in mm.read_cohort(named).profiles] == ["m1", "e1"]


def test_a_workbook_with_two_sheets_of_people_is_refused_listing_them(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "two.xlsx", {"mentors": PEOPLE, "mentees": OLD, "old": OLD}, hidden=("old",)
    )
    (violation,) = refused(path).violations
    assert violation.file == "two.xlsx"
    assert "cannot tell which sheet holds the table: more than one sheet could be it" in str(
        violation
    )
    assert "(the sheets: 'mentors', 'mentees', 'old' (hidden))" in violation.message
    assert "mm.read_cohort(path, sheet='...')" in violation.message
    assert [p.id for p in mm.read_cohort(path, sheet="mentees").profiles] == ["x1", "x2"]


def test_a_sheet_that_is_not_there_or_not_for_a_workbook_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "w.xlsx", {"people": PEOPLE})
    (violation,) = refused(path, sheet="mentors").violations
    assert violation.message == "no sheet 'mentors' (the sheets: 'people')"
    csv_path = write(tmp_path, "c.csv", "id,role,organisation,region\nm1,mentor,A,R\n")
    (violation,) = refused(csv_path, sheet="people").violations
    assert violation.argument == "sheet" and "only a workbook (.xlsx) has sheets" in str(violation)


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_a_filled_in_sign_up_workbook_reads_its_form_whatever_sheet_is_active(
    tmp_path: Path, language: str
) -> None:
    path = mm.signup_sheet(tmp_path / "s.xlsx", language=language)
    book = openpyxl.load_workbook(path)
    form = book.worksheets[0]
    for row, values in enumerate(
        [("m1", "mentor", "Bodø", "Nordland"), ("e1", ROLE[language], "Moss", "Østfold")], 2
    ):
        for column, value in enumerate(values, 1):
            form.cell(row, column + (column > 2), value)  # ID, role, (name), organisation, region
    book.active = 1  # saved while the instructions were open
    book.save(path)
    cohort = mm.read_cohort(path)
    assert [p.id for p in cohort.profiles] == ["m1", "e1"]
    assert cohort.notes[0].startswith(f"read the sheet '{form.title}' of the workbook")


# --- 5. CSV as editors save it -----------------------------------------------------------------

ROWS = "id;role;organisation;region\r\nm1;mentor;Bodø;Nordland\r\ne1;mentee;Årdal;Vestland\r\n"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", ROWS),
        ("utf-8-sig", ROWS),
        ("cp1252", ROWS),  # older Excel "CSV"
        ("latin-1", ROWS),
        ("utf-16", ROWS.replace(";", "\t")),  # Excel's "Unicode text": UTF-16 with a BOM, tabs
        ("utf-16-le", ROWS),  # no BOM
        ("utf-8", ROWS.replace("\r\n", "\r")),  # old Mac line endings
        ("utf-8", ROWS.replace("\r\n", "\n")),
    ],
)
def test_csv_files_read_in_every_encoding_and_line_ending_a_secretariat_meets(
    tmp_path: Path, encoding: str, text: str
) -> None:
    cohort = mm.read_cohort(write(tmp_path, "c.csv", text.encode(encoding)))
    assert [(p.id, p.organisation) for p in cohort.profiles] == [
        ("m1", "Bodø"),
        ("e1", "Årdal"),
    ]


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PNG, "c.csv: this is a PNG image, not CSV text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "this is a zipped file, such as an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an Excel 97-2003 workbook (.xls)"),
        (b"id,role\n\x00\x01\x02\x03\xff\xfe\x00", "this is a binary file (it holds zero bytes)"),
        (b"id,role\nm1,\x81\x8d\x8f\x90\x9d\n", "not text in a known encoding"),
        (
            ('id,role,organisation,region,notes\nm1,mentor,A,R,"' + "x" * 200_000 + '"\n').encode(),
            "c.csv, row 2: a cell longer than 131,072 characters; most likely a quote",
        ),
        (
            b'id,role,organisation,region\nm1,mentor,"Bod\xc3\xb8,R\ne1,mentee,B,R\n',
            "row 2: a quote",
        ),
        (
            b'id,role,organisation,region\nm1,mentor,"Bod"x,R\n',
            "row 2: text after the closing quote",
        ),
    ],
)
def test_what_cannot_be_a_csv_table_is_named(tmp_path: Path, content: bytes, expected: str) -> None:
    error = refused(write(tmp_path, "c.csv", content))
    assert expected in str(error)


def test_a_workbook_that_is_not_one_is_named(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "c.xlsx", "id,role,organisation,region\n"))
    assert str(error) == (
        "c.xlsx: not a readable Excel workbook: it is not a zipped workbook "
        "(a CSV file must be named .csv)"
    )
    error = refused(write(tmp_path, "old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"))
    assert (
        "this is an old Office file, such as an Excel 97-2003 workbook (.xls); save it as"
        in str(error)
    )


def test_a_blank_line_is_a_blank_row_so_rows_are_numbered_as_a_spreadsheet_shows(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path, "gaps.csv", "id,role,organisation,region\nm1,mentor,A,R\n\ne1,mentee,,R\n"
    )
    assert where(refused(path)) == {(4, "organisation")}


def test_blank_rows_above_the_header_are_skipped_and_counted(tmp_path: Path) -> None:
    path = write(
        tmp_path, "top.csv", "\n;;\nid;role;organisation;region\nm1;mentor;A;R\ne1;mentee;;R\n"
    )
    assert where(refused(path)) == {(5, "organisation")}
    rows = [[None] * 4, PEOPLE[0], PEOPLE[1], ["e1", "mentee", None, "R"]]
    assert where(refused(_workbook(tmp_path / "top.xlsx", {"cohort": rows}))) == {
        (4, "organisation")
    }


# --- 6. JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "c.json: JSON nested too deeply to read"),
        ("5", "expected a JSON list of objects, one per person, got a number"),
        ('"m1"', "got text"),
        ("null", "got null"),
        (
            '{"a": {"id": "m1"}, "b": {"id": "e1"}}',
            "got an object of objects; write them as a list",
        ),
        ('{"id": "m1"}', "got an object; write a list of them"),
        ('[{"id": "m1"}, 7, [1]]', "c.json, row 2: expected an object (one person), got 7"),
    ],
)
def test_json_of_the_wrong_shape_is_refused_saying_what_it_is(
    tmp_path: Path, content: str, expected: str
) -> None:
    assert expected in str(refused(write(tmp_path, "c.json", content)))


def test_json_cells_that_hold_objects_or_misplaced_lists_are_refused_by_row_and_column(
    tmp_path: Path,
) -> None:
    records = [
        {
            "id": "m1",
            "role": "mentor",
            "organisation": {"x": 1},
            "region": "R",
            "themes": ["crisis"],
        },
        {"id": "e1", "role": "mentee", "organisation": "B", "region": ["R"], "avoid": [["m1"]]},
    ]
    error = refused(write(tmp_path, "c.json", json.dumps(records)))
    assert where(error) == {(1, "organisation"), (2, "region"), (2, "avoid")}
    assert "c.json, row 1, column 'organisation': expected text or a number, got an object" in str(
        error
    )


# --- 7. arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "got"), [(None, "got None"), (5, "got 5"), (pd.DataFrame(), "got a DataFrame")]
)
def test_read_cohort_names_an_argument_that_is_not_a_path(path: object, got: str) -> None:
    with pytest.raises(mm.InputError) as caught:
        mm.read_cohort(path)  # type: ignore[arg-type]
    (violation,) = caught.value.violations
    assert violation.argument == "path"
    assert violation.message.startswith("expected the path of a .csv, .xlsx or .json file")
    assert got in violation.message


# --- 8. Cohort(...) made directly ----------------------------------------------------------------


def _person(person_id: str, role: str) -> Profile:
    return Profile(id=person_id, role=role, organisation="A", region="R")


def test_a_cohort_made_directly_is_checked_as_a_file_is() -> None:
    with pytest.raises(mm.InputError) as caught:
        mm.Cohort(profiles=(_person("m1", "mentor"), _person("M1", "mentor")))
    assert [str(v) for v in caught.value.violations] == [
        "argument 'profiles': duplicate id 'M1' in profiles 1 and 2 ('m1' differs only in "
        "capitals)",
        "argument 'profiles': the cohort has no mentees; expected at least one mentor and one "
        "mentee",
    ]
    with pytest.raises(mm.InputError, match=r"argument 'profiles': item 2, capacity: "):
        mm.Cohort(profiles=(_person("m1", "mentor"), {"id": "e1", "capacity": -1}))
    with pytest.raises(mm.InputError, match="argument 'columns': the column 'id' is given twice"):
        mm.Cohort(profiles=(_person("m1", "mentor"), _person("e1", "mentee")), columns=("id", "id"))


def test_extra_columns_of_profiles_made_directly_are_kept_in_the_table() -> None:
    mentor = Profile(id="m1", role="mentor", organisation="A", region="R", extra={"notes": "x"})
    cohort = mm.Cohort(profiles=(mentor, _person("e1", "mentee")))
    assert cohort.to_frame()["notes"].tolist() == ["x", None]


# --- 9. every problem at once, in the order of the sheet -----------------------------------------


def test_a_missing_column_does_not_hide_the_problems_of_the_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "typed.csv",
        "id;role;Organsation;region;themes;capacity;years_in_role\n"
        "m1;mentor;Bodø;Nordland;Kriseledelse;two;10 år\n"
        "m2;mentor;Bodø;Nordland;crises;2 ;3\n"
        "e1;mentee;Moss;Østfold;crisis;;1\n"
        "m2;mentee;Moss;Østfold;;;1,5 år\n",
    )
    error = refused(path)
    assert [(v.row, v.column) for v in error.violations] == [
        (1, "organisation"),
        (2, "themes"),
        (2, "capacity"),
        (2, "years_in_role"),
        (3, "themes"),
        (5, "id"),
        (5, "years_in_role"),
    ]
    messages = [v.message for v in error.violations]
    assert messages[0].startswith(
        "missing required column 'organisation'; did you mean 'Organsation'? Rename it"
    )
    assert messages[1].startswith("unknown theme 'Kriseledelse'; expected a theme's key (")
    assert messages[1].endswith("or its name in English, Swedish or Norwegian")
    assert messages[2] == (
        "expected a whole number of mentees, 0 or more, such as 1 or 2, got 'two'; write it in "
        "digits"
    )
    assert messages[3] == (
        "expected a number of years, 0 or more, such as 12 or 12,5, got '10 år'; write the "
        "number only, without words or units"
    )
    assert messages[4].startswith("unknown theme 'crises'; did you mean 'crisis'?")
    assert messages[5] == "duplicate id 'm2' (first used in row 3)"


def test_a_number_excel_took_for_a_date_is_explained(tmp_path: Path) -> None:
    rows = [PEOPLE[0] + ["years_in_role"], PEOPLE[1] + [dt.datetime(2024, 5, 12)], PEOPLE[2] + [1]]
    (violation,) = refused(_workbook(tmp_path / "d.xlsx", {"cohort": rows})).violations
    assert (violation.row, violation.column) == (2, "years_in_role")
    assert (
        "got '2024-05-12 00:00:00'; the spreadsheet took the number for a date" in violation.message
    )


def test_a_sheet_of_blank_rows_has_no_people(tmp_path: Path) -> None:
    rows = [PEOPLE[0], [None] * 4, ["", " ", None, None]]
    (violation,) = refused(_workbook(tmp_path / "b.xlsx", {"cohort": rows})).violations
    assert str(violation) == "b.xlsx: the file has no people in it"


# --- 10. earlier rounds read back from the library's own exports --------------------------------

FORMULA_IDS = pd.DataFrame(
    {
        "id": ["=A1", "-x", "=SUM(1,2)", "+47", "@y", "\u00c51"],
        "role": ["mentor", "mentor", "mentor", "mentee", "mentee", "mentee"],
        "organisation": ["A", "B", "C", "D", "E", "F"],
        "region": ["R"] * 6,
        "name": ["=HYPERLINK(0)", "-", "Åsa", "+", "@", "Ola"],
    }
)


@pytest.mark.parametrize(
    ("suffix", "write_as"),
    [(".csv", {}), (".csv", {"sep": ";"}), (".xlsx", {}), (".json", {})],
)
def test_no_repeat_reads_ids_that_look_like_formulas_back_from_every_export(
    tmp_path: Path, suffix: str, write_as: dict[str, str]
) -> None:
    cohort = mm.Cohort.from_frame(FORMULA_IDS)
    first = mm.match(cohort, rules=[])
    earlier = sorted(zip(first.pairs["mentor_id"], first.pairs["mentee_id"], strict=True))
    assert {m for m, _ in earlier} == {"=A1", "-x", "=SUM(1,2)"}
    path = tmp_path / f"round{suffix}"
    if suffix == ".csv":
        first.to_csv(path, **write_as)  # type: ignore[arg-type]
        assert "'=A1" in path.read_text("utf-8-sig")  # marked, as a spreadsheet needs
    elif suffix == ".xlsx":
        first.to_excel(path)
    else:
        first.to_json(path)
    rule = mm.NoRepeat(path)
    assert list(rule.pairs) == earlier
    second = mm.match(cohort, rules=[rule])
    again = zip(second.pairs["mentor_id"], second.pairs["mentee_id"], strict=True)
    assert not set(earlier) & set(again)
    assert len(second.pairs) == 3  # each mentor still has two mentees it did not have


def test_no_id_holds_a_character_the_xlsx_export_would_replace() -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from mentormatch.profiles import id_problem

    replaced = [chr(c) for c in range(0x110000) if ILLEGAL_CHARACTERS_RE.match(chr(c))]
    assert len(replaced) > 20
    assert all(id_problem(f"m{char}1") for char in replaced)
