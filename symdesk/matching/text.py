"""Tokenising and stemming stream names so Russian and English names meet material classes.

Stream names come from questionnaires typed by hand («Опилки и стружка
древесные», «HDPE regrind»), so exact string comparison finds little. A tiny
suffix-stripping stemmer is enough here: material synonyms are stored as stems
and compared by prefix, which tolerates the remaining inflection.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD_RE = re.compile(r"[a-z0-9а-я]+(?:-[a-z0-9а-я]+)*")

# Longest first: the first ending that leaves a stem of at least three letters wins.
_RU_ENDINGS = tuple(
    sorted(
        [
            "иями",
            "ями",
            "ами",
            "ией",
            "ией",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ых",
            "их",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ый",
            "ий",
            "ой",
            "ей",
            "ую",
            "юю",
            "ам",
            "ям",
            "ах",
            "ях",
            "ом",
            "ем",
            "ов",
            "ев",
            "ия",
            "ие",
            "ью",
            "а",
            "я",
            "ы",
            "и",
            "о",
            "е",
            "у",
            "ю",
            "ь",
            "й",
        ],
        key=len,
        reverse=True,
    )
)


def normalise(text: str) -> str:
    """Lower-case, ё→е, and look-alike Latin letters inside Cyrillic words left alone."""
    return (text or "").lower().replace("ё", "е")


@lru_cache(maxsize=65536)  # a zone's names repeat their words: «отходы», «древесные», «лом»…
def stem(word: str) -> str:
    """Strip one common inflectional ending (Russian or English) from a lower-case word."""
    if any("а" <= ch <= "я" for ch in word):
        for ending in _RU_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)]
        return word
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Stemmed words of a text, in order; hyphenated words are kept whole and split."""
    out: list[str] = []
    for word in _WORD_RE.findall(normalise(text)):
        if "-" in word:
            out.append(stem(word))
            out.extend(stem(part) for part in word.split("-") if part)
        else:
            out.append(stem(word))
    return out


def stem_phrase(phrase: str) -> tuple[str, ...]:
    """A synonym as a tuple of stems (several words must match consecutive tokens)."""
    return tuple(stem(w) for w in normalise(phrase).split())


def _word_matches(token: str, pattern: str) -> bool:
    # Short stems (ПНД, PET, пар, CO2) must equal the word: as prefixes they
    # would hit «парк», «petroleum».
    return token == pattern if len(pattern) <= 3 else token.startswith(pattern)


def phrase_positions(words: list[str], phrase: tuple[str, ...]) -> set[int]:
    """Positions of ``words`` covered by occurrences of ``phrase`` (empty if none)."""
    covered: set[int] = set()
    n = len(phrase)
    for start in range(len(words) - n + 1):
        if all(_word_matches(words[start + i], phrase[i]) for i in range(n)):
            covered.update(range(start, start + n))
    return covered
