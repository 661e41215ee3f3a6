"""The printable agenda of one meeting, as text (for calendars) and as an A4 page per meeting.

An agenda is handed to one pair: it names the two of them and their own
meeting, and nothing about anyone else.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mentormatch.programme._html import page, write_page
from mentormatch.programme._texts import Language, say, weekday

__all__ = ["Agenda", "agenda_of", "agenda_page"]


@dataclass(frozen=True)
class Agenda:
    """One meeting's agenda: a title, facts (label, value), and the three parts with prompts."""

    title: str
    facts: tuple[tuple[str, str], ...]
    parts: tuple[str, str, str]
    prompts: str
    prompts_label: str

    def text(self) -> str:
        """The agenda as plain text, ready to print or to put in a calendar entry."""
        lines = [self.title, "", *(f"{label}: {value}" for label, value in self.facts), ""]
        for number, part in enumerate(self.parts, 1):
            lines.append(f"{number}. {part}")
        if self.prompts:
            lines.append(f"   {self.prompts_label}: {self.prompts}")
        return "\n".join(lines)

    def html(self) -> str:
        """The agenda as one printed page (a ``<section>`` that ends with a page break)."""
        facts = "".join(
            f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
            for label, value in self.facts
        )
        items = [f"<li>{html.escape(p)}</li>" for p in self.parts]
        if self.prompts:
            items[-1] = (
                f"<li>{html.escape(self.parts[-1])}<br>"
                f"<em>{html.escape(self.prompts_label)}:</em> {html.escape(self.prompts)}</li>"
            )
        return (
            f'<section class="sheet">\n<h2>{html.escape(self.title)}</h2>\n'
            f"<table>{facts}</table>\n<ol>{''.join(items)}</ol>\n</section>"
        )


def _person(name: object, person_id: str) -> str:
    return f"{name} ({person_id})" if isinstance(name, str) and name else person_id


def agenda_of(meeting: Mapping[Any, Any], language: Language) -> Agenda:
    """The agenda of one row of ``plan.meetings``.

    Examples
    --------
    >>> import pandas as pd
    >>> row = {"mentor_id": "M1", "mentee_id": "E1", "mentor_name": "Kari", "mentee_name": None,
    ...        "title": "Meeting 1 of 8: Introduction", "start": pd.Timestamp("2027-02-10 10:00"),
    ...        "end": pd.Timestamp("2027-02-10 13:00"), "timezone": "Europe/Oslo",
    ...        "where": "In person", "follow_up": "a", "challenge": "b", "deep_dive": "c",
    ...        "prompts": ""}
    >>> print(agenda_of(row, "en").text())
    Meeting 1 of 8: Introduction
    <BLANKLINE>
    When: Wednesday 2027-02-10, 10:00 to 13:00 (Europe/Oslo)
    Where: In person
    Mentor: Kari (M1)
    Mentee: E1
    <BLANKLINE>
    1. a
    2. b
    3. c
    """
    start, end = pd.Timestamp(meeting["start"]), pd.Timestamp(meeting["end"])
    when = say(
        "time",
        language,
        day=weekday(start.date(), language),
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
        zone=meeting["timezone"],
    )
    return Agenda(
        title=str(meeting["title"]),
        facts=(
            (say("when", language), when),
            (say("where", language), str(meeting["where"])),
            (say("mentor", language), _person(meeting["mentor_name"], meeting["mentor_id"])),
            (say("mentee", language), _person(meeting["mentee_name"], meeting["mentee_id"])),
        ),
        parts=(str(meeting["follow_up"]), str(meeting["challenge"]), str(meeting["deep_dive"])),
        prompts=str(meeting["prompts"] or ""),
        prompts_label=say("prompts", language),
    )


def agenda_page(meetings: pd.DataFrame, title: str, language: Language, path: Path) -> Path:
    """Write one pair's agendas as one HTML file, a printed page per meeting."""
    sheets = [agenda_of(row, language).html() for row in meetings.to_dict(orient="records")]
    return write_page(page(title, sheets, language), path)
