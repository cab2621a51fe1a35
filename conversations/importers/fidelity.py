"""Fidelity account history: Run Date, Action, Symbol, ..., Quantity, Price ($), Commission ($), Fees ($), Amount ($)."""

from __future__ import annotations

from calc.models import Trade
from conversations.importers.common import Problem, Row, amount, trade

NAME = "Fidelity account history"


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"run date", "action", "symbol", "quantity", "price ($)"} <= names


def read(row: Row) -> Trade | Problem | None:
    action = row.get("action").upper()
    if action.startswith("YOU BOUGHT") or action.startswith("REINVESTMENT"):
        side = "buy"
    elif action.startswith("YOU SOLD"):
        side = "sell"
    else:
        return None
    fees = str(abs(amount(row.get("commission ($)"), "commission")) + abs(amount(row.get("fees ($)"), "fees")))
    return trade(
        row, row.get("run date"), side, row.get("symbol").upper(), row.get("quantity"), row.get("price ($)"), fees
    )
