"""Errors the engine raises for input it can't use; each message is fit to show a user."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


class CalcError(ValueError):
    """Base of every engine error: the message says what was wrong in plain words."""


class UnsupportedYear(CalcError):
    pass


class NotEnoughShares(CalcError):
    """A sale of more shares than were held; `sold_on`, `symbol`, `held` and `wanted` let a
    front end say it in the user's own date and number format."""

    def __init__(
        self,
        message: str,
        *,
        sold_on: date | None = None,
        symbol: str = "",
        held: Decimal | None = None,
        wanted: Decimal | None = None,
        account: str | None = None,
    ) -> None:
        super().__init__(message)
        self.sold_on, self.symbol, self.held, self.wanted, self.account = sold_on, symbol, held, wanted, account


class UnknownLot(CalcError):
    pass
