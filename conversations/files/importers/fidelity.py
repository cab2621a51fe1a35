"""Fidelity account history (Activity & Orders > History > Download, CSV).

Three header generations, all read:
  Run Date,Action,Symbol,Security Description,Security Type,Quantity,Price ($),Commission ($),Fees ($),
    Accrued Interest ($),Amount ($),Settlement Date                      (one account; an Account column
    when several)
  Run Date,Account,Action,Symbol,Security Description,Security Type,Exchange Quantity,Exchange Currency,
    Quantity,Currency,Price,Exchange Rate,Commission,Fees,Accrued Interest,Amount,Settlement Date  (2022)
  Run Date,Account,Account Number,Action,Symbol,Description,Type,Exchange Quantity,Exchange Currency,
    Currency,Price,Quantity,Exchange Rate,Commission,Fees,Accrued Interest,Amount,Settlement Date  (2025)
The file opens with blank or comma-only lines (and an account-group line such as "Brokerage"), ends
with disclaimer text and "Date downloaded", and lists the newest first; cells often start with a
space; sold quantities are negative; option symbols start with "-"; bonds are listed by CUSIP.
The price is rounded to the cent (an average-price fill prints 30.44 for 30.4351...): the Amount is
the cash of the trade, what the 1099-B reports, so the price is derived from it.
"""

from __future__ import annotations

import re

from conversations.files.importers.common import (
    BOND,
    OPTION,
    SHORT,
    Result,
    Row,
    action_kind,
    corporate_action,
    looks_like_cusip,
    looks_like_option,
    other_activity,
    trade,
)

NAME = "Fidelity account history"
TITLE = "a Fidelity account history"
DATE_COLUMNS = ("run date", "date")
NEWEST_FIRST = True  # the order it is written in when its own dates do not tell
SIGNATURE = {
    "run date",
    "action",
    "symbol",
    "quantity",
    "price ($)",
    "price",
    "amount ($)",
    "amount",
    "settlement date",
}
REQUIRED = (
    ("run date", "date"),
    ("action",),
    ("symbol",),
    ("quantity",),
    ("price", "price ($)"),
    ("amount", "amount ($)"),
)
# "YOU BOUGHT ESPP### AS OF 06-30-26": the purchase date of an employee stock purchase, booked days later.
AS_OF = re.compile(r"\bAS OF (\d{1,2})[-/](\d{1,2})[-/](\d{2}(?:\d{2})?)\b")


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return (
        {"action", "symbol", "quantity"} <= names
        and bool({"price ($)", "price"} & names)
        and bool({"amount ($)", "amount"} & names)
        and ("run date" in names or ("date" in names and "price ($)" in names))
    )


def read(row: Row) -> Result:
    when = row.get("run date", "date")
    if not when[:1].isdigit():
        return None  # the disclaimer and "Date downloaded" notes around the table
    action = row.get("action").upper()
    symbol = row.get("symbol")
    if "SHORT SALE" in action or "SOLD SHORT" in action or "BOUGHT TO COVER" in action:
        return SHORT
    if action.startswith(("YOU BOUGHT", "REINVESTMENT")):
        side = "buy"
    elif action.startswith("YOU SOLD"):
        side = "sell"
    else:
        kind = action_kind(action)
        if kind is not None and not looks_like_option(symbol):
            return corporate_action(
                row, when, kind, symbol, row.get("quantity"), row.get("description", "security description")
            )
        account = " ".join(part for part in (row.get("account"), row.get("account number")) if part)
        return other_activity(row, action, when, symbol, row.get("amount ($)", "amount"), account)
    if looks_like_option(symbol) or "OPENING TRANSACTION" in action or "CLOSING TRANSACTION" in action:
        return OPTION
    if looks_like_cusip(symbol):
        return BOND
    as_of = AS_OF.search(action)
    return trade(
        row,
        when,
        side,
        symbol,
        row.get("quantity"),
        row.get("price ($)", "price"),
        (row.get("commission ($)", "commission"), row.get("fees ($)", "fees")),
        account=" ".join(part for part in (row.get("account"), row.get("account number")) if part),
        total=row.get("amount ($)", "amount"),
        traded="/".join(as_of.groups()) if as_of else "",
        source="espp" if "ESPP" in action else None,
    )
