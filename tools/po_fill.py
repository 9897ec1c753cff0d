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


def main(*csv_paths: str) -> int:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="ru")
    new: dict[str, str] = {}
    for csv_path in csv_paths:  # later files win on the same msgid
        with open(csv_path, encoding="utf-8", newline="") as f:
            new.update((row[0], row[1]) for row in csv.reader(f) if len(row) >= 2 and row[0] != "msgid")
    filled = 0
    for message in catalog:
        if isinstance(message.id, tuple):  # plural: "one || few || many" under the singular msgid
            if message.id[0] in new and not any(message.string):
                message.string = tuple(form.strip() for form in new[message.id[0]].split("||"))
                filled += 1
        elif message.id in new and not message.string:
            message.string = new[message.id]
            filled += 1
    catalog.obsolete.clear()
    with PO.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False)
    empty = [m.id for m in catalog if m.id and not (any(m.string) if isinstance(m.id, tuple) else m.string)]
    print(f"filled {filled}; still empty: {empty}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
