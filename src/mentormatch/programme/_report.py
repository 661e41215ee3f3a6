"""The round report for the secretariat: one self-contained HTML page (``MatchResult.report``).

It states the rules in force and the weights, the pairs with their reasons,
who is unmatched and why, the score plot and a map of the pairs (municipality
coordinates with a line per pair, no map tiles). "Proven optimal" is printed
only when the solver proved it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch.cohort import Cohort
from mentormatch.errors import InputError, Violation
from mentormatch.programme._html import figure, new_figure, page, paragraphs, section, table
from mentormatch.programme._html import write_page as _write
from mentormatch.programme._texts import Language, check_language, say
from mentormatch.result import MatchResult

__all__ = ["round_report"]


def _person(ids: pd.Series, names: pd.Series | None) -> list[str]:
    if names is None:
        return [str(i) for i in ids]
    return [
        f"{n} ({i})" if isinstance(n, str) and n else str(i)
        for i, n in zip(ids, names, strict=True)
    ]


def _claim(result: MatchResult, language: Language) -> str:
    if result.status == "optimal":
        return say("optimal", language)
    gap = max(result.bound - result.objective, 0.0)
    return say("feasible", language, gap=f"{gap:.3f}", bound=f"{result.bound:.3f}")


def _pairs(result: MatchResult, language: Language) -> pd.DataFrame:
    pairs = result.pairs
    return pd.DataFrame(
        {
            say("mentor", language): _person(pairs["mentor_id"], pairs.get("mentor_name")),
            say("mentee", language): _person(pairs["mentee_id"], pairs.get("mentee_name")),
            say("score", language): pairs["score"].astype(float),
            say("distance", language): pairs.get("distance_km", pd.Series(np.nan, pairs.index)),
            say("reason", language): pairs.get("reason", pd.Series("", pairs.index)),
        }
    )


def _score_plot(result: MatchResult, language: Language) -> str:
    fig = new_figure(7.0, max(3.0, 0.18 * len(result.scores) + 1.5))
    ax = result.plot(ax=fig.subplots())
    ax.set_xlabel(say("mentee", language))
    ax.set_ylabel(say("mentor", language))
    ax.set_title(say("scores", language))
    fig.axes[-1].set_ylabel(say("score", language))  # the colour bar
    ax.legend([say("paired", language)], loc="upper right", fontsize=7)
    return figure(fig)


def _map(result: MatchResult, cohort: Cohort | None, language: Language) -> str:
    people = [
        p
        for p in (cohort.profiles if cohort is not None else ())
        if p.latitude is not None and p.longitude is not None
    ]
    if not people:
        return paragraphs(say("no map", language), note=True)
    at = {p.id: (float(p.longitude or 0), float(p.latitude or 0)) for p in people}
    fig = new_figure(6.5, 6.0)
    ax = fig.subplots()
    for mentor, mentee in zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True):
        if mentor in at and mentee in at:
            (x0, y0), (x1, y1) = at[mentor], at[mentee]
            ax.plot([x0, x1], [y0, y1], color="#555", linewidth=0.8, zorder=1)
    paired = set(result.pairs["mentor_id"]) | set(result.pairs["mentee_id"])
    for role, marker, colour in (("mentors", "^", "#1f77b4"), ("mentees", "o", "#d62728")):
        for chosen in (True, False):
            group = [p.id for p in people if f"{p.role}s" == role and (p.id in paired) == chosen]
            label = say(role, language)
            if not chosen:
                label = f"{say('unpaired', language)} ({label})"
            if group:
                ax.scatter(
                    [at[i][0] for i in group],
                    [at[i][1] for i in group],
                    marker=marker,
                    s=28,
                    facecolors=colour if chosen else "none",
                    edgecolors=colour,
                    zorder=2,
                    label=label,
                )
    middle = float(np.mean([lat for _, lat in at.values()]))
    ax.set_aspect(1 / math.cos(math.radians(middle)))
    ax.set_xlabel(say("longitude", language))
    ax.set_ylabel(say("latitude", language))
    ax.set_title(say("map", language))
    ax.legend(loc="best", fontsize=7)
    return figure(fig)


def round_report(
    result: MatchResult,
    path: str | Path,
    language: str = "en",
    *,
    cohort: Cohort | None = None,
) -> Path:
    """Write the round's report as one self-contained HTML page; return its path.

    Parameters
    ----------
    result : MatchResult
        The round, from :func:`mm.match`.
    path : str or Path
        The ``.html`` file to write.
    language : {"en", "sv", "nb"}, default "en"
        The language of the page (the reasons come from the matching, in English).
    cohort : Cohort, optional
        The round's cohort: its coordinates draw the map of the pairs.

    Examples
    --------
    >>> import tempfile, pathlib, mentormatch as mm
    >>> cohort = mm.example_cohort()
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "round.html"
    >>> path = mm.match(cohort).report(out, language="sv", cohort=cohort)
    >>> "Bevisat optimalt" in path.read_text(encoding="utf-8")
    True
    """
    problems: list[Violation] = []
    if not isinstance(result, MatchResult):
        problems.append(
            Violation(f"expected a mm.MatchResult, got {type(result).__name__}", argument="result")
        )
    if cohort is not None and not isinstance(cohort, Cohort):
        problems.append(
            Violation(f"expected a mm.Cohort, got {type(cohort).__name__}", argument="cohort")
        )
    try:
        code = check_language(language)
    except InputError as error:
        problems += error.violations
    if problems:
        raise InputError(problems)
    unmatched = result.unmatched.assign(
        role=[say(str(role), code) for role in result.unmatched["role"]]
    ).rename(columns={c: say(c, code) for c in ("id", "role", "reason")})
    body = [
        section(
            say("summary", code),
            paragraphs(
                say(
                    "round summary",
                    code,
                    pairs=len(result.pairs),
                    objective=f"{result.objective:.3f}",
                    unmatched=len(result.unmatched),
                ),
                _claim(result, code),
            ),
        ),
        section(
            say("rules", code),
            table(pd.DataFrame({say("rule", code): [str(rule) for rule in result.rules]})),
        ),
        section(
            say("weights", code),
            table(
                pd.DataFrame(
                    {
                        say("criterion", code): list(result.weights),
                        say("weight", code): [float(w) for w in result.weights.values()],
                    }
                )
            ),
        ),
        section(
            say("pairs", code),
            paragraphs(say("reasons in english", code), note=True),
            table(_pairs(result, code)),
        ),
        section(
            say("unmatched", code),
            table(unmatched) if len(unmatched) else paragraphs(say("nobody unmatched", code)),
        ),
        *([] if result.candidates else [section(say("scores", code), _score_plot(result, code))]),
        section(say("map", code), _map(result, cohort, code)),
    ]
    return _write(page(say("round title", code), body, code), path)
