"""Rule files: save a rule set to JSON or TOML and read it back, every problem reported."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from mentormatch.errors import InputError, Violation
from mentormatch.files import writing
from mentormatch.rules._base import _violations
from mentormatch.rules._compile import check_rule
from mentormatch.rules._union import KINDS, RULE, Rule

__all__ = ["load_rules", "save_rules"]


def save_rules(rules: Iterable[Rule], path: str | Path) -> Path:
    """Write rules to ``.json`` (a list of objects) or ``.toml`` (``[[rule]]`` tables).

    Each rule is written with its ``kind`` first and without arguments left as
    None; :func:`load_rules` reads back equal rules.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from mentormatch.rules import pilot_rules
    >>> path = save_rules(pilot_rules(), pathlib.Path(tempfile.mkdtemp()) / "rules.toml")
    >>> print(path.read_text(encoding="utf-8").splitlines()[:4])
    ['[[rule]]', 'kind = "PairCount"', 'min = 8', 'max = 15']
    """
    path = Path(path)
    suffix = _suffix(path)
    records = [
        {"kind": data.pop("kind"), **data}
        for data in (
            check_rule(rule, position).model_dump(mode="json", exclude_none=True)
            for position, rule in enumerate(rules, start=1)
        )
    ]
    if suffix == ".json":
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "\n".join(map(_toml, records))
    with writing(path):
        path.write_text(text, encoding="utf-8")
    return path


def load_rules(path: str | Path) -> tuple[Rule, ...]:
    """Read rules written by :func:`save_rules`, or by hand in the same form.

    JSON: a list of objects, each with a ``kind`` (the rule's class name) and
    its arguments. TOML: one ``[[rule]]`` table per rule. Every problem of the
    file is reported together in one ``InputError`` naming the file, the rule's
    position (from 1) and the field.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rules.json"
    >>> _ = path.write_text('[{"kind": "MaxDistance", "km": 400}, {"kind": "Lok"}]')
    >>> load_rules(path)
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: .../rules.json: rule 2, field 'kind': unknown kind 'Lok'; ...
    """
    path = Path(path)
    suffix, name = _suffix(path), str(path)
    try:
        text = path.read_text(encoding="utf-8")
        items = json.loads(text) if suffix == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(Violation(f"cannot read the rules: {error}", file=name)) from None
    if suffix == ".toml":
        if not isinstance(items, dict) or set(items) - {"rule"}:
            raise InputError(Violation("expected only [[rule]] tables", file=name))
        items = items.get("rule", [])
    if not isinstance(items, list):
        raise InputError(Violation("expected a list of rules, each with a 'kind'", file=name))
    rules: list[Rule] = []
    violations: list[Violation] = []
    for position, item in enumerate(items, start=1):
        kind = item.get("kind") if isinstance(item, dict) else None
        where = f"rule {position}" + (f" ({kind})" if kind in KINDS else "")
        try:
            rules.append(RULE.validate_python(item))
        except ValidationError as error:
            violations += _violations(error, where, "field", name, kind, KINDS)
    if violations:
        raise InputError(violations)
    return tuple(rules)


def _toml(record: dict[str, Any]) -> str:
    """One rule as a ``[[rule]]`` table (tomli_w alone would inline short tables)."""
    scalars = {key: value for key, value in record.items() if not isinstance(value, dict)}
    tables = [
        f"[rule.{key}]\n{tomli_w.dumps(value)}"
        for key, value in record.items()
        if isinstance(value, dict)
    ]
    return "".join([f"[[rule]]\n{tomli_w.dumps(scalars)}", *tables])


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise InputError(
            Violation(f"expected a .json or .toml rule file, got '{suffix}'", file=str(path))
        )
    return suffix
