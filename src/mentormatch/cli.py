"""The ``mentormatch`` command: ``demo``, ``validate``, ``match``, ``plan``, ``report`` and
``synthetic``.

Bad input prints every problem of the file and exits with status 2; rules
that cannot all hold exit with status 3; anything written goes only where
``--out`` says, never over an input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mentormatch.cohort import Cohort
from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.intake import example_cohort, read_cohort, write_cohort
from mentormatch.matching import match
from mentormatch.objectives import OBJECTIVES
from mentormatch.programme import plan_programme, read_evaluation
from mentormatch.result import MatchResult
from mentormatch.rules import NoRepeat, load_rules, pilot_rules
from mentormatch.rules._history import read_pairs
from mentormatch.synthetic import synthetic_cohort

__all__ = ["main"]

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
_FORMATS = (".csv", ".xlsx", ".json")  # what --out writes
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


def _check_out(out: Path | None, inputs: Sequence[Path | None] = (), force: bool = True) -> None:
    """Refuse, before any work, an output of an unknown type, over an input, or (unless
    ``force``) over an existing file."""
    if out is None:
        return
    if out.suffix.lower() not in _FORMATS:
        raise InputError(
            Violation(f"expected a .csv, .xlsx or .json file, got '{out.name}'", argument="--out")
        )
    if any(path is not None and path.resolve() == out.resolve() for path in inputs):
        raise InputError(Violation(f"'{out}' is an input; write elsewhere", argument="--out"))
    if out.exists() and not force:
        raise InputError(
            Violation(f"'{out}' exists; choose another name or pass --force", argument="--out")
        )


def _round(args: argparse.Namespace) -> tuple[Cohort, MatchResult]:
    cohort = read_cohort(args.cohort)
    rules = list(pilot_rules() if args.rules is None else load_rules(args.rules))
    if args.history:
        rules.append(NoRepeat(args.history))
    result = match(
        cohort,
        rules=rules,
        weights=_weights(args.weights),
        time_limit=args.time_limit,
        seed=args.seed,
        objective=args.objective,
    )
    return cohort, result


def _match(args: argparse.Namespace) -> int:
    _check_out(args.out, [Path(args.cohort), args.rules, *(args.history or [])])
    if args.shortlist is not None and args.shortlist < 1:
        raise InputError(
            Violation(f"expected a whole number >= 1, got {args.shortlist}", argument="--shortlist")
        )
    if args.shortlist is not None and args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise InputError(
            Violation("the shortlist is written as a sheet: use an .xlsx --out", argument="--out")
        )
    _, result = _round(args)
    _print_result(result)
    shortlist = None if args.shortlist is None else result.shortlist(args.shortlist)
    if shortlist is not None:
        print(f"\nShortlists ({args.shortlist} best allowed mentors per mentee):")
        print(shortlist[["id", "rank", "partner_id", "score"]].round(2).to_string(index=False))
    if args.out is not None:
        suffix = args.out.suffix.lower()
        if suffix == ".xlsx":
            written = result.to_excel(
                args.out, sheets={} if shortlist is None else {"shortlist": shortlist}
            )
        else:
            written = (result.to_csv if suffix == ".csv" else result.to_json)(args.out)
        print(f"\nwritten: {written}")
    return 0


def _synthetic(args: argparse.Namespace) -> int:
    _check_out(args.out, force=args.force)
    cohort = synthetic_cohort(
        args.n_mentors, args.n_mentees, seed=args.seed, countries=args.countries.split(",")
    )
    if args.out is None:
        cohort.to_frame().to_csv(sys.stdout, index=False)
        return 0
    print(cohort.summary())
    print(f"\nwritten: {write_cohort(cohort, args.out)}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    cohort = read_cohort(args.cohort)
    print(f"{args.cohort}: valid")
    print(cohort.summary())
    _print_notes(cohort.notes)
    return 0


def _plan(args: argparse.Namespace) -> int:
    cohort = None if args.cohort is None else read_cohort(args.cohort)
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


def _round_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("cohort", help="a .csv, .xlsx or .json cohort file")
    command.add_argument("--rules", type=Path, help="a .toml or .json rule file (default: pilot)")
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
        type=Path,
        action="append",
        help="an earlier round's pairs (.xlsx, .csv, .json): no one is paired again with an "
        "earlier partner; repeat for several rounds",
    )


def _programme_commands(commands: Any) -> None:
    plan = commands.add_parser("plan", help="plan the programme year for a round's pairs")
    plan.add_argument("pairs", type=Path, help="the round's pairs (.xlsx, .csv or .json export)")
    plan.add_argument("--start", required=True, help="the programme's first day, e.g. 2027-02-01")
    plan.add_argument("--cohort", help="the cohort file: themes, countries and coordinates")
    plan.add_argument("--meetings", default="8-10", help="meetings per pair, e.g. 8-10 or 9")
    plan.add_argument("--remote-km", type=float, default=300.0, help="meet remotely beyond this")
    plan.add_argument("--language", default="en", help="en, sv or nb")
    plan.add_argument("--out", type=Path, help="write the plan to this .xlsx workbook")
    plan.add_argument("--ics", type=Path, help="write iCalendar files into this folder")
    plan.add_argument("--agendas", type=Path, help="write printable agendas into this folder")
    plan.set_defaults(run=_plan)
    report = commands.add_parser(
        "report", help="write the round report, or with --evaluation the steering group's"
    )
    _round_options(report)
    report.add_argument("--out", type=Path, required=True, help="the .html page to write")
    report.add_argument("--language", default="en", help="en, sv or nb")
    report.add_argument("--evaluation", type=Path, help="the returned evaluation forms")
    report.add_argument("--start", help="with --evaluation: the programme's first day (themes)")
    report.set_defaults(run=_report)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentormatch", description="Pair mentors and mentees for a mentoring programme."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="pair the bundled example cohort")
    demo.set_defaults(run=_demo)
    validate = commands.add_parser("validate", help="check a cohort file; list every problem")
    validate.add_argument("cohort", help="a .csv, .xlsx or .json cohort file")
    validate.set_defaults(run=_validate)
    pair = commands.add_parser("match", help="pair a cohort file under a rule file")
    _round_options(pair)
    pair.add_argument("--out", type=Path, help="write the result to .xlsx, .csv or .json")
    pair.add_argument(
        "--shortlist",
        type=int,
        metavar="K",
        help="list the K best allowed mentors per mentee (a 'shortlist' sheet in --out .xlsx)",
    )
    pair.set_defaults(run=_match)
    _programme_commands(commands)
    synthetic = commands.add_parser(
        "synthetic", help="make a synthetic cohort: fictional people, real municipalities"
    )
    synthetic.add_argument("n_mentors", type=int, help="number of mentors, at least 1")
    synthetic.add_argument("n_mentees", type=int, help="number of mentees, at least 1")
    synthetic.add_argument("--seed", type=int, default=0)
    synthetic.add_argument("--countries", default="NO,SE", help="NO, SE or NO,SE (default)")
    synthetic.add_argument(
        "--out", type=Path, help="write the cohort to .csv, .xlsx or .json (default: CSV on stdout)"
    )
    synthetic.add_argument("--force", action="store_true", help="replace --out if it exists")
    synthetic.set_defaults(run=_synthetic)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Examples
    --------
    >>> main(["validate", "no-such-file.csv"])
    2
    """
    args = _parser().parse_args(argv)
    try:
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
    return status


if __name__ == "__main__":
    sys.exit(main())
