"""The theme catalogue: deep-dive themes a mentor offers and a mentee seeks.

Themes are stored by key (``"crisis"``); a cell may name a theme by its key or
by any of its English, Swedish or Norwegian labels, case-insensitively. A
sub-theme is written ``theme/sub-theme`` (``"crisis/preparedness"``,
``"Att leda i kriser och extraordinära händelser/Beredskap"``), each part by key or
by a label in any of the three languages, and is stored as ``key/sub-key`` (the
sub-key is the English label's slug).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources

from mentormatch.names import closest

__all__ = ["Theme", "catalogue", "parse_theme"]


@dataclass(frozen=True)
class Theme:
    """One theme of the catalogue.

    Examples
    --------
    >>> catalogue()["crisis"].sv
    'Att leda i kriser och extraordinära händelser'
    """

    key: str
    en: str
    sv: str
    nb: str
    subthemes: tuple[str, ...]
    """The sub-themes' English labels."""
    subthemes_sv: tuple[str, ...] = ()
    """The same sub-themes' Swedish labels, in the same order."""
    subthemes_nb: tuple[str, ...] = ()
    """The same sub-themes' Norwegian labels, in the same order."""

    @cached_property
    def subtheme_keys(self) -> tuple[str, ...]:
        """The sub-themes as keys (``"media handling"`` -> ``"media-handling"``), computed once."""
        return tuple(_slug(s) for s in self.subthemes)


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-")


@cache
def catalogue() -> dict[str, Theme]:
    """Return the theme catalogue, keyed by theme key, in catalogue order.

    Examples
    --------
    >>> list(catalogue())[:2]
    ['golden-zone', 'complex-inquiries']
    """
    raw = json.loads(resources.files("mentormatch").joinpath("data/themes.json").read_text("utf-8"))
    lists = ("subthemes", "subthemes_sv", "subthemes_nb")
    return {
        t["key"]: Theme(**{**t, **{name: tuple(t.get(name, ())) for name in lists}})
        for t in raw["themes"]
    }


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for theme in catalogue().values():
        for name in (theme.key, theme.en, theme.sv, theme.nb):
            table[name.casefold()] = theme.key
    return table


@cache
def _sub_lookup(key: str) -> dict[str, str]:
    """A theme's sub-themes: every label (en, sv, nb) and its slug -> the sub-key."""
    theme = catalogue()[key]
    table: dict[str, str] = {}
    for labels in (theme.subthemes, theme.subthemes_sv, theme.subthemes_nb):
        for sub_key, label in zip(theme.subtheme_keys, labels, strict=True):
            table[label.casefold()] = table[_slug(label)] = sub_key
    return table


@lru_cache(maxsize=4096)
def parse_theme(text: str) -> str:
    """Return the stored form of one theme cell entry: a key, or ``key/sub-key``.

    Raises ``ValueError`` listing the valid keys (and the closest name, when one is
    close) when the theme is unknown.
    Cached: a cohort names the same few themes again and again.

    Examples
    --------
    >>> parse_theme("Politisk turbulens")
    'political-turbulence'
    >>> parse_theme("Crisis / Preparedness"), parse_theme("Det svåra ledarskapet/Konflikthantering")
    ('crisis/preparedness', 'hard-leadership/conflict-handling')
    """
    head, _, sub = text.partition("/")
    key = _lookup().get(head.strip().casefold())
    if key is None:
        guess = closest(head, _lookup())
        hint = f"did you mean '{_lookup()[guess]}'? " if guess else ""
        raise ValueError(
            f"unknown theme '{text.strip()}'; {hint}expected a theme's key "
            f"({', '.join(catalogue())}) or its name in English, Swedish or Norwegian"
        )
    if not sub.strip():
        return key
    theme = catalogue()[key]
    sub_key = _sub_lookup(key).get(sub.strip().casefold()) or _sub_lookup(key).get(_slug(sub))
    if sub_key is None:
        known = ", ".join(theme.subtheme_keys) or "none"
        raise ValueError(f"unknown sub-theme '{sub.strip()}' of '{key}'; expected one of: {known}")
    return f"{key}/{sub_key}"
