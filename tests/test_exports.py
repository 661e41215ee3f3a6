"""Files a secretariat can trust: what Excel opens as it is, nothing lost, nothing run,
nothing written over, and every write failure in one line."""

from __future__ import annotations

import csv
import json
import tempfile
import warnings
from collections.abc import Callable, Sized
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.programme import questions
from mentormatch.result import INTERNAL_NOTE, INTERNAL_SHEET
from mentormatch.sheets import (
    FORMULA_STARTS,
    REPLACEMENT,
    check_sheets,
    neutralise,
    restore,
    write_xlsx,
)

EXAMPLE = mm.example_cohort()
RULES = [mm.PairCount(8, 12), mm.AvoidSameOrganisation(), mm.AvoidDeclared()]


@pytest.fixture(scope="module")
def result() -> mm.MatchResult:
    return mm.match(EXAMPLE, rules=RULES)


def test_csv_opens_in_nordic_excel_and_keeps_everyone(
    tmp_path: Path, result: mm.MatchResult
) -> None:
    path = result.to_csv(tmp_path / "pairs.csv", sep=";")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    table = pd.read_csv(
        path, sep=";", decimal=",", dtype={"mentor_id": str, "mentee_id": str}, encoding="utf-8-sig"
    )
    assert len(table) == len(result.pairs) + len(result.unmatched)
    pairs, left_out = table.iloc[: len(result.pairs)], table.iloc[len(result.pairs) :]
    assert (pairs["score"].to_numpy() == result.pairs["score"].round(3).to_numpy()).all()
    first = raw.decode("utf-8-sig").splitlines()[1].split(";")
    assert "," in first[2] and "." not in first[2]  # a decimal comma in the score
    assert first[15].isdigit()  # whole km
    assert (
        pairs["distance_km"].tolist() == result.pairs["distance_km"].round(0).astype(int).tolist()
    )
    for row, (person, role, reason) in zip(
        left_out.itertuples(), result.unmatched.itertuples(index=False), strict=True
    ):
        assert getattr(row, f"{role}_id") == person
        assert pd.isna(getattr(row, f"{'mentee' if role == 'mentor' else 'mentor'}_id"))
        assert row.reason == f"not paired: {reason}"
        assert pd.isna(row.score)


def test_csv_rounds_the_scores_when_everyone_is_paired(tmp_path: Path) -> None:
    """With no one left out, the pairs were joined to an empty table of text columns and
    written unrounded."""
    cohort = mm.synthetic_cohort(5, 5)
    result = mm.match(cohort, rules=[mm.PairCount(5, 5)])
    assert result.unmatched.empty
    table = pd.read_csv(result.to_csv(tmp_path / "p.csv"), encoding="utf-8-sig")
    assert table["score"].tolist() == result.pairs["score"].round(3).tolist()
    assert table["distance_km"].tolist() == result.pairs["distance_km"].round(0).tolist()


def test_csv_with_commas_is_the_default(tmp_path: Path, result: mm.MatchResult) -> None:
    text = result.to_csv(tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("mentor_id,mentee_id,score,")
    with pytest.raises(mm.InputError, match=r"argument 'sep': expected ',' or ';', got '\\t'"):
        result.to_csv(tmp_path / "q.csv", sep="\t")  # type: ignore[arg-type]
    assert not (tmp_path / "q.csv").exists()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_every_formula_start(start: str) -> None:
    frame = pd.DataFrame({f"{start}x": [f"{start}cmd", "plain", 5]})
    safe = neutralise(frame)
    assert safe.iloc[0, 0] == f"'{start}cmd"
    assert list(safe.columns) == [f"'{start}x"]
    assert safe.iloc[1:, 0].tolist() == ["plain", 5]


def test_csv_export_neutralises_names_and_criteria_names(tmp_path: Path) -> None:
    frame = EXAMPLE.to_frame()
    frame.loc[frame["id"] == "M001", "name"] = "@SUM(1+1)"
    cohort = mm.Cohort.from_frame(frame)
    result = mm.match(cohort, rules=[mm.Lock("M001", "E016")], criteria=[Named("\t=cmd")])
    text = result.to_csv(tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    table = pd.read_csv(tmp_path / "p.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert "'@SUM(1+1)" in set(table["mentor_name"])
    assert "'\t=cmd" in table.columns
    assert ",@SUM" not in text


class Named:
    """A custom criterion with a given name, scoring every pair 0.5."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, mentors: Sized, mentees: Sized) -> np.ndarray:
        return np.full((len(mentors), len(mentees)), 0.5)


def test_excel_headers_are_text_and_control_characters_are_said(tmp_path: Path) -> None:
    frame = EXAMPLE.to_frame()
    frame.loc[frame["id"] == "E016", "id"] = "=1+1"
    frame.loc[frame["id"] == "M001", "name"] = "Bell\x07 and\x00 null"
    result = mm.match(mm.Cohort.from_frame(frame), rules=[mm.Lock("M001", "=1+1")])
    book = openpyxl.load_workbook(result.to_excel(tmp_path / "p.xlsx"))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    header = [c.value for c in book["scores"][1]]
    assert "=1+1" in header
    stored = [c.value for row in book["pairs"].iter_rows() for c in row if isinstance(c.value, str)]
    assert f"Bell{REPLACEMENT} and{REPLACEMENT} null" in stored
    assert book.sheetnames[-1] == "note"
    note = [[c.value for c in row] for row in book["note"].iter_rows()]
    assert note[0] == ["sheet", "cell", "note"]
    assert all(row[0] in ("pairs", INTERNAL_SHEET) for row in note[1:])
    assert "replaced by" in note[1][2]


def test_no_note_sheet_when_nothing_was_replaced(tmp_path: Path, result: mm.MatchResult) -> None:
    book = openpyxl.load_workbook(result.to_excel(tmp_path / "p.xlsx"))
    assert book.sheetnames == ["pairs", "unmatched", "scores", "about", INTERNAL_SHEET]


def test_the_full_explanations_are_kept_apart_and_marked_internal(
    tmp_path: Path, result: mm.MatchResult
) -> None:
    book = pd.read_excel(result.to_excel(tmp_path / "p.xlsx"), sheet_name=None, dtype=str)
    internal = book[INTERNAL_SHEET]
    assert list(internal.columns) == ["id", "role", "explanation (internal)"]
    assert dict(zip(internal["id"], internal["explanation (internal)"], strict=True)) == dict(
        result.explanations
    )
    assert set(internal.loc[internal["role"] == "mentor", "id"]) == set(result.scores.index)
    about = dict(zip(book["about"]["setting"], book["about"]["value"], strict=False))
    assert about["internal sheet"] == INTERNAL_NOTE
    document = json.loads(result.to_json(tmp_path / "p.json").read_text(encoding="utf-8"))
    assert document["internal"] == {
        "note": INTERNAL_NOTE,
        "explanations": dict(result.explanations),
    }
    assert "explanations" not in document


@pytest.mark.parametrize("writer", ["to_csv", "to_excel", "to_json"])
@pytest.mark.parametrize("where", ["missing/pairs", "folder", "/proc/pairs"])
def test_a_failed_write_is_one_input_error_naming_the_file(
    tmp_path: Path, result: mm.MatchResult, writer: str, where: str
) -> None:
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "folder.xlsx").mkdir()
    (tmp_path / "folder.json").mkdir()
    suffix = {"to_csv": ".csv", "to_excel": ".xlsx", "to_json": ".json"}[writer]
    target = Path(where + suffix) if where.startswith("/") else tmp_path / (where + suffix)
    with pytest.raises(mm.InputError, match="cannot write the file: ") as caught:
        getattr(result, writer)(target)
    assert str(caught.value).startswith(str(target))
    assert "\n" not in str(caught.value)


def test_cohort_and_rule_files_fail_the_same_way(tmp_path: Path) -> None:
    with pytest.raises(mm.InputError, match="cannot write the file"):
        mm.write_cohort(EXAMPLE, tmp_path / "no" / "c.csv")
    with pytest.raises(mm.InputError, match="cannot write the file"):
        mm.save_rules(RULES, tmp_path / "no" / "r.toml")
    with pytest.raises(mm.InputError, match="cannot write the file"):
        write_xlsx({"a": pd.DataFrame({"x": [1]})}, tmp_path)


def test_print_and_repr_are_one_short_line(result: mm.MatchResult) -> None:
    assert repr(result) == (
        f"MatchResult(12 pairs, objective {result.objective:.6g}, status 'optimal', "
        f"solver '{result.solver}', {len(result.unmatched)} unmatched)"
    )
    assert str(result) == result.summary()
    assert "\n" not in repr(result) and "\n" not in str(result)
    assert len(repr(result)) < 120


def _writers(result: mm.MatchResult) -> dict[str, tuple[str, Callable[[object], object]]]:
    """Every function that writes one file, with the type it writes."""
    plan = mm.plan_programme(result, "2027-02-01", cohort=EXAMPLE)
    form = mm.evaluation_form(result)
    for q in questions():
        if q.kind == "rating":
            form[q.text("en")] = 3 + np.arange(len(form)) % 3
    evaluation = mm.read_evaluation(form, result, n_boot=10)
    log = pd.DataFrame({"mentee_id": [result.pairs["mentee_id"][0]], "date": ["2027-03-01"]})
    return {
        "to_csv": (".csv", result.to_csv),
        "to_excel": (".xlsx", result.to_excel),
        "to_json": (".json", result.to_json),
        "report": (".html", result.report),
        "write_cohort": (".csv, .xlsx or .json", lambda path: mm.write_cohort(EXAMPLE, path)),
        "plan.to_excel": (".xlsx", plan.to_excel),
        "plan.report": (".html", lambda path: plan.report(path, log, today="2027-06-01")),
        "budget.to_excel": (".xlsx", plan.budget().to_excel),
        "signup_sheet": (".xlsx", mm.signup_sheet),
        "evaluation.report": (".html", evaluation.report),
    }


@pytest.mark.parametrize("name", ["pairs.zzz", "pairs", "", "  ", "pairs{suffix}/", "{other}"])
def test_every_writer_checks_the_file_name_and_names_the_argument(
    tmp_path: Path, result: mm.MatchResult, name: str
) -> None:
    for writer, (suffix, write) in _writers(result).items():
        other = ".xlsx" if ".xlsx" not in suffix else ".html"
        given = name.format(suffix=suffix[:5], other=f"pairs{other}")
        path = f"{tmp_path}/{given}" if given.strip() else given
        with pytest.raises(mm.InputError, match=r"^argument 'path': expected a file name ") as e:
            write(path)
        assert f"ending in {suffix}" in str(e.value) and "\n" not in str(e.value), writer
        assert list(tmp_path.iterdir()) == [], writer


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        (["pairs", "shortlist"], "expected a mapping of new sheet names to DataFrames, such as "
         "{'shortlist': result.shortlist()}, got a list; the workbook's own sheets (pairs, "
         "unmatched, scores, about, internal - secretariat only, note) are always written"),
        ({"Pairs": pd.DataFrame()}, "'Pairs' is a sheet the workbook has already (its sheets: "
         "pairs, unmatched, scores, about, internal - secretariat only, note)"),
        ({"INTERNAL - secretariat only": pd.DataFrame()}, "a sheet the workbook has already"),
        ({"x" * 32: pd.DataFrame()}, "a sheet's name has at most 31 characters in Excel"),
        ({"a/b": pd.DataFrame()}, "Excel does not allow '/' in a sheet's name, got 'a/b'"),
        ({"[x]?": pd.DataFrame()}, "Excel does not allow '?' or '[' or ']' in a sheet's name"),
        ({"'x": pd.DataFrame()}, "begin or end with '"),
        ({"history": pd.DataFrame()}, "Excel keeps the sheet name 'History' for itself"),
        ({"": pd.DataFrame()}, "expected a sheet name (text), got ''"),
        ({1: pd.DataFrame()}, "expected a sheet name (text), got 1"),
        ({"a": pd.DataFrame(), "A": pd.DataFrame()}, "'A' and 'a' are one sheet to Excel"),
        ({"s": pd.Series([1])}, "the sheet 's': expected a DataFrame, got Series"),
    ],
)  # fmt: skip
def test_further_sheets_are_checked_and_never_renamed(
    tmp_path: Path, result: mm.MatchResult, sheets: object, expected: str
) -> None:
    with pytest.raises(mm.InputError) as error:
        result.to_excel(tmp_path / "p.xlsx", sheets=sheets)  # type: ignore[arg-type]
    (violation,) = error.value.violations
    assert violation.argument == "sheets" and expected in violation.message
    assert list(tmp_path.iterdir()) == []


def test_every_problem_of_the_call_at_once_and_a_good_sheet_written(
    tmp_path: Path, result: mm.MatchResult
) -> None:
    with pytest.raises(mm.InputError) as error:
        result.to_excel(tmp_path / "p.csv", sheets={"a:b": pd.DataFrame(), "c*": pd.DataFrame()})
    assert [v.argument for v in error.value.violations] == ["path", "sheets", "sheets"]
    name = "x" * 31
    path = result.to_excel(tmp_path / "p.xlsx", sheets={name: result.shortlist(1)})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[4] == name and book[name]["A1"].value == "id"


def test_every_sheet_the_library_writes_has_a_name_excel_accepts(
    tmp_path: Path, result: mm.MatchResult
) -> None:
    plan = mm.plan_programme(result, "2027-02-01", cohort=EXAMPLE)
    paths = [result.to_excel(tmp_path / "p.xlsx", sheets={"shortlist": result.shortlist(1)}),
             plan.to_excel(tmp_path / "plan.xlsx"), plan.budget().to_excel(tmp_path / "b.xlsx"),
             mm.write_cohort(EXAMPLE, tmp_path / "c.xlsx")]  # fmt: skip
    paths += [mm.signup_sheet(tmp_path / f"s-{lang}-{role}.xlsx", lang, role)
              for lang in ("nb", "sv", "en") for role in (None, "mentor", "mentee")]  # fmt: skip
    for path in paths:
        names = openpyxl.load_workbook(path).sheetnames
        assert check_sheets(dict.fromkeys(names, pd.DataFrame())).keys() == set(names), path


STARTS = ["=", "+", "-", "@", "\t", "\r", "'=", "''+", "'", "'s-"]
"""Formula starts, text already behind apostrophes, and plain apostrophes."""


def _hostile_cohort(starts: list[str], line_break: str = "\r") -> mm.Cohort:
    rows = []
    for i, s in enumerate(starts):
        p = s.lstrip("'")  # no id begins with an apostrophe (the intake refuses it)
        rows += [
            {"id": f"{p}m{i}", "role": "mentor", "name": f"{s}HYPERLINK(1){line_break}2",
             "organisation": f"{s}Org{i}", "region": f"{s}R", "=custom": f"{s}cmd|'/C calc'!A0",
             "avoid": f"{p}e{i}"},
            {"id": f"{p}e{i}", "role": "mentee", "name": s, "organisation": f"{s}Org{i}b",
             "region": "R", "=custom": s, "avoid": ""},
        ]  # fmt: skip
    return mm.Cohort.from_frame(pd.DataFrame(rows))


def test_a_cohort_csv_runs_no_formula_and_reads_back_the_same(tmp_path: Path) -> None:
    cohort = _hostile_cohort(STARTS)
    path = mm.write_cohort(cohort, tmp_path / "c.csv")
    with path.open(encoding="utf-8", newline="") as file:
        cells = [cell for row in csv.reader(file) for cell in row]
    assert len(cells) == (len(cohort.profiles) + 1) * len(cohort.to_frame().columns)
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert "'=custom" in cells and "'=m6" in cells and "''=Org6" in cells and "'s-Org9" in cells
    assert mm.read_cohort(path) == cohort


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_a_cohort_workbook_and_json_read_back_the_same(tmp_path: Path, suffix: str) -> None:
    """Text cells stay text in a workbook (no apostrophe needed); XML reads a carriage
    return as a line feed, so the workbook is tried without it."""
    xml = suffix == ".xlsx"
    cohort = _hostile_cohort(
        [s for s in STARTS if s != "\r"] if xml else STARTS, "\n" if xml else "\r"
    )
    path = mm.write_cohort(cohort, tmp_path / f"c{suffix}")
    if suffix == ".xlsx":
        cells = [c for row in openpyxl.load_workbook(path)["cohort"].iter_rows() for c in row]
        assert {c.data_type for c in cells if c.value is not None} <= {"s", "n"}
    assert mm.read_cohort(path) == cohort


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.sampled_from(["", *STARTS]), st.text(max_size=8)).map("".join),
        min_size=2,
        max_size=2,
    )
)
def test_any_custom_text_round_trips_through_csv(values: list[str]) -> None:
    frame = pd.DataFrame({"id": ["m1", "e1"], "role": ["mentor", "mentee"],
                          "organisation": ["A", "B"], "region": "R", "note": values})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mm.CohortWarning)
        cohort = mm.Cohort.from_frame(frame)
        with tempfile.TemporaryDirectory() as folder:
            path = mm.write_cohort(cohort, Path(folder) / "c.csv")
            assert mm.read_cohort(path) == cohort
    assert restore(neutralise(frame)).equals(frame)


def test_the_pairs_csv_neutralises_as_the_cohort_csv_does(tmp_path: Path) -> None:
    cohort = _hostile_cohort(STARTS)
    result = mm.match(cohort, rules=[mm.AvoidDeclared()])
    path = result.to_csv(tmp_path / "p.csv")
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert len(rows) == 1 + len(result.pairs) + len(result.unmatched)
    assert not [c for row in rows for c in row if c.startswith(FORMULA_STARTS)]
    table = restore(pd.DataFrame(rows[1:], columns=rows[0]))
    pairs = table.head(len(result.pairs))
    assert pairs["mentor_id"].tolist() == result.pairs["mentor_id"].tolist()
    assert pairs["mentor_name"].tolist() == result.pairs["mentor_name"].tolist()
