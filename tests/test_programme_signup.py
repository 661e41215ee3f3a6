"""The sign-up sheet: its checks are in the file, and read_cohort reads it as candidates fill it in.

The sheet is filled in with openpyxl as a candidate would in Excel: values from the drop-downs,
typed numbers, and the mistakes Excel lets through (values pasted past a drop-down, numbers
stored as text, blank rows in between, stray spaces). Either the cohort is valid and says what
was meant, or InputError names each bad cell by row and column, all at once.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.intake import header_key, keyed_columns
from mentormatch.programme._signup import counties, signup_columns
from mentormatch.programme._texts import theme_text
from mentormatch.themes import catalogue

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "municipalities"
LANGUAGES = ["nb", "sv", "en"]
FORM = {"nb": "Påmelding", "sv": "Anmälan", "en": "Sign-up"}
ROLE = {"nb": ("mentor", "mentee"), "sv": ("mentor", "adept"), "en": ("mentor", "mentee")}
LEVEL = {"nb": ("kommune", "fylkeskommune"), "sv": ("kommun", "region"),
         "en": ("municipality", "county")}  # fmt: skip


def _shared_counties() -> set[tuple[str, str]]:
    with (SHARED / "no_kommuner_2024.csv").open(encoding="utf-8") as f:
        norway = {("NO", row["fylke"]) for row in csv.DictReader(f)}
    with (SHARED / "se_kommuner.csv").open(encoding="utf-8") as f:
        sweden = {("SE", row["lan"]) for row in csv.DictReader(f)}
    return norway | sweden


def test_counties_are_the_shared_data_s() -> None:
    found = set(counties())
    assert found == _shared_counties()
    assert sum(c == "NO" for c, _ in found) == 15 and sum(c == "SE" for c, _ in found) == 21


def headers(sheet: Any) -> list[str]:
    return [str(cell.value) for cell in sheet[1] if cell.value is not None]


def validations(sheet: Any) -> dict[str, DataValidation]:
    """The data validation of each column, by column letter (each covers one whole column)."""
    found = {}
    for rule in sheet.data_validations.dataValidation:
        (area,) = str(rule.sqref).split()
        first, last = area.split(":")
        letter = re.sub(r"\d", "", first)
        assert first == f"{letter}2" and last == f"{letter}1048576"
        found[letter] = rule
    return found


def listed(book: Any, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    return [str(c.value) for row in book[sheet][cells.replace("$", "")] for c in row]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_column_has_its_check_and_help_in_the_file(language: str, tmp_path: Path) -> None:
    path = mm.signup_sheet(tmp_path / "s.xlsx", language=language)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == FORM[language] and book.sheetnames[-1] == "lists"
    assert book["lists"].sheet_state == "hidden"
    form = book.worksheets[0]
    columns = signup_columns(language)  # type: ignore[arg-type]
    assert headers(form) == [c.header for c in columns]
    assert [header_key(h) for h in headers(form)] == [c.key for c in columns]
    rules = validations(form)
    assert len(rules) == len(columns)
    expected_lists = {
        "role": list(ROLE[language]),
        "level": list(LEVEL[language]),
        "country": ["NO", "SE"],
        "themes": [theme_text(k, language) for k in catalogue()],  # type: ignore[arg-type]
        "languages": ["nb", "nn", "sv", "da", "fi", "se", "en"],
    }
    for index, column in enumerate(columns):
        letter = openpyxl.utils.get_column_letter(index + 1)
        rule = rules[letter]
        assert rule.showInputMessage and rule.prompt and len(rule.prompt) <= 255
        assert rule.promptTitle and len(rule.promptTitle) <= 32  # Excel's limits
        assert len(rule.error or "") <= 255 and len(rule.errorTitle or "") <= 32
        if column.key in ("region", *expected_lists):
            assert rule.type == "list" and rule.showErrorMessage
            values = listed(book, rule.formula1)
            if column.key == "region":  # the sheet's own country first, alphabetically
                assert set(values) == {name for _, name in counties()}
                own = 21 if language == "sv" else 15
                assert values[:own] == sorted(values[:own]) and values[own:] == sorted(values[own:])
                assert values[0] == ("Blekinge län" if language == "sv" else "Agder")
            else:
                assert values == expected_lists[column.key]
        bounds = {
            "years_in_role": ("decimal", "0", "60"),
            "population": ("whole", "0", "10000000"),
            "capacity": ("whole", "1", "5"),
        }
        if column.key in bounds:
            assert (rule.type, rule.formula1, rule.formula2) == bounds[column.key]
            assert rule.operator == "between" and rule.showErrorMessage
        if column.key == "id":
            assert rule.type == "custom" and not rule.allow_blank
            assert rule.formula1 == "AND(LEN(TRIM(A2))>0,COUNTIF($A$2:$A$1048576,A2)=1)"
            assert form.column_dimensions["A"].number_format == "@"  # "007" stays text
    assert sum(c.key == "themes" for c in columns) == 5
    assert form.protection.sheet and form["A1"].protection.locked
    assert not form.column_dimensions["A"].protection.locked  # the cells below are open
    assert form.freeze_panes == "A2"
    instructions = " ".join(
        str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value
    )
    firsts = {c.key: c for c in reversed(columns)}  # each key's first column
    for column in firsts.values():
        assert column.header in instructions and column.help in instructions
    for key in catalogue():
        assert theme_text(key, language) in instructions  # type: ignore[arg-type]


def fill(path: Path, people: list[dict[str, Any] | None]) -> Path:
    """Type people into the form, one row each (None: a blank row), by schema column.

    ``themes`` and ``languages`` are lists, one entry per column.
    """
    book = openpyxl.load_workbook(path)
    form = book.worksheets[0]
    keys = [header_key(h) for h in headers(form)]
    for row, person in enumerate(people, start=2):
        if person is None:
            continue
        for key, value in person.items():
            values = value if isinstance(value, list) else [value]
            places = [i for i, k in enumerate(keys, start=1) if k == key]
            assert len(values) <= len(places), key
            for column, item in zip(places, values, strict=False):
                form.cell(row, column, item)
    book.save(path)
    return path


def person(language: str, **cells: Any) -> dict[str, Any]:
    mentor, _ = ROLE[language]
    return {"id": "M1", "role": mentor, "organisation": "Bodø kommune", "region": "Nordland",
            **cells}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_candidate_s_answers_read_as_meant(language: str, tmp_path: Path) -> None:
    mentee = ROLE[language][1]
    themes = {k: theme_text(k, language) for k in catalogue()}  # type: ignore[arg-type]
    people = [
        person(language, name="Kari Nordmann", country="NO", level=LEVEL[language][0],
               years_in_role=12.5, population=53712,
               themes=[themes["crisis"], None, themes["strategy"]], languages=["nb", "en"],
               capacity=2, avoid="Moss kommune; E9"),
        None,  # a blank row in between
        {"id": " 007 ", "role": f"{mentee} ", "name": "Ola", "organisation": "Luleå kommun ",
         "region": "Norrbottens län ", "country": "SE", "level": LEVEL[language][1],
         "years_in_role": "2,5", "population": "78 000", "themes": [f" {themes['crisis']}"],
         "languages": ["sv"]},
        None,
        None,
    ]  # fmt: skip
    path = fill(mm.signup_sheet(tmp_path / "s.xlsx", language=language), people)
    cohort = mm.read_cohort(path)
    first, second = cohort.profiles
    assert (first.id, first.role, first.name, first.level) == ("M1", "mentor", "Kari Nordmann",
                                                               "municipality")  # fmt: skip
    assert (first.years_in_role, first.population, first.capacity) == (12.5, 53712, 2)
    assert first.themes == ("crisis", "strategy") and first.languages == ("nb", "en")
    assert first.avoid == ("Moss kommune", "E9") and first.country == "NO"
    assert (second.id, second.role, second.level) == ("007", "mentee", "county")
    assert second.region == "Norrbottens län"
    assert (second.years_in_role, second.population, second.capacity) == (2.5, 78000, 1)
    assert second.themes == ("crisis",) and second.organisation == "Luleå kommun"
    assert cohort.columns[:5] == ("id", "role", "name", "organisation", "region")
    assert cohort.columns.count("themes") == 1 and "languages" in cohort.columns
    again = mm.read_cohort(mm.write_cohort(cohort, tmp_path / "again.csv"))
    assert again == cohort


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_choice_a_drop_down_offers_reads(language: str, tmp_path: Path) -> None:
    columns = {c.key: c for c in signup_columns(language)}  # type: ignore[arg-type]
    people: list[dict[str, Any] | None] = []
    expected: list[tuple[str, object]] = []
    choices = {
        "role": ("role", dict(zip(ROLE[language], ("mentor", "mentee"), strict=True))),
        "level": ("level", dict(zip(LEVEL[language], ("municipality", "county"), strict=True))),
        "region": ("region", {n: n for _, n in counties()}),
        "country": ("country", {"NO": "NO", "SE": "SE"}),
        "themes": ("themes", {theme_text(k, language): (k,) for k in catalogue()}),  # type: ignore[arg-type]
        "languages": ("languages", {c: (c,) for c in columns["languages"].check.choices}),
    }
    assert {k for k, c in columns.items() if c.check.kind == "list"} == set(choices)
    for key, (field, meaning) in choices.items():
        assert set(meaning) == set(columns[key].check.choices)
        for number, (offered, meant) in enumerate(meaning.items()):
            cells = person(language, id=f"{key}{number}")
            cells[key] = [offered] if key in ("themes", "languages") else offered
            people.append(cells)
            expected.append((field, meant))
    people.append(person(language, id="other", role=ROLE[language][1]))
    cohort = mm.read_cohort(fill(mm.signup_sheet(tmp_path / "s.xlsx", language), people))
    for profile, (field, meant) in zip(cohort.profiles, expected, strict=False):
        assert getattr(profile, field) == meant


def test_mistakes_excel_lets_through_are_named_by_row_and_column(tmp_path: Path) -> None:
    people = [
        person("nb"),
        person("nb", id="E1", role="Mentorr"),  # row 3: pasted past the drop-down
        None,  # row 4: blank
        person("nb", id="E2", role="mentee", level="by", themes=[None, "Krisr"]),  # row 5
        person("nb", id="E3", role="mentee", years_in_role="tolv", population="-5"),  # row 6
        person("nb", id="M1", capacity="1,5"),  # row 7: a second M1, and not a whole number
        {"name": "Uten ID", "role": "mentee", "organisation": "Moss", "region": "Østfold"},  # 8
        person("nb", id="E4", role="mentee", organisation="   "),  # row 9: spaces only
    ]
    path = fill(mm.signup_sheet(tmp_path / "s.xlsx"), people)
    with pytest.raises(mm.InputError) as error:
        mm.read_cohort(path)
    found = {(v.row, v.column) for v in error.value.violations}
    assert found == {
        (3, "role"), (5, "level"), (5, "themes"), (6, "years_in_role"), (6, "population"),
        (7, "capacity"), (7, "id"), (8, "id"), (9, "organisation"),
    }  # fmt: skip
    assert all(v.file == "s.xlsx" for v in error.value.violations)
    assert "Krisr" in str(error.value) and "Mentorr" in str(error.value)


def test_a_sheet_for_one_role(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(mm.signup_sheet(tmp_path / "a.xlsx", "sv", role="mentee"))
    titles = headers(book.worksheets[0])
    assert "Önskat tema 1 (themes)" in titles
    assert not any(header_key(t) == "capacity" for t in titles)
    rule = validations(book.worksheets[0])["B"]
    assert listed(book, rule.formula1) == ["adept"]
    book = openpyxl.load_workbook(mm.signup_sheet(tmp_path / "m.xlsx", "nb", role="Mentor"))
    titles = headers(book.worksheets[0])
    assert "Tilbudt tema 1 (themes)" in titles and "Menteer du kan ta (capacity)" in titles
    path = fill(tmp_path / "a.xlsx", [person("sv", id="E1", role="adept",
                                             themes=["Politisk turbulens"])])  # fmt: skip
    with pytest.raises(mm.InputError, match="no mentors"):
        mm.read_cohort(path)  # a sheet of mentees alone is read; a cohort needs both


def test_bad_arguments_are_named_at_once(tmp_path: Path) -> None:
    with pytest.raises(mm.InputError) as error:
        mm.signup_sheet(tmp_path / "s.csv", language="de", role="boss")
    assert {v.argument for v in error.value.violations} == {"path", "language", "role"}
    with pytest.raises(mm.InputError, match=r"s\.xlsx: cannot write the file"):
        mm.signup_sheet(tmp_path / "no such folder" / "s.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_headers_with_the_column_in_brackets(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"Rolle (role)": ["mentor", "mentee"], "ID ( id )": ["m1", "e1"],
         "Organisasjon (organisation)": ["Bodø", "Moss"], "region": ["Nordland", "Østfold"],
         "Tema 1 (themes)": ["Krise", None], "Tema 2 (THEMES)": [None, "strategy"],
         "themes": ["crisis", ""], "Merknad (notes)": ["x", "y"]}
    )  # fmt: skip
    before = frame.copy()
    read = keyed_columns(frame)
    assert frame.equals(before)  # the table handed in is not changed
    assert list(read.columns) == ["role", "id", "organisation", "region", "themes",
                                  "Merknad (notes)"]  # fmt: skip
    assert read["themes"].tolist() == ["Krise;crisis", "strategy"]
    plain = frame.drop(columns=[c for c in frame.columns if "(" in c])
    assert keyed_columns(plain) is plain
    with pytest.raises(mm.InputError) as error:
        keyed_columns(frame.assign(role=["x", "y"]), "c.csv")
    (violation,) = error.value.violations
    assert (violation.file, violation.row, violation.column) == ("c.csv", 1, "role")
    assert "'Rolle (role)' and 'role'" in violation.message


def test_the_sheet_saved_as_csv_reads_too(tmp_path: Path) -> None:
    columns = signup_columns("nb")
    rows = [[c.header for c in columns]]
    cells = {"id": "m1", "role": "mentor", "organisation": "Bodø", "region": "Nordland"}
    rows.append([cells.get(c.key, "") for c in columns])
    rows.append([{**cells, "id": "e1", "role": "mentee"}.get(c.key, "") for c in columns])
    rows[2][[c.key for c in columns].index("themes") + 1] = "Politisk turbulens"
    path = tmp_path / "påmelding.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    cohort = mm.read_cohort(path)
    assert cohort["e1"].themes == ("political-turbulence",)


def test_signup_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "anmälan.xlsx"
    assert main(["signup", "--language", "sv", "--role", "mentor", "--out", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Anmälan"
    before = out.read_bytes()
    assert main(["signup", "--out", str(out)]) == 2  # a sheet perhaps filled in already
    assert "exists" in capsys.readouterr().err and out.read_bytes() == before
    assert main(["signup", "--out", str(out), "--force"]) == 0
    assert main(["signup", "--language", "de", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "argument 'language'" in capsys.readouterr().err
