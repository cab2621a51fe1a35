"""Robinhood activity report: Activity Date, Process Date, Settle Date, Instrument, Description, Trans Code, Quantity, Price, Amount."""

from __future__ import annotations

from calc.models import Trade
from conversations.importers.common import Problem, Row, trade

NAME = "Robinhood activity report"


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"activity date", "instrument", "trans code", "quantity", "price"} <= names


def read(row: Row) -> Trade | Problem | None:
    code = row.get("trans code").lower()
    if code not in ("buy", "sell"):
        return None
    return trade(
        row, row.get("activity date"), code, row.get("instrument").upper(), row.get("quantity"), row.get("price")
    )
