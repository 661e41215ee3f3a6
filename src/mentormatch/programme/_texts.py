"""Every word the programme year prints, in English, Swedish and Norwegian bokmål.

Texts are looked up by key (:func:`say`) and filled with named fields; the
questionnaire is data (``data/questionnaire.json``); the sub-themes of the
theme catalogue, stored in English, are translated here for the prompts.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

from mentormatch.errors import InputError, Violation
from mentormatch.themes import catalogue

__all__ = [
    "LANGUAGES",
    "Language",
    "Question",
    "check_language",
    "questions",
    "say",
    "scale_text",
    "subtheme_text",
    "theme_text",
    "weekday",
]

Language = Literal["en", "sv", "nb"]
LANGUAGES: tuple[Language, ...] = ("en", "sv", "nb")

_T = dict[str, str]

TEXTS: dict[str, _T] = {
    # meetings
    "meeting": {
        "en": "Mentoring meeting {number} of {count}",
        "sv": "Mentorsmöte {number} av {count}",
        "nb": "Mentormøte {number} av {count}",
    },
    "intro": {
        "en": "Introduction: getting to know each other, expectations and ground rules",
        "sv": "Introduktion: att lära känna varandra, förväntningar och spelregler",
        "nb": "Introduksjon: bli kjent, forventninger og spilleregler",
    },
    "kick-out": {
        "en": "Closing: looking back, lessons learned and the way ahead",
        "sv": "Avslutning: tillbakablick, lärdomar och vägen framåt",
        "nb": "Avslutning: tilbakeblikk, lærdommer og veien videre",
    },
    "follow_up": {
        "en": "Follow-up since last time",
        "sv": "Uppföljning sedan förra gången",
        "nb": "Oppfølging siden sist",
    },
    "follow_up_first": {
        "en": "Follow-up since the kick-off: what each of you hopes for from the year",
        "sv": "Uppföljning sedan uppstarten: vad var och en av er hoppas på av året",
        "nb": "Oppfølging siden oppstarten: hva hver av dere håper på av året",
    },
    "challenge": {
        "en": "The challenge of the day: the mentee brings a current situation",
        "sv": "Dagens utmaning: adepten tar med sig en aktuell situation",
        "nb": "Dagens utfordring: menteen tar med seg en aktuell situasjon",
    },
    "deep_dive": {
        "en": "Deep dive: {theme}",
        "sv": "Fördjupning: {theme}",
        "nb": "Fordypning: {theme}",
    },
    "prompts": {"en": "To talk about", "sv": "Att samtala om", "nb": "Å snakke om"},
    "in person": {"en": "In person", "sv": "Fysiskt möte", "nb": "Fysisk møte"},
    "remote": {"en": "Remote (video)", "sv": "Digitalt möte", "nb": "Digitalt møte"},
    "place in person": {
        "en": "In person; the pair agrees on the place",
        "sv": "Fysiskt; paret kommer överens om platsen",
        "nb": "Fysisk; paret avtaler stedet",
    },
    "place remote": {
        "en": "Remote; the mentor sends a video link",
        "sv": "Digitalt; mentorn skickar en videolänk",
        "nb": "Digitalt; mentoren sender en videolenke",
    },
    "place gathering": {
        "en": "In person; the secretariat announces the place",
        "sv": "Fysiskt; kansliet meddelar platsen",
        "nb": "Fysisk; sekretariatet kunngjør stedet",
    },
    "place steering": {
        "en": "Remote; the secretariat sends a video link",
        "sv": "Digitalt; kansliet skickar en videolänk",
        "nb": "Digitalt; sekretariatet sender en videolenke",
    },
    # programme-wide events
    "gathering mentors first": {
        "en": "Mentor gathering: training in mentoring principles",
        "sv": "Mentorsträff: utbildning i mentorskapets principer",
        "nb": "Mentorsamling: opplæring i prinsippene for mentorskap",
    },
    "gathering mentors": {
        "en": "Mentor gathering: experience exchange and training in mentoring",
        "sv": "Mentorsträff: erfarenhetsutbyte och utbildning i mentorskap",
        "nb": "Mentorsamling: erfaringsutveksling og opplæring i mentorskap",
    },
    "gathering all first": {
        "en": "Joint gathering of mentors and mentees: kick-off",
        "sv": "Gemensam träff för mentorer och adepter: uppstart",
        "nb": "Felles samling for mentorer og menteer: oppstart",
    },
    "gathering all": {
        "en": "Joint gathering of mentors and mentees",
        "sv": "Gemensam träff för mentorer och adepter",
        "nb": "Felles samling for mentorer og menteer",
    },
    "gathering all last": {
        "en": "Joint gathering of mentors and mentees: closing and evaluation",
        "sv": "Gemensam träff för mentorer och adepter: avslutning och utvärdering",
        "nb": "Felles samling for mentorer og menteer: avslutning og evaluering",
    },
    "steering": {
        "en": "Steering group meeting {number} of {count} (digital)",
        "sv": "Styrgruppsmöte {number} av {count} (digitalt)",
        "nb": "Styringsgruppemøte {number} av {count} (digitalt)",
    },
    "programme": {
        "en": "Mentoring programme {start} to {end}",
        "sv": "Mentorsprogram {start} till {end}",
        "nb": "Mentorprogram {start} til {end}",
    },
    "pair calendar": {
        "en": "Mentoring: {mentor} and {mentee}",
        "sv": "Mentorskap: {mentor} och {mentee}",
        "nb": "Mentorskap: {mentor} og {mentee}",
    },
    # agenda
    "agenda": {"en": "Agenda", "sv": "Dagordning", "nb": "Agenda"},
    "when": {"en": "When", "sv": "När", "nb": "Når"},
    "where": {"en": "Where", "sv": "Var", "nb": "Hvor"},
    "mentor": {"en": "Mentor", "sv": "Mentor", "nb": "Mentor"},
    "mentee": {"en": "Mentee", "sv": "Adept", "nb": "Mentee"},
    "part": {"en": "Part {number}", "sv": "Del {number}", "nb": "Del {number}"},
    "time": {
        "en": "{day}, {start} to {end} ({zone})",
        "sv": "{day}, {start}–{end} ({zone})",
        "nb": "{day}, {start}–{end} ({zone})",
    },
    # round report
    "round title": {
        "en": "Pairing round: the pairs and why",
        "sv": "Matchningsomgång: paren och varför",
        "nb": "Matcherunde: parene og hvorfor",
    },
    "summary": {"en": "Summary", "sv": "Sammanfattning", "nb": "Sammendrag"},
    "round summary": {
        "en": "{pairs} pairs, total score {objective}; {unmatched} people unmatched.",
        "sv": "{pairs} par, total poäng {objective}; {unmatched} personer utan par.",
        "nb": "{pairs} par, samlet poengsum {objective}; {unmatched} personer uten par.",
    },
    "optimal": {
        "en": "Proven optimal: no pairing under these rules scores higher.",
        "sv": "Bevisat optimalt: ingen parindelning under dessa regler ger högre poäng.",
        "nb": "Bevist optimalt: ingen parinndeling under disse reglene gir høyere poengsum.",
    },
    "feasible": {
        "en": "Best found within the time limit, not proven optimal: at most {gap} below "
        "the proven bound {bound}.",
        "sv": "Bästa som hittades inom tidsgränsen, inte bevisat optimalt: högst {gap} under "
        "den bevisade gränsen {bound}.",
        "nb": "Beste som ble funnet innen tidsgrensen, ikke bevist optimalt: høyst {gap} under "
        "den beviste grensen {bound}.",
    },
    "rules": {"en": "Rules in force", "sv": "Gällande regler", "nb": "Gjeldende regler"},
    "weights": {"en": "Criterion weights", "sv": "Kriteriernas vikter", "nb": "Kriterienes vekter"},
    "pairs": {"en": "Pairs", "sv": "Par", "nb": "Par"},
    "unmatched": {
        "en": "Unmatched, and why",
        "sv": "Utan par, och varför",
        "nb": "Uten par, og hvorfor",
    },
    "nobody unmatched": {
        "en": "Everyone has a pair.",
        "sv": "Alla har fått ett par.",
        "nb": "Alle har fått et par.",
    },
    "scores": {"en": "Compatibility scores", "sv": "Matchningspoäng", "nb": "Matchepoeng"},
    "map": {"en": "Map of the pairs", "sv": "Karta över paren", "nb": "Kart over parene"},
    "no map": {
        "en": "No map: the coordinates are not known (pass cohort= with latitude and longitude).",
        "sv": "Ingen karta: koordinaterna är okända (ange cohort= med latitud och longitud).",
        "nb": "Ikke noe kart: koordinatene er ukjente "
        "(oppgi cohort= med breddegrad og lengdegrad).",
    },
    "reasons in english": {
        "en": "",
        "sv": "Motiveringarna är skrivna på engelska av matchningen.",
        "nb": "Begrunnelsene er skrevet på engelsk av matchingen.",
    },
    "id": {"en": "id", "sv": "id", "nb": "id"},
    "role": {"en": "role", "sv": "roll", "nb": "rolle"},
    "name": {"en": "name", "sv": "namn", "nb": "navn"},
    "score": {"en": "score", "sv": "poäng", "nb": "poeng"},
    "distance": {"en": "km apart", "sv": "avstånd (km)", "nb": "avstand (km)"},
    "reason": {"en": "reason", "sv": "motivering", "nb": "begrunnelse"},
    "rule": {"en": "rule", "sv": "regel", "nb": "regel"},
    "criterion": {"en": "criterion", "sv": "kriterium", "nb": "kriterium"},
    "weight": {"en": "weight", "sv": "vikt", "nb": "vekt"},
    "longitude": {"en": "longitude", "sv": "longitud", "nb": "lengdegrad"},
    "latitude": {"en": "latitude", "sv": "latitud", "nb": "breddegrad"},
    "paired": {"en": "pair", "sv": "par", "nb": "par"},
    "unpaired": {"en": "unmatched", "sv": "utan par", "nb": "uten par"},
    "mentors": {"en": "mentors", "sv": "mentorer", "nb": "mentorer"},
    "mentees": {"en": "mentees", "sv": "adepter", "nb": "menteer"},
    # evaluation report
    "evaluation title": {
        "en": "Evaluation of the mentoring programme: report to the steering group",
        "sv": "Utvärdering av mentorsprogrammet: rapport till styrgruppen",
        "nb": "Evaluering av mentorprogrammet: rapport til styringsgruppen",
    },
    "participation": {"en": "Participation", "sv": "Deltagande", "nb": "Deltakelse"},
    "participation text": {
        "en": "{answered} of {invited} people answered; {pairs} of {total} pairs have at "
        "least one answer ({mentors} mentors, {mentees} mentees).",
        "sv": "{answered} av {invited} personer svarade; {pairs} av {total} par har minst ett "
        "svar ({mentors} mentorer, {mentees} adepter).",
        "nb": "{answered} av {invited} personer svarte; {pairs} av {total} par har minst ett "
        "svar ({mentors} mentorer, {mentees} menteer).",
    },
    "ratings": {
        "en": "Ratings per question",
        "sv": "Betyg per fråga",
        "nb": "Vurdering per spørsmål",
    },
    "ratings note": {
        "en": "Mean rating on the scale {scale}, with a 90% bootstrap interval; "
        "with few answers the intervals are wide, and a dash means too few answers to tell.",
        "sv": "Medelbetyg på skalan {scale}, med ett 90 % bootstrapintervall; "
        "med få svar blir intervallen breda, och ett streck betyder för få svar.",
        "nb": "Gjennomsnittlig vurdering på skalaen {scale}, med et 90 % bootstrapintervall; "
        "med få svar blir intervallene brede, og en strek betyr for få svar.",
    },
    "question": {"en": "question", "sv": "fråga", "nb": "spørsmål"},
    "answers": {"en": "answers", "sv": "svar", "nb": "svar"},
    "mean": {"en": "mean", "sv": "medel", "nb": "snitt"},
    "interval": {"en": "90% interval", "sv": "90 % intervall", "nb": "90 % intervall"},
    "free text": {"en": "Free-text answers", "sv": "Fritextsvar", "nb": "Fritekstsvar"},
    "themes": {
        "en": "Deep-dive themes in the plan",
        "sv": "Fördjupningsteman i planen",
        "nb": "Fordypningstemaer i planen",
    },
    "themes text": {
        "en": "Number of pairs whose plan has each theme (from the programme plan).",
        "sv": "Antal par vars plan innehåller varje tema (enligt programplanen).",
        "nb": "Antall par der planen har hvert tema (fra programplanen).",
    },
    "no plan": {
        "en": "No plan was given, so the themes are not shown (pass plan=).",
        "sv": "Ingen plan angavs, så temana visas inte (ange plan=).",
        "nb": "Ingen plan ble oppgitt, så temaene vises ikke (oppgi plan=).",
    },
    "theme": {"en": "theme", "sv": "tema", "nb": "tema"},
    "criteria": {
        "en": "Matching criteria and outcomes",
        "sv": "Matchningskriterier och utfall",
        "nb": "Matchekriterier og utfall",
    },
    "criteria note": {
        "en": "Outcome of a pair: the mean of its answers to the questions about the pair "
        "({questions}). Effect: rating points for a pair scoring 1 rather than 0 on the "
        "criterion, from a ridge regression over the pairs, with a 90% bootstrap interval.",
        "sv": "Ett pars utfall: medelvärdet av parets svar på frågorna om paret "
        "({questions}). Effekt: betygspoäng för ett par med 1 i stället för 0 på "
        "kriteriet, från en ridge-regression över paren, med ett 90 % bootstrapintervall.",
        "nb": "Et pars utfall: gjennomsnittet av parets svar på spørsmålene om paret "
        "({questions}). Effekt: vurderingspoeng for et par med 1 i stedet for 0 på "
        "kriteriet, fra en ridge-regresjon over parene, med et 90 % bootstrapintervall.",
    },
    "effect": {"en": "effect", "sv": "effekt", "nb": "effekt"},
    "verdict": {"en": "the data say", "sv": "data säger", "nb": "dataene sier"},
    "current": {"en": "current weight", "sv": "nuvarande vikt", "nb": "nåværende vekt"},
    "proposed": {"en": "proposed weight", "sv": "föreslagen vikt", "nb": "foreslått vekt"},
    "proposal": {
        "en": "Proposed weights for the next round",
        "sv": "Föreslagna vikter för nästa omgång",
        "nb": "Foreslåtte vekter for neste runde",
    },
    "better": {"en": "better outcomes", "sv": "bättre utfall", "nb": "bedre utfall"},
    "worse": {"en": "worse outcomes", "sv": "sämre utfall", "nb": "dårligere utfall"},
    "cannot tell": {"en": "cannot tell", "sv": "går inte att avgöra", "nb": "kan ikke avgjøres"},
    "no variation": {
        "en": "no variation among the pairs",
        "sv": "ingen variation mellan paren",
        "nb": "ingen variasjon mellom parene",
    },
    "reason few": {
        "en": "Only {pairs} pairs have answers to the questions about the pair; at least "
        "{needed} are needed to relate outcomes to criteria. Keep the current weights.",
        "sv": "Bara {pairs} par har svar på frågorna om paret; minst {needed} behövs för att "
        "relatera utfall till kriterier. Behåll de nuvarande vikterna.",
        "nb": "Bare {pairs} par har svar på spørsmålene om paret; minst {needed} trengs for å "
        "knytte utfall til kriterier. Behold de nåværende vektene.",
    },
    "reason noise": {
        "en": "Across {pairs} pairs, the criteria together do not explain the outcomes better "
        "than chance (permutation test, p = {p}). The data cannot tell which criteria "
        "matter. Keep the current weights.",
        "sv": "Över {pairs} par förklarar kriterierna tillsammans inte utfallen bättre än "
        "slumpen (permutationstest, p = {p}). Data kan inte avgöra vilka kriterier som "
        "spelar roll. Behåll de nuvarande vikterna.",
        "nb": "Over {pairs} par forklarer kriteriene samlet ikke utfallene bedre enn "
        "tilfeldighetene (permutasjonstest, p = {p}). Dataene kan ikke avgjøre hvilke "
        "kriterier som betyr noe. Behold de nåværende vektene.",
    },
    "reason unclear": {
        "en": "Across {pairs} pairs the criteria together explain the outcomes better than "
        "chance (permutation test, p = {p}), but no single criterion's effect is clear of "
        "zero. Keep the current weights.",
        "sv": "Över {pairs} par förklarar kriterierna tillsammans utfallen bättre än slumpen "
        "(permutationstest, p = {p}), men inget enskilt kriteriums effekt är skild från noll. "
        "Behåll de nuvarande vikterna.",
        "nb": "Over {pairs} par forklarer kriteriene samlet utfallene bedre enn "
        "tilfeldighetene (permutasjonstest, p = {p}), men ingen enkeltkriteriers effekt er "
        "klart forskjellig fra null. Behold de nåværende vektene.",
    },
    "reason move": {
        "en": "Across {pairs} pairs, the criteria explain the outcomes better than chance "
        "(permutation test, p = {p}). The criteria whose effect is clear of zero move {share}% "
        "of the way towards the weights the outcomes suggest, the others keep theirs; the "
        "current weights count as much as {prior} pairs of evidence, so a small evaluation "
        "moves them little.",
        "sv": "Över {pairs} par förklarar kriterierna utfallen bättre än slumpen "
        "(permutationstest, p = {p}). Kriterier vars effekt är skild från noll flyttas "
        "{share} % av vägen mot de vikter som utfallen pekar på, de övriga behåller sina; "
        "de nuvarande vikterna väger som {prior} par, så en liten utvärdering flyttar dem "
        "lite.",
        "nb": "Over {pairs} par forklarer kriteriene utfallene bedre enn tilfeldighetene "
        "(permutasjonstest, p = {p}). Kriterier med en effekt klart forskjellig fra null "
        "flyttes {share} % av veien mot vektene utfallene peker mot, de andre beholder "
        "sine; de nåværende vektene teller som {prior} par, så en liten evaluering flytter "
        "dem lite.",
    },
    "reason criterion": {
        "en": "{criterion}: {verdict} (effect {effect}, interval {low} to {high}); "
        "weight {current} -> {proposed}.",
        "sv": "{criterion}: {verdict} (effekt {effect}, intervall {low} till {high}); "
        "vikt {current} -> {proposed}.",
        "nb": "{criterion}: {verdict} (effekt {effect}, intervall {low} til {high}); "
        "vekt {current} -> {proposed}.",
    },
    "reason flat": {
        "en": "{criterion}: {verdict}; weight {current} -> {proposed}.",
        "sv": "{criterion}: {verdict}; vikt {current} -> {proposed}.",
        "nb": "{criterion}: {verdict}; vekt {current} -> {proposed}.",
    },
    "use weights": {
        "en": "To use them: mm.match(cohort, weights={weights})",
        "sv": "Så används de: mm.match(cohort, weights={weights})",
        "nb": "Slik brukes de: mm.match(cohort, weights={weights})",
    },
}


WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
}


def weekday(day: dt.date, language: Language) -> str:
    """The day written out, e.g. ``onsdag 2027-04-14``.

    Examples
    --------
    >>> weekday(dt.date(2027, 4, 14), "sv")
    'onsdag 2027-04-14'
    """
    return f"{WEEKDAYS[language][day.weekday()]} {day.isoformat()}"


def check_language(language: object, argument: str = "language") -> Language:
    """The language code, or an ``InputError`` naming the argument and the choices.

    Examples
    --------
    >>> check_language(" SV ")
    'sv'
    >>> check_language("no")
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'language': expected 'en', 'sv' or 'nb', got 'no'
    """
    code = language.strip().casefold() if isinstance(language, str) else language
    if code not in LANGUAGES:
        raise InputError(
            Violation(f"expected 'en', 'sv' or 'nb', got {language!r}", argument=argument)
        )
    return code


def say(key: str, language: Language, **fields: object) -> str:
    """The text ``key`` in ``language``, with its named fields filled in.

    Examples
    --------
    >>> say("meeting", "sv", number=3, count=8)
    'Mentorsmöte 3 av 8'
    """
    return TEXTS[key][language].format(**fields)


def theme_text(key: str, language: Language) -> str:
    """A theme's title (``intro`` and ``kick-out`` included) in the language.

    Examples
    --------
    >>> theme_text("crisis", "nb")
    'Å lede i kriser og ekstraordinære hendelser'
    """
    if key in ("intro", "kick-out"):
        return say(key, language)
    return str(getattr(catalogue()[key], language))


SUBTHEMES: dict[str, dict[str, str]] = {
    "golden-zone/presidium-meetings": {"sv": "presidiemöten", "nb": "presidiemøter"},
    "golden-zone/reaching-the-goal": {"sv": "att nå målet", "nb": "å nå målet"},
    "complex-inquiries/politics-versus-profession": {
        "sv": "politik kontra profession",
        "nb": "politikk kontra profesjon",
    },
    "complex-inquiries/great-public-interest": {
        "sv": "stort allmänintresse",
        "nb": "stor offentlig interesse",
    },
    "strategy/scanning-the-environment": {"sv": "omvärldsbevakning", "nb": "omverdensanalyse"},
    "strategy/cooperation": {"sv": "samverkan", "nb": "samarbeid"},
    "strategy/economics": {"sv": "ekonomi", "nb": "økonomi"},
    "strategic-leadership/management-teams": {"sv": "ledningsgrupper", "nb": "ledergrupper"},
    "strategic-leadership/leadership-principles-and-philosophies": {
        "sv": "ledarskapsprinciper och ledarfilosofier",
        "nb": "lederprinsipper og lederfilosofier",
    },
    "hard-leadership/staff-reductions": {"sv": "personalneddragningar", "nb": "nedbemanning"},
    "hard-leadership/conflict-handling": {"sv": "konflikthantering", "nb": "konflikthåndtering"},
    "hard-leadership/media-handling": {"sv": "mediehantering", "nb": "mediehåndtering"},
    "life-balance/information-overload": {
        "sv": "informationsöverflöd",
        "nb": "informasjonsoverflod",
    },
    "life-balance/time-on-the-right-things": {
        "sv": "tid till rätt saker",
        "nb": "tid til de riktige tingene",
    },
    "life-balance/owning-the-calendar": {
        "sv": "att äga sin kalender",
        "nb": "å eie sin egen kalender",
    },
    "regional-development/what-role-can-my-municipality-play-and-why": {
        "sv": "vilken roll kan min kommun spela, och varför",
        "nb": "hvilken rolle kan min kommune spille, og hvorfor",
    },
    "crisis/preparedness": {"sv": "beredskap", "nb": "beredskap"},
    "crisis/during": {"sv": "under krisen", "nb": "under krisen"},
    "crisis/towards-the-end-media-and-trust": {
        "sv": "mot slutet, media och förtroende",
        "nb": "mot slutten, media og tillit",
    },
    "crisis/after": {"sv": "efteråt", "nb": "etterpå"},
}
"""Swedish and Norwegian for the catalogue's sub-themes (stored in English), keyed ``theme/sub``."""


def subtheme_text(key: str, language: Language) -> str:
    """A sub-theme (``theme/sub-key``) in the language.

    Examples
    --------
    >>> subtheme_text("crisis/preparedness", "en"), subtheme_text("crisis/after", "sv")
    ('preparedness', 'efteråt')
    """
    theme, _, sub = key.partition("/")
    if language == "en":
        entry = catalogue()[theme]
        return entry.subthemes[entry.subtheme_keys.index(sub)]
    return SUBTHEMES[key][language]


@dataclass(frozen=True)
class Question:
    """One question of the evaluation form.

    ``kind`` is ``"rating"`` (a whole number on the scale) or ``"text"``;
    ``pair`` says the question is about the pair's meetings rather than the
    programme as a whole (the pair's outcome is the mean of those ratings).
    """

    number: int
    key: str
    kind: Literal["rating", "text"]
    pair: bool
    en: str
    sv: str
    nb: str

    def text(self, language: Language) -> str:
        """The question in the language, as the form's column header (``"3. Did ...?"``)."""
        return f"{self.number}. {getattr(self, language)}"


@cache
def _questionnaire() -> dict[str, object]:
    raw = resources.files("mentormatch").joinpath("data/questionnaire.json").read_text("utf-8")
    return cast(dict[str, object], json.loads(raw))


@cache
def questions() -> tuple[Question, ...]:
    """The evaluation questionnaire, in order.

    Examples
    --------
    >>> [q.key for q in questions() if q.kind == "rating"]
    ['purpose', 'information', 'mattered', 'structure', 'time']
    >>> questions()[0].text("sv")
    '1. Var syftet med programmet tydligt för dig?'
    """
    items = cast(list[dict[str, object]], _questionnaire()["questions"])
    return tuple(Question(number=i, **item) for i, item in enumerate(items, start=1))  # type: ignore[arg-type]


def scale_text(language: Language) -> str:
    """The rating scale explained, e.g. ``1 = not at all, 5 = fully``."""
    scale = cast(dict[str, str], _questionnaire()["scale"])
    return scale[language]
