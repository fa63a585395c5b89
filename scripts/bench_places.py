#!/usr/bin/env python3
"""Time ``places_in`` and ``place_side`` (aggregator.extract.places) per language.

Usage::

    .venv/bin/python scripts/bench_places.py [--words 3000]

For each of ru, uk, fr, de, es: the time to build the language's table (CLDR names and the
hand-listed words, lemmatised; it includes loading the lemmatiser), then words/s of
``places_in`` over a text of about ``--words`` words made of sentences written for this script,
each with a running number so that no two are alike, read twice: cold (every word lemmatised
for the first time) and warm (the lemmas cached, as for the words news repeats).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from aggregator.extract.places import _table, place_side, places_in

SENTENCES = {
    "ru": [
        "Министр иностранных дел России заявил в четверг, что переговоры с Украиной продолжатся",
        "Посол США в Москве встретился с представителями МИД РФ и обсудил обмен пленными",
        "Генеральный секретарь ООН призвал стороны соблюдать перемирие в зоне конфликта",
        "По словам пресс-секретаря Кремля, встреча в Стамбуле прошла конструктивно",
    ],
    "uk": [
        "Речник МЗС України заявив, що Київ готовий до нового раунду переговорів",
        "Посол Франції в Україні відвідав Харків разом із представниками ЄС",
        "Генеральний секретар НАТО наголосив на підтримці української армії",
        "За словами міністра, Сполучені Штати передадуть нові системи протиповітряної оборони",
    ],
    "fr": [
        "Le chef de la diplomatie américaine a déclaré mardi que les discussions avanceraient",
        "L'ambassadeur de Russie en France a été convoqué au Quai d'Orsay après l'incident",
        "Le secrétaire général de l'ONU a appelé à un cessez-le-feu immédiat dans la région",
        "Selon le porte-parole du gouvernement ukrainien, les frappes ont visé des centrales",
    ],
    "de": [
        "Der französische Außenminister sagte am Mittwoch, Europa müsse mehr Verantwortung tragen",
        "Russlands Botschafter in Deutschland wurde ins Auswärtige Amt einbestellt",
        "Der UN-Generalsekretär rief beide Seiten zu Verhandlungen unter Vermittlung der EU auf",
        "Laut dem Sprecher des Kremls ist ein Treffen mit dem ukrainischen Präsidenten möglich",
    ],
    "es": [
        "El secretario general de la ONU afirmó que la ayuda humanitaria debe llegar sin demora",
        "El ministro de Asuntos Exteriores ruso se reunió con su homólogo chino en Pekín",
        "La portavoz de la Casa Blanca dijo que Estados Unidos apoyará a Ucrania",
        "Según el presidente francés, la Unión Europea aprobará nuevas sanciones",
    ],
}


def _text(language: str, words: int) -> str:
    sentences: list[str] = []
    count = 0
    n = 0
    while count < words:
        sentence = f"{SENTENCES[language][n % len(SENTENCES[language])]} ({n})."
        sentences.append(sentence)
        count += len(sentence.split())
        n += 1
    return " ".join(sentences)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=3000)
    args = parser.parse_args(argv)
    for language in sorted(SENTENCES):
        start = time.perf_counter()
        _table(language)
        built = time.perf_counter() - start
        text = _text(language, args.words)
        words = len(text.split())
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            found = places_in(text, language)
            timings.append(time.perf_counter() - start)
        side = place_side(SENTENCES[language][0], language)
        print(
            f"{language}: table {built:.2f} s; places_in on {words} words: "
            f"cold {words / timings[0]:,.0f} words/s, warm {words / timings[1]:,.0f} words/s; "
            f"sides {sorted(found)}; first sentence's side {side}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
