"""Numbers, money and dates in the user's locale (Babel), and the words for each rule."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import (
    NumberPattern,
    format_decimal,
    format_percent,
    get_currency_symbol,
    parse_pattern,
)

from calc.errors import CalcError, LotsDontAddUp, NotEnoughShares, UnknownLot, UnsupportedYear
from calc.limits import SHARES
from calc.models import Disposition, FilingStatus, Lot, Reason
from calc.params import YearParams, iso_law

DEFAULT_LOCALE = "en_US"
STATUS_NAMES: dict[FilingStatus, str] = {
    "single": "Single",
    "mfj": "Married filing jointly",
    "mfs": "Married filing separately",
    "hoh": "Head of household",
    "qss": "Qualifying surviving spouse",
}


@lru_cache(maxsize=256)
def locale_for(code: str | None) -> str:
    """A Babel locale from Telegram's language code ("en", "de", "pt-br"), en_US when unknown."""
    if not code:
        return DEFAULT_LOCALE
    try:
        parsed = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return DEFAULT_LOCALE
    if parsed.language == "en" and not parsed.territory:
        return DEFAULT_LOCALE
    return str(parsed)


@lru_cache(maxsize=64)
def _parsed(locale: str) -> Locale:
    return Locale.parse(locale)


@lru_cache(maxsize=64)
def _dollars(locale: str) -> tuple[NumberPattern, str]:
    """The locale's standard currency pattern and its dollar sign, looked up once.

    Babel's format_currency(amount, "USD") applies the pattern with the currency, and then
    looks up the currency's plural name on every call for a "¤¤¤" that no standard pattern
    has: that doubled the cost. Applied without it, the pattern keeps its "¤" for the sign.
    tests/test_formatting.py checks the result equals format_currency in every Babel locale.
    """
    parsed = _parsed(locale)
    return parsed.currency_formats["standard"], get_currency_symbol("USD", parsed)


_ENGLISH = Locale.parse("en")
# Parsed once: Babel parses a pattern given as a string on every call.
_SHARES = parse_pattern("#,##0." + "#" * SHARES.places)  # every place kept (calc/limits.py): 0.12345678 shows whole
_RATE = parse_pattern("#,##0.#%")


class Fmt:
    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        # A parsed Locale, not a string: Babel would parse the string again on every call.
        self.locale = _parsed(locale)
        self._dollars = _dollars(locale)

    def money(self, amount: Decimal) -> str:
        pattern, symbol = self._dollars
        return pattern.apply(amount, self.locale).replace("¤", symbol)

    def signed(self, amount: Decimal) -> str:
        return ("+" if amount > 0 else "") + self.money(amount)

    def number(self, amount: Decimal) -> str:
        return format_decimal(amount.normalize() if amount == amount.to_integral() else amount, locale=self.locale)

    def shares(self, amount: Decimal) -> str:
        return format_decimal(amount, format=_SHARES, locale=self.locale)

    def day(self, when: date) -> str:
        return format_date(when, format="medium", locale=self.locale)

    def rate(self, rate: Decimal) -> str:
        return format_percent(rate, format=_RATE, locale=self.locale)

    def counted(self, amount: Decimal | int, singular: str, plural: str | None = None) -> str:
        """ "1 share", "2 shares", "1.5 shares": the number in the user's locale, the English noun's
        plural chosen by CLDR's rule for English (Babel), as the words are English."""
        form = _ENGLISH.plural_form(amount)
        noun = singular if form == "one" else plural or singular + "s"
        return f"{self.shares(Decimal(amount))} {noun}"


def shares_of(fmt: Fmt, amount: Decimal) -> str:
    return fmt.counted(amount, "share")


def error_words(error: CalcError, fmt: Fmt) -> str:
    """An engine error in words, with the user's own formats: the engine gives the facts as data."""
    if isinstance(error, NotEnoughShares):
        if error.lot_id is not None:
            return (
                f"lot {error.lot_id} holds {fmt.shares(error.held)} {error.symbol}, "
                f"so you can't sell {fmt.shares(error.wanted)} from it"
            )
        where = f" in {error.account}" if error.account else ""
        when = f"on {fmt.day(error.sold_on)} " if error.sold_on else ""
        return f"{when}you held {fmt.shares(error.held)} {error.symbol}{where}, so you can't sell {fmt.shares(error.wanted)}"
    if isinstance(error, UnknownLot):
        return f"there is no open lot {error.lot_id} to sell from"
    if isinstance(error, LotsDontAddUp):
        return f"the lots named hold {fmt.counted(error.named, 'share')}, not the {fmt.shares(error.sold)} sold"
    if isinstance(error, UnsupportedYear):
        return f"tax year {error.year} isn't supported; I know {error.first} through {error.last}"
    return str(error)


def held_words(d: Disposition, fmt: Fmt, given: date | None = None) -> str:
    """How long a sold part was held, in words; `given`: the day gifted shares were received, when the
    part is of a gift (the donor's days are counted in, IRC 1223(2), and said)."""
    holding = next(r for r in d.reasons if r.rule.startswith("holding."))
    days, acquired = holding.facts.get("days"), holding.facts.get("acquired")
    if given is None or not isinstance(days, int) or not isinstance(acquired, date) or acquired >= given:
        return holding_words(holding, fmt, d.reasons)
    own = (d.sold - given).days
    term = "more than one year" if holding.rule == "holding.long" else "one year or less"
    return (
        f"held {fmt.counted(days, 'day')} ({fmt.counted(own, 'day')} since the gift, plus "
        f"{fmt.number(Decimal(days - own))} the donor held them), {term}"
    )


def holding_words(reason: Reason, fmt: Fmt, others: Iterable[Reason] = ()) -> str:
    """ "held 446 days, more than one year"; a wash-sale replacement says how much of that is tacked
    on from the shares whose loss moved into it (IRC 1223(3)): "held 446 days (172 days, plus 274 ...)"."""
    days = reason.facts.get("days")
    if reason.rule == "holding.inherited":
        return f"inherited {fmt.counted(_int(days), 'day')} before, long-term however long (IRC 1223(9))"
    term = "more than one year" if reason.rule == "holding.long" else "one year or less"
    tacked = max((int(str(r.facts["tacked_days"])) for r in others if r.rule == "wash.basis_added"), default=0)
    if tacked and isinstance(days, int) and days > tacked:
        return (
            f"held {fmt.counted(days, 'day')} ({fmt.counted(days - tacked, 'day')}, plus {fmt.number(Decimal(tacked))} from the shares whose loss moved here "
            f"in a wash sale), {term}"
        )
    return f"held {fmt.counted(_int(days), 'day')}, {term}"


def _int(fact: object) -> int:
    return int(str(fact))


def tacked_words(lot: Lot, today: date, fmt: Fmt) -> str:
    """An open lot whose holding period started before it was acquired, said as a sale says it:
    "held 446 days (172 days, plus 274 from the shares whose loss moved here in a wash sale)"
    (IRC 1223(3)), or a gift's days the donor held it (IRC 1223(2)); "" for any other lot."""
    own, days = (today - lot.purchased).days, (today - lot.acquired).days
    if days <= own or lot.source == "inherited":
        return ""
    tacked = (
        f"{fmt.number(Decimal(days - own))} the donor held them"
        if lot.source == "gift"
        else (f"{fmt.number(Decimal(days - own))} from the shares whose loss moved here in a wash sale")
    )
    return f"held {fmt.counted(days, 'day')} ({fmt.counted(own, 'day')}, plus {tacked})"


def gain_line(gain: Decimal, term: str, fmt: Fmt) -> str:
    kind = "gain" if gain >= 0 else "loss"
    return f"{fmt.money(abs(gain))} {term}-term {kind}"


def limit_words(law: YearParams, fmt: Fmt) -> str:
    """The yearly capital-loss limit as the law states it: "$3,000 a year ($1,500 married filing separately)"."""
    return (
        f"{fmt.money(law.capital_loss_limit('single'))} a year "
        f"({fmt.money(law.capital_loss_limit('mfs'))} {STATUS_NAMES['mfs'].lower()})"
    )


def iso_periods(too_soon: bool = False) -> str:
    """IRC 422(a)(1)'s two holding periods as law.json states them: "more than 2 years from the grant,
    more than 1 year from exercise", or (too_soon) "within 2 years of the grant or 1 year of exercise"."""
    law = iso_law()
    grant = f"{law.grant_years} year{'s' if law.grant_years != 1 else ''}"
    exercise = f"{law.exercise_years} year{'s' if law.exercise_years != 1 else ''}"
    if too_soon:
        return f"within {grant} of the grant or {exercise} of exercise"
    return f"more than {grant} from the grant, more than {exercise} from exercise"


def rates_words(law: YearParams, fmt: Fmt) -> str:
    """The long-term rates as the law states them: "0%, 15% and 20%"."""
    cg = law.capital_gains
    return f"{fmt.rate(cg.rate_low)}, {fmt.rate(cg.rate_mid)} and {fmt.rate(cg.rate_high)}"
