"""Interactive Brokers: the activity statement's Trades section, or a Flex query of trades.

Activity statement (CSV): one file of many sections, each row starting with its section name;
the Trades section has its own header row (repeated per asset category):
  Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,C. Price,
  Proceeds,Comm/Fee,Basis,Realized P/L,MTM P/L,Code
with Data rows per order (or per execution, "Trade"), ClosedLot rows, SubTotal and Total rows.
Flex query (CSV, Trades section): columns as configured, e.g. ClientAccountID, CurrencyPrimary,
AssetClass, Symbol, TradeDate or DateTime, Quantity, TradePrice, IBCommission, Buy/Sell, LevelOfDetail;
optionally with "HEADER"/"DATA" line descriptors in front. Sold quantities are negative,
commissions negative. ClosedLot rows (statement) or CLOSED_LOT rows with OpenDateTime (Flex) give
each sold lot's open date and cost: the lots of a sale whose purchase is before the file.
"""

from __future__ import annotations

from conversations.files.importers.common import (
    OPTION,
    BadRow,
    BrokerLot,
    Problem,
    Result,
    Row,
    Skip,
    amount,
    day,
    not_dollars,
    trade,
)

NAME = "Interactive Brokers trades"
TITLE = "an Interactive Brokers Flex query"
DATE_COLUMNS = ("tradedate", "datetime", "date/time")
CLOSED_LOTS = True  # its BrokerLot rows are lots its sales closed, not lots held
FLEX_COLUMNS = {"symbol", "quantity", "tradeprice"}
SIGNATURE = {
    "buy/sell",
    "tradedate",
    "datetime",
    "quantity",
    "tradeprice",
    "trademoney",
    "currencyprimary",
    "ibcommission",
    "ibcommissioncurrency",
    "clientaccountid",
    "assetclass",
    "isin",
    "levelofdetail",
}
REQUIRED = (("symbol",), ("quantity",), ("tradeprice",), ("tradedate", "datetime"))
ADVICE = {
    "symbol": "In Client Portal, Performance & Reports > Flex Queries, edit the query, tick Symbol in its Trades "
    "section (the ISIN alone doesn't name a US ticker), save, run it again and send the new file.",
    "tradedate": "Edit the Flex query and tick TradeDate (or Date/Time) in its Trades section, then run it again.",
    "tradeprice": "Edit the Flex query and tick TradePrice in its Trades section, then run it again.",
    "quantity": "Edit the Flex query and tick Quantity in its Trades section, then run it again.",
}
OPTION_CLASSES = {"equity and index options", "options on futures", "opt", "fop"}


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    statement = header[:2] == ["Trades", "Header"] and {"symbol", "date/time", "quantity", "t. price"} <= names
    flex = names >= FLEX_COLUMNS and bool({"tradedate", "datetime"} & names)
    return statement or flex


def title(header: list[str]) -> str:
    return "an Interactive Brokers activity statement" if header[:2] == ["Trades", "Header"] else TITLE


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
    level = _level(row)
    if level in ("closedlot", "closed_lot"):
        return _closed_lot(row)
    if level not in ("", "execution", "order"):
        return None  # wash-sale and summary rows repeat the executions
    category = row.get("asset category", "assetclass")
    if category.lower() in OPTION_CLASSES:
        return OPTION
    if category and category.lower() not in ("stocks", "stk"):
        return Skip(f"of {category} trades (only stocks are read)")
    foreign = not_dollars(row, row.get("currency", "currencyprimary"), "trade")
    if foreign:
        return foreign
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


def _closed_lot(row: Row) -> Result:
    """A lot one of the file's sales closed: bought on its date (the statement's Date/Time, the Flex
    OpenDateTime) for its Basis. A Flex CLOSED_LOT row without OpenDateTime can't say when: left out."""
    when = row.get("opendatetime") if "tradeprice" in row.cells else row.get("date/time")
    if not when or row.get("asset category", "assetclass").lower() not in ("stocks", "stk", ""):
        return None
    try:
        shares = abs(amount(row.get("quantity"), "quantity"))
        cost = abs(amount(row.get("basis", "costbasis", "cost"), "basis")) or shares * abs(
            amount(row.get("t. price", "tradeprice"), "price")
        )
        if shares == 0 or cost == 0:
            return None
        return BrokerLot(
            row.line, row.get("symbol").upper(), day(when), shares, cost, row.get("clientaccountid", "account")
        )
    except BadRow:
        return None
