"""Numbers and dates written the way each language writes them.

Small on purpose: the report needs decimal separators, a percent sign and a long date in
Spanish and English, and a readable fallback for any other language a bank declares. A
full locale library would be a large dependency for three functions.

Numbers are rounded exactly as the command line rounds them (``f"{value:.1f}"``), and only
then is the separator changed, so the report and ``loyalty-audit score`` never disagree.
"""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"
MISSING = "—"

# languages that write 61,5 rather than 61.5 (the report ships texts for es and en only,
# but a bank may declare others; their numbers should still look right)
_DECIMAL_COMMA = {"es", "ca", "gl", "eu", "fr", "de", "it", "pt", "nl", "da", "sv", "nb", "nn",
                  "fi", "pl", "cs", "sk", "ro", "ru", "uk", "tr", "el", "hu", "bg", "hr", "sl"}
# languages that put a space between a number and the percent sign
_SPACED_PERCENT = {"es", "ca", "gl", "fr", "de", "it", "pt", "da", "sv", "nb", "nn", "fi", "cs",
                   "sk", "ru", "uk", "bg", "pl"}

_MONTHS = {
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def base_language(lang: str) -> str:
    """``es-MX`` → ``es``."""
    return lang.replace("_", "-").split("-")[0].lower()


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """``61.5`` as ``"61,5"`` (es) or ``"61.5"`` (en); ``None`` as a dash."""
    if value is None:
        return MISSING
    text = f"{value:.{digits}f}"
    if base_language(lang) in _DECIMAL_COMMA:
        text = text.replace(".", ",")
    return text


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
    sign = f"{NBSP}%" if base_language(lang) in _SPACED_PERCENT else "%"
    return number(100 * fraction, lang, digits) + sign


def long_date(day: dt.date | None, lang: str) -> str:
    """``"22 de noviembre de 2026"`` (es), ``"22 November 2026"`` (en), ISO otherwise."""
    if day is None:
        return ""
    base = base_language(lang)
    if base == "es":
        return f"{day.day} de {_MONTHS['es'][day.month - 1]} de {day.year}"
    if base == "en":
        return f"{day.day} {_MONTHS['en'][day.month - 1]} {day.year}"
    return day.isoformat()


_CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "MXN": "$"}


def money(value: float | None, currency: str, lang: str) -> str:
    """A whole amount of money: ``"12.000 €"`` (es), ``"€12,000"`` (en), the code for other currencies."""
    if value is None:
        return MISSING
    sign = _CURRENCY_SIGNS.get(currency, currency)
    digits = f"{abs(value):,.0f}"
    minus = "−" if round(value) < 0 else ""
    if base_language(lang) in _DECIMAL_COMMA:
        digits = digits.replace(",", "." if base_language(lang) != "fr" else NBSP)
        return f"{minus}{digits}{NBSP}{sign}"
    if len(sign) > 1:
        return f"{minus}{sign}{NBSP}{digits}"
    return f"{minus}{sign}{digits}"
