"""Money, shares and rates read exactly as Babel's own functions write them, in every locale Babel knows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.localedata import locale_identifiers
from babel.numbers import format_currency, format_decimal, format_percent

from conversations.formatting import Fmt

AMOUNTS = [Decimal(x) for x in ("0", "-0", "0.004", "-0.005", "12.345", "-1234.565", "3000", "1234567890.129")]


def test_money_is_babels_format_currency_in_every_locale() -> None:
    wrong = []
    for locale in locale_identifiers():
        fmt = Fmt(locale)
        for a in AMOUNTS:
            if (ours := fmt.money(a)) != (babels := format_currency(a, "USD", locale=fmt.locale)):
                wrong.append((locale, a, ours, babels))
    assert wrong == []


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "ja_JP", "ar_EG", "hi_IN"])
def test_shares_and_rates_are_babels(locale: str) -> None:
    fmt = Fmt(locale)
    for a in AMOUNTS:
        assert fmt.shares(a) == format_decimal(a, format="#,##0.######", locale=locale)
        assert fmt.rate(a) == format_percent(a, format="#,##0.#%", locale=locale)


def test_money_in_a_few_locales() -> None:
    amount = Decimal("-1234.5")
    assert Fmt("en_US").money(amount) == "-$1,234.50"
    assert Fmt("de_DE").money(amount) == "-1.234,50\xa0$"
    assert Fmt("ja_JP").money(amount) == "-$1,234.50"
