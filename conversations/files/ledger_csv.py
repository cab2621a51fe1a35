"""Our own CSV of a user's ledger: /export writes it and the generic importer reads it back.

One row per trade and per split, with every field the engine books from, so a re-import into a
fresh user restores the same ledger: the lots a sale named (by the id of the trade that bought
them, which the import maps to the new trades), option and ESPP fields, inherited and gifted
shares, the crypto mark, and splits with their cash in lieu. The columns are this one table, so
writing and reading can't drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from calc.models import Split, Trade

COLUMNS = (
    "number",
    "id",
    "date",
    "side",
    "symbol",
    "quantity",
    "price",
    "fees",
    "account",
    "lots",
    "source",
    "fmv",
    "grant_date",
    "asset",
    "held_since",
    "gift_value",
    "offering_fmv",
    "offering_price",
    "ratio",
    "cash_in_lieu",
)
SPLIT = "split"  # the side column of a split's row

# An option's, a vest's or an ESPP purchase's figures: written as they are, read with its source
# (conversations/files/importers/common.py _grant, _price_cell).
GRANT_FIELDS = ("fmv", "grant_date", "offering_fmv", "offering_price")
# The other optional trade fields, written as they are and read back with these (empty: the default).
FIELDS: dict[str, Callable[[str], object]] = {
    "asset": str,
    "held_since": date.fromisoformat,
    "gift_value": Decimal,
}


def trade_row(t: Trade, number: str) -> list[object]:
    lots = ";".join(f"{p.lot_id}:{p.quantity}" for p in t.lots)
    cells: dict[str, object] = {
        "number": number,
        "id": t.id,
        "date": t.date.isoformat(),
        "side": t.side,
        "symbol": t.symbol,
        "quantity": t.quantity,
        "price": t.price,
        "fees": t.fees,
        "account": t.account or "",
        "lots": lots,
        "source": "" if t.source == "purchase" else t.source,
    }
    for name in (*GRANT_FIELDS, *FIELDS):
        value = getattr(t, name)
        cells[name] = "" if value is None else value.isoformat() if isinstance(value, date) else value
    return [cells.get(name, "") for name in COLUMNS]


def split_row(s: Split) -> list[object]:
    cells: dict[str, object] = {
        "number": s.id[1:] if s.id.startswith("S") else s.id,
        "id": s.id,
        "date": s.date.isoformat(),
        "side": SPLIT,
        "symbol": s.symbol,
        "ratio": s.ratio,
        "cash_in_lieu": s.cash_in_lieu or "",
    }
    return [cells.get(name, "") for name in COLUMNS]
