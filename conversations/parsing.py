"""Reading what people type: amounts, dates, symbols, and whole trades on one line.

Every parser returns a value or raises InputError whose message says what was
wrong and how to write it, in words fit to send as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from babel import Locale
from babel.dates import get_date_format
from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal
from dateutil import parser as date_parser

from calc.limits import MONEY, SHARES
from calc.models import ZERO, AccountType, Asset, Source, canonical_symbol
from conversations.shelters import said_account
from conversations.understanding.yesno import yes_or_no

MAX_INPUT = 1000
EARLIEST = date(1970, 1, 1)
SYMBOL = re.compile(r"^[A-Z][A-Z0-9]{0,5}([./\-][A-Z]{1,2})?$")


class InputError(ValueError):
    """Bad input; the message tells the user what to send instead."""


Locale_ = Locale | str
US = "en_US"
# Digits and the separators people group and split them with; no signs, exponents or words.
NUMERAL = re.compile(r"^[\d.,'\u00a0\u202f ]*\d[\d.,'\u00a0\u202f ]*$")


def number(text: str, what: str, locale: Locale_ = US) -> Decimal:
    """A number as the user's locale writes it (1,250.50 in the US, 1.250,50 in Germany).

    Read strictly, so "120,50" from a US user is a question, not 12,050; a non-US user may also
    write it the US way ("120.50"). Raises InputError saying how to write it.
    """
    cleaned = text.strip().replace("$", "").replace("_", "")
    if cleaned.startswith("-") and NUMERAL.match(cleaned[1:]):
        raise InputError(f"The {what} can't be negative.")
    if not NUMERAL.match(cleaned):
        raise InputError(f"I couldn't read “{short(text)}” as a {what}. Send a number like {_example(locale)}.")
    try:
        return parse_decimal(_spaces_as_groups(cleaned, locale), locale=locale, strict=True)
    except NumberFormatError as error:
        if str(locale) != US:
            try:
                return parse_decimal(cleaned, locale=US, strict=True)
            except NumberFormatError:
                pass
        if error.suggestions:
            raise InputError(
                f"“{short(text)}” could be read two ways: did you mean {' or '.join(error.suggestions)}?"
            ) from None
        raise InputError(
            f"I couldn't read “{short(text)}” as a {what}. Send a number like {_example(locale)}."
        ) from None


def _spaces_as_groups(text: str, locale: Locale_) -> str:
    """French and others group with a narrow space; people type a plain one."""
    group = get_group_symbol(locale)
    return re.sub(r"[ \u00a0\u202f]", group, text) if group.isspace() else text


def _example(locale: Locale_) -> str:
    return f"20 or {format_decimal(Decimal('1250.50'), format='#,##0.00', locale=locale)}"


def money(text: str, what: str = "price", allow_zero: bool = True, locale: Locale_ = US) -> Decimal:
    return checked_money(number(text, what, locale), what, allow_zero, locale)


def checked_money(value: Decimal, what: str = "price", allow_zero: bool = True, locale: Locale_ = US) -> Decimal:
    """An amount however it was read (typed, or from words), within the bounds every path keeps."""
    if value < 0 or (value == 0 and not allow_zero):
        raise InputError(f"The {what} must be more than zero." if not allow_zero else f"The {what} can't be negative.")
    if value > MONEY.maximum:
        raise InputError(f"That {what} looks too large. Send a number like {_example(locale)}.")
    if MONEY.problem(value):  # too many decimal places: 0.10000000000000000000000000000001
        raise InputError(f"The {what} can have at most {MONEY.places} decimal places, like {_example(locale)}.")
    return value


def quantity(text: str, locale: Locale_ = US) -> Decimal:
    return checked_quantity(ZERO if text.strip().startswith("-") else number(text, "number of shares", locale))


def checked_quantity(value: Decimal) -> Decimal:
    if value <= 0:
        raise InputError("The number of shares must be more than zero, like 100 or 2.5.")
    if value > SHARES.maximum:
        raise InputError(f"That number of shares looks too large: I keep at most {SHARES.maximum:,f}.")
    if SHARES.problem(value):
        raise InputError(f"The number of shares can have at most {SHARES.places} decimal places, like 0.5 or 12.25.")
    return value


def symbol(text: str) -> str:
    cleaned = text.strip().upper().lstrip("$")
    if not SYMBOL.match(cleaned):
        raise InputError(f"“{short(text)}” doesn't look like a ticker symbol. Send one like AAPL, VTI or BRK.B.")
    return canonical_symbol(cleaned)


def asked_symbol(text: str) -> str:
    """The ticker typed at a "which stock?" question. A yes or no ("ok", "sure", "nope") answers no such
    question, so it is never taken as a ticker; a real ticker spelled like one is sent as "$YES"."""
    if yes_or_no(text) is None or text.strip().startswith("$"):
        return symbol(text)
    if text.strip().lower() == "cancel":
        raise InputError("To stop this question, send /cancel. Otherwise send the ticker symbol, like AAPL.")
    word = text.strip().upper()
    real = f" (If the ticker really is {word}, send it as ${word}.)" if SYMBOL.match(word) else ""
    raise InputError(
        f"I'm asking which stock: “{short(text)}” doesn't say. Send its ticker symbol, like AAPL, or /cancel.{real}"
    )


def trade_date(text: str, today: date, locale: Locale_ = US) -> date:
    """A trade date: ISO, the locale's own order (1/10/2024 in the US, 10.1.2024 or 10/1/2024 where the
    day comes first), words (Jan 10 2024), today or yesterday; not in the future."""
    cleaned = text.strip().lower().rstrip(".")
    if cleaned in ("today", "now"):
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    if cleaned == "tomorrow":
        raise InputError("Tomorrow is in the future. Send the date the trade happened.")
    if not cleaned or (not re.search(r"\d", cleaned) and not MONTH.search(cleaned)):
        raise InputError(DATE_HELP.format(text=short(text)))
    try:
        if ISO_DATE.match(cleaned):  # the usual shape, read without dateutil's general parser (17 to 1 us)
            parsed = date.fromisoformat(cleaned)
        else:
            default = date(today.year, 1, 1)
            parsed = date_parser.parse(
                cleaned, default=_as_datetime(default), dayfirst=_day_first(locale), yearfirst=False
            ).date()
    except (ValueError, OverflowError):
        raise InputError(DATE_HELP.format(text=short(text))) from None
    if not re.search(r"\d{4}", cleaned) and parsed > today:
        parsed = parsed.replace(year=parsed.year - 1)  # "March 1" in January means last March
    if parsed > today:
        raise InputError(f"{parsed.isoformat()} is in the future. Send the date the trade happened.")
    if parsed < EARLIEST:
        raise InputError(f"{parsed.isoformat()} is too long ago for me. Send a date after 1970.")
    return parsed


def _day_first(locale: Locale_) -> bool:
    pattern = get_date_format("short", locale=locale).pattern.lower()
    return pattern.find("d") < pattern.find("m")


def _as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


DATE_HELP = "I couldn't read “{text}” as a date. Send it like 2024-01-10, 1/10/2024, Jan 10 2024, or yesterday."
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?", re.I)
DATE_PATTERNS = [
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b"),  # 10.01.2026, day first, as German and others write it
    re.compile(MONTH.pattern + r"\s+\d{1,2}(st|nd|rd|th)?(,?\s+\d{4})?\b", re.I),
    re.compile(r"\b\d{1,2}(st|nd|rd|th)?\s+" + MONTH.pattern + r"(,?\s+\d{4})?", re.I),
    re.compile(r"\b(today|yesterday|tomorrow)\b", re.I),
]
NUMBER = re.compile(r"^\$?\d[\d.,']*$|^\$?[.,]\d+$")
FILLER = {"shares", "share", "sh", "of", "at", "@", "on", "for", "each", "per", "a", "i", "x", "stock", "stocks"}
BUY_WORDS = {"buy", "bought", "purchase", "purchased", "/buy"}
SELL_WORDS = {"sell", "sold", "/sell"}


@dataclass(frozen=True)
class TradeLine:
    side: str
    quantity: Decimal
    symbol: str
    price: Decimal
    date: date
    fees: Decimal
    account: str | None = None  # "IRA", "Roth IRA", "HSA", "401(k)"...: a tax-advantaged account
    account_type: AccountType = "taxable"
    asset: Asset | None = None  # "crypto" when the line says so (calc.assets decides the rest)
    source: Source = "purchase"  # "inherited" or "gift" when the line says so
    held_since: dt.date | None = None  # a gift: the donor's date (the line's date is then the gift's)
    gift_value: Decimal | None = None  # a gift: its value per share when given
    lot_dates: tuple[dt.date, ...] = ()  # a sale of named lots: the days they were bought, in the order to sell


# "in my IRA", "Roth IRA", "ira", "in my HSA", "in my 401k": trades in a tax-advantaged account
# (conversations/shelters.py: no gain or loss to report, and a purchase there can make a taxable loss
# a wash sale for good).
# "crypto", "(crypto)", "cryptocurrency", "coin": the asset is property, not a security.
CRYPTO = re.compile(r"\(?\b(?:crypto(?:currency)?|coins?|tokens?)\b\)?", re.I)
# "inherited": basis is the value at death; "gift value 15 on 2024-03-01": the donor's basis carries over.
INHERITED = re.compile(r"\b(?:inherited|inheritance|bequest|bequeathed)\b", re.I)
GIFT = re.compile(r"\b(?:a\s+)?gift(?:ed)?\b(?P<rest>.*)$", re.I)
# "lot 2026-11-20", "lots Nov 20 2026 and Dec 1 2026", "from the shares bought 2026-11-20": a sale
# of those lots (specific identification) instead of the oldest first.
# The days must follow at once ("sold a lot of AAA" names no lot).
LOTS = re.compile(
    r"\b(?:from\s+)?(?:the\s+)?(?:lots?(?:\s+(?:bought|from))?|shares\s+bought)\s+(?:on\s+)?"
    r"(?P<days>(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|today|yesterday).*)$",
    re.I,
)


def trade_line(text: str, today: date, side: str | None = None, locale: Locale_ = US) -> TradeLine | None:
    """Parse "buy 100 XYZ 20 2024-01-10", "bought 10 AAPL at $150 on March 1", "/sell 5 VTI @ 210.5 fees 1".

    Returns None when the text has no trade in it at all (so other readers can try);
    raises InputError when it is a trade with something wrong or missing.
    """
    if len(text) > MAX_INPUT:
        raise InputError(f"That message is too long ({len(text)} characters). Keep it under {MAX_INPUT}.")
    words = text.strip().split()
    if not words:
        return None
    head = words[0].lower().split("@")[0]
    if side is None:
        if head in BUY_WORDS:
            side = "buy"
        elif head in SELL_WORDS:
            side = "sell"
        else:
            return None
        rest = " ".join(words[1:])
    else:
        rest = " ".join(words[1:]) if head in BUY_WORDS | SELL_WORDS else text
    source: Source = "purchase"
    gift: tuple[Decimal, date] | None = None
    if found_gift := GIFT.search(rest):
        gift = _gift(found_gift["rest"], today, locale)
        source = "gift"
        rest = rest[: found_gift.start()]
    elif found_inherited := INHERITED.search(rest):
        source = "inherited"
        rest = rest[: found_inherited.start()] + " " + rest[found_inherited.end() :]
    if source != "purchase" and side != "buy":
        raise InputError("Inherited or gifted shares are a purchase line: /buy 100 XYZ 50 2024-03-01 inherited.")
    lot_dates: tuple[date, ...] = ()
    if (lots := LOTS.search(rest)) and side == "sell":
        lot_dates = _lot_dates(lots["days"], today, locale)
        rest = rest[: lots.start()]
    when = today
    for pattern in DATE_PATTERNS:
        found = pattern.search(rest)
        if found:
            when = trade_date(found.group(0), today, locale)
            rest = rest[: found.start()] + " " + rest[found.end() :]
            break
    else:
        if lot_dates:  # the days of the lots are not the day of the sale: that one must be said, not guessed
            raise InputError(f"On what day did you sell? {LOTS_HELP}")
    rest, account = said_account(rest)
    asset: Asset | None = None
    if crypto := CRYPTO.search(rest):
        asset = "crypto"
        rest = rest[: crypto.start()] + " " + rest[crypto.end() :]
    fees = Decimal(0)
    fee_match = re.search(r"\b(fees?|commission)\s*[:=]?\s*(\$?[\d.,]*\d)", rest, re.I)
    if fee_match:
        fees = money(fee_match.group(2), "fee", locale=locale)
        rest = rest[: fee_match.start()] + " " + rest[fee_match.end() :]
    numbers: list[str] = []
    symbols: list[str] = []
    for word in re.split(r"[\s]+", rest.replace("@", " @ ")):
        token = word.strip(",;:!?()")
        if not token or token.lower() in FILLER:
            continue
        if re.match(r"^-\$?\d", token):
            raise InputError("Shares and prices are always positive numbers; a sale is /sell, not a negative buy.")
        if NUMBER.match(token):
            numbers.append(token)
        elif re.match(r"^\$?[A-Za-z][A-Za-z0-9.\-]*$", token):
            symbols.append(token)
        else:
            raise InputError(f"I didn't understand “{short(token)}”. {TRADE_HELP.format(side=side)}")
    if len(symbols) != 1 or len(numbers) != 2:
        missing = []
        if not symbols:
            missing.append("the symbol")
        if len(numbers) < 2:
            missing.append("the number of shares and the price" if not numbers else "the price")
        problem = (
            f"I'm missing {' and '.join(missing)}." if missing else "I found more than one trade's worth of words."
        )
        raise InputError(f"{problem} {TRADE_HELP.format(side=side)}")
    held_since = None
    if gift is not None:
        if gift[1] < when:
            raise InputError(
                f"The gift date {gift[1].isoformat()} is before the donor's purchase on {when.isoformat()}. {GIFT_HELP}"
            )
        held_since, when = when, gift[1]
    return TradeLine(
        side=side,
        quantity=quantity(numbers[0], locale),
        symbol=symbol(symbols[0]),
        price=money(numbers[1], "price", allow_zero=False, locale=locale),
        date=when,
        source=source,
        held_since=held_since,
        gift_value=gift[0] if gift else None,
        fees=fees,
        account=account,
        account_type="ira" if account else "taxable",
        asset=asset,
        lot_dates=lot_dates,
    )


LOTS_HELP = (
    "Name the lots by the day they were bought, like /sell 50 XYZ 20 lot 2024-11-20 (or lots 2024-11-20, 2025-01-15)."
)


def _lot_dates(text: str, today: date, locale: Locale_) -> tuple[date, ...]:
    """The purchase days after "lot"/"lots", in the order given: "2026-11-20, 2026-12-01" or "Nov 20 and Dec 1"."""
    days: list[date] = []
    rest = text
    while rest.strip(" ,;&").lower().removeprefix("and ").strip():
        found = min(
            (m for pattern in DATE_PATTERNS if (m := pattern.search(rest))), key=lambda m: m.start(), default=None
        )
        if found is None or rest[: found.start()].strip(" ,;&").lower() not in ("", "and"):
            raise InputError(f"I couldn't read “{short(rest.strip())}” as the day a lot was bought. {LOTS_HELP}")
        days.append(trade_date(found.group(0), today, locale))
        rest = rest[found.end() :]
    if not days:
        raise InputError(f"Which lots? {LOTS_HELP}")
    return tuple(dict.fromkeys(days))


GIFT_HELP = (
    "For a gift write the donor's price and date, then the value per share and the date it was given, like "
    "/buy 100 XYZ 20 2019-05-01 gift value 15 on 2024-03-01."
)


def _gift(text: str, today: date, locale: Locale_) -> tuple[Decimal, date]:
    """ "value 15 on 2024-03-01" after the word gift: the value per share when given, and that date."""
    value = re.search(r"\b(?:value|valued|worth|fmv)\s*(?:of|at|was)?\s*(\$?[\d.,]*\d)", text, re.I)
    if value is None:
        raise InputError(f"I need the value per share on the day of the gift. {GIFT_HELP}")
    words = (text[: value.start()] + " " + text[value.end() :]).split()
    day = " ".join(w for w in words if w.lower().strip(",") not in ("on", "at", "given", "received", "per", "share"))
    if not day:
        raise InputError(f"I need the date of the gift. {GIFT_HELP}")
    return money(value.group(1), "value", allow_zero=False, locale=locale), trade_date(day, today, locale)


TRADE_HELP = "Write it like: /{side} 100 XYZ 20 2024-01-10 (shares, symbol, price per share, date)."


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
