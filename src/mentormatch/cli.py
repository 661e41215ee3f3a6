"""The ``mentormatch`` command: ``demo``, ``validate`` and ``match``.

Bad input prints every problem of the file and exits with status 2; rules
that cannot all hold exit with status 3; anything written goes only where
``--out`` says.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.intake import example_cohort, read_cohort
from mentormatch.matching import match
from mentormatch.objectives import OBJECTIVES
from mentormatch.result import MatchResult
from mentormatch.rules import NoRepeat, load_rules, pilot_rules

__all__ = ["main"]

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
_SHOWN = ["mentor_id", "mentee_id", "score", "mentor_region", "mentee_region", "distance_km"]


def _print_result(result: MatchResult) -> None:
    print(result.summary())
    print(result.pairs[_SHOWN].round(2).to_string(index=False))
    if len(result.unmatched):
        print("\nUnmatched:")
        for person, role, reason in result.unmatched.itertuples(index=False):
            print(f"  {person} ({role}): {reason}")


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


def _match(args: argparse.Namespace) -> int:
    suffix = None if args.out is None else args.out.suffix.lower()
    if suffix not in (None, ".csv", ".xlsx", ".json"):
        raise InputError(Violation("expected a .csv, .xlsx or .json file", argument="--out"))
    if args.shortlist is not None and suffix not in (None, ".xlsx"):
        raise InputError(
            Violation("the shortlist is written as a sheet: use an .xlsx --out", argument="--out")
        )
    if args.shortlist is not None and args.shortlist < 1:
        raise InputError(
            Violation(f"expected a whole number >= 1, got {args.shortlist}", argument="--shortlist")
        )
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
    _print_result(result)
    shortlist = None if args.shortlist is None else result.shortlist(args.shortlist)
    if shortlist is not None:
        print(f"\nShortlists ({args.shortlist} best allowed mentors per mentee):")
        print(shortlist[["id", "rank", "partner_id", "score"]].round(2).to_string(index=False))
    if args.out is not None:
        if suffix == ".xlsx":
            extra = {} if shortlist is None else {"shortlist": shortlist}
            written = result.to_excel(args.out, sheets=extra)
        else:
            written = (result.to_csv if suffix == ".csv" else result.to_json)(args.out)
        print(f"\nwritten: {written}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    cohort = read_cohort(args.cohort)
    print(f"{args.cohort}: valid")
    print(cohort.summary())
    return 0


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
    pair.add_argument("cohort", help="a .csv, .xlsx or .json cohort file")
    pair.add_argument("--rules", type=Path, help="a .toml or .json rule file (default: pilot)")
    pair.add_argument("--weights", help="criterion weights, e.g. themes=3,experience=1")
    pair.add_argument("--time-limit", type=float, help="seconds; best found when reached")
    pair.add_argument("--seed", type=int, default=0)
    pair.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default="total",
        help="total (default), fair (best worst pair) or coverage (most pairs first)",
    )
    pair.add_argument(
        "--history",
        type=Path,
        action="append",
        help="an earlier round's pairs (.xlsx, .csv, .json): no one is paired again with an "
        "earlier partner; repeat for several rounds",
    )
    pair.add_argument(
        "--shortlist",
        type=int,
        metavar="K",
        help="list the K best allowed mentors per mentee (a 'shortlist' sheet in --out .xlsx)",
    )
    pair.add_argument("--out", type=Path, help="write the result to .xlsx, .csv or .json")
    pair.set_defaults(run=_match)
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
