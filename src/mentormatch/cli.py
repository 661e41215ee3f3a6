"""The ``mentormatch`` command: ``demo``, ``validate``, ``match`` and ``synthetic``.

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

from mentormatch.errors import InfeasibleError, InputError, Violation
from mentormatch.intake import example_cohort, read_cohort, write_cohort
from mentormatch.matching import match
from mentormatch.result import MatchResult
from mentormatch.rules import load_rules
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


def _match(args: argparse.Namespace) -> int:
    _check_out(args.out, [Path(args.cohort), args.rules])
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
        print(f"\nwritten: {writers[args.out.suffix.lower()](args.out)}")
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
