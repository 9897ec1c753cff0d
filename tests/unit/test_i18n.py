"""The Russian catalogue covers every message, and numbers are written the Russian way."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from symdesk import i18n
from symdesk.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "symdesk"), method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_russian_translation() -> None:
    with (resources_dir() / "locale" / "ru" / "LC_MESSAGES" / "symdesk.po").open("rb") as f:
        catalog = read_po(f, locale="ru")
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source_messages() - translated)
    assert missing == [], f"{len(missing)} messages lack a Russian translation (make translations): {missing[:10]}"


def test_placeholders_survive_translation() -> None:
    with (resources_dir() / "locale" / "ru" / "LC_MESSAGES" / "symdesk.po").open("rb") as f:
        catalog = read_po(f, locale="ru")
    import string

    def fields(text: str) -> set[str]:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}

    broken = [m.id for m in catalog if m.id and isinstance(m.string, str) and m.string and fields(m.id) != fields(m.string)]
    assert broken == []


@pytest.fixture
def restore_language() -> object:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


def test_switching_language(restore_language: object) -> None:
    i18n.set_language("ru")
    assert i18n._("Residents") == "Резиденты"
    i18n.set_language("en")
    assert i18n._("Residents") == "Residents"


def test_numbers_are_written_per_language(restore_language: object) -> None:
    i18n.set_language("ru")
    assert i18n.format_number(1234.5) == "1\xa0234,5"
    i18n.set_language("en")
    assert i18n.format_number(1234.5) == "1,234.5"


def test_numbers_are_written_as_babel_writes_them(restore_language: object) -> None:
    """``format_number`` formats directly for speed; it must write exactly what Babel's
    ``format_decimal`` writes — rounding half to even on the shortest decimal form, signs,
    groups — and hand the unusual to Babel. One difference on purpose: a value that rounds to
    zero is written without Babel's minus sign («0», not «-0»)."""
    import random

    rng = random.Random(11)
    values: list[float | int] = [0, 0.0, -0.0, 0.5, 1.5, 2.5, 0.125, 2.675, 999.995, -0.004, 0.015, 1e-7, 10**12,
                                 1e15 + 0.3, 1e21, float("nan"), float("inf"), -float("inf")]
    for _ in range(1500):
        values += [rng.uniform(-1, 1) * 10 ** rng.randint(-6, 12), rng.randint(-10**9, 10**9),
                   round(rng.uniform(0, 1000), rng.randint(0, 4))]
    for language in ("ru", "en"):
        i18n.set_language(language)
        for decimals in (0, 1, 2, 6):
            for value in values:
                babel = i18n._babel_number(value, decimals)
                if babel.startswith("-") and not babel.strip("-0,.\xa0"):
                    babel = babel[1:]  # «-0» → «0»
                assert i18n.format_number(value, decimals) == babel, (language, value)
        assert i18n.format_number(-0.0004, 1) == i18n.format_number(-0.0, 0) == "0"
        assert i18n.format_number(-0.06, 1).startswith("-")
