"""Interactive Brokers: the activity statement's Trades section, or a Flex query of trades.

Activity statement (CSV): one file of many sections, each row starting with its section name;
the Trades section has its own header row (repeated per asset category):
  Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,C. Price,
  Proceeds,Comm/Fee,Basis,Realized P/L,MTM P/L,Code
with Data rows per order (or per execution, "Trade"), ClosedLot rows, SubTotal and Total rows.
Flex query (CSV, Trades section): columns as configured, e.g. ClientAccountID, CurrencyPrimary,
AssetClass, Symbol, TradeDate or DateTime, Quantity, TradePrice, IBCommission, Buy/Sell, LevelOfDetail;
optionally with "HEADER"/"DATA" line descriptors in front. Sold quantities are negative,
commissions negative.
"""

from __future__ import annotations

from conversations.files.importers.common import OPTION, Problem, Result, Row, Skip, trade

NAME = "Interactive Brokers trades"
FLEX_COLUMNS = {"symbol", "quantity", "tradeprice"}
OPTION_CLASSES = {"equity and index options", "options on futures", "opt", "fop"}


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    statement = header[:2] == ["Trades", "Header"] and {"symbol", "date/time", "quantity", "t. price"} <= names
    flex = names >= FLEX_COLUMNS and bool({"tradedate", "datetime"} & names)
    return statement or flex


def keep(rows: list[Row]) -> list[Row]:
    """Executions when the file lists them, else orders: never both, which would count a trade twice."""
    levels = {_level(row) for row in rows}
    if "execution" in levels:
        return [row for row in rows if _level(row) != "order"]
    return rows


def _level(row: Row) -> str:
    level = row.get("datadiscriminator", "levelofdetail").lower()
    return {"trade": "execution", "order": "order"}.get(level, level)


def read(row: Row) -> Result:
    if "trades" in row.cells:  # activity statement: only the Trades section's data rows
        if row.first != "Trades" or row.get("header") != "Data":
            return None
    elif "trnt" in row.cells and row.first != "DATA":
        return None  # Flex line descriptors: BOF, BOA, HEADER, EOA, EOF
    if _level(row) not in ("", "execution", "order"):
        return None  # closed lots, wash-sale and summary rows repeat the executions
    category = row.get("asset category", "assetclass")
    if category.lower() in OPTION_CLASSES:
        return OPTION
    if category and category.lower() not in ("stocks", "stk"):
        return Skip(f"of {category} trades (only stocks are read)")
    currency = row.get("currency", "currencyprimary")
    if currency and currency.upper() != "USD":
        return Problem(row.line, f"the trade is in {currency}; I read US-dollar trades only")
    if "ca" in [code.strip().lower() for code in row.get("code", "notes/codes").split(";")] or "(Ca.)" in row.get(
        "buy/sell"
    ):
        return Problem(row.line, "a cancelled trade: leave it and its original out, or enter the correction by hand")
    quantity = row.get("quantity")
    side = row.get("buy/sell").lower()
    if side not in ("buy", "sell"):
        side = "sell" if quantity.lstrip().startswith(("-", "(")) else "buy"
    return trade(
        row,
        row.get("tradedate", "datetime", "date/time"),
        side,
        row.get("symbol"),
        quantity,
        row.get("tradeprice", "t. price"),
        row.get("ibcommission", "comm/fee"),
        account=row.get("clientaccountid", "account"),
    )
