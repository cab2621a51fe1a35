"""Charles Schwab realized gain/loss, lot details (Accounts > Realized Gain/Loss > Export, CSV).

"Realized Gain/Loss - Lot Details for <account> as of <when> from <date> to <date>" padded with
empty cells, then
  "Symbol","Name","Closed Date","Opened Date","Quantity","Proceeds Per Share","Cost Per Share",
  "Proceeds","Cost Basis (CB)","Gain/Loss ($)",...,"Term","Unadjusted Cost Basis","Wash Sale?",
  "Disallowed Loss",...
one row per sold lot, and a "Total" row. Options are listed by their long symbol.
"""

from __future__ import annotations

from conversations.files.importers.basis import sale
from conversations.files.importers.common import Result, Row

NAME = "Charles Schwab realized gain/loss"
TITLE = "a Charles Schwab realized gain/loss report"
DATE_COLUMNS = ("closed date",)
SIGNATURE = {"symbol", "name", "closed date", "opened date", "quantity", "proceeds", "cost basis (cb)", "term",
             "wash sale?", "disallowed loss", "unadjusted cost basis"}  # fmt: skip
REQUIRED = (("symbol",), ("closed date",), ("opened date",), ("quantity",), ("proceeds",), ("cost basis (cb)",))


def detect(header: list[str]) -> bool:
    return {"symbol", "closed date", "opened date", "quantity", "proceeds", "cost basis (cb)"} <= {
        h.lower() for h in header
    }


def read(row: Row) -> Result:
    if not row.get("closed date")[:1].isdigit():
        return None  # the Total row
    return sale(
        row,
        row.get("symbol"),
        row.get("quantity"),
        row.get("opened date"),
        row.get("closed date"),
        row.get("proceeds"),
        row.get("cost basis (cb)"),
        disallowed=row.get("disallowed loss") if row.get("wash sale?").lower() == "yes" else "",
        term=row.get("term"),
    )
