"""Type-ahead search over the classifiers: how long one keystroke's search takes.

Prints the median and worst time per query over typical prefixes typed one
letter at a time, with the shipped classifiers and with a 5,000-entry national
list added (the real classifier is of that order).
"""

from __future__ import annotations

import statistics
import time

from symdesk.classifiers.reference import NATIONAL, CodeEntry, activities, ewc_entries, ewc_headings
from symdesk.classifiers.search import CodeIndex

QUERIES = ["древесные отходы", "зола летучая", "10 01 02", "16.10", "отработанные масла", "sawdust", "полиэтилен"]


def keystrokes(query: str) -> list[str]:
    return [query[:i] for i in range(1, len(query) + 1)]


def measure(index: CodeIndex) -> tuple[float, float, int]:
    times = []
    for query in QUERIES:
        for typed in keystrokes(query):
            start = time.perf_counter()
            index.search(typed, limit=20)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, max(times) * 1000, len(times)


def main() -> None:
    shipped = (*ewc_headings(), *ewc_entries(), *activities())
    start = time.perf_counter()
    index = CodeIndex(shipped)
    build_ms = (time.perf_counter() - start) * 1000
    median, worst, n = measure(index)
    print(f"code search, shipped ({len(index)} entries): build {build_ms:.1f} ms; "
          f"{n} keystrokes: median {median:.2f} ms, worst {worst:.2f} ms")
    national = [CodeEntry(NATIONAL, f"{i:07d}", f"Отход производства номер {i} древесный", "", hazard_class="4")
                for i in range(5000)]
    big = CodeIndex((*national, *shipped))
    median, worst, n = measure(big)
    print(f"code search, with 5,000 national codes ({len(big)} entries): "
          f"median {median:.2f} ms, worst {worst:.2f} ms per keystroke")


if __name__ == "__main__":
    main()
