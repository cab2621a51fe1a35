"""Errors the engine raises for input it can't use, as data: each carries the dates, symbols and
numbers involved, so a front end words it in the user's language and formats. The message
(`str(error)`) is for logs and for callers without a front end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


class CalcError(ValueError):
    """Base of every engine error."""


class UnsupportedYear(CalcError):
    """No tax law for `year`; the engine knows `first` through `last`."""

    def __init__(self, year: int, first: int, last: int) -> None:
        super().__init__(f"tax year {year} isn't supported; I know {first} through {last}")
        self.year, self.first, self.last = year, first, last


class NotEnoughShares(CalcError):
    """A sale of `wanted` shares when `held` were there: on `sold_on` in the holding (symbol,
    account), or in the one lot `lot_id` a specific-identification sale named."""

    def __init__(
        self,
        *,
        symbol: str,
        held: Decimal,
        wanted: Decimal,
        sold_on: date | None = None,
        account: str | None = None,
        lot_id: str | None = None,
    ) -> None:
        if lot_id is not None:
            message = f"lot {lot_id} holds {held:f} {symbol}; can't sell {wanted:f} from it"
        else:
            where = f" in {account}" if account else ""
            day = sold_on.isoformat() if sold_on else "that day"
            message = f"on {day} you held {held:f} {symbol}{where}, so you can't sell {wanted:f}"
        super().__init__(message)
        self.sold_on, self.symbol, self.held, self.wanted = sold_on, symbol, held, wanted
        self.account, self.lot_id = account, lot_id


class UnknownLot(CalcError):
    """A specific-identification sale named lot `lot_id`, which isn't open then."""

    def __init__(self, lot_id: str) -> None:
        super().__init__(f"there is no open lot {lot_id!r} to sell from")
        self.lot_id = lot_id


class LotsDontAddUp(CalcError):
    """The lots a sale named hold `named` shares in all, but `sold` were sold."""

    def __init__(self, named: Decimal, sold: Decimal) -> None:
        super().__init__(f"the lots named add up to {named:f} shares, not the {sold:f} sold")
        self.named, self.sold = named, sold
