"""Charles Schwab transaction history: "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"."""

from __future__ import annotations

from calc.models import Trade
from conversations.importers.common import Problem, Row, trade

NAME = "Charles Schwab transaction history"
SIDES = {"buy": "buy", "sell": "sell", "reinvest shares": "buy", "buy to open": "buy", "sell to close": "sell"}


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"date", "action", "symbol", "quantity", "price", "fees & comm"} <= names


def read(row: Row) -> Trade | Problem | None:
    side = SIDES.get(row.get("action").lower())
    if side is None:
        return None  # dividends, interest, transfers: not trades
    return trade(
        row,
        row.get("date"),
        side,
        row.get("symbol").upper(),
        row.get("quantity"),
        row.get("price"),
        row.get("fees & comm"),
    )
