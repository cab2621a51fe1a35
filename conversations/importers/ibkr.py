"""Interactive Brokers: the activity statement's Trades section, or a Flex query of trades.

Activity statement rows: Trades,Data,Order,Stocks,USD,AAPL,"2024-01-10, 10:30:00",100,150,...,Comm/Fee,...
Flex query: Symbol, TradeDate (or DateTime), Quantity, TradePrice, IBCommission, Buy/Sell.
"""

from __future__ import annotations

from calc.models import Trade
from conversations.importers.common import Problem, Row, amount, trade

NAME = "Interactive Brokers trades"


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    statement = header[:2] == ["Trades", "Header"] and {"symbol", "date/time", "quantity", "t. price"} <= names
    flex = {"symbol", "quantity", "tradeprice"} <= names and bool({"tradedate", "datetime"} & names)
    return statement or flex


def read(row: Row) -> Trade | Problem | None:
    if row.get("trades") and (row.get("header") != "Data" or row.get("datadiscriminator") not in ("Order", "")):
        return None  # subtotals and totals
    if row.get("asset category") and row.get("asset category") != "Stocks":
        return None
    quantity = row.get("quantity")
    try:
        signed = amount(quantity, "quantity")
    except ValueError as error:
        return Problem(row.line, str(error))
    side = row.get("buy/sell").lower() or ("buy" if signed > 0 else "sell")
    if side not in ("buy", "sell"):
        return None
    when = row.get("tradedate", "datetime", "date/time")
    return trade(
        row,
        when,
        side,
        row.get("symbol").upper(),
        quantity,
        row.get("tradeprice", "t. price"),
        row.get("ibcommission", "comm/fee"),
    )
