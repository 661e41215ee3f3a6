"""Hostile and careless input to the intake: each is read as meant or refused by name, at once.

Ids that break the ``;`` lists, headers that hide a column, workbooks whose data sit on another
(or a hidden) sheet, CSV files as odd editors save them, JSON of the wrong shape, and the
secretariat's usual typing mistakes: never a traceback, never a silent loss.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.profiles import Profile


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


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
        ("'=A1", "begins with an apostrophe"),
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
