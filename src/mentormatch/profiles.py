"""One person of a cohort as a validated, frozen pydantic profile.

A profile accepts cells as users' spreadsheets hold them: text with a decimal
comma (``"12,5"``), thousands written with spaces (``"12 400"``), ``;``-separated
lists, themes by key or label, Nordic words for the level. Every field is
checked here, once; later stages trust a profile.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mentormatch.themes import parse_theme

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "Profile", "as_text", "id_problem", "is_blank", "role_of"]

COLUMNS: tuple[str, ...] = (
    "id",
    "role",
    "name",
    "organisation",
    "region",
    "country",
    "level",
    "years_in_role",
    "population",
    "themes",
    "languages",
    "capacity",
    "avoid",
    "latitude",
    "longitude",
    "preferences",
)
"""The columns of the cohort file schema, in the schema's order."""

REQUIRED_COLUMNS: tuple[str, ...] = ("id", "role", "organisation", "region")

_ROLES = {"mentor": "mentor", "mentee": "mentee", "adept": "mentee"}
_LEVELS = {
    "municipality": "municipality",
    "kommune": "municipality",
    "kommun": "municipality",
    "county": "county",
    "fylke": "county",
    "fylkeskommune": "county",
    "region": "county",
    "län": "county",
}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, or text of only spaces.

    Examples
    --------
    >>> is_blank(" "), is_blank(float("nan")), is_blank(0)
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # pandas.NA and numpy NaN-likes
    except (TypeError, ValueError):
        return False


def as_text(value: object) -> str:
    """A cell as stripped text; whole numbers from Excel lose their ``.0``; blank is ``""``.

    Text is given in Unicode's composed form (NFC), so that an ``å`` typed as ``a``
    and a combining ring (as macOS may write it) is the ``å`` typed elsewhere.

    Examples
    --------
    >>> as_text(7.0), as_text(" 007 "), as_text(None), as_text("a\u030a") == "\u00e5"
    ('7', '007', '', True)
    """
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _composed(str(value).strip())


def _composed(text: str) -> str:
    """Text in Unicode's composed form (NFC); plain ASCII is that already."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


_INVISIBLE = {"\n": "a line break", "\r": "a line break", "\t": "a tab"}


LANGUAGE_NAMES = {
    **dict.fromkeys(("norsk", "norwegian", "bokmål", "bokmal", "norska", "norsk bokmål"), "nb"),
    **dict.fromkeys(("nynorsk", "norsk nynorsk"), "nn"),
    **dict.fromkeys(("svenska", "swedish", "svensk", "svensk språk"), "sv"),
    **dict.fromkeys(("dansk", "danish", "danska"), "da"),
    **dict.fromkeys(("suomi", "finnish", "finska", "finsk"), "fi"),
    **dict.fromkeys(("english", "engelsk", "engelska"), "en"),
    **dict.fromkeys(("deutsch", "german", "tysk", "tyska"), "de"),
    **dict.fromkeys(("sámi", "sami", "samisk", "samiska", "davvisámegiella"), "se"),
    **dict.fromkeys(("íslenska", "icelandic", "islandsk", "isländska"), "is"),
}
"""Languages by name (English, Norwegian, Swedish), read as their two-letter codes."""


def language_code(entry: str) -> str:
    """A language cell entry as its lower-case two-letter code; ``""`` when it is neither a
    code nor a name in :data:`LANGUAGE_NAMES`.

    Examples
    --------
    >>> language_code("NB"), language_code("Svenska"), language_code("norsk"), language_code("x1")
    ('nb', 'sv', 'nb', '')
    """
    text = entry.strip().casefold()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text
    return LANGUAGE_NAMES.get(text, "")


def id_problem(person_id: str) -> str | None:
    """Why a (stripped) text cannot be an id, or None when it can.

    An id is listed in other people's ``avoid`` and ``preferences`` cells,
    separated by ``;``, so it cannot hold one; nor an invisible character (a line
    break, a tab, a control or zero-width character, a space other than the plain
    one), which would make two ids that look alike differ; nor begin with ``'``,
    the mark spreadsheets hide before text (and put before text that looks like a
    formula in the CSV files they export).

    Examples
    --------
    >>> id_problem("M-1") is None, id_problem("M;1")[:32]
    (True, "the id 'M;1' holds ';', which se")
    """
    if ";" in person_id:
        return (
            f"the id {person_id!r} holds ';', which separates the ids listed in the avoid and "
            "preferences columns; use another character, such as '-'"
        )
    if not person_id.isprintable():
        char = next(c for c in person_id if not c.isprintable())
        what = _INVISIBLE.get(char, f"an invisible character (U+{ord(char):04X})")
        return f"the id {person_id!r} holds {what}; remove it"
    if person_id.startswith("'"):
        return (
            f"the id {person_id!r} begins with an apostrophe, which spreadsheets take as a mark "
            "and hide; write the id without it"
        )
    return None


def role_of(text: str) -> str | None:
    """The role a cell names (``"Mentor"``, ``"adept"``...), or None when it names none.

    Examples
    --------
    >>> role_of(" Adept "), role_of("boss")
    ('mentee', None)
    """
    return _ROLES.get(text.strip().casefold())


def _number(value: object) -> object:
    """Read a spreadsheet cell as a number where it is numeric text; leave the rest to pydantic."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if _NUMBER.match(text):
            return float(text.replace(",", "."))
        return value.strip()
    return value


def _split(value: object) -> tuple[str, ...]:
    if is_blank(value):
        return ()
    if isinstance(value, str):
        parts = _composed(value).split(";")  # ';' composes with nothing: compose, then split
    elif isinstance(value, list | tuple):
        parts = [_composed(str(v)) for v in value]
    else:
        parts = [_composed(str(value))]
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


class Profile(BaseModel):
    """A mentor or a mentee, validated.

    Parameters follow the cohort file schema; ``extra`` holds the columns the
    schema does not know, handed through untouched.

    Examples
    --------
    >>> p = Profile(id="007", role="Mentor", organisation="Bodø", region="Nordland",
    ...             years_in_role="12,5", themes="crisis;Politisk turbulens")
    >>> p.id, p.role, p.years_in_role, p.themes, p.capacity
    ('007', 'mentor', 12.5, ('crisis', 'political-turbulence'), 1)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    role: Literal["mentor", "mentee"]
    name: str | None = None
    organisation: str = Field(min_length=1)
    region: str = Field(min_length=1)
    country: str | None = None
    level: Literal["municipality", "county"] | None = None
    years_in_role: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    population: int | None = Field(default=None, ge=0)
    themes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int = Field(default=1, ge=0)
    avoid: tuple[str, ...] = ()
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    preferences: tuple[str, ...] = ()
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: object) -> object:
        text = as_text(value)
        problem = id_problem(text)
        if problem is not None:
            raise ValueError(problem)
        return text

    @field_validator("organisation", "region", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return as_text(value)

    @field_validator("name", "country", mode="before")
    @classmethod
    def _optional_text(cls, value: object) -> object:
        return None if is_blank(value) else _composed(str(value).strip())

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else value.upper()

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: object) -> object:
        text = "" if is_blank(value) else str(value).strip()
        role = role_of(text)
        if role is None:
            raise ValueError(f"unknown role '{text}'; expected 'mentor' or 'mentee'")
        return role

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        if is_blank(value):
            return None
        text = str(value).strip()
        level = _LEVELS.get(text.casefold())
        if level is None:
            raise ValueError(f"unknown level '{text}'; expected 'municipality' or 'county'")
        return level

    @field_validator("years_in_role", "population", "latitude", "longitude", mode="before")
    @classmethod
    def _numbers(cls, value: object) -> object:
        return _number(value)

    @field_validator("capacity", mode="before")
    @classmethod
    def _capacity(cls, value: object) -> object:
        number = _number(value)
        return 1 if number is None else number

    @field_validator("themes", mode="before")
    @classmethod
    def _themes(cls, value: object) -> tuple[str, ...]:
        return tuple(dict.fromkeys(parse_theme(t) for t in _split(value)))

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, value: object) -> tuple[str, ...]:
        codes = [language_code(entry) for entry in _split(value)]
        unknown = [entry for entry, code in zip(_split(value), codes, strict=True) if not code]
        if unknown:
            raise ValueError(
                f"expected languages as two-letter codes (nb, nn, sv, da, fi, en, ...) or their "
                f"names (norsk, svenska, English, ...), separated by ';', got {unknown[0]!r}"
            )
        return tuple(dict.fromkeys(code for code in codes if code))

    @field_validator("avoid", "preferences", mode="before")
    @classmethod
    def _ids(cls, value: object) -> tuple[str, ...]:
        return _split(value)

    @model_validator(mode="after")
    def _not_self(self) -> Profile:
        if self.id in self.avoid:
            raise ValueError(f"'{self.id}' avoids themself; list other people or organisations")
        if self.id in self.preferences:
            raise ValueError(f"'{self.id}' ranks themself; list people of the other role")
        return self

    def cells(self) -> dict[str, Any]:
        """Return the profile as one spreadsheet row: lists joined with ``;``, extras last.

        Examples
        --------
        >>> Profile(id="e1", role="mentee", organisation="Kiruna", region="Norrbotten",
        ...         languages="sv;en").cells()["languages"]
        'sv;en'
        """
        row: dict[str, Any] = {}
        for column in COLUMNS:
            value = getattr(self, column)
            row[column] = (";".join(value) or None) if isinstance(value, tuple) else value
        return {**row, **self.extra}
