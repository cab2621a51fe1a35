"""The documented generic CSV: date, side, symbol, quantity, price, fees (fees optional)."""

from __future__ import annotations

from calc.models import Trade
from conversations.importers.common import Problem, Row, trade

NAME = "generic CSV"
COLUMNS = {"date", "side", "symbol", "quantity", "price"}


def detect(header: list[str]) -> bool:
    return {h.lower() for h in header} >= COLUMNS


def read(row: Row) -> Trade | Problem | None:
    side = row.get("side").lower()
    if side not in ("buy", "sell"):
        return Problem(row.line, f"side “{row.get('side')}” should be buy or sell")
    return trade(
        row, row.get("date"), side, row.get("symbol").upper(), row.get("quantity"), row.get("price"), row.get("fees")
    )
