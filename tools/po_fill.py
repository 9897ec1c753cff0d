"""Fill untranslated entries of the Russian catalogue from a small CSV (msgid,msgstr).

Developer helper for ``make translations``: the CSV holds new translations;
obsolete entries are dropped so the catalogue stays tidy.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "resources/locale/ru/LC_MESSAGES/symdesk.po"


def main(csv_path: str) -> int:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="ru")
    with open(csv_path, encoding="utf-8", newline="") as f:
        new = dict(csv.reader(f))
    filled = 0
    for message in catalog:
        if message.id in new and not message.string:
            message.string = new[message.id]
            filled += 1
    catalog.obsolete.clear()
    with PO.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False)
    print(f"filled {filled}; still empty: {[m.id for m in catalog if m.id and not m.string]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
