"""Numbers and dates written the way each language writes them, from the Unicode CLDR (Babel).

Separators, the percent sign and its spacing, currency signs and month names are the
locale's. A language Babel does not know is written as English numbers are.

Numbers are rounded exactly as the command line rounds them (``f"{value:.1f}"``: half to
even on the binary value), and only then does Babel place the separators, so the report and
``loyalty-audit score`` never disagree on a digit. (Babel alone would round the shortest
decimal text of the float instead: 0.05 would become 0.0 where the command line prints 0.1,
and 2.675 would become 2.68 where it prints 2.67.)
"""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import NumberPattern, get_currency_symbol

NBSP = "\u00a0"
MISSING = "—"
MINUS = "−"  # a loss of money is written with the minus sign, as accountants set it

# The long date of the languages the report speaks, as CLDR date patterns; the month names
# are Babel's. Other languages get the ISO date (their report falls back to English words).
LONG_DATE = {"es": "d 'de' MMMM 'de' y", "en": "d MMMM y"}


def base_language(lang: str) -> str:
    """``es-MX`` → ``es``."""
    return lang.replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=64)
def locale_of(lang: str) -> Locale:
    """The Babel locale of a language tag (``es``, ``es-MX``), else of its base language, else English."""
    for tag in (lang.replace("-", "_"), base_language(lang)):
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return Locale.parse("en")


@lru_cache(maxsize=256)
def _pattern(lang: str, kind: str, digits: int) -> NumberPattern:
    """The locale's decimal, percent or currency pattern with exactly ``digits`` decimals."""
    locale = locale_of(lang)
    base: NumberPattern
    if kind == "percent":
        base = locale.percent_formats[None]
    elif kind == "currency":
        base = locale.currency_formats["standard"]
    else:
        base = locale.decimal_formats[None]
    pattern = copy.copy(base)
    pattern.frac_prec = (digits, digits)
    return pattern


def _rounded(value: float, digits: int) -> Decimal:
    """``value`` rounded as the command line rounds it, as an exact decimal."""
    return Decimal(f"{value:.{digits}f}")


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """``61.5`` as ``"61,5"`` (es) or ``"61.5"`` (en); ``None`` as a dash."""
    if value is None:
        return MISSING
    return str(_pattern(lang, "decimal", digits).apply(_rounded(value, digits), locale_of(lang)))


def figure(value: float | None, lang: str) -> str:
    """A number as given, without forced decimals: a target of 75 is "75", 72.5 is "72,5" (es)."""
    if value is None:
        return MISSING
    text = f"{value:.6g}"
    if "e" in text:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return number(float(text), lang, decimals)


def percent(fraction: float | None, lang: str, digits: int = 1) -> str:
    """A fraction in 0..1 as a percentage: ``"70,1 %"`` (es), ``"70.1%"`` (en)."""
    if fraction is None:
        return MISSING
    points = _rounded(100 * fraction, digits)
    return str(_pattern(lang, "percent", digits).apply(points.scaleb(-2), locale_of(lang)))


def long_date(day: dt.date | None, lang: str, pattern: str | None = None) -> str:
    """``"22 de noviembre de 2026"`` (es), ``"22 November 2026"`` (en), ISO otherwise.

    ``pattern`` (a CLDR date pattern such as ``"d 'de' MMMM 'de' y"``) replaces the language's own.
    """
    if day is None:
        return ""
    pattern = pattern or LONG_DATE.get(base_language(lang))
    if pattern is None:
        return day.isoformat()
    return str(format_date(day, pattern, locale=locale_of(lang)))


def money(value: float | None, currency: str, lang: str) -> str:
    """A whole amount of money: ``"12.000 €"`` (es), ``"€12,000"`` (en), ``"CHF 12,000"`` (en).

    The currency's sign is the locale's (``US$`` in Spain, ``$`` in the United States); a
    sign made of letters is kept apart from the digits by a no-break space, as CLDR's
    currency spacing asks.
    """
    if value is None:
        return MISSING
    amount = _rounded(abs(value), 0)
    locale = locale_of(lang)
    text = str(_pattern(lang, "currency", 0).apply(amount, locale, currency=currency, currency_digits=False))
    text = _spaced(text, str(get_currency_symbol(currency, locale)))
    return f"{MINUS}{text}" if value < 0 and amount else text


def _spaced(text: str, sign: str) -> str:
    """A no-break space between a currency sign that ends (or starts) in a letter and a digit
    beside it (CLDR's default currency spacing, which Babel does not apply)."""
    at = text.find(sign)
    if at < 0 or not sign:
        return text
    end = at + len(sign)
    if end < len(text) and text[end].isdigit() and _letter(sign[-1]):
        text = text[:end] + NBSP + text[end:]
    if at > 0 and text[at - 1].isdigit() and _letter(sign[0]):
        text = text[:at] + NBSP + text[at:]
    return text


def _letter(char: str) -> bool:
    """Not a symbol and not a space: CLDR's ``[[:^S:]&[:^Z:]]``."""
    return unicodedata.category(char)[0] not in "SZ"
