"""The result of a pairing round: pairs, who is left out and why, and its exports.

A ``MatchResult`` is a plain value: tables (pandas), the solve's status and
bound, and one explanation per person. It writes only the files it is asked
to write, and what a spreadsheet opens cannot run as a formula.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pandas.api.types import is_float_dtype

from mentormatch.errors import InputError, Violation, gather
from mentormatch.files import output_path, writing
from mentormatch.sheets import NOTE_SHEET, check_sheets, neutralise, write_xlsx, xlsx_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from mentormatch.cohort import Cohort
    from mentormatch.matching import Round

__all__ = ["INTERNAL_NOTE", "INTERNAL_SHEET", "LEFT_OUT", "MatchResult"]

LEFT_OUT = "not paired: "
"""How the reason of a person left out begins in the CSV export, where they follow the pairs."""

INTERNAL_SHEET = "internal - secretariat only"
"""The workbook sheet with the full explanations."""

_OWN_SHEETS = ("pairs", "unmatched", "scores", "about", INTERNAL_SHEET, NOTE_SHEET)
"""The sheets :meth:`MatchResult.to_excel` writes itself (``note`` when a cell needed it)."""

INTERNAL_NOTE = (
    "For the secretariat only: the full explanations name every rule and person behind "
    "each reason, declared conflicts (avoid) included. Hand on only the reasons in the "
    "pairs and unmatched tables, which do not."
)


@dataclass(frozen=True, eq=False)
class MatchResult:
    """The pairs chosen for a cohort, with the reasons a secretariat can hand on.

    Attributes
    ----------
    pairs : DataFrame
        One row per pair: ``mentor_id``, ``mentee_id``, ``score``, one column per
        scoring criterion, then names, organisations, regions, ``distance_km``
        and ``reason``. The reason is written to be handed to the two people
        paired: it never reveals another person's declared conflicts (``avoid``)
        or a rule applied to someone else (a pair ruled out is "ruled out by the
        programme's rules"); :meth:`explain` has the full detail, for the
        secretariat only.
    status : {"optimal", "feasible"}
        "optimal" only when the solver proved no better pairing exists.
    objective : float
        The sum of the pairs' scores.
    bound : float
        A proven upper bound on the objective (equal to it when optimal).
    scores : DataFrame
        The compatibility that was optimised: index mentor ids, columns mentee ids. On
        the sparse path for large cohorts (``candidates`` set), the candidate pairs only,
        as columns ``mentor_id``, ``mentee_id``, ``score``: the whole table is not held.
    unmatched : DataFrame
        ``id``, ``role``, ``reason``: who is left out, and why (shareable, as in ``pairs``).
    rules : tuple of str
        The rules applied, as written.
    weights : mapping of str to float
        The criterion weights used (normalised to sum to 1).
    solver : str
        The solver that found the pairs, and ``wall_time`` its time in seconds.
    notes : tuple of str
        The cohort's notes: who got coordinates from the name of their place,
        and which names were ambiguous or unknown (``Cohort.notes``).
    changes : DataFrame
        ``change`` ("in" or "out"), ``mentor_id``, ``mentee_id``, ``score``, ``reason``:
        the pairs that differ from the pairing this one derives from (the first of
        :meth:`alternatives`, or the earlier round of :func:`mm.rematch`); empty for
        a round solved afresh.
    setup : Round or None
        What the round was solved from (cohort, rules, scores, problem, objective),
        so it can be solved again; None on the sparse path.
    candidates : int or None
        On the sparse path for large cohorts, the candidate pairs kept per mentee in the
        first scan (the optimum is proven over every pair all the same); None on the
        dense path.

    Examples
    --------
    >>> import mentormatch as mm
    >>> result = mm.match(mm.example_cohort())
    >>> result.status, len(result.pairs) <= 15
    ('optimal', True)
    >>> result  # doctest: +ELLIPSIS
    MatchResult(15 pairs, objective 13.2..., status 'optimal', solver 'flow', 22 unmatched)
    """

    pairs: pd.DataFrame
    status: Literal["optimal", "feasible"]
    objective: float
    bound: float
    scores: pd.DataFrame
    unmatched: pd.DataFrame
    rules: tuple[str, ...]
    weights: Mapping[str, float]
    solver: str
    wall_time: float
    explanations: Mapping[str, str] = field(repr=False)
    notes: tuple[str, ...] = ()
    # Choices (see mentormatch.choices): what changed, and what the round was solved from.
    changes: pd.DataFrame = field(default_factory=lambda: _no_changes(), repr=False)
    setup: Round | None = field(default=None, repr=False)
    candidates: int | None = field(default=None, repr=False)

    def alternatives(self, k: int = 5) -> list[MatchResult]:
        """The ``k`` best distinct pairings under the same rules and objective, best first
        (this one first), each optimal once the earlier ones are excluded; ``changes``
        says what differs from the first. See :func:`mentormatch.choices.alternatives`."""
        from mentormatch.choices import alternatives

        return alternatives(self, k)

    def shortlist(self, k: int = 3, side: Literal["mentee", "mentor"] = "mentee") -> pd.DataFrame:
        """Per mentee (or mentor), the ``k`` best partners the rules allow: ``id``, ``rank``,
        ``partner_id``, ``score``, ``reason``. See :func:`mentormatch.choices.shortlist`."""
        from mentormatch.choices import shortlist

        return shortlist(self, k, side)

    def blocking_pairs(self) -> pd.DataFrame:
        """The pairs of people who ranked each other and would both rather be together than
        with their partners here (empty when stable). See
        :func:`mentormatch.choices.blocking_pairs`."""
        from mentormatch.choices import blocking_pairs

        return blocking_pairs(self)

    def robustness(
        self, n: int = 200, noise: float = 0.1, seed: int = 0, n_jobs: int | None = None
    ) -> pd.DataFrame:
        """How often each pair survives ``n`` re-solves under perturbed weights, in parallel
        through joblib. See :func:`mentormatch.choices.robustness`."""
        from mentormatch.choices import robustness

        return robustness(self, n=n, noise=noise, seed=seed, n_jobs=n_jobs)

    def explain(self, person_id: str) -> str:
        """Why this person has their pair, or why they have none, in plain words.

        Examples
        --------
        >>> import mentormatch as mm
        >>> result = mm.match(mm.example_cohort())
        >>> result.explain("E017").startswith("E017")
        True
        """
        try:
            return self.explanations[str(person_id)]
        except KeyError:
            raise InputError(
                Violation(f"no person with id '{person_id}' in this result", argument="person_id")
            ) from None

    def summary(self) -> str:
        """One line: how many pairs, the total score, and whether it is proven optimal.

        Examples
        --------
        >>> import mentormatch as mm
        >>> mm.match(mm.example_cohort()).summary().split(":")[0]
        '15 pairs'
        """
        proof = (
            "proven optimal"
            if self.status == "optimal"
            else f"best found, within {self.bound - self.objective:.3f} of the bound"
        )
        count = len(self.pairs)
        return (
            f"{count} pair{'' if count == 1 else 's'}: total score {self.objective:.3f} ({proof}); "
            f"{len(self.unmatched)} people unmatched; {self.solver}, {self.wall_time:.3f} s"
        )

    def to_csv(self, path: str | Path, sep: Literal[",", ";"] = ",") -> Path:
        """Write the pairs, then everyone left out, to a CSV file a spreadsheet opens as it is.

        UTF-8 with a byte-order mark, so that Excel reads Æ, Ø and Å right. With
        ``sep=";"`` the file is separated by semicolons and has decimal commas, as
        Excel expects in Nordic settings. One row per pair (scores rounded to 3
        decimals, the distance to whole km), then one row per person left out: their
        id in ``mentor_id`` or ``mentee_id``, the other side empty, and the reason.
        Reasons are the shareable ones (see :attr:`pairs`). Text that a spreadsheet
        would run as a formula is prefixed with ``'``.

        Examples
        --------
        >>> import tempfile, pathlib, mentormatch as mm
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
        >>> text = mm.match(mm.example_cohort()).to_csv(out, sep=";").read_text("utf-8-sig")
        >>> text.splitlines()[0].startswith("mentor_id;mentee_id;score")
        True
        """
        found = gather(
            {"path": lambda: output_path(path, [".csv"]), "sep": lambda: _separator(sep)}
        )
        pairs = _rounded(self.pairs)
        table = pd.concat([pairs, self._left_out().astype(pairs.dtypes)], ignore_index=True)
        with writing(found["path"]) as target:
            neutralise(table).to_csv(
                target,
                index=False,
                sep=sep,
                decimal="," if sep == ";" else ".",
                encoding="utf-8-sig",
                lineterminator="\r\n",  # so that a cell holding a carriage return is quoted
            )
        return target

    def _left_out(self) -> pd.DataFrame:
        """The people left out as rows of the pairs table: their id on their side, the reason."""
        rows = [
            {f"{role}_id": person, "reason": f"{LEFT_OUT}{reason}"}
            for person, role, reason in self.unmatched[["id", "role", "reason"]].itertuples(
                index=False
            )
        ]
        return pd.DataFrame(rows, columns=self.pairs.columns)

    def to_excel(
        self, path: str | Path, *, sheets: Mapping[str, pd.DataFrame] | None = None
    ) -> Path:
        """Write a workbook for people: the pairs, the unmatched, the scores, the settings,
        any further ``sheets`` (e.g. ``{"shortlist": result.shortlist()}``), and the full
        explanations in a sheet for the secretariat only.

        The ``pairs`` and ``unmatched`` sheets hold the shareable reasons (see
        :attr:`pairs`); the sheet ``internal - secretariat only`` holds
        :meth:`explain` for everyone, naming every rule and person: do not hand it on.
        ``sheets`` maps new sheet names to DataFrames; a name Excel refuses (over 31
        characters, one of ``[]:*?/\\``, ...) or one of the workbook's own sheets is an
        ``InputError`` (see :func:`mentormatch.sheets.check_sheets`), never renamed.

        Examples
        --------
        >>> import tempfile, pathlib, openpyxl, mentormatch as mm
        >>> path = mm.match(mm.example_cohort()).to_excel(
        ...     pathlib.Path(tempfile.mkdtemp()) / "p.xlsx")
        >>> openpyxl.load_workbook(path).sheetnames
        ['pairs', 'unmatched', 'scores', 'about', 'internal - secretariat only']
        """
        found = gather(
            {
                "path": lambda: xlsx_path(path),
                "sheets": lambda: check_sheets({} if sheets is None else sheets, _OWN_SHEETS),
            }
        )
        return write_xlsx(
            {
                "pairs": self.pairs,
                "unmatched": self.unmatched,
                **({} if self.candidates else {"scores": self.scores.round(4).reset_index()}),
                "about": self._about(),
                **found["sheets"],
                INTERNAL_SHEET: self._internal(),
            },
            found["path"],
        )

    def _internal(self) -> pd.DataFrame:
        roles = {**dict.fromkeys(map(str, self.scores.columns), "mentee")}
        roles |= dict.fromkeys(map(str, self.scores.index), "mentor")
        rows = [(person, roles.get(person, ""), text) for person, text in self.explanations.items()]
        return pd.DataFrame(rows, columns=["id", "role", "explanation (internal)"])

    def to_json(self, path: str | Path) -> Path:
        """Write everything as one JSON document: settings, pairs and unmatched (with the
        shareable reasons), notes, and under ``internal`` the full explanations for the
        secretariat only.

        Examples
        --------
        >>> import json, tempfile, pathlib, mentormatch as mm
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "p.json"
        >>> path = mm.match(mm.example_cohort()).to_json(out)
        >>> sorted(json.loads(path.read_text(encoding="utf-8")))[:3]
        ['bound', 'internal', 'notes']
        """
        document = {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "solver": self.solver,
            "rules": list(self.rules),
            "weights": dict(self.weights),
            "pairs": _records(self.pairs),
            "unmatched": _records(self.unmatched),
            "notes": list(self.notes),
            "internal": {"note": INTERNAL_NOTE, "explanations": dict(self.explanations)},
        }
        with writing(output_path(path, [".json"])) as target:
            target.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        return target

    def plot(self, ax: Axes | None = None) -> Axes:
        """Draw the score matrix with the chosen pairs marked (needs matplotlib).

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import mentormatch as mm
        >>> ax = mm.match(mm.example_cohort()).plot()
        >>> ax.get_xlabel()
        'mentee'
        """
        import matplotlib.pyplot as plt

        if self.candidates:
            raise InputError(
                Violation(
                    "a large cohort's result holds candidate pairs, not the whole score "
                    "table to draw; plot result.scores['score'] as a histogram instead",
                    argument="result",
                )
            )
        if ax is None:
            _, ax = plt.subplots(figsize=(max(6.0, 0.25 * self.scores.shape[1]), 5.0))
        image = ax.imshow(self.scores.to_numpy(), vmin=0, vmax=1, cmap="viridis", aspect="auto")
        rows = {m: i for i, m in enumerate(self.scores.index)}
        columns = {e: j for j, e in enumerate(self.scores.columns)}
        ax.scatter(
            [columns[e] for e in self.pairs["mentee_id"]],
            [rows[m] for m in self.pairs["mentor_id"]],
            marker="s",
            s=40,
            facecolors="none",
            edgecolors="red",
            label="chosen pair",
        )
        ax.set_xticks(np.arange(len(columns)), list(columns), rotation=90, fontsize=7)
        ax.set_yticks(np.arange(len(rows)), list(rows), fontsize=7)
        ax.set_xlabel("mentee")
        ax.set_ylabel("mentor")
        ax.set_title(f"compatibility; {len(self.pairs)} pairs, total {self.objective:.2f}")
        ax.figure.colorbar(image, ax=ax, label="score")
        ax.legend(loc="upper right", fontsize=7)
        return ax

    def report(
        self, path: str | Path, language: str = "en", *, cohort: Cohort | None = None
    ) -> Path:
        """Write the round's report for the secretariat: one self-contained HTML page.

        Rules in force, the pairs with their reasons, who is unmatched and why,
        the score plot and, given the ``cohort``, a map of the pairs; in
        English, Swedish or Norwegian bokmål (``language="en" | "sv" | "nb"``).
        See :func:`mentormatch.programme.round_report`.

        Examples
        --------
        >>> import tempfile, pathlib, mentormatch as mm
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "round.html"
        >>> mm.match(mm.example_cohort()).report(out).name
        'round.html'
        """
        from mentormatch.programme import round_report  # imports this module: import late

        return round_report(self, path, language, cohort=cohort)

    def __repr__(self) -> str:
        return (
            f"MatchResult({len(self.pairs)} pairs, objective {self.objective:.6g}, "
            f"status {self.status!r}, solver {self.solver!r}, {len(self.unmatched)} unmatched)"
        )

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        shown = self.pairs[["mentor_id", "mentee_id", "score", "reason"]]
        return (
            f"<p><b>mentormatch</b>: {html.escape(self.summary())}</p>"
            + shown.to_html(index=False, float_format=lambda x: f"{x:.3f}")
            + (
                "<p>Unmatched:</p>" + self.unmatched.to_html(index=False)
                if len(self.unmatched)
                else ""
            )
        )

    def _about(self) -> pd.DataFrame:
        facts: list[tuple[str, Any]] = [
            ("status", self.status),
            ("total score", round(self.objective, 6)),
            ("proven bound", round(self.bound, 6)),
            ("solver", self.solver),
            ("solve time (s)", round(self.wall_time, 4)),
            *[("rule", rule) for rule in self.rules],
            *[(f"weight: {name}", round(w, 4)) for name, w in self.weights.items()],
            *[("note", note) for note in self.notes],
            ("internal sheet", INTERNAL_NOTE),
            *(
                [("scores", f"not written: {len(self.scores):,} candidate pairs of a large cohort")]
                if self.candidates
                else []
            ),
        ]
        return pd.DataFrame(facts, columns=["setting", "value"])


def _separator(sep: object) -> str:
    if sep in (",", ";"):
        return str(sep)
    raise InputError(Violation(f"expected ',' or ';', got {sep!r}", argument="sep"))


def _rounded(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs as people read them: scores to 3 decimals, distances to whole km."""
    table = pairs.copy()
    numbers = [c for c in table.columns if c != "distance_km" and is_float_dtype(table[c])]
    table[numbers] = table[numbers].round(3)
    if "distance_km" in table:
        table["distance_km"] = pd.to_numeric(table["distance_km"]).round(0).astype("Int64")
    return table


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))  # type: ignore[no-any-return]


def _no_changes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "change": pd.Series(dtype=object),
            "mentor_id": pd.Series(dtype=object),
            "mentee_id": pd.Series(dtype=object),
            "score": pd.Series(dtype=float),
            "reason": pd.Series(dtype=object),
        }
    )
