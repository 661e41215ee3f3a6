"""The command line and the examples, run as a user runs them."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.rules._union import KINDS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pilot_cohort.csv"


def test_demo_prints_the_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "15 pairs" in out and "proven optimal" in out
    assert "M0" in out and "E0" in out


def test_validate_lists_every_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,role,organisation,region\nm1,mentor,A,R\nm1,boss,B,R\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv, row 3, column 'id': duplicate id 'm1'" in err
    assert "bad.csv, row 3, column 'role': unknown role 'boss'" in err


def test_validate_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLE)]) == 0
    assert "20 mentors" in capsys.readouterr().out


def test_match_writes_only_what_out_names(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    mm.save_rules([mm.PairCount(min=8, max=12), mm.AvoidSameOrganisation()], rules)
    before = set(tmp_path.iterdir())
    out = tmp_path / "pairs.xlsx"
    assert main(["match", str(EXAMPLE), "--rules", str(rules), "--out", str(out)]) == 0
    assert set(tmp_path.iterdir()) == before | {out}
    pairs = pd.read_excel(out, sheet_name="pairs", dtype={"mentor_id": str, "mentee_id": str})
    assert len(pairs) == 12
    assert set(pairs["mentor_id"]) <= {p.id for p in mm.example_cohort().mentors}


def test_match_with_clashing_rules_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules.json"
    mm.save_rules([mm.PairCount(min=8, max=15), mm.MaxDistance(km=1)], rules)
    assert main(["match", str(EXAMPLE), "--rules", str(rules)]) == 3
    assert "PairCount" in capsys.readouterr().err


def test_the_installed_command_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mentormatch.cli", "validate", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_pilot_round_example_runs_as_written(tmp_path: Path) -> None:
    argv = sys.argv
    sys.argv = ["pilot_round.py", str(tmp_path)]
    try:
        runpy.run_path(str(ROOT / "examples" / "pilot_round.py"), run_name="__main__")
    finally:
        sys.argv = argv
    written = {p.name for p in tmp_path.iterdir()}
    assert written == {"pairs.xlsx", "pairs.csv", "pairs.json", "rules.toml"}
    assert mm.load_rules(tmp_path / "rules.toml")[0] == mm.PairCount(min=8, max=15)


def test_many_rounds_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    argv = sys.argv
    sys.argv = ["many_rounds.py", "2"]
    try:
        space = runpy.run_path(str(ROOT / "examples" / "many_rounds.py"), run_name="__main__")
    finally:
        sys.argv = argv
    table = space["table"]
    assert len(table) == 4 and set(table["status"]) == {"optimal"}
    assert "themes first" in capsys.readouterr().out
    # joblib's workers (other processes) give the rows one process gives, in any order
    alone = [space["one_round"](seed, weighting) for seed, weighting in reversed(space["tasks"])]
    assert table.to_dict("records") == alone[::-1]


def test_validate_prints_the_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "c.csv"
    sheet.write_text(
        "ID,Role,Organisation,Region,theme,avoid\n"
        "m1,mentor,Bergen,Vestland,crisis,M099\ne1,mentee,Bergen kommune,Vestland,,\n",
        encoding="utf-8",
    )
    assert main(["validate", str(sheet)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        f"{sheet}: valid, with 3 warnings:",
        "  warning: column 'theme' is not one mentormatch reads; did you mean 'themes'? "
        "It is kept but not used",
        "  warning: m1's avoid entry 'M099' is neither an id nor an organisation in the "
        "cohort; it rules nothing out",
        "  warning: organisations 'Bergen' (m1) and 'Bergen kommune' (e1) are taken as one "
        "employer",
    ]


def test_match_prints_the_rules_in_force_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", str(EXAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "Rules in force (the pilot's, as no --rules given):",
        "  PairCount(min=8, max=15)",
        "  AvoidSameOrganisation()",
        "  AvoidDeclared()",
    ]
    rules = mm.save_rules([mm.PairCount(max=9), mm.MaxDistance(km=800)], tmp_path / "r.toml")
    assert main(["match", str(EXAMPLE), "--rules", str(rules)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        f"Rules in force (from {rules}):",
        "  PairCount(max=9)",
        "  MaxDistance(km=800)",
    ]


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        (
            "missing/pairs.xlsx",
            "{out}, argument '--out': the folder '{tmp}/missing' does not exist",
        ),
        ("folder.xlsx", "{out}, argument '--out': is a folder; give a file name"),
        (
            "pairs.txt",
            "argument '--out': expected a file name ending in .csv, .xlsx or .json, "
            "got 'pairs.txt'",
        ),
        ("cohort.csv", "{out}, argument '--out': is an input of this run; write elsewhere"),
        ("link.csv", "{out}, argument '--out': is an input of this run; write elsewhere"),
    ],
)
def test_match_refuses_a_bad_out_before_matching(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str, expected: str
) -> None:
    cohort = tmp_path / "cohort.csv"
    cohort.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "link.csv").hardlink_to(cohort)
    (tmp_path / "folder.xlsx").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["match", str(cohort), "--out", str(tmp_path / out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was matched
    (line,) = captured.err.splitlines()
    assert line == "error: " + expected.format(tmp=tmp_path, out=tmp_path / out)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert cohort.read_bytes() == EXAMPLE.read_bytes()


def test_a_write_that_fails_late_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["match", str(EXAMPLE), "--out", "/proc/pairs.csv"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: /proc/pairs.csv: cannot write the file: ")


def test_match_writes_the_semicolon_dialect(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    assert main(["match", str(EXAMPLE), "--out", str(out), "--csv-sep", ";"]) == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("mentor_id;mentee_id;score;")


def test_help_says_where_the_unmatched_and_the_full_reasons_go(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["match", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "one row per person left out with the reason" in text
    assert "'internal - secretariat only'" in text
    assert "';' with decimal commas" in text


def test_version_three_ways(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert mm.__version__ == version("mentormatch")
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"mentormatch {mm.__version__}\n"
    run = subprocess.run(
        [sys.executable, "-m", "mentormatch", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout) == (0, f"mentormatch {mm.__version__}\n")


def test_the_readme_rule_file_has_every_rule_and_loads(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", readme, flags=re.S)
    path = tmp_path / "rules.toml"
    path.write_text(block, encoding="utf-8")
    rules = mm.load_rules(path)
    assert sorted({type(r).__name__ for r in rules}) == sorted(KINDS)
    for rule in rules:  # every argument a rule takes is shown
        shown = set(rule.model_dump(exclude_none=True)) - {"kind"}
        assert shown == set(type(rule).model_fields) - {"kind", "borders"}, rule


def test_the_rules_in_force_are_printed_even_when_they_clash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = mm.save_rules([mm.PairCount(min=40)], tmp_path / "r.json")
    assert main(["match", str(EXAMPLE), "--rules", str(rules)]) == 3
    captured = capsys.readouterr()
    assert captured.out.splitlines()[:2] == [
        f"Rules in force (from {rules}):",
        "  PairCount(min=40)",
    ]
    assert "PairCount(min=40), but at most 25 pairs are possible" in captured.err
