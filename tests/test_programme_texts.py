"""Every text of the programme year exists in English, Swedish and Norwegian bokmål."""

from __future__ import annotations

import string

import pytest

from mentormatch.programme import LANGUAGES, questions
from mentormatch.programme._texts import SUBTHEMES, TEXTS, say, subtheme_text, theme_text
from mentormatch.themes import catalogue


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_has_three_languages_with_the_same_fields(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES), key
    fields = {language: _fields(text) for language, text in entry.items()}
    assert fields["sv"] == fields["nb"] == fields["en"], key
    if key != "reasons in english":  # English needs no note that the reasons are in English
        assert all(entry[language].strip() for language in LANGUAGES), key


def test_the_questionnaire_has_eight_questions_in_three_languages() -> None:
    asked = questions()
    assert [q.number for q in asked] == list(range(1, 9))
    assert [q.kind for q in asked] == ["rating"] * 5 + ["text"] * 3
    for q in asked:
        texts = {q.text(language) for language in LANGUAGES}
        assert len(texts) == 3, q.key  # really translated
        assert all(t.startswith(f"{q.number}. ") for t in texts)
    assert "Diskuterade ni det som var viktigt för dig?" in questions()[2].text("sv")
    assert "viktigste lærdommer" in questions()[6].text("nb")


def test_every_theme_and_sub_theme_is_translated() -> None:
    for key, theme in catalogue().items():
        assert theme_text(key, "sv") == theme.sv
        for sub in theme.subtheme_keys:
            names = {subtheme_text(f"{key}/{sub}", language) for language in LANGUAGES}
            assert all(names), (key, sub)
    expected = {f"{k}/{s}" for k, t in catalogue().items() for s in t.subtheme_keys}
    assert set(SUBTHEMES) == expected
    assert say("intro", "nb").startswith("Introduksjon")
