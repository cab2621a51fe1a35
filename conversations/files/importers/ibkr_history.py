"""Interactive Brokers Transaction History (Performance & Reports > Transaction History, CSV).

A sectioned file like the activity statement: Statement and Summary sections first, then
  Transaction History,Header,Date,Account,Description,Transaction Type,Symbol,Quantity,Price,
  Price Currency,Gross Amount ,Commission,Net Amount
(the space at the end of "Gross Amount " is IBKR's). Buy, Sell, Dividend, Payment in Lieu,
Credit Interest, Deposit ... rows; sold quantities negative; "-" for an empty cell; newest first.
The Net Amount is the trade's cash, commission included: the price is derived from it.
"""

from __future__ import annotations

from conversations.files.importers.common import (
    Result,
    Row,
    action_kind,
    corporate_action,
    not_dollars,
    other_activity,
    trade,
)

NAME = "Interactive Brokers transaction history"
TITLE = "an Interactive Brokers transaction history"
DATE_COLUMNS = ("date",)
NEWEST_FIRST = True  # the order it is written in when its own dates do not tell
SIGNATURE = {
    "transaction history",
    "date",
    "account",
    "description",
    "transaction type",
    "symbol",
    "quantity",
    "price",
    "price currency",
    "gross amount",
    "commission",
    "net amount",
}
REQUIRED = (("date",), ("transaction type",), ("symbol",), ("quantity",), ("price",))


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return (
        header[:2] == ["Transaction History", "Header"] and {"date", "transaction type", "symbol", "quantity"} <= names
    )


def read(row: Row) -> Result:
    if row.first != "Transaction History" or row.get("header") != "Data":
        return None  # the Statement and Summary sections, totals
    kind = row.get("transaction type").lower()
    symbol = "" if row.get("symbol") == "-" else row.get("symbol")
    if kind not in ("buy", "sell"):
        action = action_kind(kind)
        if action is not None and symbol:
            return corporate_action(
                row, row.get("date"), action, symbol, _cell(row, "quantity"), row.get("description")
            )
        return other_activity(row, kind, row.get("date"), symbol, _cell(row, "gross amount"), row.get("account"))
    foreign = not_dollars(row, row.get("price currency"), "trade")
    if foreign:
        return foreign
    return trade(
        row,
        row.get("date"),
        kind,
        symbol,
        _cell(row, "quantity"),
        _cell(row, "price"),
        _cell(row, "commission"),
        account=row.get("account"),
        total=_cell(row, "net amount"),  # the cash with commission, as the Amount of other brokers
    )


def _cell(row: Row, name: str) -> str:
    value = row.get(name)
    return "" if value == "-" else value
