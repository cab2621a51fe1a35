"""The documented generic CSV: date, side, symbol, quantity, price, fees [, account].

Fees and account are optional; side is buy or sell (bought/sold, b/s also read).
Optional source (nso, iso, rsu, espp), fmv and grant_date columns carry option exercises,
RSU vests and ESPP purchases (with offering_fmv and offering_price: Form 3922 boxes 3 and 8).
Our own /export (conversations/files/ledger_csv.py) is this format with more columns, read back
in full: the lots a sale named, inherited and gifted shares, the crypto mark, and splits (side
"split", with ratio and cash_in_lieu); its settings below the trades are not trades and are
passed over.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from calc.limits import FEES, SPLIT_RATIO
from calc.models import LotPick, Source
from conversations.files import ledger_csv
from conversations.files.importers.common import (
    BadRow,
    CorporateAction,
    Problem,
    Result,
    Row,
    amount,
    day,
    shares_in,
    short_cell,
    ticker,
    trade,
)

NAME = "generic CSV"
TITLE = "a CSV of trades"
COLUMNS = ("date", "side", "symbol", "quantity", "price")
DATE_COLUMNS = ("date",)
SIGNATURE = {*COLUMNS, "fees", "account"}
REQUIRED = tuple((name,) for name in COLUMNS)
SIDES = {"buy": "buy", "bought": "buy", "b": "buy", "sell": "sell", "sold": "sell", "s": "sell"}
DECLARES_IDS = True  # an "id" column names each row's trade, and "lots" refer to those ids
OWN_SOURCES: dict[str, Source] = {"inherited": "inherited", "gift": "gift"}  # espp: read with its grant


def detect(header: list[str]) -> bool:
    return {h.lower() for h in header} >= set(COLUMNS)


def read(row: Row) -> Result:
    side_cell = row.get("side").lower()
    if not side_cell and not row.get("date"):
        return None  # not a trade: the settings and prices /export writes below its trades, a note
    if side_cell == ledger_csv.SPLIT:
        return _split(row)
    side = SIDES.get(side_cell)
    if side is None:
        return Problem(row.line, f"side “{short_cell(row.get('side'))}” should be buy or sell")
    source = OWN_SOURCES.get(row.get("source").lower())
    try:
        more = _more(row, source)
    except BadRow as error:
        return Problem(row.line, str(error))
    return trade(
        row,
        row.get("date"),
        side,
        row.get("symbol"),
        row.get("quantity"),
        row.get("price"),
        row.get("fees"),
        account=row.get("account"),
        grant=("", "", "") if source else (row.get("source"), row.get("fmv"), row.get("grant_date")),
        offering=(row.get("offering_fmv"), row.get("offering_price")),
        source=source,
        more=more,
    )


def _more(row: Row, source: Source | None) -> dict[str, object]:
    """The fields beyond a plain trade that the row gives: the lots a sale named, and /export's own."""
    more: dict[str, object] = {}
    for name, parse in ledger_csv.FIELDS.items():
        cell = row.get(name)
        if not cell:
            continue
        try:
            more[name] = parse(cell)
        except (ValueError, InvalidOperation):
            raise BadRow(f"{name.replace('_', ' ')} “{short_cell(cell)}” isn't what I expected there") from None
    if lots := row.get("lots"):
        more["lots"] = tuple(_pick(part) for part in lots.split(";") if part.strip())
    return more


def _pick(part: str) -> LotPick:
    lot_id, _, shares = part.strip().rpartition(":")
    if not lot_id:
        raise BadRow(f"lots “{short_cell(part)}” should be lot:shares, like T2:50")
    return LotPick(lot_id=lot_id, quantity=shares_in(shares, "lot shares"))


def _split(row: Row) -> CorporateAction | Problem:
    """/export's split row: the ratio itself (new shares for each old one) and any cash in lieu."""
    try:
        ratio = amount(row.get("ratio"), "ratio")
        if not 1 / SPLIT_RATIO <= ratio <= SPLIT_RATIO:
            raise BadRow("a split needs its ratio, new shares for each old one (2 for 2-for-1, 0.1 for 1-for-10)")
        cash = amount(row.get("cash_in_lieu"), "cash in lieu").copy_abs()
        if (problem := FEES.problem(cash)) is not None:
            raise BadRow(f"cash in lieu “{short_cell(row.get('cash_in_lieu'))}”: {problem}")
        return CorporateAction(
            line=row.line,
            date=day(row.get("date")),
            kind="split",
            symbol=ticker(row.get("symbol")),
            quantity=Decimal(0),
            ratio=ratio,
            cash=cash,
        )
    except BadRow as error:
        return Problem(row.line, str(error))
