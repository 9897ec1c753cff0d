"""Type-ahead search over codes and names.

Queries match by code prefix (``10 01``, ``1001``, ``16.1``) or by words: every
word of the query must start a word of the Russian or English name, so
«древес отх» finds «древесные отходы». Case and ё/е are ignored. The index
keeps pre-normalised keys so a search is a scan over short strings: well
under a millisecond per thousand entries (see benchmarks/bench_code_search.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from symdesk.classifiers.reference import CodeEntry

_WORD = re.compile(r"[0-9a-zа-я]+")
_CODE_QUERY = re.compile(r"^[\d\s.*]+$")


def fold(text: str) -> str:
    """Lower case, ё→е: the form both names and queries are compared in."""
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class _Indexed:
    entry: CodeEntry
    code: str
    words: tuple[str, ...]
    text: str


class CodeIndex:
    def __init__(self, entries: Iterable[CodeEntry]):
        self._items = [
            _Indexed(e, e.code.lower(), tuple(words(f"{e.name_ru} {e.name_en}")), fold(f"{e.name_ru} {e.name_en}"))
            for e in entries
        ]

    def __len__(self) -> int:
        return len(self._items)

    def search(
        self, query: str, *, systems: Sequence[str] | None = None, limit: int = 20
    ) -> list[CodeEntry]:
        query = query.strip()
        if not query:
            return []
        hits: list[tuple[tuple[int, int, int, str], CodeEntry]] = []
        allowed = set(systems) if systems else None
        if _CODE_QUERY.match(query):
            digits = re.sub(r"[\s.*]", "", query)
            for item in self._items:
                if allowed and item.entry.system not in allowed:
                    continue
                if item.code.startswith(digits):
                    exact = 0 if item.code == digits else 1
                    hits.append(((exact, len(item.code), 0, item.code), item.entry))
        else:
            terms = words(query)
            if not terms:
                return []
            phrase = fold(query)
            for item in self._items:
                if allowed and item.entry.system not in allowed:
                    continue
                # cheap substring test first; the word-start test only for survivors
                if all(t in item.text for t in terms) and all(
                    any(w.startswith(t) for w in item.words) for t in terms
                ):
                    # whole phrase at the start of the name ranks first, then shorter names
                    starts = 0 if item.text.startswith(phrase) else 1
                    hits.append(((2, starts, len(item.text), item.code), item.entry))
                elif item.code.startswith(fold(query)):
                    hits.append(((3, 0, len(item.code), item.code), item.entry))
        hits.sort(key=lambda h: h[0])
        return [entry for _rank, entry in hits[:limit]]
