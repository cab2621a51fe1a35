"""Shared reading helpers for the broker formats.

A format's `read(row)` returns a Trade, a Problem (a row that should be a trade but can't be
read: shown with its row number), a Skip (a row that is deliberately left out: dividends,
transfers, options; counted by reason), or None (not data at all: notes, other sections).
Files of the broker's own cost basis give BrokerLot rows (a lot held, or a lot a sale closed:
IBKR's ClosedLot) and BrokerSale rows (one sold lot, as a realized gain/loss export or a
Form 1099-B lists it); corporate actions come as CorporateAction rows, never as "other activity".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from calc.limits import FEES, MONEY, PRICE, SHARES, Bound, per_share
from calc.models import Source, Trade
from conversations.files.render.csv_cells import unescape_cell
from conversations.shelters import account_type


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str


@dataclass(frozen=True)
class Skip:
    reason: str


NOT_A_TRADE = Skip("of other activity (dividends, interest, transfers, totals)")
OPTION = Skip("of options trades (not supported yet)")
BOND = Skip("of bonds, CDs and other fixed income (not supported)")
SHORT = Skip("of short sales and purchases to cover them (not supported yet: add the result by hand)")


@dataclass(frozen=True)
class BrokerLot:
    """Shares the broker says were bought on `acquired` for `cost` (fees included)."""

    line: int
    symbol: str
    acquired: date
    quantity: Decimal
    cost: Decimal
    account: str = ""


@dataclass(frozen=True)
class BrokerSale:
    """One sold lot as the broker reports it (a realized gain/loss row, a Form 1099-B line).

    `basis` is the cost basis the broker reports (Form 1099-B box 1e); `disallowed` its wash-sale
    loss disallowed (box 1g); `box` the Form 8949 box (A, B, D, E) when the file says.
    """

    line: int
    symbol: str
    quantity: Decimal
    acquired: date | None  # None: "various", or not given
    sold: date
    proceeds: Decimal
    basis: Decimal | None  # None: not reported to the broker (noncovered, box B/E)
    disallowed: Decimal = Decimal(0)
    term: str = ""  # "short", "long" or "" when not given
    box: str = ""
    account: str = ""
    description: str = ""


@dataclass(frozen=True)
class CorporateAction:
    """A split, merger, spin-off, name change, stock dividend, reward or transfer of shares.

    `symbol` is what the row prints (brokers give the old shares' CUSIP on the "from" side);
    `quantity` is signed: shares received (+) or removed (-).
    """

    line: int
    date: date
    kind: str  # split, reverse split, merger, spin-off, name change, conversion, stock dividend, reward, transfer
    symbol: str
    quantity: Decimal
    description: str = ""
    ratio: Decimal | None = None  # a split whose file states its ratio (our own /export), applied as stated
    cash: Decimal = Decimal(0)  # that split's cash in lieu of a fractional share


@dataclass(frozen=True)
class Dividend:
    """A dividend or fund distribution a row reports, paid in cash or reinvested. Never booked: its
    tax character (ordinary, qualified, capital gain distribution) is on the year's Form 1099-DIV,
    not in the row, so the chat asks for that form's totals for each year these rows show."""

    line: int
    date: date
    symbol: str
    amount: Decimal
    account: str = ""


Result = Trade | Problem | Skip | BrokerLot | BrokerSale | CorporateAction | Dividend | None

# How brokers name a dividend or distribution row: Schwab "Qualified Dividend", "Reinvest Dividend",
# "Pr Yr Div Reinvest", "Cash Dividend", "Long Term Cap Gain"; Fidelity "DIVIDEND RECEIVED", "LONG-TERM
# CAP GAIN"; Robinhood "CDIV"; IBKR "Dividend", "Payment in Lieu" (of a dividend). A stock dividend is
# a corporate action and is read before this.
_DIVIDEND = re.compile(r"\bdiv(?:idends?)?\b|\bcdiv\b|\bcap(?:ital)?\.? ?gains?\b|payment in lieu", re.I)


def other_activity(row: Row, action: str, when: str, symbol: str, cash: str, account: str = "") -> Result:
    """A dated row that is not a trade: a dividend (kept, for the year's 1099-DIV question) or other activity."""
    if not (_DIVIDEND.search(action) and when and symbol.strip()):
        return NOT_A_TRADE
    try:
        paid = _within(MONEY, amount(cash, "amount").copy_abs(), cash)
        return Dividend(row.line, day(when), symbol.strip().upper(), paid, account)
    except BadRow as error:
        return Problem(row.line, str(error))


class Row:
    """One CSV row, its cells named by the header (case-insensitive), and its 1-based line number."""

    def __init__(self, header: list[str], cells: list[str], line: int) -> None:
        self.cells = {
            name.strip().lower(): (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        self.first = cells[0].strip() if cells else ""
        self.line = line

    def get(self, *names: str) -> str:
        for name in names:
            value = self.cells.get(name.lower())
            if value:
                return value
        return ""


class BadRow(ValueError):
    pass


def amount(text: str, what: str) -> Decimal:
    """A number as brokers write it: "$1,234.50", "-$5.00", "($2,000.00)", "--" for none."""
    cleaned = text.replace("$", "").replace(",", "").replace(" ", "")
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    if cleaned in ("", "-", "--", "N/A"):
        return Decimal(0)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadRow(f"{what} “{short_cell(text)}” isn't a number") from None
    if not value.is_finite():
        raise BadRow(f"{what} “{short_cell(text)}” isn't a number")
    return value


_US_OR_ISO = re.compile(r"^(?:(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-?(\d{2})-?(\d{2}))$")
_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%Y%m%d", "%m/%d/%y", "%Y/%m/%d", "%d-%b-%Y", "%b %d %Y")


def day(text: str) -> date:
    """A trade date. Schwab's "12/01/2024 as of 11/29/2024" is effective (traded) on the "as of" date;
    IBKR's "2024-01-10, 10:30:00" and "20240110;103000" carry a time after the date."""
    effective = text.split(" as of ")[-1]
    first = re.split(r"[,;T ]", effective.strip(), maxsplit=1)[0] if effective.strip() else ""
    common = _US_OR_ISO.match(first)
    if common:  # the usual shapes, without strptime's cost (a third of a 20,000-row import)
        month, day_, year = common.group(1, 2, 3) if common.group(3) else common.group(5, 6, 4)
        try:
            return date(int(year), int(month), int(day_))
        except ValueError:
            raise BadRow(f"date “{short_cell(text)}” isn't a date I can read (use 2024-01-10 or 01/10/2024)") from None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(first, pattern).date()
        except ValueError:
            continue
    raise BadRow(f"date “{short_cell(text)}” isn't a date I can read (use 2024-01-10 or 01/10/2024)")


_TICKER = re.compile(r"^[A-Z][A-Z0-9]{0,9}([./-][A-Z0-9]{1,4})?$")


def looks_like_option(symbol: str) -> bool:
    """Option symbols as brokers print them: "AAPL 01/19/2024 150.00 C", Fidelity's "-AAPL240119C150"."""
    return " " in symbol.strip() or symbol.strip().startswith("-")


def ticker(text: str) -> str:
    symbol = text.strip().upper()
    if not symbol:
        raise BadRow("the symbol is missing")
    if not _TICKER.match(symbol):
        raise BadRow(f"symbol “{short_cell(text)}” doesn't look like a stock ticker")
    return symbol


def trade(
    row: Row,
    when: str,
    side: str,
    symbol: str,
    quantity: str,
    price: str,
    fees: str | tuple[str, ...] = "",
    account: str = "",
    cash: str = "",
    grant: tuple[str, str, str] = ("", "", ""),
    offering: tuple[str, str] = ("", ""),
    total: str = "",
    traded: str = "",
    source: Source | None = None,
    more: Mapping[str, object] | None = None,
) -> Trade | Problem:
    """Build a trade from a row's cells, or say what's wrong with the row.

    `grant` is (source, fmv, grant date) for an option exercise or RSU vest, as /export writes them;
    `offering` an ESPP purchase's value on the offering date and price figured then (Form 3922 boxes 3, 8).

    `cash`, when the broker gives the net cash of the trade but no fees, decides the money:
    what a sale brought in (or a purchase cost) is the figure Form 1099-B reports, so any
    difference from quantity × price is counted as fees.

    `total` is the Amount column of a broker that also lists fees: the cash of the trade, fees
    included, and the truth when the printed price is rounded (an average-price fill, a reinvestment).
    The price is derived from it and the fees column kept.

    `more` sets other Trade fields as they are (our own /export's: lots, gifts, ESPP, crypto).

    `traded` is the trade date when the row's own date is not (Fidelity's "YOU BOUGHT ESPP### AS OF
    06-30-26"); the import's digest keeps the row's date, so files imported before still match.

    The returned trade's `id` is the row's key for the import digest: what the row prints (date,
    side, symbol, shares, printed price and fees), so deriving the money more exactly never makes a
    re-imported file look new.
    """
    try:
        shares = _within(SHARES, amount(quantity, "quantity").copy_abs(), quantity)
        if shares == 0:
            raise BadRow("the quantity is missing or zero")
        per_share = _within(PRICE, amount(price, "price").copy_abs(), price)
        cost = sum(
            (_within(FEES, amount(f, "fees").copy_abs(), f) for f in ((fees,) if isinstance(fees, str) else fees)),
            Decimal(0),
        )
        if cash:
            per_share, cost = _from_cash(side, shares, per_share, _cash(cash))
            per_share, cost = _within(PRICE, per_share, cash), _within(FEES, cost, cash)
        key = f"{per_share.normalize()}|{cost.normalize()}"
        if total:
            # Six places by construction, and the fees' places follow from the shares' and the price's:
            # only the range needs checking (a full check counts places, a third of an import's time).
            per_share, cost = _price_from_total(side, shares, per_share, cost, _cash(total))
            if per_share > PRICE.maximum:
                raise BadRow(f"amount “{short_cell(total)}” is too large for {short_cell(quantity)} shares")
        kind, fmv, granted = _grant(grant)
        if per_share == 0 and kind != "rsu":  # an RSU costs nothing: its value is in fmv
            raise BadRow("the price is missing or zero")
        printed_date, printed_symbol, name = day(when), ticker(symbol), free_text(account)
        fields: dict[str, object] = {
            "date": day(traded) if traded else printed_date,
            "symbol": printed_symbol,
            "side": "buy" if side == "buy" else "sell",
            "quantity": shares,
            "price": per_share,
            "fees": cost,
            "account": name or None,
            # "ROTH IRA ...1234", "HSA", "401(K)" as brokers name them: sheltered, booked as the engine's "ira"
            "account_type": account_type(account),
            "source": source or kind,
            "fmv": fmv,
            "grant_date": granted,
            "offering_fmv": _price_cell(offering[0], "offering_fmv"),
            "offering_price": _price_cell(offering[1], "offering_price"),
            "id": f"{name}|{printed_date}|{side}|{printed_symbol}|{shares.normalize()}|{key}",
        }
        return Trade.model_validate({**fields, **(more or {})})
    except BadRow as error:
        return Problem(row.line, str(error))
    except ValueError as error:  # the model's own validation
        return Problem(row.line, str(error).splitlines()[0])


def usual_trade(
    row: Row,
    side: str,
    fees: str,
    account: str = "",
    grant: tuple[str, str, str] = ("", "", ""),
    offering: tuple[str, str] = ("", ""),
    total: str = "",
) -> Trade | Problem:
    """`trade` for a row whose columns have the usual names (date, symbol, quantity, price), with its
    fees in the column named `fees`."""
    cells = (row.get("date"), side, row.get("symbol"), row.get("quantity"), row.get("price"))
    return trade(row, *cells, row.get(fees), account=account, grant=grant, offering=offering, total=total)


def not_dollars(row: Row, currency: str, what: str) -> Problem | None:
    """A row in another currency (`what`: "trade", "lot"): only US dollars are read, as a 1099-B reports."""
    if currency and currency.upper() != "USD":
        return Problem(row.line, f"the {what} is in {currency}; I read US-dollar {what}s only")
    return None


def _cash(cell: str) -> Decimal:
    net = amount(cell, "amount").copy_abs()
    if net > SHARES.maximum * PRICE.maximum:
        raise BadRow(f"amount “{short_cell(cell)}” is too large")
    return net


def _price_from_total(
    side: str, shares: Decimal, printed: Decimal, fees: Decimal, total: Decimal
) -> tuple[Decimal, Decimal]:
    """The price that makes shares × price, less fees on a sale (plus fees on a purchase), the cash.

    The price keeps the places prices are kept to, rounded so that what is left over is a tiny
    addition to the fees (never a negative fee): the cash stays exact to the cent and beyond."""
    if total == 0:
        return printed, fees  # no cash printed (a reinvestment listed without its amount)
    gross = total + fees if side == "sell" else total - fees
    if gross <= 0:
        return printed, fees
    price, rest = per_share(gross, shares, "sell" if side == "sell" else "buy")
    return price, fees + rest


MAX_CELL = 40  # characters of a cell quoted back in a problem line


def short_cell(text: str) -> str:
    """A cell as a problem line quotes it: printable, and cut short (a 130 KB cell stays a few words)."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text[: MAX_CELL + 1])
    return printable if len(printable) <= MAX_CELL else printable[: MAX_CELL - 1] + "…"


MAX_FREE_TEXT = 64  # an account name, kept from a file


def free_text(text: str) -> str:
    """Free text kept from a file (an account name): printable, single spaces, short."""
    words = "".join(ch if ch.isprintable() else " " for ch in unescape_cell(text[:1000])).split()
    return " ".join(words)[:MAX_FREE_TEXT].strip()


def shares_in(cell: str, what: str = "quantity") -> Decimal:
    """A number of shares, within the bounds every path keeps (calc.limits)."""
    return _within(SHARES, amount(cell, what).copy_abs(), cell)


def _within(bound: Bound, value: Decimal, cell: str) -> Decimal:
    problem = bound.problem(value)
    if problem is not None:
        raise BadRow(f"{bound.what} “{short_cell(cell)}”: {problem.removeprefix(f'the {bound.what} ')}")
    return value


GRANT_SOURCES: dict[str, Source] = {
    "": "purchase",
    "purchase": "purchase",
    "nso": "nso",
    "iso": "iso",
    "rsu": "rsu",
    "espp": "espp",
}


def _grant(cells: tuple[str, str, str]) -> tuple[Source, Decimal | None, date | None]:
    source_cell, fmv_cell, granted_cell = (cell.strip() for cell in cells)
    source = GRANT_SOURCES.get(source_cell.lower())
    if source is None:
        raise BadRow(f"source “{short_cell(source_cell)}” should be nso, iso, rsu, espp or empty")
    if source == "purchase":
        return source, None, None
    if source == "espp" and not fmv_cell:  # a broker's ESPP purchase, without Form 3922's figures
        return source, None, day(granted_cell) if granted_cell else None
    fmv = _within(PRICE, amount(fmv_cell, "fmv").copy_abs(), fmv_cell)
    if fmv == 0:
        raise BadRow(f"an {source.upper()} needs its market value per share (fmv)")
    return source, fmv, day(granted_cell) if granted_cell else None


def _price_cell(cell: str, what: str) -> Decimal | None:
    cell = cell.strip()
    return _within(PRICE, amount(cell, what).copy_abs(), cell) if cell else None


def _from_cash(side: str, shares: Decimal, price: Decimal, cash: Decimal) -> tuple[Decimal, Decimal]:
    if cash == 0:
        return price, Decimal(0)
    gross = shares * price
    fees = gross - cash if side == "sell" else cash - gross
    if fees >= 0:
        return price, fees
    # The printed price was rounded: the cash is exact (a tiny fee takes what the kept places can't).
    return per_share(cash, shares, "buy" if side == "buy" else "sell")


_CUSIP = re.compile(r"^[0-9][0-9A-Z]{7}[0-9]$")


def looks_like_cusip(symbol: str) -> bool:
    """A CUSIP instead of a ticker: bonds, CDs, and the old side of a merger or reverse split."""
    return bool(_CUSIP.match(symbol.strip().upper()))


# Words brokers use for corporate actions, most specific first.
_ACTION_WORDS = (
    ("reverse split", "reverse split"),
    ("r/s ", "reverse split"),
    ("split", "split"),
    ("merger", "merger"),
    ("spin", "spin-off"),
    ("name change", "name change"),
    ("conversion", "conversion"),
    ("stock div", "stock dividend"),
    ("journal", "transfer"),
    ("security transfer", "transfer"),
    ("transferred", "transfer"),
)


def action_kind(text: str) -> str | None:
    lowered = text.lower()
    return next((kind for word, kind in _ACTION_WORDS if word in lowered), None)


def corporate_action(
    row: Row, when: str, kind: str, symbol: str, quantity: str, description: str = ""
) -> CorporateAction | Problem | Skip:
    """A row of shares in or out that is not a trade. Without shares it is other activity (cash in lieu)."""
    try:
        shares = amount(quantity, "quantity")
        if shares == 0:
            return NOT_A_TRADE
        first_line = description.strip().splitlines()[0] if description.strip() else ""
        return CorporateAction(row.line, day(when), kind, symbol.strip().upper(), shares, first_line[:80])
    except BadRow as error:
        return Problem(row.line, str(error))
