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

from datetime import date

from conversations.files.importers.common import (
    OPTION,
    SHORT,
    BadRow,
    Result,
    Row,
    action_kind,
    corporate_action,
    day,
    looks_like_option,
    other_activity,
    usual_trade,
)

NAME = "Charles Schwab transaction history"
TITLE = "a Charles Schwab transaction history"
DATE_COLUMNS = ("date",)
NEWEST_FIRST = True  # the order it is written in when its own dates do not tell
SIGNATURE = {"date", "action", "symbol", "description", "quantity", "price", "fees & comm", "amount"}
REQUIRED = (("date",), ("action",), ("symbol",), ("quantity",), ("price",), ("fees & comm",), ("amount",))
SIDES = {"buy": "buy", "sell": "sell", "reinvest shares": "buy"}
# Schwab writes the purchase that closes a short sale as "Buy" unless it says "Buy to Cover".
SHORT_ACTIONS = {"sell short", "buy to cover"}
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


def keep(rows: list[Row]) -> list[Row]:
    """A "Buy" that closes a "Sell Short" (same symbol and shares, on or after it) is its cover, not a
    purchase: marked so that both are left out together."""
    for short in [row for row in rows if row.get("action").lower() == "sell short"]:
        when = _date(short)
        covers = [
            row
            for row in rows
            if row.get("action").lower() == "buy"
            and row.get("symbol") == short.get("symbol")
            and row.get("quantity") == short.get("quantity")
            and (when is None or (_date(row) or when) >= when)
        ]
        if covers:
            min(covers, key=lambda row: _date(row) or date.max).cells["action"] = "buy to cover"
    return rows


def _date(row: Row) -> date | None:
    try:
        return day(row.get("date"))
    except BadRow:
        return None


def read(row: Row) -> Result:
    action = row.get("action").lower()
    if action in OPTION_ACTIONS:
        return OPTION
    if action in SHORT_ACTIONS:
        return SHORT
    kind = ACTIONS.get(action) or (action_kind(action) if "split" in action else None)
    if kind is not None:
        if looks_like_option(row.get("symbol")):
            return OPTION
        return corporate_action(
            row, row.get("date"), kind, row.get("symbol"), row.get("quantity"), row.get("description")
        )
    side = SIDES.get(action)
    if side is None:
        if not row.get("date"):
            return None
        return other_activity(row, action, row.get("date"), row.get("symbol"), row.get("amount"))
    if looks_like_option(row.get("symbol")):
        return OPTION
    return usual_trade(row, side, "fees & comm", total=row.get("amount"))
