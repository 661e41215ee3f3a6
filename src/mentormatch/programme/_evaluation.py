"""The evaluation: the programme's questionnaire handed out, read back, checked and summarised.

``evaluation_form`` gives the sheet to fill in (one row per respondent: each
mentor and mentee of each pair); ``read_evaluation`` reads it back with the
same discipline as a cohort (every problem with its row and column, all at
once), matches respondents to pairs, and summarises per question, role and
pair, with intervals and a weight proposal (:mod:`._weights`).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
from scipy import stats

from mentormatch.errors import InputError, Violation
from mentormatch.profiles import as_text, is_blank, role_of
from mentormatch.programme._evaluation_report import (
    evaluation_report,
    ratings_plot,
    reasoning,
)
from mentormatch.programme._plan import Plan
from mentormatch.programme._tables import read_table, source_name
from mentormatch.programme._texts import LANGUAGES, Language, check_language, questions
from mentormatch.programme._weights import LEVEL, WeightAnalysis, analyse
from mentormatch.result import MatchResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["RATING", "Evaluation", "evaluation_form", "read_evaluation"]

RATING = (1, 5)
"""The lowest and highest rating."""

ID_COLUMNS = ("id", "role", "mentor_id", "mentee_id", "name")


def _check_result(result: object) -> MatchResult:
    if not isinstance(result, MatchResult):
        raise InputError(
            Violation(
                f"expected a mm.MatchResult (from mm.match), got {type(result).__name__}",
                argument="result",
            )
        )
    return result


def evaluation_form(result: MatchResult, language: str = "en") -> pd.DataFrame:
    """The evaluation form to hand out: one row per respondent, one column per question.

    Each pair has two respondents, its mentor and its mentee (a mentor with two
    mentees answers once for each pair). ``id``, ``role``, ``mentor_id``,
    ``mentee_id`` and ``name`` are filled in; the questions, headed by their
    text in the language, are blank. Hand it out with ``to_excel(path, index=False)``
    or ``to_csv(path, index=False)``.

    Examples
    --------
    >>> import mentormatch as mm
    >>> form = mm.evaluation_form(mm.match(mm.example_cohort()), language="sv")
    >>> len(form), list(form.columns[:4]), form.columns[5]
    (30, ['id', 'role', 'mentor_id', 'mentee_id'], '1. Var syftet med programmet tydligt för dig?')
    """
    result = _check_result(result)
    code = check_language(language)
    pairs = result.pairs.sort_values(["mentor_id", "mentee_id"])
    rows = []
    for pair in pairs.to_dict(orient="records"):
        for role in ("mentor", "mentee"):
            name = pair.get(f"{role}_name")
            rows.append(
                {
                    "id": pair[f"{role}_id"],
                    "role": role,
                    "mentor_id": pair["mentor_id"],
                    "mentee_id": pair["mentee_id"],
                    "name": name if isinstance(name, str) else None,
                }
            )
    form = pd.DataFrame(rows, columns=list(ID_COLUMNS))
    for question in questions():
        form[question.text(code)] = None
    return form


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip(" ?.:")


def _headers() -> dict[str, tuple[str, Language | None]]:
    """Every accepted header (normalised) -> (question key, the language it is written in)."""
    table: dict[str, tuple[str, Language | None]] = {}
    for q in questions():
        table[_norm(q.key)] = (q.key, None)
        table[f"q{q.number}"] = (q.key, None)
        for language in LANGUAGES:
            table[_norm(q.text(language))] = (q.key, language)
            table[_norm(getattr(q, language))] = (q.key, language)
    return table


def _columns(
    frame: pd.DataFrame, source: str | None
) -> tuple[dict[Hashable, str], list[Violation], Language | None]:
    """Map the table's headers to question keys and id columns; name the unknown and missing."""
    known = _headers()
    mapping: dict[Hashable, str] = {}
    problems: list[Violation] = []
    languages: list[Language] = []
    for column in frame.columns:
        text = _norm(str(column))
        if text in ID_COLUMNS:
            mapping[column] = text
        elif text in known:
            key, language = known[text]
            if key in mapping.values():
                problems.append(
                    Violation(f"a second column for question '{key}'", source, 1, str(column))
                )
            mapping[column] = key
            languages += [language] if language else []
        else:
            close = difflib.get_close_matches(text, [*known, *ID_COLUMNS], n=1, cutoff=0.8)
            if close:
                target = known[close[0]][0] if close[0] in known else close[0]
                problems.append(
                    Violation(
                        f"unknown column; did you mean the question '{target}'?"
                        if close[0] in known
                        else f"unknown column; did you mean '{target}'?",
                        source,
                        1,
                        str(column),
                    )
                )
    found = set(mapping.values())
    for q in questions():
        if q.key not in found and not any(p.message.endswith(f"'{q.key}'?") for p in problems):
            problems.append(
                Violation(f"missing the column of question {q.number} ('{q.en}')", source, 1)
            )
    if "id" not in found:
        problems.append(Violation("missing the column 'id'", source, 1))
    language = Counter(languages).most_common(1)[0][0] if languages else None
    return mapping, problems, language


def _rating(value: object) -> float | str:
    """A rating as a number, or the message saying what was expected."""
    if is_blank(value):
        return math.nan
    text = as_text(value).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if number.is_integer() and RATING[0] <= number <= RATING[1]:
        return number
    return f"expected a whole number from {RATING[0]} to {RATING[1]}, got {value!r}"


class _People:
    """Who is in which pair of the round."""

    def __init__(self, result: MatchResult) -> None:
        self.pairs = list(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))
        self.role = {m: "mentor" for m, _ in self.pairs} | {e: "mentee" for _, e in self.pairs}

    def pair_of(self, person: str, row: Mapping[str, str]) -> tuple[str, str] | str:
        """The respondent's pair, or what is wrong."""
        mentor, mentee = row.get("mentor_id", ""), row.get("mentee_id", "")
        theirs = [p for p in self.pairs if person in p]
        chosen = [p for p in theirs if mentor in ("", p[0]) and mentee in ("", p[1])]
        if len(chosen) == 1:
            return cast(tuple[str, str], chosen[0])
        if not chosen:
            return f"'{person}' is not in the pair {mentor or '?'}-{mentee or '?'} of the round"
        return f"'{person}' is in {len(chosen)} pairs; fill in mentor_id and mentee_id"


def _answers(
    frame: pd.DataFrame, result: MatchResult, source: str | None, first_row: int
) -> tuple[pd.DataFrame, Language | None]:
    mapping, problems, language = _columns(frame, source)
    if problems:
        raise InputError(problems)
    people = _People(result)
    by_key = {q.key: q for q in questions()}
    rows: list[dict[str, Any]] = []
    first_seen: dict[tuple[str, str, str], int] = {}
    for number, record in enumerate(frame.to_dict(orient="records"), start=first_row):
        cells = {mapping[c]: v for c, v in record.items() if c in mapping}
        if all(is_blank(v) for v in cells.values()):
            continue
        ids = {c: as_text(cells.get(c)) for c in ID_COLUMNS}
        person = ids["id"]
        where = {"file": source, "row": number}

        def problem(message: str, column: str, where: dict[str, Any] = where) -> None:
            problems.append(Violation(message, column=column, **where))

        answer: dict[str, Any] = {}
        for key, value in cells.items():
            if key in by_key and by_key[key].kind == "rating":
                rating = _rating(value)
                if isinstance(rating, str):
                    problem(rating, _header(frame, mapping, key))
                answer[key] = rating
            elif key in by_key:
                answer[key] = None if is_blank(value) else as_text(value)
        if not person:
            problem("the id is empty; every answer needs the respondent's id", "id")
            continue
        if person not in people.role:
            problem(f"no one with id '{person}' in the round's pairs", "id")
            continue
        given = role_of(ids["role"]) if ids["role"] else people.role[person]
        if given != people.role[person]:
            problem(f"'{person}' is a {people.role[person]}, got role {ids['role']!r}", "role")
        pair = people.pair_of(person, ids)
        if isinstance(pair, str):
            problem(pair, "mentee_id")
            continue
        seen = (person, *pair)
        if seen in first_seen:
            problem(
                f"'{person}' answered twice for this pair (first in row {first_seen[seen]})", "id"
            )
            continue
        first_seen[seen] = number
        responded = any(not is_blank(answer.get(q.key)) for q in questions())
        if responded:
            rows.append(
                {"id": person, "role": people.role[person], "mentor_id": pair[0],
                 "mentee_id": pair[1], **answer}
            )  # fmt: skip
    if problems:
        raise InputError(problems)
    columns = ["id", "role", "mentor_id", "mentee_id", *(q.key for q in questions())]
    answers = pd.DataFrame(rows, columns=columns)  # in pair order, so row order never matters
    return answers.sort_values(["mentor_id", "mentee_id", "role"], ignore_index=True), language


def _header(frame: pd.DataFrame, mapping: Mapping[Hashable, str], key: str) -> str:
    return next(str(c) for c in frame.columns if mapping.get(c) == key)


def _interval(values: pd.Series, seed: int) -> tuple[float, float]:
    """A 90% bootstrap percentile interval of the mean; NaN with fewer than 3 answers."""
    data = values.dropna().to_numpy(dtype=float)
    if len(data) < 3:
        return math.nan, math.nan
    if np.ptp(data) == 0:
        return float(data[0]), float(data[0])
    found = stats.bootstrap(
        (data,), np.mean, confidence_level=LEVEL, method="percentile", n_resamples=2000, rng=seed
    )
    return float(found.confidence_interval.low), float(found.confidence_interval.high)


def _summary(answers: pd.DataFrame, seed: int) -> pd.DataFrame:
    rows = []
    for q in questions():
        values = answers[q.key]
        row: dict[str, Any] = {"question": q.key, "number": q.number, "kind": q.kind}
        row["answers"] = int(values.notna().sum())
        if q.kind == "rating":
            numbers = values.astype(float)
            row["mean"] = float(numbers.mean()) if row["answers"] else math.nan
            row["low"], row["high"] = _interval(numbers, seed)
            for role in ("mentor", "mentee"):
                mine = numbers[answers["role"] == role]
                row[f"{role}_mean"] = float(mine.mean()) if mine.notna().any() else math.nan
        rows.append(row)
    columns = ["question", "number", "kind", "answers", "mean", "low", "high"]
    return pd.DataFrame(rows).reindex(columns=[*columns, "mentor_mean", "mentee_mean"])


def _by_pair(answers: pd.DataFrame, result: MatchResult) -> pd.DataFrame:
    pair_keys = [q.key for q in questions() if q.kind == "rating" and q.pair]
    rating_keys = [q.key for q in questions() if q.kind == "rating"]
    table = result.pairs[["mentor_id", "mentee_id"]].copy()
    ids = ["mentor_id", "mentee_id"]
    ratings = answers[ids].join(answers[rating_keys].astype(float))
    respondents = answers.groupby(ids)["id"].nunique().rename("respondents")
    means = ratings.groupby(ids)[rating_keys].mean()
    stacked = ratings.melt(id_vars=ids, value_vars=pair_keys)
    means["outcome"] = stacked.groupby(ids)["value"].mean()  # NaN: no rating about the pair
    table = table.join(respondents, on=["mentor_id", "mentee_id"]).join(
        means, on=["mentor_id", "mentee_id"]
    )
    table["respondents"] = table["respondents"].fillna(0).astype(int)
    return table.sort_values(["mentor_id", "mentee_id"], ignore_index=True)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The returned evaluation, checked and summarised.

    Attributes
    ----------
    answers : DataFrame
        One row per respondent who answered anything: ``id``, ``role``,
        ``mentor_id``, ``mentee_id``, one column per question key.
    summary : DataFrame
        One row per question: ``question`` (key), ``number``, ``kind``,
        ``answers``, and for ratings ``mean`` with its 90% bootstrap interval
        ``low``-``high`` and ``mentor_mean``, ``mentee_mean``.
    by_pair : DataFrame
        One row per pair of the round: ``respondents``, the mean of each
        rating question and ``outcome``, the mean of the ratings about the pair.
    participation : DataFrame
        Per role: ``invited`` and ``answered``.
    criteria : DataFrame
        Per scoring criterion: ``current`` weight, ``effect`` on the outcome
        with its interval ``low``-``high``, ``verdict``, ``proposed`` weight.
    proposed_weights : dict of str to float
        Weights for the next round: ``mm.match(cohort, weights=ev.proposed_weights)``.
    reasoning : str
        Why the weights moved or stayed, in words, in ``language``.
    language : {"en", "sv", "nb"}
        The language of the sheet (from its headers) or as asked.
    """

    answers: pd.DataFrame
    summary: pd.DataFrame
    by_pair: pd.DataFrame
    participation: pd.DataFrame
    analysis: WeightAnalysis = field(repr=False)
    language: Language
    plan: Plan | None = field(default=None, repr=False)

    @property
    def criteria(self) -> pd.DataFrame:
        """The criteria against the outcomes (see the class docstring)."""
        return self.analysis.table

    @property
    def proposed_weights(self) -> dict[str, float]:
        """The proposed weights for the next round."""
        return dict(self.analysis.proposed)

    @property
    def reasoning(self) -> str:
        """Why the weights moved or stayed, in words."""
        return reasoning(self.analysis, self.language)

    def __repr__(self) -> str:
        answered = int(self.participation["answered"].sum())
        invited = int(self.participation["invited"].sum())
        return (
            f"<Evaluation: {answered} of {invited} answered; "
            f"weights {self.analysis.conclusion!r}: {self.proposed_weights}>"
        )

    def plot(self, ax: Axes | None = None) -> Axes:
        """Draw each rating question's mean with its 90% interval (needs matplotlib)."""
        return ratings_plot(self, ax)

    def report(self, path: str | Path, language: str | None = None) -> Path:
        """Write the steering group's report: one self-contained HTML page (A4 print).

        Participation, ratings per question with intervals, the themes in the
        plan (when read with ``plan=``), the free-text answers (without names)
        and the proposed weight changes, in ``language`` (default: the sheet's).
        """
        return evaluation_report(self, path, self.language if language is None else language)


def read_evaluation(
    path: str | Path | pd.DataFrame,
    result: MatchResult,
    *,
    plan: Plan | None = None,
    language: str | None = None,
    seed: int = 0,
    n_boot: int = 1000,
) -> Evaluation:
    """Read the returned evaluation forms, check every answer, and summarise them.

    Parameters
    ----------
    path : str, Path or DataFrame
        The filled-in form (``.xlsx``, ``.csv`` or ``.json``), one row per
        respondent, as :func:`evaluation_form` made it. Headers may be the
        question in any of the three languages, with or without its number,
        or its key (``mattered``); blank rows and rows without any answer are
        respondents who did not answer.
    result : MatchResult
        The round the pairs came from.
    plan : Plan, optional
        The programme plan, for the themes the report shows.
    language : {"en", "sv", "nb"}, optional
        The language of the reasoning and the report; default: that of the headers.
    seed, n_boot : int
        The random seed and number of bootstrap resamples of the intervals.

    Raises
    ------
    mm.InputError
        Every problem at once, each with its file, row and column: unknown or
        missing columns (with the likely intended one), unknown ids, a role
        or pair that does not match the round, a respondent twice, a rating
        that is not a whole number from 1 to 5.

    Examples
    --------
    >>> import mentormatch as mm
    >>> result = mm.match(mm.example_cohort())
    >>> form = mm.evaluation_form(result)
    >>> form.iloc[:, 5:10] = 4
    >>> ev = mm.read_evaluation(form, result, n_boot=100)
    >>> print(ev.summary[["question", "answers", "mean"]].head(2).to_string(index=False))
       question  answers  mean
        purpose       30   4.0
    information       30   4.0
    >>> ev.proposed_weights == {k: round(w, 2) for k, w in result.weights.items()}
    True
    """
    result = _check_result(result)
    name = source_name(path)
    problems: list[Violation] = []
    for argument, value in (("seed", seed), ("n_boot", n_boot)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(
                Violation(f"expected a whole number >= 0, got {value!r}", argument=argument)
            )
    if plan is not None and not isinstance(plan, Plan):
        problems.append(
            Violation(f"expected a mm.Plan, got {type(plan).__name__}", argument="plan")
        )
    if problems:
        raise InputError(problems)
    asked = None if language is None else check_language(language)
    frame, first_row, _ = read_table(path, {*_headers(), *ID_COLUMNS}, _norm)
    if frame.empty:
        raise InputError(Violation("the table has no rows", name))
    answers, found = _answers(frame, result, name, first_row)
    code: Language = asked or found or "en"
    by_pair = _by_pair(answers, result)
    participation = pd.DataFrame(
        {
            "role": ["mentor", "mentee"],
            "invited": [len(result.pairs)] * 2,  # one form per pair and role
            "answered": [int((answers["role"] == r).sum()) for r in ("mentor", "mentee")],
        }
    )
    rated = by_pair.dropna(subset=["outcome"])
    criteria = [c for c in result.weights if c in result.pairs.columns]
    values = rated[["mentor_id", "mentee_id"]].merge(
        result.pairs[["mentor_id", "mentee_id", *criteria]], on=["mentor_id", "mentee_id"]
    )
    analysis = analyse(
        values[criteria],
        rated["outcome"].reset_index(drop=True),
        {c: result.weights[c] for c in criteria},
        seed=seed,
        n_boot=max(n_boot, 1),
    )
    return Evaluation(
        answers=answers,
        summary=_summary(answers, seed),
        by_pair=by_pair,
        participation=participation,
        analysis=analysis,
        language=code,
        plan=plan,
    )
