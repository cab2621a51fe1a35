"""Reading the broker's own cost basis: sold lots (realized gain/loss, Form 1099-B) and lots held.

The formats differ in column names only; each builds its rows with `sale()` or `lot()` here.
"""

from __future__ import annotations

import re
from datetime import date

from conversations.files.importers.common import (
    OPTION,
    BadRow,
    BrokerLot,
    BrokerSale,
    Problem,
    Result,
    Row,
    amount,
    day,
    looks_like_option,
    ticker,
)

# "100 sh. XYZ", "XYZ CORP (XYZ)", "VEA(921943858)": where the ticker is in a description or symbol cell.
_SHARES_OF = re.compile(r"^\s*[\d,.]+\s+(?:sh(?:ares?)?\.?\s+)?(?P<sym>[A-Za-z][A-Za-z0-9./-]{0,9})\b")
_IN_PARENS = re.compile(r"\((?P<sym>[A-Z][A-Z0-9./-]{0,9})\)\s*$")
_WITH_CUSIP = re.compile(r"^(?P<sym>[A-Za-z][A-Za-z0-9./-]{0,9})\s*\([0-9A-Z]{9}\)$")
TERMS = {"short": "short", "short term": "short", "short-term": "short", "st": "short", "long": "long",
         "long term": "long", "long-term": "long", "lt": "long"}  # fmt: skip
BOXES = {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E", "f": "F"}


def symbol_in(text: str) -> str:
    """The ticker in a symbol or description cell; raises BadRow when there is none."""
    cell = text.strip()
    for pattern in (_WITH_CUSIP, _SHARES_OF, _IN_PARENS):
        found = pattern.search(cell)
        if found:
            return ticker(found["sym"])
    return ticker(cell)


def _ticker_or_option(text: str) -> str | None:
    """The ticker; None for an option ("AAPL 09/19/2025 250.00 C", "CALL APPLE INC ..."); BadRow otherwise."""
    try:
        return symbol_in(text)
    except BadRow:
        if looks_like_option(text) or text.strip().upper().startswith(("CALL ", "PUT ")):
            return None
        raise


def _date_or_various(text: str) -> date | None:
    return None if text.strip().lower() in ("", "various", "var", "--") else day(text)


def sale(
    row: Row,
    symbol: str,
    quantity: str,
    acquired: str,
    sold: str,
    proceeds: str,
    basis: str,
    disallowed: str = "",
    term: str = "",
    box: str = "",
    account: str = "",
) -> Result:
    try:
        ticker_ = _ticker_or_option(symbol)
        if ticker_ is None:
            return OPTION
        reported = basis.strip() not in ("", "--", "N/A")
        shares = abs(amount(quantity, "quantity"))
        if shares == 0:
            raise BadRow("the quantity is missing or zero")
        return BrokerSale(
            line=row.line,
            symbol=ticker_,
            quantity=shares,
            acquired=_date_or_various(acquired),
            sold=day(sold),
            proceeds=abs(amount(proceeds, "proceeds")),
            basis=abs(amount(basis, "cost basis")) if reported else None,
            disallowed=abs(amount(disallowed, "wash sale loss disallowed")),
            term=TERMS.get(term.strip().lower(), ""),
            box=BOXES.get(box.strip().lower().removeprefix("box").strip(), ""),
            account=account,
        )
    except BadRow as error:
        return Problem(row.line, str(error))


def lot(row: Row, symbol: str, acquired: str, quantity: str, cost: str, account: str = "") -> Result:
    try:
        ticker_ = _ticker_or_option(symbol)
        if ticker_ is None:
            return OPTION
        shares = abs(amount(quantity, "quantity"))
        if shares == 0:
            raise BadRow("the quantity is missing or zero")
        total = abs(amount(cost, "cost basis"))
        if total == 0:
            raise BadRow("the cost basis is missing or zero (for shares you received free, give their value)")
        return BrokerLot(row.line, ticker_, day(acquired), shares, total, account)
    except BadRow as error:
        return Problem(row.line, str(error))
