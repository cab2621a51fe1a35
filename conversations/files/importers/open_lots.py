"""Open lots with their cost basis, to start a portfolio: an open-positions export by lot.

  Symbol,Date Acquired,Quantity,Cost Basis[,Account]
(also "Open Date" or "Acquired" for the date, "Cost" or "Cost Basis Total" for the basis): each
row a lot held, bought on its date for its total cost, fees included.
"""

from __future__ import annotations

from conversations.files.importers.basis import lot
from conversations.files.importers.common import Result, Row

NAME = "open lots"
TITLE = "a list of open lots"
DATE_COLUMNS = ("date acquired", "open date", "acquired")
SIGNATURE = {"symbol", "date acquired", "open date", "acquired", "quantity", "cost basis", "cost", "account"}
REQUIRED = (("symbol",), ("date acquired", "open date", "acquired"), ("quantity",), ("cost basis", "cost"))


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return (
        {"symbol", "quantity"} <= names
        and bool({"date acquired", "open date", "acquired"} & names)
        and bool({"cost basis", "cost", "cost basis total"} & names)
        and "date sold" not in names
    )


def read(row: Row) -> Result:
    when = row.get(*DATE_COLUMNS)
    if not when[:1].isdigit():
        return None  # totals and notes
    return lot(
        row,
        row.get("symbol"),
        when,
        row.get("quantity"),
        row.get("cost basis", "cost", "cost basis total"),
        row.get("account"),
    )
