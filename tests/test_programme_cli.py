"""The ``plan`` and ``report`` commands, run as a user runs them after ``mentormatch match``."""

from __future__ import annotations

from pathlib import Path

import icalendar
import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.programme import questions

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pilot_cohort.csv"


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("round") / "pairs.xlsx"
    assert main(["match", str(EXAMPLE), "--out", str(out)]) == 0
    return out


def test_plan_writes_the_workbook_calendars_and_agendas(
    pairs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["plan", str(pairs), "--start", "2027-02-01", "--cohort", str(EXAMPLE),
            "--language", "sv", "--out", str(tmp_path / "plan.xlsx"),
            "--ics", str(tmp_path / "ics"), "--agendas", str(tmp_path / "agendas")]  # fmt: skip
    assert main(args) == 0
    assert "15 pairs" in capsys.readouterr().out
    assert {p.name for p in tmp_path.iterdir()} == {"plan.xlsx", "ics", "agendas"}
    meetings = pd.read_excel(tmp_path / "plan.xlsx", sheet_name="meetings")
    calendars = sorted((tmp_path / "ics").glob("pair-*.ics"))
    assert len(calendars) == 15
    events = sum(len(icalendar.Calendar.from_ical(p.read_bytes()).events) for p in calendars)
    assert events == len(meetings)
    assert meetings["title"].str.startswith("Mentorsmöte").all()
    expected = mm.plan_programme(mm.match(mm.example_cohort()), "2027-02-01",
                                 cohort=mm.example_cohort(), language="sv")  # fmt: skip
    assert meetings["theme"].tolist() == expected.meetings["theme"].tolist()


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_plan_reads_the_other_exports(suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"pairs{suffix}"
    assert main(["match", str(EXAMPLE), "--out", str(out)]) == 0
    assert main(["plan", str(out), "--start", "2027-02-01", "--out", str(tmp_path / "p.xlsx")]) == 0


def test_plan_names_every_bad_argument(pairs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(pairs), "--start", "2027-13-01", "--meetings", "8-x",
                 "--language", "de"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "argument 'start'" in err and "argument 'meetings'" in err
    assert "argument 'language'" in err
    assert main(["plan", "missing.xlsx", "--start", "2027-02-01"]) == 2
    assert "missing.xlsx: no such file" in capsys.readouterr().err
    for start in ("9999-06-01", "9998-06-01"):
        assert main(["plan", str(pairs), "--start", start]) == 2
        (line,) = capsys.readouterr().err.splitlines()
        assert line.startswith("error: argument 'start': ") and "9998-12-31" in line


def test_report_writes_the_round_and_the_evaluation_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(EXAMPLE), "--out", str(tmp_path / "round.html")]) == 0
    assert "Proven optimal" in (tmp_path / "round.html").read_text(encoding="utf-8")
    form = mm.evaluation_form(mm.match(mm.example_cohort()), language="nb")
    rng = np.random.default_rng(0)
    for q in questions():
        if q.kind == "rating":
            form[q.text("nb")] = rng.integers(1, 6, len(form))
    form.to_excel(tmp_path / "svar.xlsx", index=False)
    args = ["report", str(EXAMPLE), "--evaluation", str(tmp_path / "svar.xlsx"),
            "--start", "2027-02-01", "--language", "nb",
            "--out", str(tmp_path / "styring.html")]  # fmt: skip
    assert main(args) == 0
    assert "Slik brukes de: mm.match(cohort, weights={" in capsys.readouterr().out
    text = (tmp_path / "styring.html").read_text(encoding="utf-8")
    assert "rapport til styringsgruppen" in text and "Fordypningstemaer i planen" in text
    form.loc[3, form.columns[5]] = 9
    form.to_excel(tmp_path / "svar.xlsx", index=False)
    assert main(args) == 2
    assert "svar.xlsx, row 5, column '1. Var formålet" in capsys.readouterr().err
