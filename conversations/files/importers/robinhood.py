"""Robinhood activity report (Account > Reports and statements > Reports, CSV).

"Activity Date","Process Date","Settle Date","Instrument","Description","Trans Code","Quantity","Price","Amount"
Robinhood charges no commission but sales carry regulatory fees, visible only in Amount:
the amount is taken as the exact cash and the difference from quantity × price as fees.
The report ends with a disclaimer line, lists the newest first, and its descriptions run over two
lines ("Ford\nCUSIP: 345370860"). Stock rewards (REC), splits (SPL, SPR), mergers and transfers of
shares are corporate actions, listed for the user.
"""

from __future__ import annotations

from conversations.files.importers.common import (
    OPTION,
    Result,
    Row,
    corporate_action,
    other_activity,
    trade,
)

NAME = "Robinhood activity report"
TITLE = "a Robinhood activity report"
DATE_COLUMNS = ("activity date",)
NEWEST_FIRST = True  # the order it is written in when its own dates do not tell
SIGNATURE = {
    "activity date",
    "process date",
    "settle date",
    "instrument",
    "description",
    "trans code",
    "quantity",
    "price",
    "amount",
}
REQUIRED = (("activity date",), ("instrument",), ("trans code",), ("quantity",), ("price",), ("amount",))
OPTION_CODES = {"bto", "stc", "sto", "btc", "oexp", "oasgn", "oexcs"}
ACTIONS = {
    "rec": "reward",
    "spl": "split",
    "spr": "reverse split",
    "mrgs": "merger",
    "sxch": "conversion",
    "soff": "spin-off",
    "acati": "transfer",
    "acato": "transfer",
}


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"activity date", "instrument", "trans code", "quantity", "price", "amount"} <= names


def read(row: Row) -> Result:
    if not row.get("activity date")[:1].isdigit():
        return None  # the closing disclaimer
    code = row.get("trans code").lower()
    if code in OPTION_CODES:
        return OPTION
    if code in ACTIONS:
        return corporate_action(
            row,
            row.get("activity date"),
            ACTIONS[code],
            row.get("instrument"),
            row.get("quantity"),
            row.get("description"),
        )
    if code not in ("buy", "sell"):
        return other_activity(row, code, row.get("activity date"), row.get("instrument"), row.get("amount"))
    return trade(
        row,
        row.get("activity date"),
        code,
        row.get("instrument"),
        row.get("quantity"),
        row.get("price"),
        cash=row.get("amount"),
    )
