"""``python -m mentormatch``: the same command line as ``mentormatch``."""

import sys

from mentormatch.cli import main

if __name__ == "__main__":
    sys.exit(main())
