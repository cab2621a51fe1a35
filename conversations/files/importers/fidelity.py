"""Fidelity account history (Activity & Orders > History > Download, CSV).

Run Date,Action,Symbol,Security Description,Security Type,Quantity,Price ($),Commission ($),Fees ($),
Accrued Interest ($),Amount ($),Settlement Date — some exports add an Account column, name the date
column "Date", or call the description columns Description and Type. The file opens with blank lines
and ends with disclaimer text; sold quantities are negative; option symbols start with "-".
"""

from __future__ import annotations

from conversations.files.importers.common import NOT_A_TRADE, OPTION, Result, Row, looks_like_option, trade

NAME = "Fidelity account history"


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"action", "symbol", "quantity", "price ($)", "amount ($)"} <= names and bool({"run date", "date"} & names)


def read(row: Row) -> Result:
    when = row.get("run date", "date")
    if not when[:1].isdigit():
        return None  # the disclaimer and "Date downloaded" notes around the table
    action = row.get("action").upper()
    if action.startswith(("YOU BOUGHT", "REINVESTMENT")):
        side = "buy"
    elif action.startswith("YOU SOLD"):
        side = "sell"
    else:
        return NOT_A_TRADE
    if looks_like_option(row.get("symbol")) or "OPENING TRANSACTION" in action or "CLOSING TRANSACTION" in action:
        return OPTION
    return trade(
        row,
        when,
        side,
        row.get("symbol"),
        row.get("quantity"),
        row.get("price ($)"),
        (row.get("commission ($)"), row.get("fees ($)")),
        account=row.get("account"),
    )
