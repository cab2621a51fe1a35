"""Engine errors are data: the chat words each one in the user's formats, never the engine's English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import calc.errors
from calc import CalcError, LotsDontAddUp, NotEnoughShares, UnknownLot, UnsupportedYear, book
from calc.params import params_for
from conversations.formatting import Fmt, error_words
from tests.ledger import ledger

GERMAN = Fmt("de_DE")


def test_a_sale_of_more_than_was_held_carries_the_facts() -> None:
    with pytest.raises(NotEnoughShares) as caught:
        book(ledger("2024-01-10 buy 1000 XYZ 20\n2024-05-10 sell 1500.5 XYZ 15"))
    error = caught.value
    assert (error.sold_on, error.symbol, error.held, error.wanted) == (
        date(2024, 5, 10),
        "XYZ",
        1000,
        Decimal("1500.5"),
    )
    assert error_words(error, GERMAN) == "on 10.05.2024 you held 1.000 XYZ, so you can't sell 1.500,5"


def test_a_named_lot_too_small_unknown_or_not_adding_up() -> None:
    with pytest.raises(NotEnoughShares) as small:
        book(ledger("2024-01-10 buy 1000 XYZ 20 id=a\n2024-05-10 sell 1500 XYZ 15 lots=a:1500"))
    assert small.value.lot_id == "a"
    assert error_words(small.value, GERMAN) == "lot a holds 1.000 XYZ, so you can't sell 1.500 from it"
    with pytest.raises(UnknownLot) as unknown:
        book(ledger("2024-01-10 buy 10 XYZ 20 id=a\n2024-05-10 sell 5 XYZ 15 lots=zz:5"))
    assert unknown.value.lot_id == "zz"
    with pytest.raises(LotsDontAddUp) as short:
        book(ledger("2024-01-10 buy 2000 XYZ 20 id=a\n2024-05-10 sell 1500 XYZ 15 lots=a:1200"))
    assert (short.value.named, short.value.sold) == (1200, 1500)
    assert error_words(short.value, GERMAN) == "the lots named hold 1.200 shares, not the 1.500 sold"


def test_an_unsupported_year_says_which_years_are() -> None:
    with pytest.raises(UnsupportedYear) as caught:
        params_for(1999)
    assert caught.value.year == 1999 and caught.value.first <= 2018 and caught.value.last >= 2026
    assert error_words(caught.value, GERMAN).startswith("tax year 1999 isn't supported; I know ")


def test_every_engine_error_has_its_own_words() -> None:
    # A new CalcError subclass must be worded in error_words, not fall back to its English message.
    subclasses = {c for c in vars(calc.errors).values() if isinstance(c, type) and issubclass(c, CalcError)}
    assert subclasses - {CalcError} == {LotsDontAddUp, NotEnoughShares, UnknownLot, UnsupportedYear}
