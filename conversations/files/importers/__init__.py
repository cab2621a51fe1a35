"""Broker CSV import: detect the format from the header, read rows into trades, report what can't be read.

One module per format, each with `NAME` (part of every trade id: never change it), `TITLE` (how
the chat names the file), `detect(header)`, `read(row)`, `DATE_COLUMNS`, `SIGNATURE` and
`REQUIRED` (to say what is missing from a file that looks like the format but isn't readable),
and optionally `keep(rows)` to choose among rows that describe the same trade; FORMATS lists them,
in the order they are tried. Trade ids come from the row's content, so importing the same file
twice adds nothing twice (and two identical fills in one file stay two trades).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from types import ModuleType

from calc.models import Trade
from conversations.files.importers import (
    fidelity,
    fidelity_realized,
    form1099b,
    generic,
    ibkr,
    ibkr_history,
    open_lots,
    robinhood,
    schwab,
    schwab_realized,
)
from conversations.files.importers.common import (
    BadRow,
    BrokerLot,
    BrokerSale,
    CorporateAction,
    Dividend,
    Problem,
    Row,
    Skip,
    day,
)
from conversations.shelters import TAX_EXEMPT_ACCOUNT

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
FORMATS: tuple[ModuleType, ...] = (
    generic,
    schwab,
    schwab_realized,
    fidelity_realized,
    fidelity,
    robinhood,
    ibkr,
    ibkr_history,
    form1099b,
    open_lots,
)
OLDEST = date(1970, 1, 1)
DIAGNOSE_ROWS = 60  # a header is near the top, or on an IBKR section's Header line

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_ROWS",
    "BrokerLot",
    "BrokerSale",
    "CorporateAction",
    "ImportError_",
    "ImportPreview",
    "Problem",
    "read_csv",
]


class ImportError_(ValueError):
    """The file as a whole can't be imported; the message says why and what to do."""


@dataclass
class ImportPreview:
    format: str
    title: str = ""  # "a Fidelity account history": how the chat names the file
    trades: list[Trade] = field(default_factory=list)  # oldest first, same-day trades in the order they happened
    problems: list[Problem] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> rows deliberately not imported
    actions: list[CorporateAction] = field(default_factory=list)
    sales: list[BrokerSale] = field(default_factory=list)  # realized gain/loss or 1099-B rows
    lots: list[BrokerLot] = field(default_factory=list)  # lots held (an open-positions export)
    closed_lots: list[BrokerLot] = field(default_factory=list)  # lots the file's sales closed (IBKR ClosedLot)
    dividends: list[Dividend] = field(default_factory=list)  # cash or reinvested: the year's 1099-DIV has their tax
    newest_first: bool = False

    def dividend_years(self) -> dict[int, Decimal]:
        """What the file lists as dividends in each year, outside accounts that pay no tax on them (an IRA, a
        Roth IRA, an HSA, a 401(k): their dividends are on no taxable Form 1099-DIV)."""
        years: dict[int, Decimal] = {}
        for d in self.dividends:
            if not TAX_EXEMPT_ACCOUNT.search(d.account):
                years[d.date.year] = years.get(d.date.year, Decimal(0)) + d.amount
        return dict(sorted(years.items()))

    @property
    def skipped(self) -> int:
        return sum(self.left_out.values())

    @property
    def buys(self) -> int:
        return sum(1 for t in self.trades if t.side == "buy")

    @property
    def sells(self) -> int:
        return sum(1 for t in self.trades if t.side == "sell")

    @property
    def first(self) -> date | None:
        return min((t.date for t in self.trades), default=None)

    @property
    def last(self) -> date | None:
        return max((t.date for t in self.trades), default=None)

    @property
    def symbols(self) -> list[str]:
        return sorted({t.symbol for t in self.trades})


def read_csv(name: str, content: bytes, today: date | None = None) -> ImportPreview:
    """Read a broker export. Raises ImportError_ when the file as a whole can't be used;
    rows that can't be read become `problems`, each with its line number and reason."""
    if len(content) > MAX_BYTES:
        raise ImportError_(
            f"{name} is {len(content) / 1024 / 1024:.1f} MB; I take files up to {MAX_BYTES // 1024 // 1024} MB. "
            "Export a shorter date range and send the parts one by one."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # NUL bytes, runaway fields: a binary file or a spreadsheet
        raise ImportError_(
            f"{name} isn't a CSV file I can read. Export your history from your broker as CSV."
        ) from None
    if len(rows) > MAX_ROWS + 1:
        raise ImportError_(
            f"{name} has {len(rows) - 1:,} rows; I take up to {MAX_ROWS:,} at a time. "
            "Export a shorter date range and send the parts one by one."
        )
    for index, cells in enumerate(rows):
        header = [c.strip() for c in cells]
        for fmt in FORMATS:
            if fmt.detect(header):
                return _read(fmt, header, rows[index + 1 :], index + 2, today)
    raise ImportError_(_diagnose(name, rows))


def _diagnose(name: str, rows: list[list[str]]) -> str:
    """Which broker the file looks like and which of its columns is missing, or what I read."""
    best: tuple[int, int, ModuleType, set[str]] | None = None
    for index, cells in enumerate(rows):
        if index >= DIAGNOSE_ROWS and cells[1:2] != ["Header"]:
            continue
        names = {c.strip().lower() for c in cells if c.strip()}
        for fmt in FORMATS:
            score = len(names & fmt.SIGNATURE)
            if score >= 3 and (best is None or score > best[0]):
                best = (score, index + 1, fmt, names)
    if best is not None:
        _, line, fmt, names = best
        missing = [group[0] for group in fmt.REQUIRED if not set(group) & names]
        if missing:
            columns = " and ".join(f"“{m}”" for m in missing)
            advice = " ".join(getattr(fmt, "ADVICE", {}).get(m, "") for m in missing).strip()
            return f"{name} looks like {fmt.TITLE}, but its header (row {line}) has no {columns} column. " + (
                advice
                or "Export it again with every column, or send it as a simple CSV: date,side,symbol,quantity,price,fees"
            )
    return (
        f"I don't recognise the columns in {name}. I read Charles Schwab transaction history and realized "
        "gain/loss, Fidelity account history and realized gain/loss, Robinhood activity reports, Interactive "
        "Brokers trades (activity statement, Flex query or transaction history), a Form 1099-B CSV, a list of "
        "open lots, or a simple CSV whose first row is: date,side,symbol,quantity,price,fees"
    )


def _read(
    fmt: ModuleType, header: list[str], rows: list[list[str]], first_line: int, today: date | None
) -> ImportPreview:
    table: list[Row] = []
    for offset, cells in enumerate(rows):
        stripped = [c.strip() for c in cells]
        if sum(1 for c in stripped if c) < 2:
            continue  # blank lines, notes and disclaimers
        if fmt.detect(stripped):
            header = stripped  # a repeated header: a new section or account
            continue
        table.append(Row(header, cells, first_line + offset))
    if hasattr(fmt, "keep"):
        table = fmt.keep(table)
    title = fmt.title(header) if hasattr(fmt, "title") else fmt.TITLE
    preview = ImportPreview(format=fmt.NAME, title=title)
    seen: Counter[str] = Counter()
    declares_ids, renamed = getattr(fmt, "DECLARES_IDS", False), dict[str, str]()
    latest = (today or date.today()) + timedelta(days=1)  # a day's grace for time zones
    for row in table:
        result = fmt.read(row)
        if result is None:
            continue
        if isinstance(result, Skip):
            preview.left_out[result.reason] += 1
        elif isinstance(result, Problem):
            preview.problems.append(result)
        elif (problem := _date_problem(row.line, result, latest)) is not None:
            preview.problems.append(problem)
        elif isinstance(result, Trade):
            preview.trades.append(_with_id(fmt.NAME, result, seen))
            if declares_ids and (declared := row.get("id")):
                renamed[declared] = preview.trades[-1].id
        elif isinstance(result, CorporateAction):
            preview.actions.append(result)
        elif isinstance(result, Dividend):
            preview.dividends.append(result)
        elif isinstance(result, BrokerSale):
            preview.sales.append(result)
        elif result.quantity > 0:  # BrokerLot: held, or closed by a sale in this file
            (preview.closed_lots if getattr(fmt, "CLOSED_LOTS", False) else preview.lots).append(result)
    if renamed:
        preview.trades = [_relinked(t, renamed) for t in preview.trades]
    if _is_newest_first(fmt, table, preview.trades):
        # Reverse, not sort: within a day the file's own order, read backwards, is the order things happened.
        preview.newest_first = True
        preview.trades.reverse()
        preview.actions.reverse()
    preview.trades.sort(key=lambda t: t.date)  # stable: a day's trades keep the order they happened in
    preview.actions.sort(key=lambda a: a.date)
    preview.dividends.sort(key=lambda d: d.date)
    return preview


def _relinked(t: Trade, renamed: dict[str, str]) -> Trade:
    """A sale naming its lots by the exported ids of the trades that bought them, with their new ids.
    A lot id is its purchase's id, then ".1", ".2" for the parts a wash sale split off: those follow."""
    if not t.lots:
        return t
    lots = []
    for pick in t.lots:
        head, dot, rest = pick.lot_id.partition(".")
        lots.append(pick.model_copy(update={"lot_id": renamed.get(head, head) + dot + rest}))
    return t.model_copy(update={"lots": tuple(lots)})


def _date_problem(
    line: int, result: Trade | CorporateAction | BrokerSale | BrokerLot | Dividend, latest: date
) -> Problem | None:
    when = (
        result.sold
        if isinstance(result, BrokerSale)
        else result.acquired
        if isinstance(result, BrokerLot)
        else result.date
    )
    if when > latest:
        return Problem(line, f"the date {when.isoformat()} is in the future")
    if when < OLDEST:
        return Problem(line, f"the date {when.isoformat()} is too early")
    return None


def _is_newest_first(fmt: ModuleType, table: list[Row], trades: list[Trade]) -> bool:
    """Schwab, Fidelity, Robinhood and IBKR's transaction history list the newest first, unless the
    user sorted the page first. Decide from each symbol's own trades; when they don't tell, from every
    dated row's order; when that doesn't either (Fidelity's files are not always in order), from the
    broker's habit. Other files (a CSV of your own, /export, IBKR statements) keep their order."""
    if not hasattr(fmt, "NEWEST_FIRST"):
        return False
    by_symbol: defaultdict[str, list[date]] = defaultdict(list)
    for t in trades:
        by_symbol[t.symbol].append(t.date)
    steps = Counter(_step(a, b) for dates in by_symbol.values() for a, b in pairwise(dates))
    if steps[-1] == steps[1]:
        dates = [when for when in (_row_date(fmt, row) for row in table) if when is not None]
        steps = Counter(_step(a, b) for a, b in pairwise(dates))
    if steps[-1] == steps[1]:
        return bool(getattr(fmt, "NEWEST_FIRST", False))
    return steps[-1] > steps[1]


def _step(a: date, b: date) -> int:
    return (b > a) - (b < a)


def _row_date(fmt: ModuleType, row: Row) -> date | None:
    text = row.get(*fmt.DATE_COLUMNS)
    if not text[:1].isdigit():
        return None
    try:
        return day(text)
    except BadRow:
        return None


def _with_id(source: str, t: Trade, seen: Counter[str]) -> Trade:
    """The id is a digest of what the row says, numbered among identical rows of the file."""
    key = f"{source}|{t.id}"  # what the row prints (see common.trade): stable across versions of the reader
    seen[key] += 1
    digest = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
    return t.model_copy(update={"id": f"I{digest}"})
