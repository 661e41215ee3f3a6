"""The ``mentormatch`` command: ``demo``, ``signup``, ``validate``, ``match``, ``plan``, ``report``,
``progress``, ``budget`` and ``synthetic``.

Bad input prints every problem of the file and exits with status 2, as does a
usage mistake (one line each); rules that cannot all hold exit with status 3.
Anything written goes only where ``--out`` (or a folder option) says, never
over an input: every command declares the files it reads and writes
(:class:`_Files`), and :func:`_check_files` checks them all before any work.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from mentormatch import __version__
from mentormatch.cohort import Cohort
from mentormatch.errors import CohortWarning, InfeasibleError, InputError, RuleWarning, Violation
from mentormatch.files import folder_path, writable
from mentormatch.intake import example_cohort, read_cohort, write_cohort
from mentormatch.matching import match
from mentormatch.objectives import OBJECTIVES
from mentormatch.programme import (
    Budget,
    Plan,
    plan_programme,
    read_evaluation,
    read_plan,
    signup_sheet,
)
from mentormatch.result import MatchResult
from mentormatch.rules import NoRepeat, load_rules, pilot_rules
from mentormatch.rules._history import read_pairs
from mentormatch.synthetic import synthetic_cohort

__all__ = ["main"]

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
_FORMATS = (".csv", ".xlsx", ".json")  # what match's and synthetic's --out write
_PAGES = (".html", ".htm")
_ROUND_INPUTS = ("cohort", "rules", "history")
_SHOWN = ["mentor_id", "mentee_id", "score", "mentor_region", "mentee_region", "distance_km"]


def _print_result(result: MatchResult) -> None:
    print(result.summary())
    print(result.pairs[_SHOWN].round(2).to_string(index=False))
    if len(result.unmatched):
        print("\nUnmatched:")
        for person, role, reason in result.unmatched.itertuples(index=False):
            print(f"  {person} ({role}): {reason}")
    _print_notes(result.notes)


def _print_notes(notes: Sequence[str]) -> None:
    if notes:
        print("\nNotes:")
        for note in notes:
            print(f"  {note}")


def _demo(args: argparse.Namespace) -> int:
    cohort = example_cohort()
    print("Example cohort (fictional people, real municipalities):")
    print(cohort.summary(), end="\n\n")
    print("Pairs under the pilot's rules (8-15 pairs, no shared organisation, avoid honoured):")
    _print_result(match(cohort))
    return 0


def _weights(text: str | None) -> dict[str, float] | None:
    if text is None:
        return None
    weights: dict[str, float] = {}
    for item in text.split(","):
        name, _, value = item.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise InputError(
                Violation(f"expected name=number, got '{item}'", argument="--weights")
            ) from None
    return weights


@dataclass(frozen=True)
class _Files:
    """What a command reads and writes, by option (``dest``) name, for :func:`_check_files`.

    ``inputs`` name the files read (never written over), ``out`` the types
    ``--out`` may be (empty: no ``--out``), ``folders`` the options naming
    folders files are written into.
    """

    inputs: tuple[str, ...] = ()
    out: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()


def _check_files(args: argparse.Namespace) -> None:
    """Refuse, before any work, an output that cannot or must not be written (a type
    the command does not write, a missing folder, a directory, no permission, one of
    the inputs) or, with a ``--force`` option not given, an existing file; and a
    folder option that names a file."""
    files: _Files = args.files
    inputs = [p for name in files.inputs for p in _paths(getattr(args, name))]
    out: Path | None = getattr(args, "out", None)
    if out is not None:
        writable(out, files.out, inputs, argument="--out")
        if out.exists() and not getattr(args, "force", True):
            raise InputError(
                Violation("exists; choose another name or pass --force", str(out), argument="--out")
            )
    for name in files.folders:
        for folder in _paths(getattr(args, name)):
            option = f"--{name}"
            folder_path(folder, option)
            if out is not None and out.absolute() in (
                folder.absolute(),
                *folder.absolute().parents,
            ):
                raise InputError(
                    Violation("is the --out file; give a folder", str(folder), argument=option)
                )


def _paths(value: Path | list[Path] | None) -> list[Path]:
    """An option's paths: none, one, or those of a repeated option."""
    return [] if value is None else value if isinstance(value, list) else [value]


def _named(kind: str) -> Callable[[str], Path]:
    """The argparse type of an option naming a file or a folder: refused when blank
    (``Path("")`` would be the current folder), and a file's when it ends in a separator
    (``Path("x.xlsx/")`` would be ``x.xlsx``)."""

    def path(text: str) -> Path:
        if not text.strip() or (kind == "file" and text.endswith(("/", os.sep))):
            raise argparse.ArgumentTypeError(f"expected a {kind} name, got {text!r}")
        return Path(text)

    return path


_file = _named("file")
_folder = _named("folder")


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake raised as an ``InputError``: one line, status 2."""

    def error(self, message: str) -> NoReturn:
        raise InputError(Violation(f"{message} (see '{self.prog} --help')"))


def _round(args: argparse.Namespace, announce: bool = False) -> tuple[Cohort, MatchResult]:
    """Read the cohort and the rules and match; ``announce`` prints the rules in force first."""
    cohort = _read(args.cohort)
    for finding in cohort.warnings:
        print(f"warning: {args.cohort}: {finding}", file=sys.stderr)
    rules = list(pilot_rules() if args.rules is None else load_rules(args.rules))
    if args.history:
        rules.append(NoRepeat(args.history))
    if announce:
        source = (
            f"from {args.rules}" if args.rules is not None else "the pilot's, as no --rules given"
        )
        print(f"Rules in force ({source}):")
        for rule in rules:
            print(f"  {rule}")
        print(f"Objective: {args.objective}", flush=True)
        print()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuleWarning)  # printed below, in a command's words
        result = match(
            cohort,
            rules=rules,
            weights=_weights(args.weights),
            time_limit=args.time_limit,
            seed=args.seed,
            objective=args.objective,
        )
    for said in caught:
        if issubclass(said.category, RuleWarning):
            print(f"warning: {said.message}", file=sys.stderr)
        else:  # not ours to word: shown as Python shows it
            warnings.showwarning(said.message, said.category, said.filename, said.lineno)
    return cohort, result


def _match(args: argparse.Namespace) -> int:
    if args.shortlist is not None and args.shortlist < 1:
        raise InputError(
            Violation(f"expected a whole number >= 1, got {args.shortlist}", argument="--shortlist")
        )
    if args.shortlist is not None and args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise InputError(
            Violation("the shortlist is written as a sheet: use an .xlsx --out", argument="--out")
        )
    _, result = _round(args, announce=True)
    _print_result(result)
    shortlist = None if args.shortlist is None else result.shortlist(args.shortlist)
    if shortlist is not None:
        print(f"\nShortlists ({args.shortlist} best allowed mentors per mentee):")
        print(shortlist[["id", "rank", "partner_id", "score"]].round(2).to_string(index=False))
    if args.out is not None:
        sheets = {} if shortlist is None else {"shortlist": shortlist}
        writers: dict[str, Callable[[Path], Path]] = {
            ".csv": partial(result.to_csv, sep=args.csv_sep),
            ".xlsx": partial(result.to_excel, sheets=sheets),
            ".json": result.to_json,
        }
        print(f"\nwritten: {writers[args.out.suffix.lower()](args.out)}")
    return 0


def _synthetic(args: argparse.Namespace) -> int:
    cohort = synthetic_cohort(
        args.n_mentors, args.n_mentees, seed=args.seed, countries=args.countries.split(",")
    )
    if args.out is None:
        cohort.to_frame().to_csv(sys.stdout, index=False)
        return 0
    print(cohort.summary())
    print(f"\nwritten: {write_cohort(cohort, args.out)}")
    return 0


def _read(path: Path) -> Cohort:
    """Read a cohort; its warnings are printed by the commands, not by Python's machinery."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CohortWarning)
        return read_cohort(path)


def _validate(args: argparse.Namespace) -> int:
    cohort = _read(args.cohort)
    count = len(cohort.warnings)
    plural = "s" if count > 1 else ""
    print(f"{args.cohort}: valid" + (f", with {count} warning{plural}:" if count else ""))
    for finding in cohort.warnings:
        print(f"  warning: {finding}")
    print(cohort.summary())
    _print_notes(cohort.notes)
    return 0


def _plan(args: argparse.Namespace) -> int:
    cohort = None if args.cohort is None else _read(args.cohort)
    for finding in () if cohort is None else cohort.warnings:
        print(f"warning: {args.cohort}: {finding}", file=sys.stderr)
    low, _, high = args.meetings.partition("-")
    meetings: Any = args.meetings  # plan_programme names it, with any other bad argument
    if low.strip().isdigit() and (high or low).strip().isdigit():
        meetings = (int(low), int(high or low))
    plan = plan_programme(
        read_pairs(args.pairs),
        args.start,
        meetings=meetings,
        language=args.language,
        cohort=cohort,
        remote_km=args.remote_km,
    )
    print(plan.summary())
    written = [plan.to_excel(args.out)] if args.out is not None else []
    written += plan.to_ics(args.ics) if args.ics is not None else []
    written += plan.to_agendas(args.agendas) if args.agendas is not None else []
    for path in written:
        print(f"written: {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    cohort, result = _round(args)
    if args.evaluation is None:
        path = result.report(args.out, language=args.language, cohort=cohort)
    else:
        plan = None
        if args.start is not None:
            plan = plan_programme(result, args.start, cohort=cohort, language=args.language)
        evaluation = read_evaluation(args.evaluation, result, plan=plan, language=args.language)
        print(evaluation.reasoning)
        path = evaluation.report(args.out)
    print(f"written: {path}")
    return 0


def _signup(args: argparse.Namespace) -> int:
    print(f"written: {signup_sheet(args.out, args.language, args.role)}")
    return 0


def _place(text: str | None) -> str | tuple[float, float] | None:
    """``--place``: an organisation's name, or ``latitude,longitude``."""
    if text is None:
        return None
    parts = text.split(",")
    try:
        return (float(parts[0]), float(parts[1])) if len(parts) == 2 else text
    except ValueError:
        return text


def _budget_of(plan: Plan, args: argparse.Namespace) -> Budget:
    return plan.budget(
        place=_place(args.place),
        traveller=args.traveller,
        cost_per_km=args.cost_per_km,
        hourly_cost=args.hourly_cost,
        detour=args.detour,
        night_cost=args.night_cost,
        currency=args.currency,
    )


def _progress(args: argparse.Namespace) -> int:
    plan = read_plan(args.plan)
    estimate = _budget_of(plan, args) if args.budget else None  # its problems before any work
    log = args.plan if args.log is None else args.log
    table = plan.progress(log, args.today, quiet_weeks=args.quiet_weeks, pace=args.pace)
    shown = ["mentor_id", "mentee_id", "held", "due", "planned", "weeks_since_last", "behind"]
    print(table[[*shown, "reason"]].to_string(index=False))
    if estimate is not None:
        print(f"\nbudget: {estimate.summary()}")
    if args.out is not None:
        path = plan.report(args.out, log, args.today, budget=estimate, language=args.language,
                           quiet_weeks=args.quiet_weeks, pace=args.pace)  # fmt: skip
        print(f"written: {path}")
    return 0


def _budget(args: argparse.Namespace) -> int:
    estimate = _budget_of(read_plan(args.plan), args)
    print(f"gatherings at: {estimate.place}")
    print(estimate.lines.round(1).to_string(index=False))
    print(estimate.summary())
    if args.out is not None:
        print(f"written: {estimate.to_excel(args.out)}")
    return 0


def _budget_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--place", help="the gatherings' place: an organisation, or lat,lon")
    command.add_argument("--traveller", default="mentee", help="mentee, mentor or both")
    command.add_argument("--cost-per-km", type=float, default=4.90, help="default 4.90 (NOK)")
    command.add_argument("--hourly-cost", type=float, default=1000.0, help="default 1000 (NOK)")
    command.add_argument("--detour", type=float, default=1.0, help="road km per great-circle km")
    command.add_argument("--night-cost", type=float, default=0.0, help="per night away")
    command.add_argument("--currency", default="NOK")


def _year_commands(commands: Any) -> None:
    signup = commands.add_parser("signup", help="write the sign-up sheet candidates fill in")
    signup.add_argument("--language", default="nb", help="nb, sv or en")
    signup.add_argument("--role", help="mentor or mentee: a sheet for one role only")
    signup.add_argument("--out", type=_file, required=True, help="the .xlsx workbook to write")
    signup.add_argument("--force", action="store_true", help="replace --out if it exists")
    signup.set_defaults(run=_signup, files=_Files(out=(".xlsx",)))  # a filled-in sheet is precious
    follow = commands.add_parser(
        "progress", help="the pairs' meetings held against the plan; the steering summary"
    )
    follow.add_argument("plan", type=_file, help="the plan's workbook (mentormatch plan --out)")
    follow.add_argument("--log", type=_file, help="the meeting log (default: the plan's log sheet)")
    follow.add_argument("--today", help="the day to judge on (default: the current date)")
    follow.add_argument("--quiet-weeks", type=float, default=10.0, help="behind after this")
    follow.add_argument("--pace", type=float, default=0.5, help="share due held, from mid-year")
    follow.add_argument("--out", type=_file, help="write the steering group's summary (.html)")
    follow.add_argument("--language", help="en, sv or nb (default: the plan's)")
    follow.add_argument("--budget", action="store_true", help="add the budget (options below)")
    _budget_options(follow)
    follow.set_defaults(run=_progress, files=_Files(inputs=("plan", "log"), out=_PAGES))
    cost = commands.add_parser("budget", help="travel and work: the programme's cost estimate")
    cost.add_argument("plan", type=_file, help="the plan's workbook (mentormatch plan --out)")
    cost.add_argument("--out", type=_file, help="write the budget to this .xlsx workbook")
    _budget_options(cost)
    cost.set_defaults(run=_budget, files=_Files(inputs=("plan",), out=(".xlsx",)))


def _round_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("cohort", type=_file, help="a .csv, .xlsx or .json cohort file")
    command.add_argument("--rules", type=_file, help="a .toml or .json rule file (default: pilot)")
    command.add_argument("--weights", help="criterion weights, e.g. themes=3,experience=1")
    command.add_argument("--time-limit", type=float, help="seconds; best found when reached")
    command.add_argument("--seed", type=int, default=0)
    command.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default="total",
        help="total (default), fair (best worst pair) or coverage (most pairs first)",
    )
    command.add_argument(
        "--history",
        type=_file,
        action="append",
        help="an earlier round's pairs (.xlsx, .csv, .json): no one is paired again with an "
        "earlier partner; repeat for several rounds",
    )


def _programme_commands(commands: Any) -> None:
    plan = commands.add_parser("plan", help="plan the programme year for a round's pairs")
    plan.add_argument("pairs", type=_file, help="the round's pairs (.xlsx, .csv or .json export)")
    plan.add_argument("--start", required=True, help="the programme's first day, e.g. 2027-02-01")
    plan.add_argument(
        "--cohort", type=_file, help="the cohort file: themes, countries and coordinates"
    )
    plan.add_argument("--meetings", default="8-10", help="meetings per pair, e.g. 8-10 or 9")
    plan.add_argument("--remote-km", type=float, default=300.0, help="meet remotely beyond this")
    plan.add_argument("--language", default="en", help="en, sv or nb")
    plan.add_argument("--out", type=_file, help="write the plan to this .xlsx workbook")
    plan.add_argument("--ics", type=_folder, help="write iCalendar files into this folder")
    plan.add_argument("--agendas", type=_folder, help="write printable agendas into this folder")
    plan.set_defaults(
        run=_plan,
        files=_Files(inputs=("pairs", "cohort"), out=(".xlsx",), folders=("ics", "agendas")),
    )
    report = commands.add_parser(
        "report", help="write the round report, or with --evaluation the steering group's"
    )
    _round_options(report)
    report.add_argument("--out", type=_file, required=True, help="the .html page to write")
    report.add_argument("--language", default="en", help="en, sv or nb")
    report.add_argument("--evaluation", type=_file, help="the returned evaluation forms")
    report.add_argument("--start", help="with --evaluation: the programme's first day (themes)")
    report.set_defaults(
        run=_report, files=_Files(inputs=(*_ROUND_INPUTS, "evaluation"), out=_PAGES)
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mentormatch", description="Pair mentors and mentees for a mentoring programme."
    )
    parser.set_defaults(files=_Files())
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="pair the bundled example cohort")
    demo.set_defaults(run=_demo)
    validate = commands.add_parser("validate", help="check a cohort file; list every problem")
    validate.add_argument("cohort", type=_file, help="a .csv, .xlsx or .json cohort file")
    validate.set_defaults(run=_validate)
    pair = commands.add_parser(
        "match",
        help="pair a cohort file under a rule file",
        description="Pair a cohort file under a rule file; the rules in force are printed first.",
    )
    _round_options(pair)
    pair.add_argument(
        "--out",
        type=_file,
        help="write the result (checked before matching; never over an input): .xlsx with "
        "sheets pairs, unmatched, scores, about and 'internal - secretariat only' (the full "
        "reasons: do not hand it on); .csv, one file: the pairs, then one row per person left "
        "out with the reason, UTF-8 with BOM, scores rounded; or .json, everything",
    )
    pair.add_argument(
        "--csv-sep",
        choices=[",", ";"],
        default=",",
        help="with a .csv --out: ',' (default), or ';' with decimal commas, as Excel "
        "expects in Nordic settings",
    )
    pair.add_argument(
        "--shortlist",
        type=int,
        metavar="K",
        help="list the K best allowed mentors per mentee (a 'shortlist' sheet in --out .xlsx)",
    )
    pair.set_defaults(run=_match, files=_Files(inputs=_ROUND_INPUTS, out=_FORMATS))
    _programme_commands(commands)
    _year_commands(commands)
    synthetic = commands.add_parser(
        "synthetic", help="make a synthetic cohort: fictional people, real municipalities"
    )
    synthetic.add_argument("n_mentors", type=int, help="number of mentors, at least 1")
    synthetic.add_argument("n_mentees", type=int, help="number of mentees, at least 1")
    synthetic.add_argument("--seed", type=int, default=0)
    synthetic.add_argument("--countries", default="NO,SE", help="NO, SE or NO,SE (default)")
    synthetic.add_argument(
        "--out",
        type=_file,
        help="write the cohort to .csv, .xlsx or .json (default: CSV on stdout)",
    )
    synthetic.add_argument("--force", action="store_true", help="replace --out if it exists")
    synthetic.set_defaults(run=_synthetic, files=_Files(out=_FORMATS))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Examples
    --------
    >>> main(["validate", "no-such-file.csv"])
    2
    """
    try:
        args = _parser().parse_args(argv)
        _check_files(args)
        status: int = args.run(args)
    except InfeasibleError as error:
        print(f"error: the rules cannot all hold: {error}", file=sys.stderr)
        return EXIT_INFEASIBLE
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the output was piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:  # a file that could not be written or read, wherever it was
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return status


if __name__ == "__main__":
    sys.exit(main())
