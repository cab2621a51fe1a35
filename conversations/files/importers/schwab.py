"""Charles Schwab transaction history (schwab.com, Accounts > History > Export, CSV).

"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
Older exports start with a "Transactions for account ..." line and end with a
"Transactions Total" row. A date "12/01/2024 as of 11/29/2024" was traded on 11/29.
"""

from __future__ import annotations

from conversations.files.importers.common import NOT_A_TRADE, OPTION, Result, Row, Skip, looks_like_option, trade

NAME = "Charles Schwab transaction history"
SIDES = {"buy": "buy", "sell": "sell", "reinvest shares": "buy"}
OPTION_ACTIONS = {"buy to open", "sell to close", "sell to open", "buy to close", "expired", "assigned"}
SPLIT = Skip("of stock splits (add them by hand)")


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"date", "action", "symbol", "quantity", "price", "fees & comm", "amount"} <= names


def read(row: Row) -> Result:
    action = row.get("action").lower()
    if action in OPTION_ACTIONS:
        return OPTION
    if "split" in action:
        return SPLIT
    side = SIDES.get(action)
    if side is None:
        return NOT_A_TRADE if row.get("date") else None
    if looks_like_option(row.get("symbol")):
        return OPTION
    return trade(
        row,
        row.get("date"),
        side,
        row.get("symbol"),
        row.get("quantity"),
        row.get("price"),
        row.get("fees & comm"),
    )
