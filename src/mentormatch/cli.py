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
from mentormatch.result import MatchResult
from mentormatch.rules import load_rules

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


def _match(args: argparse.Namespace) -> int:
    cohort = read_cohort(args.cohort)
    rules = None if args.rules is None else load_rules(args.rules)
    result = match(
        cohort,
        rules=rules,
        weights=_weights(args.weights),
        time_limit=args.time_limit,
        seed=args.seed,
    )
    _print_result(result)
    if args.out is not None:
        writers = {".csv": result.to_csv, ".xlsx": result.to_excel, ".json": result.to_json}
        writer = writers.get(args.out.suffix.lower())
        if writer is None:
            raise InputError(Violation("expected a .csv, .xlsx or .json file", argument="--out"))
        print(f"\nwritten: {writer(args.out)}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    cohort = read_cohort(args.cohort)
    print(f"{args.cohort}: valid")
    print(cohort.summary())
    _print_notes(cohort.notes)
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
