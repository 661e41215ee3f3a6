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
    # following the year
    "behind rule": {
        "en": "A pair is behind when it has had no meeting for more than {weeks} weeks "
        "(counted from the kick-off, {kickoff}, until its first meeting), or when, from the "
        "middle of the programme ({middle}) on, it has held fewer than {share}% of the "
        "meetings planned up to the day. A pair that has held all its planned meetings is "
        "never behind.",
        "sv": "Ett par ligger efter när det inte har haft något möte på mer än {weeks} veckor "
        "(räknat från uppstarten, {kickoff}, fram till parets första möte), eller när det "
        "från programmets mitt ({middle}) har hållit färre än {share} % av de möten som "
        "planerats fram till dagen. Ett par som har hållit alla sina planerade möten ligger "
        "aldrig efter.",
        "nb": "Et par ligger etter når det ikke har hatt noe møte på mer enn {weeks} uker "
        "(regnet fra oppstarten, {kickoff}, fram til parets første møte), eller når det fra "
        "midten av programmet ({middle}) har holdt færre enn {share} % av møtene som er "
        "planlagt fram til dagen. Et par som har holdt alle sine planlagte møter, ligger "
        "aldri etter.",
    },
    "progress done": {
        "en": "all {planned} meetings held",
        "sv": "alla {planned} möten hållna",
        "nb": "alle {planned} møtene er holdt",
    },
    "progress not started": {
        "en": "the pairs meet from the kick-off, {kickoff}",
        "sv": "paren möts från uppstarten, {kickoff}",
        "nb": "parene møtes fra oppstarten, {kickoff}",
    },
    "progress quiet": {
        "en": "no meeting in {weeks} weeks (the last on {last})",
        "sv": "inget möte på {weeks} veckor (det senaste {last})",
        "nb": "ingen møter på {weeks} uker (det siste {last})",
    },
    "progress quiet none": {
        "en": "no meeting yet, {weeks} weeks after the kick-off ({kickoff})",
        "sv": "inget möte än, {weeks} veckor efter uppstarten ({kickoff})",
        "nb": "ingen møter ennå, {weeks} uker etter oppstarten ({kickoff})",
    },
    "progress pace": {
        "en": "{held} of the {due} meetings planned so far held (under {share}%)",
        "sv": "{held} av de {due} möten som planerats hittills hållna (under {share} %)",
        "nb": "{held} av de {due} møtene som er planlagt hittil, er holdt (under {share} %)",
    },
    "progress on track": {
        "en": "on track: {held} of the {due} meetings planned so far held",
        "sv": "i fas: {held} av de {due} möten som planerats hittills hållna",
        "nb": "i rute: {held} av de {due} møtene som er planlagt hittil, er holdt",
    },
    # the steering group's quarterly summary
    "steering title": {
        "en": "Summary for the steering group: quarter {quarter} of the programme",
        "sv": "Sammanfattning för styrgruppen: programmets kvartal {quarter}",
        "nb": "Sammendrag for styringsgruppen: programmets kvartal {quarter}",
    },
    "steering as of": {
        "en": "As of {today}: quarter {quarter} runs from {first} to {last}; the programme "
        "from {start} to {end}.",
        "sv": "Per {today}: kvartal {quarter} löper från {first} till {last}; programmet "
        "från {start} till {end}.",
        "nb": "Per {today}: kvartal {quarter} går fra {first} til {last}; programmet fra "
        "{start} til {end}.",
    },
    "steering summary": {
        "en": "{held} of the {planned} meetings in the plan have been held ({due} were planned "
        "up to today); {behind} of the {pairs} pairs are behind.",
        "sv": "{held} av planens {planned} möten har hållits ({due} var planerade fram till "
        "i dag); {behind} av de {pairs} paren ligger efter.",
        "nb": "{held} av planens {planned} møter er holdt ({due} var planlagt fram til i dag); "
        "{behind} av de {pairs} parene ligger etter.",
    },
    "ids only": {
        "en": "Pairs are named by their ids, mentor and mentee.",
        "sv": "Paren anges med sina id, mentor och adept.",
        "nb": "Parene er angitt med sine id-er, mentor og mentee.",
    },
    "behind pairs": {
        "en": "Pairs behind",
        "sv": "Par som ligger efter",
        "nb": "Par som ligger etter",
    },
    "nobody behind": {
        "en": "No pair is behind.",
        "sv": "Inget par ligger efter.",
        "nb": "Ingen par ligger etter.",
    },
    "all pairs": {"en": "All pairs", "sv": "Alla par", "nb": "Alle par"},
    "meetings over time": {
        "en": "Meetings held and planned",
        "sv": "Hållna och planerade möten",
        "nb": "Holdte og planlagte møter",
    },
    "cumulative": {
        "en": "meetings (cumulative)",
        "sv": "möten (kumulativt)",
        "nb": "møter (kumulativt)",
    },
    "today": {"en": "today", "sv": "i dag", "nb": "i dag"},
    "date": {"en": "date", "sv": "datum", "nb": "dato"},
    "held": {"en": "held", "sv": "hållna", "nb": "holdt"},
    "due": {"en": "planned so far", "sv": "planerade hittills", "nb": "planlagt hittil"},
    "planned": {"en": "planned", "sv": "planerade", "nb": "planlagt"},
    "weeks since last": {
        "en": "weeks since the last",
        "sv": "veckor sedan senaste",
        "nb": "uker siden siste",
    },
    "next planned": {"en": "next planned", "sv": "nästa planerade", "nb": "neste planlagte"},
    "themes covered": {
        "en": "Themes covered so far",
        "sv": "Teman som behandlats hittills",
        "nb": "Temaer som er dekket hittil",
    },
    "themes covered text": {
        "en": "Number of pairs that have held a meeting on each theme (from the log).",
        "sv": "Antal par som har hållit ett möte om varje tema (enligt loggen).",
        "nb": "Antall par som har holdt et møte om hvert tema (fra loggen).",
    },
    "no themes yet": {
        "en": "No meeting with a theme has been logged yet.",
        "sv": "Inget möte med ett tema har loggats än.",
        "nb": "Ingen møter med et tema er ført opp ennå.",
    },
    "events": {
        "en": "Gatherings and steering-group meetings",
        "sv": "Träffar och styrgruppsmöten",
        "nb": "Samlinger og styringsgruppemøter",
    },
    "event": {"en": "event", "sv": "aktivitet", "nb": "aktivitet"},
    "status": {"en": "status", "sv": "status", "nb": "status"},
    "event held": {"en": "held", "sv": "genomförd", "nb": "gjennomført"},
    "event upcoming": {"en": "upcoming", "sv": "kommande", "nb": "kommende"},
    # the budget
    "budget": {"en": "Budget", "sv": "Budget", "nb": "Budsjett"},
    "no budget": {
        "en": "No budget in this summary (pass budget=plan.budget(...)).",
        "sv": "Ingen budget i denna sammanfattning (ange budget=plan.budget(...)).",
        "nb": "Ikke noe budsjett i dette sammendraget (oppgi budget=plan.budget(...)).",
    },
    "budget pair meetings": {
        "en": "Pairs' in-person meetings",
        "sv": "Parens fysiska möten",
        "nb": "Parenes fysiske møter",
    },
    "budget gatherings": {"en": "Gatherings", "sv": "Träffar", "nb": "Samlinger"},
    "budget secretariat, development": {
        "en": "Secretariat: development",
        "sv": "Kansliet: utveckling",
        "nb": "Sekretariatet: utvikling",
    },
    "budget secretariat, programme year": {
        "en": "Secretariat: the programme year",
        "sv": "Kansliet: programåret",
        "nb": "Sekretariatet: programåret",
    },
    "budget external support, development": {
        "en": "External support: development",
        "sv": "Externt stöd: utveckling",
        "nb": "Ekstern bistand: utvikling",
    },
    "budget external support, programme year": {
        "en": "External support: the programme year",
        "sv": "Externt stöd: programåret",
        "nb": "Ekstern bistand: programåret",
    },
    "budget total": {"en": "Total", "sv": "Totalt", "nb": "Totalt"},
    "item": {"en": "item", "sv": "post", "nb": "post"},
    "hours": {"en": "hours", "sv": "timmar", "nb": "timer"},
    "nights": {"en": "nights away", "sv": "övernattningar", "nb": "overnattinger"},
    "days": {"en": "days of work", "sv": "arbetsdagar", "nb": "dagsverk"},
    "cost": {"en": "cost ({currency})", "sv": "kostnad ({currency})", "nb": "kostnad ({currency})"},
    "traveller mentee": {
        "en": "the mentee travels to the pair's in-person meetings",
        "sv": "adepten reser till parets fysiska möten",
        "nb": "menteen reiser til parets fysiske møter",
    },
    "traveller mentor": {
        "en": "the mentor travels to the pair's in-person meetings",
        "sv": "mentorn reser till parets fysiska möten",
        "nb": "mentoren reiser til parets fysiske møter",
    },
    "traveller both": {
        "en": "the two meet halfway for the pair's in-person meetings",
        "sv": "de två möts halvvägs till parets fysiska möten",
        "nb": "de to møtes halvveis til parets fysiske møter",
    },
    "budget assumptions": {
        "en": "Travel: {traveller}, and everyone travels to the gatherings at {place} "
        "(mentors to all, mentees to the joint ones). Kilometres are great-circle distances "
        "times {detour}, there and back; hours at {speed} km/h door to door; a trip longer "
        "than {night_km} km one way needs a night away. Rates: {cost_per_km} {currency} per "
        "km, {hourly_cost} {currency} per hour of travel and of the secretariat's work, "
        "{support_hourly_cost} {currency} per hour of external support, {night_cost} "
        "{currency} per night away; a day of work is {day_hours} hours.",
        "sv": "Resor: {traveller}, och alla reser till träffarna i {place} (mentorerna till "
        "alla, adepterna till de gemensamma). Kilometer är storcirkelavstånd gånger "
        "{detour}, tur och retur; timmar med {speed} km/h från dörr till dörr; en resa "
        "längre än {night_km} km enkel väg kräver en övernattning. Satser: {cost_per_km} "
        "{currency} per km, {hourly_cost} {currency} per timme resa och kansliarbete, "
        "{support_hourly_cost} {currency} per timme externt stöd, {night_cost} {currency} "
        "per övernattning; en arbetsdag är {day_hours} timmar.",
        "nb": "Reiser: {traveller}, og alle reiser til samlingene i {place} (mentorene til "
        "alle, menteene til de felles). Kilometer er storsirkelavstander ganger {detour}, tur "
        "og retur; timer med {speed} km/t fra dør til dør; en reise lengre enn {night_km} km "
        "én vei krever en overnatting. Satser: {cost_per_km} {currency} per km, "
        "{hourly_cost} {currency} per time reise og sekretariatsarbeid, "
        "{support_hourly_cost} {currency} per time ekstern bistand, {night_cost} {currency} "
        "per overnatting; et dagsverk er {day_hours} timer.",
    },
    "nights not costed": {
        "en": "Nights away are counted but not costed (night_cost is 0).",
        "sv": "Övernattningar räknas men kostnadsberäknas inte (night_cost är 0).",
        "nb": "Overnattinger telles, men kostnadsberegnes ikke (night_cost er 0).",
    },
    # sign-up sheet
    "signup sheet": {"en": "Sign-up", "sv": "Anmälan", "nb": "Påmelding"},
    "instructions sheet": {"en": "Instructions", "sv": "Instruktioner", "nb": "Veiledning"},
    "signup title": {
        "en": "Sign-up for the mentoring programme",
        "sv": "Anmälan till mentorsprogrammet",
        "nb": "Påmelding til mentorprogrammet",
    },
    "signup intro": {
        "en": "Fill in one row per person in the sheet '{sheet}', from row 2 down. Where a "
        "cell has a list, pick from it. The secretariat reads the sheet with mentormatch, "
        "which names every cell it cannot read by its row and column.",
        "sv": "Fyll i en rad per person i bladet '{sheet}', från rad 2 och nedåt. Där en cell "
        "har en lista väljer du ur den. Kansliet läser bladet med mentormatch, som anger "
        "rad och kolumn för varje cell det inte kan läsa.",
        "nb": "Fyll ut én rad per person i arket '{sheet}', fra rad 2 og nedover. Der en celle "
        "har en liste, velger du fra den. Sekretariatet leser arket med mentormatch, som "
        "oppgir rad og kolonne for hver celle det ikke kan lese.",
    },
    "signup steps": {
        "en": "Write your ID, role, organisation and county: these four are required.\n"
        "Pick themes from the lists, one per column: mentors the themes they can offer, "
        "mentees the themes they seek.\n"
        "Write numbers as plain numbers: years as chief executive (decimals allowed) and "
        "inhabitants (a whole number).\n"
        "Leave the first row (the headings) as it is; it is locked. The word in brackets "
        "is the column's name in the secretariat's messages.\n"
        "Save the file as it is (.xlsx) and return it to the secretariat.",
        "sv": "Skriv ditt ID, din roll, organisation och ditt län: de fyra är obligatoriska.\n"
        "Välj teman ur listorna, ett per kolumn: mentorer de teman de kan erbjuda, adepter "
        "de teman de söker.\n"
        "Skriv tal som vanliga tal: år som kommundirektör (decimaler går bra) och invånare "
        "(ett heltal).\n"
        "Låt den första raden (rubrikerna) vara som den är; den är låst. Ordet inom "
        "parentes är kolumnens namn i kansliets meddelanden.\n"
        "Spara filen som den är (.xlsx) och skicka tillbaka den till kansliet.",
        "nb": "Skriv ID, rolle, organisasjon og fylke: disse fire er obligatoriske.\n"
        "Velg temaer fra listene, ett per kolonne: mentorer temaene de kan tilby, menteer "
        "temaene de ønsker.\n"
        "Skriv tall som vanlige tall: år som kommunedirektør (desimaler går fint) og "
        "innbyggere (et heltall).\n"
        "La den første raden (overskriftene) være som den er; den er låst. Ordet i "
        "parentes er kolonnens navn i sekretariatets meldinger.\n"
        "Lagre filen som den er (.xlsx) og send den tilbake til sekretariatet.",
    },
    "signup columns": {"en": "The columns", "sv": "Kolumnerna", "nb": "Kolonnene"},
    "column": {"en": "Column", "sv": "Kolumn", "nb": "Kolonne"},
    "required": {"en": "Required", "sv": "Obligatorisk", "nb": "Obligatorisk"},
    "what to write": {"en": "What to write", "sv": "Vad du skriver", "nb": "Hva du skriver"},
    "yes": {"en": "yes", "sv": "ja", "nb": "ja"},
    "no": {"en": "no", "sv": "nej", "nb": "nei"},
    "signup themes": {
        "en": "The themes",
        "sv": "Temana",
        "nb": "Temaene",
    },
    "subthemes": {
        "en": "To talk about",
        "sv": "Att samtala om",
        "nb": "Å snakke om",
    },
    "signup privacy": {
        "en": "What you write is used by the secretariat to form the pairs and plan the "
        "programme year. mentormatch sends nothing anywhere, and its messages name people "
        "only by their ID.",
        "sv": "Det du skriver används av kansliet för att bilda paren och planera "
        "programåret. mentormatch skickar ingenting någonstans, och dess meddelanden "
        "nämner personer bara med deras ID.",
        "nb": "Det du skriver, brukes av sekretariatet til å sette sammen parene og planlegge "
        "programåret. mentormatch sender ingenting noe sted, og meldingene nevner personer "
        "bare med ID.",
    },
    "pick from list": {
        "en": "Pick a value from the list.",
        "sv": "Välj ett värde ur listan.",
        "nb": "Velg en verdi fra listen.",
    },
    "not valid": {"en": "Not valid", "sv": "Ogiltigt", "nb": "Ugyldig"},
    "date between": {
        "en": "Write a date from {low} to {high}, e.g. {low}.",
        "sv": "Skriv ett datum från {low} till {high}, t.ex. {low}.",
        "nb": "Skriv en dato fra {low} til {high}, f.eks. {low}.",
    },
    "decimal between": {
        "en": "Write a number from {low} to {high}.",
        "sv": "Skriv ett tal från {low} till {high}.",
        "nb": "Skriv et tall fra {low} til {high}.",
    },
    "whole between": {
        "en": "Write a whole number from {low} to {high}.",
        "sv": "Skriv ett heltal från {low} till {high}.",
        "nb": "Skriv et heltall fra {low} til {high}.",
    },
    "id rule": {
        "en": "The ID must be filled in and differ from every other ID in the sheet.",
        "sv": "ID måste fyllas i och skilja sig från alla andra ID i bladet.",
        "nb": "ID må fylles ut og være ulik alle andre ID-er i arket.",
    },
}


FORM_COLUMNS: dict[str, dict[str, _T]] = {
    "id": {
        "label": {"en": "ID", "sv": "ID", "nb": "ID"},
        "help": {
            "en": "A short code that is yours alone in this sheet, e.g. the one the secretariat "
            "gave you. Results and messages name you by it, so not your name.",
            "sv": "En kort kod som bara är din i bladet, t.ex. den kansliet gav dig. Resultat "
            "och meddelanden nämner dig med den, så inte ditt namn.",
            "nb": "En kort kode som bare er din i arket, f.eks. den sekretariatet ga deg. "
            "Resultater og meldinger nevner deg med den, så ikke navnet ditt.",
        },
    },
    "role": {
        "label": {"en": "Role", "sv": "Roll", "nb": "Rolle"},
        "help": {
            "en": "Mentor or mentee: pick from the list.",
            "sv": "Mentor eller adept: välj ur listan.",
            "nb": "Mentor eller mentee: velg fra listen.",
        },
    },
    "name": {
        "label": {"en": "Name", "sv": "Namn", "nb": "Navn"},
        "help": {
            "en": "Your full name.",
            "sv": "Ditt fullständiga namn.",
            "nb": "Ditt fulle navn.",
        },
    },
    "organisation": {
        "label": {"en": "Organisation", "sv": "Organisation", "nb": "Organisasjon"},
        "help": {
            "en": "The municipality or county you lead, e.g. Bodø kommune or Region Jämtland "
            "Härjedalen.",
            "sv": "Kommunen eller regionen du leder, t.ex. Kiruna kommun eller Region Jämtland "
            "Härjedalen.",
            "nb": "Kommunen eller fylkeskommunen du leder, f.eks. Bodø kommune eller Troms "
            "fylkeskommune.",
        },
    },
    "region": {
        "label": {"en": "County", "sv": "Län", "nb": "Fylke"},
        "help": {
            "en": "The county (fylke or län) your organisation is in: pick from the list.",
            "sv": "Länet (eller fylket) din organisation ligger i: välj ur listan.",
            "nb": "Fylket (eller länet) organisasjonen din ligger i: velg fra listen.",
        },
    },
    "country": {
        "label": {"en": "Country", "sv": "Land", "nb": "Land"},
        "help": {
            "en": "NO for Norway, SE for Sweden: pick from the list.",
            "sv": "SE för Sverige, NO för Norge: välj ur listan.",
            "nb": "NO for Norge, SE for Sverige: velg fra listen.",
        },
    },
    "level": {
        "label": {"en": "Level", "sv": "Nivå", "nb": "Nivå"},
        "help": {
            "en": "Whether you lead a municipality or a county: pick from the list.",
            "sv": "Om du leder en kommun eller en region: välj ur listan.",
            "nb": "Om du leder en kommune eller en fylkeskommune: velg fra listen.",
        },
    },
    "years_in_role": {
        "label": {
            "en": "Years as chief executive",
            "sv": "År som kommundirektör",
            "nb": "År som kommunedirektør",
        },
        "help": {
            "en": "How many years you have been a chief executive in all, from 0 to 60; "
            "decimals allowed.",
            "sv": "Hur många år du har varit kommundirektör eller regiondirektör sammanlagt, "
            "från 0 till 60; decimaler går bra.",
            "nb": "Hvor mange år du har vært kommunedirektør eller fylkesdirektør til sammen, "
            "fra 0 til 60; desimaler går fint.",
        },
    },
    "population": {
        "label": {"en": "Inhabitants", "sv": "Invånare", "nb": "Innbyggere"},
        "help": {
            "en": "Inhabitants of your municipality or county, a whole number.",
            "sv": "Antal invånare i din kommun eller region, ett heltal.",
            "nb": "Antall innbyggere i kommunen eller fylket ditt, et heltall.",
        },
    },
    "themes": {
        "label": {"en": "Theme {number}", "sv": "Tema {number}", "nb": "Tema {number}"},
        "help": {
            "en": "One theme per column, from the list: mentors pick the themes they offer, "
            "mentees the themes they seek. Leave the rest blank.",
            "sv": "Ett tema per kolumn, ur listan: mentorer väljer de teman de erbjuder, "
            "adepter de teman de söker. Lämna resten tomma.",
            "nb": "Ett tema per kolonne, fra listen: mentorer velger temaene de tilbyr, "
            "menteer temaene de ønsker. La resten stå tomme.",
        },
    },
    "themes mentor": {
        "label": {
            "en": "Theme offered {number}",
            "sv": "Erbjudet tema {number}",
            "nb": "Tilbudt tema {number}",
        },
        "help": {
            "en": "One theme per column, from the list: the themes you can offer a mentee. "
            "Leave the rest blank.",
            "sv": "Ett tema per kolumn, ur listan: de teman du kan erbjuda en adept. "
            "Lämna resten tomma.",
            "nb": "Ett tema per kolonne, fra listen: temaene du kan tilby en mentee. "
            "La resten stå tomme.",
        },
    },
    "themes mentee": {
        "label": {
            "en": "Theme sought {number}",
            "sv": "Önskat tema {number}",
            "nb": "Ønsket tema {number}",
        },
        "help": {
            "en": "One theme per column, from the list: the themes you most want to talk "
            "about with a mentor, the most important first. Leave the rest blank.",
            "sv": "Ett tema per kolumn, ur listan: de teman du helst vill samtala om med en "
            "mentor, det viktigaste först. Lämna resten tomma.",
            "nb": "Ett tema per kolonne, fra listen: temaene du helst vil snakke om med en "
            "mentor, det viktigste først. La resten stå tomme.",
        },
    },
    "languages": {
        "label": {"en": "Language {number}", "sv": "Språk {number}", "nb": "Språk {number}"},
        "help": {
            "en": "Languages you can hold the meetings in, one per column: nb Norwegian "
            "(bokmål), nn nynorsk, sv Swedish, da Danish, fi Finnish, se Northern Sami, "
            "en English.",
            "sv": "Språk du kan hålla mötena på, ett per kolumn: sv svenska, nb norska "
            "(bokmål), nn nynorska, da danska, fi finska, se nordsamiska, en engelska.",
            "nb": "Språk du kan holde møtene på, ett per kolonne: nb bokmål, nn nynorsk, "
            "sv svensk, da dansk, fi finsk, se nordsamisk, en engelsk.",
        },
    },
    "capacity": {
        "label": {
            "en": "Mentees you can take",
            "sv": "Adepter du kan ta",
            "nb": "Menteer du kan ta",
        },
        "help": {
            "en": "Mentors: how many mentees you can take this year, 1 to 5 (blank means 1).",
            "sv": "Mentorer: hur många adepter du kan ta i år, 1 till 5 (tomt betyder 1).",
            "nb": "Mentorer: hvor mange menteer du kan ta i år, 1 til 5 (tomt betyr 1).",
        },
    },
    "avoid": {
        "label": {"en": "Not paired with", "sv": "Inte i par med", "nb": "Ikke i par med"},
        "help": {
            "en": "Organisations (or IDs of people) you must not be paired with, separated "
            "by ; (semicolon). Leave blank if none.",
            "sv": "Organisationer (eller personers ID) du inte får bilda par med, åtskilda "
            "med ; (semikolon). Lämna tomt om inga.",
            "nb": "Organisasjoner (eller personers ID) du ikke må settes i par med, skilt "
            "med ; (semikolon). La stå tomt hvis ingen.",
        },
    },
    "log mentor_id": {
        "label": {"en": "Mentor", "sv": "Mentor", "nb": "Mentor"},
        "help": {
            "en": "The pair's mentor (ID). May be left blank: the mentee names the pair.",
            "sv": "Parets mentor (ID). Kan lämnas tomt: adepten anger paret.",
            "nb": "Parets mentor (ID). Kan stå tomt: menteen angir paret.",
        },
    },
    "log mentee_id": {
        "label": {"en": "Mentee", "sv": "Adept", "nb": "Mentee"},
        "help": {
            "en": "The pair's mentee (ID): required.",
            "sv": "Parets adept (ID): obligatoriskt.",
            "nb": "Parets mentee (ID): obligatorisk.",
        },
    },
    "log date": {
        "label": {"en": "Date held", "sv": "Datum", "nb": "Dato"},
        "help": {
            "en": "The day the meeting was held, e.g. 2027-03-10: required. Write a meeting "
            "down once it has been held.",
            "sv": "Dagen då mötet hölls, t.ex. 2027-03-10: obligatoriskt. Skriv in ett möte "
            "när det har hållits.",
            "nb": "Dagen møtet ble holdt, f.eks. 2027-03-10: obligatorisk. Før opp et møte "
            "når det er holdt.",
        },
    },
    "log mode": {
        "label": {"en": "Mode", "sv": "Form", "nb": "Form"},
        "help": {
            "en": "In person or remote: pick from the list.",
            "sv": "Fysiskt eller digitalt: välj ur listan.",
            "nb": "Fysisk eller digitalt: velg fra listen.",
        },
    },
    "log theme": {
        "label": {"en": "Theme", "sv": "Tema", "nb": "Tema"},
        "help": {
            "en": "The meeting's deep-dive theme: pick from the list.",
            "sv": "Mötets fördjupningstema: välj ur listan.",
            "nb": "Møtets fordypningstema: velg fra listen.",
        },
    },
}
"""The columns of the sheets people fill in (the sign-up sheet, by schema column; the
plan's meeting log, as ``log <column>``): each heading's label and the help shown in its cells
(Excel shows at most 255 characters of help, and 32 of a title)."""


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
