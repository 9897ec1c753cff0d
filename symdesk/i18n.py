"""Translations: one gettext catalogue for the core, the CLI, reports and the GUI.

Message ids are English; the Russian catalogue is
``resources/locale/ru/LC_MESSAGES/symdesk.po``. It is compiled in memory with
Babel when first needed, so the repository holds no binary ``.mo`` files and
an edit to the ``.po`` shows at the next start. Russian is the default.
"""

from __future__ import annotations

import gettext
import io
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
    """A number the way the current language writes it: «1 234,5» in Russian."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    return format_decimal(value, format=pattern, locale=_language)
