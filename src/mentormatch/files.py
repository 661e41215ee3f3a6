"""Where files are written: checked before any work, and every failure in one line.

:func:`output_path` refuses a file name of a type the writer does not write (or
none at all: an empty name), naming the argument; :func:`writable` refuses,
before a round is run, an output that could not be written or must not be: a
type the writer does not know, a folder that does not exist, a directory, a
place without write permission, or one of the inputs. :func:`folder_path` and
:func:`output_folder` do the same for a folder files are written into.
:func:`writing` turns what still goes wrong while writing (a full disk, a file
locked by Excel) into an ``mm.InputError`` naming the file, never a traceback.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from mentormatch.errors import InputError, Violation

__all__ = ["file_name", "folder_path", "output_folder", "output_path", "writable", "writing"]

NAME_BYTES = 120
"""The longest name :func:`file_name` makes before its type, in UTF-8 bytes (file systems
allow 255 bytes a name, and a whole path some 4,096 or, on Windows, 260 characters)."""


def output_path(path: object, suffixes: Sequence[str], argument: str = "path") -> Path:
    """``path`` as a Path when it names a file ending in one of ``suffixes`` (any case),
    else an ``mm.InputError`` naming the argument. Nothing on disk is looked at.

    Examples
    --------
    >>> output_path("Pairs.XLSX", [".xlsx"]).name
    'Pairs.XLSX'
    >>> output_path("", [".csv", ".xlsx", ".json"], argument="--out")
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument '--out': expected a file name ending in .csv, ... got ''
    """
    target = _given(path)
    if target is not None and target.suffix.lower() in suffixes and not _folder_like(path):
        return target
    shown = _shown(path) if target is None or _folder_like(path) else repr(target.name)
    raise InputError(
        Violation(
            f"expected a file name ending in {_kinds(suffixes)}, got {shown}", argument=argument
        )
    )


def _given(path: object) -> Path | None:
    """``path`` as a Path, or None when it is no path or a blank one (``Path("")`` is ``.``)."""
    text = os.fspath(path) if isinstance(path, str | os.PathLike) else None
    return Path(text) if isinstance(text, str) and text.strip() else None


def _shown(path: object) -> str:
    """A path as given, for a message; of anything else, its type."""
    return repr(os.fspath(path)) if isinstance(path, str | os.PathLike) else type(path).__name__


def _folder_like(path: object) -> bool:
    """Whether the text of a path ends in a separator, as a folder's name may."""
    text = os.fspath(path) if isinstance(path, str | os.PathLike) else ""
    return isinstance(text, str) and text.endswith(("/", os.sep))


def _kinds(suffixes: Sequence[str]) -> str:
    known = list(suffixes)
    return " or ".join([", ".join(known[:-1]), known[-1]] if len(known) > 1 else known)


def writable(
    path: object,
    suffixes: Sequence[str],
    inputs: Iterable[str | Path | None] = (),
    argument: str = "path",
) -> Path:
    """``path`` if a file of one of the ``suffixes`` can be written there without
    replacing an input; else ``mm.InputError`` naming the file and the argument and
    saying why. Nothing is created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> writable(folder / "pairs.xlsx", [".xlsx"]).name
    'pairs.xlsx'
    >>> writable(folder / "missing" / "pairs.xlsx", [".xlsx"], argument="--out")
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: .../pairs.xlsx, argument '--out': the folder ... does not exist
    """
    target = output_path(path, suffixes, argument)
    where = str(target)
    for given in inputs:
        if given is not None and _same_file(target, Path(given)):
            raise InputError(
                Violation("is an input of this run; write elsewhere", where, argument=argument)
            )
    if target.is_dir():
        raise InputError(Violation("is a folder; give a file name", where, argument=argument))
    folder = target.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise InputError(Violation(f"the folder '{folder}' {what}", where, argument=argument))
    if not os.access(target if target.exists() else folder, os.W_OK):
        raise InputError(Violation("no permission to write here", where, argument=argument))
    return target


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def folder_path(folder: object, argument: str = "folder") -> Path:
    """``folder`` as a Path when files can be written into it (once made, if missing);
    else an ``mm.InputError`` naming the argument: no name, a file, a place under a
    file, or one without write permission. Nothing is created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> folder_path(root / "new" / "calendars").name
    'calendars'
    >>> folder_path(" ", argument="--ics")
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument '--ics': expected a folder's name, got ' '
    """
    target = _given(folder)
    if target is None:
        raise InputError(
            Violation(f"expected a folder's name, got {_shown(folder)}", argument=argument)
        )
    where = str(target)
    existing = next(p for p in (target, *target.absolute().parents) if p.exists())
    if not existing.is_dir():
        what = "is a file" if existing == target else f"'{existing}' is a file"
        raise InputError(Violation(f"{what}, expected a folder", where, argument=argument))
    if not os.access(existing, os.W_OK):
        raise InputError(Violation("no permission to write here", where, argument=argument))
    return target


def output_folder(folder: object, argument: str = "folder") -> Path:
    """The folder of :func:`folder_path`, made (with its parents) if missing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> output_folder(pathlib.Path(tempfile.mkdtemp()) / "agendas").is_dir()
    True
    """
    target = folder_path(folder, argument)
    with writing(target):
        target.mkdir(parents=True, exist_ok=True)
    return target


def file_name(*parts: str, suffix: str, taken: set[str]) -> str:
    """A file name from ``parts`` (such as ids) that every common file system accepts,
    not yet in ``taken`` (which it joins).

    Each part keeps its letters, digits, ``_`` and inner dots; any other run of
    characters (``/``, ``:``, ``\\0``, spaces, ...) becomes ``_``; parts are joined
    by ``-``. A name longer than :data:`NAME_BYTES` is cut and ends in a digest of
    the whole parts, so that two long ids sharing a beginning get two names. A name
    already taken, ignoring case and Unicode normalisation (as Windows and macOS
    compare names), gets ``-2``, ``-3``, ... so that no file replaces another.

    Examples
    --------
    >>> taken: set[str] = set()
    >>> file_name("pair", "M/1", "E 2", suffix=".ics", taken=taken)
    'pair-M_1-E_2.ics'
    >>> file_name("pair", "M_1", "e_2", suffix=".ics", taken=taken)
    'pair-M_1-e_2-2.ics'
    >>> one = file_name("pair", "M" * 300, "E1", suffix=".ics", taken=taken)
    >>> two = file_name("pair", "M" * 300, "E2", suffix=".ics", taken=taken)
    >>> len(one.encode()), one == two
    (124, False)
    """
    stem = "-".join(re.sub(r"[^\w.]+", "_", part).strip("._") or "_" for part in parts)
    if len(stem.encode()) > NAME_BYTES:
        digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]
        cut = stem.encode()[: NAME_BYTES - len(digest) - 1].decode("utf-8", "ignore")
        stem = f"{cut}-{digest}"
    name, number = f"{stem}{suffix}", 1
    while _key(name) in taken:
        number += 1
        name = f"{stem}-{number}{suffix}"
    taken.add(_key(name))
    return name


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


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
        reason = error.strerror or str(error) or type(error).__name__
        raise InputError(Violation(f"cannot write the file: {reason}", str(path))) from None
