"""Build resources/knowledge/exchanges.csv from ../shared/data/is_exchanges.csv.

Developers run this; the product reads only resources/. The source is the
MAESTRI exchanges database (Lopes et al.) of documented industrial-symbiosis
exchanges, compiled from the cited papers. Normalisation:

- NACE codes become ``;``-separated lists of 2-, 3- or 4-digit codes. The
  source packs several codes into one field (``20122030`` = 20.12 and 20.30,
  ``011012`` = groups 01.1 and 01.2, ``101102103`` = 10.1, 10.2, 10.3) and pads
  divisions and groups with zeros (``0001`` = division 01, ``0014`` = group
  01.4); the padded ones are resolved by the NACE name given beside them.
- EWC fields holding several six-digit codes are split the same way; the
  first code is kept in ``ewc_code`` and all of them in ``ewc_codes``.
- ``exchange_id`` is ``ex<case>.<n>`` with n counting the case's rows in
  source order, so ids stay stable as long as the source is only appended to.

Beside it, ``exchange_countries.csv`` names each country of the exchanges in
Russian (CLDR, through Babel), so the product shows a precedent's country in
the user's language without loading a locale while it matches.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Zero-padded codes in the source and what their NACE names say they are
# (0231 glass = group 23.1, 0171 pulp and paper = 17.1, 0244 non-ferrous metals = 24.4).
PADDED = {"0001": "01", "0014": "014", "0021": "21", "0027": "27", "0231": "231", "0171": "171", "0244": "244"}

HEADER = [
    "exchange_id",
    "case_id",
    "provider_nace",
    "provider_name",
    "provider_nace_name",
    "receiver_nace",
    "receiver_name",
    "receiver_nace_name",
    "material",
    "material_detail",
    "ewc_code",
    "ewc_codes",
    "ewc_description",
    "final_use",
    "status",
    "country",
    "year",
    "reference",
]


@cache
def known_activity_codes() -> frozenset[str]:
    """Sections' divisions, groups and classes as shipped in resources/classifiers/activities.csv."""
    with (HERE.parent / "resources" / "classifiers" / "activities.csv").open(encoding="utf-8") as f:
        return frozenset(row["code"] for row in csv.DictReader(f))


def split_nace(raw: str) -> list[str]:
    """The NACE codes packed into one source field (see the module docstring)."""
    code = "".join(ch for ch in raw if ch.isdigit())
    if code in PADDED:
        return [PADDED[code]]
    if len(code) == 4 and code.startswith("0") and code not in known_activity_codes() and code[1:] in known_activity_codes():
        return [code[1:]]  # a zero-padded group: 0171 = 17.1
    if len(code) == 4:
        return [code]
    if len(code) == 8:
        return [code[:4], code[4:]]
    if len(code) in (6, 9):
        return [code[i : i + 3] for i in range(0, len(code), 3)]
    raise ValueError(f"unexpected NACE code {raw!r}")


def split_ewc(raw: str) -> list[str]:
    code = "".join(ch for ch in raw if ch.isdigit())
    if len(code) % 6:
        raise ValueError(f"unexpected EWC code {raw!r}")
    return [code[i : i + 6] for i in range(0, len(code), 6)]


def build(source: Path, out: Path) -> int:
    with source.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    per_case: Counter[str] = Counter()
    result: list[list[str]] = []
    for row in rows:
        case = row["case"].strip()
        per_case[case] += 1
        ewc = split_ewc(row["ewc_code"])
        result.append(
            [
                f"ex{int(case):02d}.{per_case[case]:02d}",
                case,
                ";".join(split_nace(row["provider_nace"])),
                row["provider_orig"].strip(),
                row["provider_nace_name"].strip(),
                ";".join(split_nace(row["receiver_nace"])),
                row["receiver_orig"].strip(),
                row["receiver_nace_name"].strip(),
                row["material"].strip(),
                row["material_detail"].strip(),
                ewc[0] if ewc else "",
                ";".join(ewc),
                row["ewc_description"].strip().rstrip("*^").strip(),
                row["final_use"].strip(),
                row["status"].strip(),
                row["country"].strip(),
                row["year"].strip(),
                " ".join(row["reference"].split()),
            ]
        )
    out.mkdir(parents=True, exist_ok=True)
    with (out / "exchanges.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(result)
    print(f"wrote {out / 'exchanges.csv'} ({len(result)} exchanges, {len(per_case)} cases)")
    write_country_names(sorted({row[HEADER.index("country")] for row in result} - {""}), out)
    return len(result)


# Country names of the literature that CLDR spells otherwise.
COUNTRY_ALIASES = {"Turkey": "TR", "United States of America": "US"}


def country_names_ru(countries: list[str]) -> list[tuple[str, str]]:
    """Each country named in English in the literature, with its Russian CLDR name ("" if CLDR has none)."""
    from babel import Locale

    codes = {name: code for code, name in Locale("en").territories.items()} | COUNTRY_ALIASES
    russian = Locale("ru").territories
    return [(name, russian.get(codes.get(name, ""), "")) for name in countries]


def write_country_names(countries: list[str], out: Path) -> None:
    names = country_names_ru(countries)
    with (out / "exchange_countries.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["country", "country_ru"])
        writer.writerows(names)
    print(f"wrote {out / 'exchange_countries.csv'} ({len(names)} countries)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=HERE.parent.parent / "shared" / "data" / "is_exchanges.csv"
    )
    parser.add_argument("--out", type=Path, default=HERE.parent / "resources" / "knowledge")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        sys.exit(f"source not found: {args.source}")
    build(args.source, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
