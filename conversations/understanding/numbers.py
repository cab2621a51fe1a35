"""Numbers as people type them: the locale's separators, words ("ten", "a dozen"), "$1.5k"."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
}
NUMERAL = re.compile(r"^\d[\d.,']*$|^[.,]\d+$")
THOUSANDS_SUFFIX = re.compile(r"^(\d[\d.,]*)k$", re.I)


def ambiguous(text: str, locale: str) -> bool:
    """True for "1,500" or "85,000" where the locale's decimal mark is a comma: the user may have
    meant a thousands separator, as the US writes it. Such a number is asked about, never stored
    as read."""
    decimal = get_decimal_symbol(locale)
    if decimal != ",":
        return False
    return bool(re.fullmatch(r"\d{1,3},\d{3}", text.strip())) and get_group_symbol(locale) not in text


def read(token: str, locale: str) -> Decimal | None:
    """A number in the user's locale, or None when the token isn't one (or reads two ways in the US,
    where "120,50" is a question the strict parser in conversations.parsing asks)."""
    cleaned = token.strip().lstrip("$").rstrip("$")
    if cleaned.lower() in WORDS:
        return Decimal(WORDS[cleaned.lower()])
    if not NUMERAL.match(cleaned):
        return None
    if (cleaned[0] in ".," and get_decimal_symbol(locale) == cleaned[0]) or cleaned[0] == ".":
        cleaned = "0" + cleaned
    for attempt in (locale, "en_US"):
        try:
            return parse_decimal(cleaned, locale=attempt, strict=True)
        except NumberFormatError:
            continue
    return None


def dollars(token: str, locale: str) -> Decimal | None:
    """ "$1,500", "1500", "$1.5k", "2k"."""
    cleaned = token.strip().lstrip("$")
    thousands = THOUSANDS_SUFFIX.match(cleaned)
    if thousands:
        value = read(thousands.group(1), locale)
        return None if value is None else value * 1000
    return read(cleaned, locale)
