"""Shared reading helpers for the broker formats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from calc.models import Trade


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str


class Row:
    def __init__(self, header: list[str], cells: list[str], line: int) -> None:
        self.cells = {
            name.strip().lower(): (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        self.line = line

    def get(self, *names: str) -> str:
        for name in names:
            value = self.cells.get(name.lower())
            if value:
                return value
        return ""


class BadRow(ValueError):
    pass


def amount(text: str, what: str) -> Decimal:
    cleaned = text.replace("$", "").replace(",", "").replace("(", "-").replace(")", "").strip()
    if cleaned in ("", "--"):
        return Decimal(0)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise BadRow(f"{what} “{text}” isn't a number") from None


def day(text: str) -> date:
    first = text.split(" as of ")[0].split(",")[0].strip().split(" ")[0]
    for pattern in ("%m/%d/%Y", "%Y-%m-%d", "%Y%m%d", "%m/%d/%y", "%Y/%m/%d"):
        try:
            return datetime.strptime(first, pattern).date()
        except ValueError:
            continue
    raise BadRow(f"date “{text}” isn't a date I can read")


def trade(row: Row, when: str, side: str, symbol: str, quantity: str, price: str, fees: str = "") -> Trade | Problem:
    try:
        shares = abs(amount(quantity, "quantity"))
        per_share = abs(amount(price, "price"))
        if not symbol:
            raise BadRow("the symbol is missing")
        if shares == 0:
            raise BadRow("the quantity is zero")
        return Trade(
            date=day(when),
            symbol=symbol,
            side=side,
            quantity=shares,
            price=per_share,
            fees=abs(amount(fees, "fees")),
        )
    except BadRow as error:
        return Problem(row.line, str(error))
    except ValueError as error:
        return Problem(row.line, str(error).splitlines()[0])
