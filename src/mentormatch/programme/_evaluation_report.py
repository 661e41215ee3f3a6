"""The steering group's report after the evaluation, its rating plot, and the reasoning in words.

One self-contained HTML page: participation, ratings per question with their
intervals, the deep-dive themes in the plan, the free-text answers (without
names or ids, in alphabetical order), and the proposed weights with why.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mentormatch.programme._html import (
    figure,
    new_figure,
    page,
    paragraphs,
    section,
    table,
    write_page,
)
from mentormatch.programme._texts import (
    Language,
    check_language,
    questions,
    say,
    scale_text,
    theme_text,
)
from mentormatch.programme._weights import PRIOR_PAIRS, WeightAnalysis

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from mentormatch.programme._evaluation import Evaluation

__all__ = ["evaluation_report", "ratings_plot", "reasoning"]


def _number(value: float, digits: int = 2) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def reasoning(analysis: WeightAnalysis, language: Language) -> str:
    """Why the weights moved or stayed, then one line per criterion.

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch.programme._weights import analyse
    >>> analysis = analyse(pd.DataFrame({"a": [0.1, 0.9]}), pd.Series([3.0, 4.0]), {"a": 1.0})
    >>> print(reasoning(analysis, "en").splitlines()[0])  # doctest: +ELLIPSIS
    Only 2 pairs have answers to the questions about the pair; at least 5 are needed ...
    """
    if analysis.conclusion == "few":
        table = analysis.table
        varying = int((table["verdict"] != "no variation").sum()) if analysis.pairs else 0
        needed = max(5, varying + 3)
        head = say("reason few", language, pairs=analysis.pairs, needed=needed)
    elif analysis.conclusion == "move":
        head = say(
            "reason move",
            language,
            pairs=analysis.pairs,
            p=_p(analysis.p_value),
            share=round(100 * analysis.share),
            prior=PRIOR_PAIRS,
        )
    else:
        key = "reason noise" if analysis.conclusion == "noise" else "reason unclear"
        head = say(key, language, pairs=analysis.pairs, p=_p(analysis.p_value))
    lines = [head]
    for row in analysis.table.to_dict(orient="records"):
        fields = {
            "criterion": row["criterion"],
            "verdict": say(str(row["verdict"]), language),
            "current": f"{row['current']:.2f}",
            "proposed": f"{row['proposed']:.2f}",
        }
        if math.isnan(row["effect"]):
            lines.append(say("reason flat", language, **fields))
        else:
            lines.append(
                say(
                    "reason criterion",
                    language,
                    effect=f"{row['effect']:+.2f}",
                    low=f"{row['low']:+.2f}",
                    high=f"{row['high']:+.2f}",
                    **fields,
                )
            )
    lines.append(say("use weights", language, weights=analysis.proposed))
    return "\n".join(lines)


def ratings_plot(evaluation: Evaluation, ax: Axes | None = None) -> Axes:
    """Each rating question's mean (dot) with its 90% interval (bar), on the rating scale."""
    if ax is None:
        ax = new_figure(6.5, 3.2).subplots()
    language = evaluation.language
    rated = evaluation.summary[evaluation.summary["kind"] == "rating"].reset_index(drop=True)
    y = list(range(len(rated)))[::-1]
    low = (rated["mean"] - rated["low"]).fillna(0)
    high = (rated["high"] - rated["mean"]).fillna(0)
    ax.errorbar(rated["mean"], y, xerr=[low, high], fmt="o", color="#1f77b4", capsize=3)
    ax.set_yticks(y, [f"{n}." for n in rated["number"]])
    ax.set_xlim(0.8, 5.2)
    ax.set_xlabel(scale_text(language))
    ax.set_ylabel(say("question", language))
    ax.set_title(say("ratings", language))
    ax.grid(axis="x", alpha=0.3)
    return ax


def _ratings_table(evaluation: Evaluation) -> pd.DataFrame:
    language = evaluation.language
    texts = {q.key: q.text(language) for q in questions()}
    rated = evaluation.summary[evaluation.summary["kind"] == "rating"]
    return pd.DataFrame(
        {
            say("question", language): [texts[k] for k in rated["question"]],
            say("answers", language): rated["answers"].astype(int).astype(str),
            say("mean", language): [_number(v) for v in rated["mean"]],
            say("interval", language): [
                "-" if math.isnan(lo) else f"{lo:.2f} - {hi:.2f}"
                for lo, hi in zip(rated["low"], rated["high"], strict=True)
            ],
            say("mentors", language): [_number(v) for v in rated["mentor_mean"]],
            say("mentees", language): [_number(v) for v in rated["mentee_mean"]],
        }
    )


def _themes(evaluation: Evaluation) -> str:
    language = evaluation.language
    if evaluation.plan is None:
        return paragraphs(say("no plan", language), note=True)
    meetings = evaluation.plan.meetings
    deep = meetings[~meetings["theme"].isin(["intro", "kick-out"])]
    counts = Counter(theme for _, rows in deep.groupby("mentee_id") for theme in set(rows["theme"]))
    frame = pd.DataFrame(
        {
            say("theme", language): [theme_text(t, language) for t, _ in counts.most_common()],
            say("pairs", language): [str(k) for _, k in counts.most_common()],
        }
    )
    return paragraphs(say("themes text", language), note=True) + table(frame)


def _free_text(evaluation: Evaluation) -> str:
    parts = []
    for q in questions():
        if q.kind != "text":
            continue
        answers = sorted(str(a) for a in evaluation.answers[q.key].dropna())
        items = "".join(f"<li>{html.escape(a)}</li>" for a in answers)
        parts.append(paragraphs(q.text(evaluation.language)) + f"<ul>{items}</ul>")
    return "\n".join(parts)


def _criteria_table(evaluation: Evaluation) -> pd.DataFrame:
    language = evaluation.language
    rows = evaluation.criteria
    return pd.DataFrame(
        {
            say("criterion", language): rows["criterion"],
            say("current", language): [f"{v:.2f}" for v in rows["current"]],
            say("effect", language): [_number(v) for v in rows["effect"]],
            say("interval", language): [
                "-" if math.isnan(lo) else f"{lo:+.2f} to {hi:+.2f}"
                for lo, hi in zip(rows["low"], rows["high"], strict=True)
            ],
            say("verdict", language): [say(str(v), language) for v in rows["verdict"]],
            say("proposed", language): [f"{v:.2f}" for v in rows["proposed"]],
        }
    )


def evaluation_report(evaluation: Evaluation, path: str | Path, language: str) -> Path:
    """Write the steering group's report (see :meth:`Evaluation.report`)."""
    code = check_language(language)
    evaluation = replace(evaluation, language=code)
    people = evaluation.participation
    answered = dict(zip(people["role"], people["answered"].astype(int), strict=True))
    by_pair = evaluation.by_pair
    key = [q.key for q in questions() if q.kind == "rating" and q.pair]
    participation = say(
        "participation text",
        code,
        answered=sum(answered.values()),
        invited=int(people["invited"].sum()),
        pairs=int((by_pair["respondents"] > 0).sum()),
        total=len(by_pair),
        mentors=answered["mentor"],
        mentees=answered["mentee"],
    )
    body = [
        section(say("participation", code), paragraphs(participation)),
        section(
            say("ratings", code),
            paragraphs(say("ratings note", code, scale=scale_text(code)), note=True),
            table(_ratings_table(evaluation)),
            figure(ratings_plot(evaluation).figure),  # type: ignore[arg-type]
        ),
        section(say("themes", code), _themes(evaluation)),
        section(say("free text", code), _free_text(evaluation)),
        section(
            say("criteria", code),
            paragraphs(say("criteria note", code, questions=", ".join(key)), note=True),
            table(_criteria_table(evaluation)),
        ),
        section(
            say("proposal", code), paragraphs(*reasoning(evaluation.analysis, code).splitlines())
        ),
    ]
    return write_page(page(say("evaluation title", code), body, code), path)
