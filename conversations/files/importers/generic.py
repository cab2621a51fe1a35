"""The documented generic CSV: date, side, symbol, quantity, price, fees [, account].

Fees and account are optional; side is buy or sell (bought/sold, b/s also read).
Optional source (nso, iso, rsu, espp), fmv and grant_date columns carry option exercises,
RSU vests and ESPP purchases (with offering_fmv and offering_price: Form 3922 boxes 3 and 8),
as /export writes them.
"""

from __future__ import annotations

from conversations.files.importers.common import Problem, Result, Row, short_cell, usual_trade

NAME = "generic CSV"
TITLE = "a CSV of trades"
COLUMNS = ("date", "side", "symbol", "quantity", "price")
DATE_COLUMNS = ("date",)
SIGNATURE = {*COLUMNS, "fees", "account"}
REQUIRED = tuple((name,) for name in COLUMNS)
SIDES = {"buy": "buy", "bought": "buy", "b": "buy", "sell": "sell", "sold": "sell", "s": "sell"}


def detect(header: list[str]) -> bool:
    return {h.lower() for h in header} >= set(COLUMNS)


def read(row: Row) -> Result:
    side = SIDES.get(row.get("side").lower())
    if side is None:
        return Problem(row.line, f"side “{short_cell(row.get('side'))}” should be buy or sell")
    grant = (row.get("source"), row.get("fmv"), row.get("grant_date"))
    offering = (row.get("offering_fmv"), row.get("offering_price"))
    return usual_trade(row, side, "fees", account=row.get("account"), grant=grant, offering=offering)
