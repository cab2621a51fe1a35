"""Open lots with their cost basis, to start a portfolio: an open-positions export by lot.

  Symbol,Date Acquired,Quantity,Cost Basis[,Account]
(also "Open Date" or "Acquired" for the date, "Cost" or "Cost Basis Total" for the basis): each
row a lot held, bought on its date for its total cost, fees included. An Interactive Brokers Flex
query of Open Positions with lot detail reads the same way: Symbol, Quantity, OpenDateTime,
CostBasisMoney, and LevelOfDetail (only its LOT rows; the SUMMARY rows add them up).
"""

from __future__ import annotations

from conversations.files.importers.basis import lot
from conversations.files.importers.common import OPTION, Result, Row, Skip, not_dollars

NAME = "open lots"
TITLE = "a list of open lots"
DATE_COLUMNS = ("date acquired", "open date", "acquired", "opendatetime")
COST_COLUMNS = ("cost basis", "cost", "cost basis total", "costbasismoney")
SIGNATURE = {"symbol", "quantity", "account", "levelofdetail", *DATE_COLUMNS, *COST_COLUMNS}
REQUIRED = (("symbol",), DATE_COLUMNS, ("quantity",), COST_COLUMNS)


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return (
        {"symbol", "quantity"} <= names
        and bool(set(DATE_COLUMNS) & names)
        and bool(set(COST_COLUMNS) & names)
        and "date sold" not in names
    )


def read(row: Row) -> Result:
    when = row.get(*DATE_COLUMNS)
    if not when[:1].isdigit():
        return None  # totals and notes
    if row.get("levelofdetail").upper() not in ("", "LOT"):
        return None  # a Flex SUMMARY row repeats its lots
    category = row.get("assetclass")
    if category.upper() in ("OPT", "FOP"):
        return OPTION
    if category and category.upper() != "STK":
        return Skip(f"of {category} positions (only stocks are read)")
    foreign = not_dollars(row, row.get("currencyprimary"), "lot")
    if foreign:
        return foreign
    return lot(
        row,
        row.get("symbol"),
        when,
        row.get("quantity"),
        row.get(*COST_COLUMNS),
        row.get("account", "clientaccountid"),
    )
