"""The ``mentormatch`` command: ``demo``, ``validate`` and ``match``.

Bad input prints every problem of the file and exits with status 2; anything
written goes only where ``--out`` says.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mentormatch.errors import InputError
from mentormatch.intake import example_cohort, read_cohort

__all__ = ["main"]

EXIT_BAD_INPUT = 2


def _demo(args: argparse.Namespace) -> int:
    cohort = example_cohort()
    print("Example cohort (fictional people, real municipalities):")
    print(cohort.summary())
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
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return status


if __name__ == "__main__":
    sys.exit(main())
