"""Every command's files, attacked: blank names, folders, missing folders, its own inputs,
places that cannot be written. Each is one line on stderr and status 2, checked before any
work, and nothing is written over."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import mentormatch as mm
from mentormatch.cli import _file, _folder, _parser, main
from mentormatch.programme import questions

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pilot_cohort.csv"

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{cohort}"],
    "match": ["match", "{cohort}", "--rules", "{rules}", "--history", "{pairs}",
              "--out", "{tmp}/out.xlsx"],
    "plan": ["plan", "{pairs}", "--start", "2027-02-01", "--cohort", "{cohort}",
             "--out", "{tmp}/out.xlsx", "--ics", "{tmp}/ics", "--agendas", "{tmp}/agendas"],
    "report": ["report", "{cohort}", "--rules", "{rules}", "--history", "{pairs}",
               "--evaluation", "{form}", "--out", "{tmp}/out.html"],
    "signup": ["signup", "--out", "{tmp}/out.xlsx"],
    "progress": ["progress", "{plan}", "--log", "{plan}", "--out", "{tmp}/out.html"],
    "budget": ["budget", "{plan}", "--place", "Oslo", "--out", "{tmp}/out.xlsx"],
    "synthetic": ["synthetic", "3", "3", "--out", "{tmp}/out.csv"],
}  # fmt: skip
"""A command line that works, for each command; the tests spoil one path in it."""

INPUTS = {("validate", "cohort"), ("match", "cohort"), ("match", "--rules"),
          ("match", "--history"), ("plan", "pairs"), ("plan", "--cohort"), ("report", "cohort"),
          ("report", "--rules"), ("report", "--history"), ("report", "--evaluation"),
          ("progress", "plan"), ("progress", "--log"), ("budget", "plan")}  # fmt: skip
"""Each command's options naming a file it reads (a positional one by its name)."""
OUTS = {(command, "--out") for command in COMMANDS if "--out" in COMMANDS[command]}
FOLDERS = {("plan", "--ics"), ("plan", "--agendas")}
PATHS = sorted(INPUTS | OUTS | FOLDERS)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The inputs the command lines read, made as a user makes them."""
    folder = tmp_path_factory.mktemp("inputs")
    cohort = folder / "cohort.csv"
    shutil.copy(EXAMPLE, cohort)
    rules = mm.save_rules(mm.pilot_rules(), folder / "rules.toml")
    pairs = folder / "pairs.xlsx"
    assert main(["match", str(cohort), "--out", str(pairs)]) == 0
    plan = folder / "plan.xlsx"
    assert main(["plan", str(pairs), "--start", "2027-02-01", "--cohort", str(cohort),
                 "--out", str(plan)]) == 0  # fmt: skip
    again = mm.match(mm.read_cohort(cohort), rules=[*mm.pilot_rules(), mm.NoRepeat(pairs)])
    form = mm.evaluation_form(again)  # the round `report` runs, with --history
    for q in questions():
        if q.kind == "rating":
            form[q.text("en")] = 3 + np.arange(len(form)) % 3
    form.to_excel(folder / "form.xlsx", index=False)
    return {"cohort": cohort, "rules": rules, "pairs": pairs, "plan": plan,
            "form": folder / "form.xlsx"}  # fmt: skip


@dataclass
class Cli:
    """The command lines of :data:`COMMANDS` with one path spoilt, run as a user runs them."""

    files: dict[str, Path]
    tmp: Path
    capsys: pytest.CaptureFixture[str]

    def line(self, command: str) -> list[str]:
        return [arg.format(tmp=self.tmp, **self.files) for arg in COMMANDS[command]]

    def given(self, command: str, option: str) -> Path:
        """The path the working line gives the option."""
        return Path(self.line(command)[_index(command, option)])

    def fails(self, command: str, *spoilt: tuple[str, object]) -> str:
        """Run the command with these (option, value) changes: it must fail with status 2,
        having done no work, in one line, which is returned."""
        args = self.line(command)
        for option, value in spoilt:
            args[_index(command, option)] = str(value)
        assert main(args) == 2, args
        captured = self.capsys.readouterr()
        (line,) = captured.err.splitlines()
        assert line.startswith("error: ") and "Traceback" not in captured.err
        assert captured.out == "", args  # refused before any work
        return line

    def written(self) -> list[str]:
        return sorted(p.name for p in self.tmp.iterdir())


def _index(command: str, option: str) -> int:
    """Where the option's value is in the command's line (a positional one is first)."""
    return COMMANDS[command].index(option) + 1 if option.startswith("--") else 1


@pytest.fixture
def cli(files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(files, tmp_path, capsys)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_line_works_as_written(command: str, cli: Cli) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in cli.files.values()}
    assert main(cli.line(command)) == 0
    assert {p: p.stat().st_mtime_ns for p in cli.files.values()} == stamps


def test_the_table_names_every_path_option_of_every_command() -> None:
    subcommands = next(a for a in _parser()._actions if a.dest == "command").choices
    assert set(subcommands) == {*COMMANDS, "demo"}
    declared = {
        (name, action.option_strings[0] if action.option_strings else action.dest)
        for name, command in subcommands.items()
        for action in command._actions
        if action.type in (_file, _folder)
    }
    assert declared == set(PATHS)


@pytest.mark.parametrize(("command", "option"), PATHS)
@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_path_is_one_line_naming_the_option(
    command: str, option: str, blank: str, cli: Cli
) -> None:
    kind = "folder" if (command, option) in FOLDERS else "file"
    line = cli.fails(command, (option, blank))
    assert f"argument {option}: expected a {kind} name, got {blank!r}" in line
    assert cli.written() == []


@pytest.mark.parametrize(("command", "option"), sorted(INPUTS))
def test_an_input_that_is_a_folder_or_missing_is_one_line(
    command: str, option: str, cli: Cli
) -> None:
    folder = cli.tmp / f"folder{cli.given(command, option).suffix}"
    folder.mkdir()
    for value in (folder, cli.tmp / "missing" / folder.name):
        assert value.name in cli.fails(command, (option, value))
    assert cli.written() == [folder.name]


@pytest.mark.parametrize("command", sorted(c for c, _ in OUTS))
def test_a_bad_out_is_refused_before_any_work(command: str, cli: Cli) -> None:
    suffix = cli.given(command, "--out").suffix
    (cli.tmp / f"folder{suffix}").mkdir()
    for value, expected in [
        (f"folder{suffix}", "argument '--out': is a folder; give a file name"),
        (f"missing/out{suffix}", f"argument '--out': the folder '{cli.tmp}/missing' does not"),
        ("out.txt", "argument '--out': expected a file name ending in "),
        (f"out{suffix}/", f"argument --out: expected a file name, got '{cli.tmp}/out{suffix}/'"),
    ]:
        assert expected in cli.fails(command, ("--out", f"{cli.tmp}/{value}"))
    assert cli.written() == [f"folder{suffix}"]


@pytest.mark.parametrize(
    ("command", "input_name"),
    [("match", "cohort"), ("match", "pairs"), ("plan", "pairs"), ("plan", "cohort.xlsx"),
     ("budget", "plan"), ("report", "form.htm")],
)  # fmt: skip
def test_no_command_writes_over_its_input(command: str, input_name: str, cli: Cli) -> None:
    spoilt: list[tuple[str, object]] = []
    if "." in input_name:  # an input of the type --out writes, given in its place
        target = cli.tmp / input_name
        shutil.copy(cli.files["form"], target)
        spoilt.append(("--cohort" if command == "plan" else "--evaluation", target))
    else:
        target = cli.files[input_name]
    before = target.read_bytes()
    line = cli.fails(command, *spoilt, ("--out", target))
    assert line == f"error: {target}, argument '--out': is an input of this run; write elsewhere"
    assert target.read_bytes() == before


@pytest.mark.parametrize("option", ["--ics", "--agendas"])
def test_a_folder_option_is_checked_before_any_work(option: str, cli: Cli) -> None:
    (cli.tmp / "file").write_text("x")
    for value, expected in [
        (cli.tmp / "file", "is a file, expected a folder"),
        (cli.tmp / "file" / "sub", f"'{cli.tmp / 'file'}' is a file, expected a folder"),
        (cli.tmp / "out.xlsx", "is the --out file; give a folder"),
    ]:
        line = cli.fails("plan", (option, value))
        assert line == f"error: {value}, argument '{option}': {expected}"
    assert cli.written() == ["file"]


@pytest.mark.parametrize(("command", "option"), sorted(OUTS | FOLDERS))
def test_a_read_only_folder_is_refused_before_any_work(
    command: str, option: str, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder's permission as ``os.access`` says it: faked, as tests may run as root,
    whom no permission stops."""
    locked = cli.tmp / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != locked and real(p, mode))
    value = locked / cli.given(command, option).name
    line = cli.fails(command, (option, value))
    assert line == f"error: {value}, argument '{option}': no permission to write here"
    assert cli.written() == ["locked"] and list(locked.iterdir()) == []


@pytest.mark.parametrize(("command", "option"), sorted(OUTS | FOLDERS))
def test_a_write_that_fails_late_is_one_line(command: str, option: str, cli: Cli) -> None:
    """/proc passes the checks made before the work (even root cannot write there)."""
    value = f"/proc/{cli.given(command, option).name}"
    args = cli.line(command)
    args[_index(command, option)] = value
    assert main(args) == 2
    (line,) = cli.capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {value}") and "cannot write" in line


def test_a_usage_mistake_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--start", "2027-02-01"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        "error: the following arguments are required: pairs (see 'mentormatch plan --help')"
    )
