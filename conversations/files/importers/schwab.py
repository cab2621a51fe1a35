"""Charles Schwab transaction history (schwab.com, Accounts > History > Export, CSV).

"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
Older exports start with a "Transactions for account ..." line and end with a
"Transactions Total" row; newer ones have no quotes on the header and mix quoted and
unquoted rows. A date "12/01/2024 as of 11/29/2024" was traded on 11/29. Newest first.
The Amount is the cash of the trade (what the 1099-B reports); the printed price is rounded
(a reinvestment of 12.9452 shares at $10.46 cost $135.46), so the price is derived from it.
Corporate actions come as rows of shares without cash: "Stock Split" (the new shares only),
and pairs of the new symbol (+) and the old CUSIP (-) for "Reverse Split", "Stock Merger",
"Name Change" and "Conversion"; also "Spin-off", "Stock Div Dist", "Journaled Shares".
"""

from __future__ import annotations

from conversations.files.importers.common import (
    NOT_A_TRADE,
    OPTION,
    Result,
    Row,
    action_kind,
    corporate_action,
    looks_like_option,
    trade,
)

NAME = "Charles Schwab transaction history"
TITLE = "a Charles Schwab transaction history"
DATE_COLUMNS = ("date",)
NEWEST_FIRST = True  # the order it is written in when its own dates do not tell
SIGNATURE = {"date", "action", "symbol", "description", "quantity", "price", "fees & comm", "amount"}
REQUIRED = (("date",), ("action",), ("symbol",), ("quantity",), ("price",), ("fees & comm",), ("amount",))
SIDES = {"buy": "buy", "sell": "sell", "reinvest shares": "buy"}
OPTION_ACTIONS = {"buy to open", "sell to close", "sell to open", "buy to close", "expired", "assigned"}
ACTIONS = {
    "stock split": "split",
    "reverse split": "reverse split",
    "stock merger": "merger",
    "name change": "name change",
    "conversion": "conversion",
    "spin-off": "spin-off",
    "stock div dist": "stock dividend",
    "journaled shares": "transfer",
    "security transfer": "transfer",
}


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"date", "action", "symbol", "quantity", "price", "fees & comm", "amount"} <= names


def read(row: Row) -> Result:
    action = row.get("action").lower()
    if action in OPTION_ACTIONS:
        return OPTION
    kind = ACTIONS.get(action) or (action_kind(action) if "split" in action else None)
    if kind is not None:
        if looks_like_option(row.get("symbol")):
            return OPTION
        return corporate_action(
            row, row.get("date"), kind, row.get("symbol"), row.get("quantity"), row.get("description")
        )
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
        total=row.get("amount"),
    )
