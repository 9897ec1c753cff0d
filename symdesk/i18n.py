"""Translations: one gettext catalogue for the core, the CLI, reports and the GUI.

Message ids are English; the Russian catalogue is
``resources/locale/ru/LC_MESSAGES/symdesk.po``. It is compiled in memory with
Babel when first needed, so the repository holds no binary ``.mo`` files and
an edit to the ``.po`` shows at the next start. Russian is the default.
"""

from __future__ import annotations

import gettext
import io
import math
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from symdesk.paths import resources_dir

DOMAIN = "symdesk"
DEFAULT_LANGUAGE = "ru"
SUPPORTED = ("ru", "en")

_current: gettext.NullTranslations | None = None  # loaded on first use
_language = DEFAULT_LANGUAGE


@cache
def load_catalogue(language: str) -> gettext.NullTranslations:
    po = resources_dir() / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` (``ru`` or ``en``)."""
    global _current, _language
    language = language if language in SUPPORTED else DEFAULT_LANGUAGE
    _current = load_catalogue(language)
    _language = language


def current_language() -> str:
    return _language


def _translations() -> gettext.NullTranslations:
    if _current is None:
        set_language(_language)
    assert _current is not None
    return _current


def _(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on where it stands (a narrow column header, say)."""
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    return message



def format_number(value: float | int, max_decimals: int = 2) -> str:
    """A number the way the current language writes it: «1 234,5» in Russian.

    Babel's ``format_decimal`` with the pattern ``#,##0.##…``, done directly:
    the same decimal rounding (half to even on the number's shortest decimal
    form) and the same symbols, at a twentieth of the cost — a table of a
    national register formats a few hundred thousand numbers. A test holds
    the two equal, except that what rounds to zero has no minus sign;
    anything unusual (NaN, infinities, huge values) goes to Babel itself.
    """
    group, point, step = _number_symbols(_language, max_decimals)
    try:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise ArithmeticError
        rounded = Decimal(str(value)).quantize(step, ROUND_HALF_EVEN)
    except (ArithmeticError, ValueError):
        return _babel_number(value, max_decimals)
    if not rounded:
        rounded = abs(rounded)  # −0.0004 t is «0 t», not Babel's «-0 t»
    whole, _dot, fraction = f"{rounded:,f}".partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.replace(",", group)
    return f"{whole}{point}{fraction}" if fraction else whole


@cache
def _number_symbols(language: str, max_decimals: int) -> tuple[str, str, Decimal]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_group_symbol(locale=language), get_decimal_symbol(locale=language), Decimal(1).scaleb(-max_decimals)


def _babel_number(value: float | int, max_decimals: int) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    return format_decimal(value, format=pattern, locale=_language)
