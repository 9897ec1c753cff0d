"""Build the reference data in resources/ from ../shared/data.

Developers run this (``make resources``); the product only reads what it
writes. Inputs and their sources are listed in resources/SOURCES.md.

- EWC (European List of Waste): codes, hazard flags, English texts from the
  shared list; Russian names from tools/reference/ewc_ru.csv (translated for
  this project).
- Activities (NACE Rev. 2 = ОКЭД to four digits): English class names from
  nace_rev2.csv; Russian names of sections, divisions, groups and classes from
  okved2.csv (its NN.NN level only: deeper Russian codes are not Belarusian),
  plus tools/reference/nace_ru_extra.csv for classes OKVED2 splits differently.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "reference"


def read_csv(path: Path, **kwargs: object) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, **kwargs))  # type: ignore[arg-type]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {path} ({len(rows)} rows)")


def build_ewc(shared: Path, out: Path) -> None:
    source = read_csv(shared / "ewc.csv")
    russian = {(r["level"], r["code"]): r["name_ru"] for r in read_csv(REFERENCE / "ewc_ru.csv")}
    entries, headings = [], {}
    for row in source:
        code = row["code"].strip()
        assert len(code) == 6 and code.isdigit(), code
        entries.append(
            [
                code,
                "1" if row["hazardous"].strip().lower() == "yes" else "0",
                "mirror" if "mirror" in row["entry_type"].lower() else "absolute",
                row["description"].strip().rstrip("*^").strip(),
                russian.get(("entry", code), ""),
            ]
        )
        headings.setdefault(("chapter", code[:2]), row["chapter"].strip())
        headings.setdefault(("subchapter", code[:4]), row["subchapter"].strip())
    missing = [key for key in headings if key not in russian]
    if missing:
        sys.exit(f"Russian names missing for EWC headings: {missing}")
    write_csv(out / "ewc.csv", ["code", "hazardous", "entry_type", "name_en", "name_ru"], entries)
    write_csv(
        out / "ewc_headings.csv",
        ["level", "code", "name_en", "name_ru"],
        [[lvl, code, en, russian[(lvl, code)]] for (lvl, code), en in sorted(headings.items())],
    )


def build_activities(shared: Path, out: Path) -> None:
    nace = read_csv(shared / "nace_rev2.csv")
    with (shared / "okved2.csv").open(encoding="utf-8-sig", newline="") as f:
        okved = list(csv.reader(f, delimiter=";"))
    ru_sections = {sec.strip(): name.strip() for sec, code, name in okved if not code.strip()}
    ru_codes = {code.strip(): name.strip() for _sec, code, name in okved if code.strip()}
    ru_codes.update({r["code"]: r["name_ru"] for r in read_csv(REFERENCE / "nace_ru_extra.csv")})

    rows: list[list[object]] = []
    seen: set[str] = set()

    def add(code: str, level: str, parent: str, section: str, ru: str, en: str) -> None:
        if code not in seen:
            seen.add(code)
            rows.append([code, level, parent, section, ru, en])

    for r in nace:
        cls = r["code"].strip()  # "16.10"
        division, group = cls[:2], cls[:4]
        section = next(s for s, _c, _n in okved if _c.strip() == division)
        add(section, "section", "", section, ru_sections.get(section, ""), r["section_name"].strip())
        add(division, "division", section, section, ru_codes.get(division, ""), "")
        add(group.replace(".", ""), "group", division, section, ru_codes.get(group, ""), "")
        ru = ru_codes.get(cls)
        if not ru:
            sys.exit(f"no Russian name for NACE class {cls}")
        add(cls.replace(".", ""), "class", group.replace(".", ""), section, ru, r["name"].strip())
    write_csv(
        out / "activities.csv", ["code", "level", "parent", "section", "name_ru", "name_en"], rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=HERE.parent / "resources")
    args = parser.parse_args(argv)
    classifiers = args.out / "classifiers"
    build_ewc(args.shared, classifiers)
    build_activities(args.shared, classifiers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
