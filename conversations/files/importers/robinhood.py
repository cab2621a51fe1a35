"""Robinhood activity report (Account > Reports and statements > Reports, CSV).

"Activity Date","Process Date","Settle Date","Instrument","Description","Trans Code","Quantity","Price","Amount"
Robinhood charges no commission but sales carry regulatory fees, visible only in Amount:
the amount is taken as the exact cash and the difference from quantity × price as fees.
The report ends with a disclaimer line.
"""

from __future__ import annotations

from conversations.files.importers.common import NOT_A_TRADE, OPTION, Result, Row, Skip, trade

NAME = "Robinhood activity report"
OPTION_CODES = {"bto", "stc", "sto", "btc", "oexp", "oasgn", "oexcs"}
SPLIT = Skip("of stock splits (add them by hand)")


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"activity date", "instrument", "trans code", "quantity", "price", "amount"} <= names


def read(row: Row) -> Result:
    if not row.get("activity date")[:1].isdigit():
        return None  # the closing disclaimer
    code = row.get("trans code").lower()
    if code in OPTION_CODES:
        return OPTION
    if code in ("spl", "spr"):
        return SPLIT
    if code not in ("buy", "sell"):
        return NOT_A_TRADE
    return trade(
        row,
        row.get("activity date"),
        code,
        row.get("instrument"),
        row.get("quantity"),
        row.get("price"),
        cash=row.get("amount"),
    )
