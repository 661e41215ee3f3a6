"""Where files are written: checked before any work, and every failure in one line.

:func:`writable` refuses, before a round is run, an output that could not be
written or must not be: a type the writer does not know, a folder that does not
exist, a directory, a place without write permission, or one of the inputs.
:func:`writing` turns what still goes wrong while writing (a full disk, a file
locked by Excel) into an ``mm.InputError`` naming the file, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mentormatch.errors import InputError, Violation

__all__ = ["writable", "writing"]


def writable(
    path: str | Path, suffixes: Iterable[str], inputs: Iterable[str | Path | None] = ()
) -> Path:
    """``path`` if a file of one of the ``suffixes`` can be written there without
    replacing an input; else ``mm.InputError`` saying why. Nothing is created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> writable(folder / "pairs.xlsx", [".xlsx"]).name
    'pairs.xlsx'
    >>> writable(folder / "missing" / "pairs.xlsx", [".xlsx"])
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: .../missing/pairs.xlsx: the folder ... does not exist
    """
    path = Path(path)
    known = tuple(suffixes)
    where = str(path)
    if path.suffix.lower() not in known:
        kinds = " or ".join([", ".join(known[:-1]), known[-1]] if len(known) > 1 else known)
        raise InputError(Violation(f"expected a {kinds} file, got '{path.name}'", where))
    for given in inputs:
        if given is not None and _same_file(path, Path(given)):
            raise InputError(Violation("is an input of this run; write elsewhere", where))
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise InputError(Violation(f"the folder '{folder}' {what}", where))
    if path.is_dir():
        raise InputError(Violation("is a folder; give a file name", where))
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise InputError(Violation("no permission to write here", where))
    return path


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


@contextmanager
def writing(path: str | Path) -> Iterator[Path]:
    """Write to ``path`` inside this block; an ``OSError`` becomes ``mm.InputError``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with writing(folder) as path:
    ...     _ = path.write_text("x")
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: ...: cannot write the file: Is a directory
    """
    path = Path(path)
    try:
        yield path
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(Violation(f"cannot write the file: {reason}", str(path))) from None
