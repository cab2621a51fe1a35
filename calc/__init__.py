"""The tax engine: pure functions over pydantic models, no I/O.

from calc import Trade, TaxInput, compute_tax, realize, summarize_year
"""

from calc import why  # noqa: F401  # how rows' compact reasons are built when read (calc.models)
from calc.booking import Ledger, book, realize
from calc.errors import CalcError, LotsDontAddUp, NotEnoughShares, UnknownLot, UnsupportedYear
from calc.holding import holding_term, long_term_from
from calc.models import Disposition, FilingStatus, IncomeEvent, Lot, LotPick, Reason, Split, Trade
from calc.netting import YearSummary, carry_forward, summarize_year
from calc.tax import TaxInput, TaxResult, compute_tax

__all__ = [
    "CalcError",
    "Disposition",
    "FilingStatus",
    "IncomeEvent",
    "Ledger",
    "Lot",
    "LotPick",
    "LotsDontAddUp",
    "NotEnoughShares",
    "Reason",
    "Split",
    "TaxInput",
    "TaxResult",
    "Trade",
    "UnknownLot",
    "UnsupportedYear",
    "YearSummary",
    "book",
    "carry_forward",
    "compute_tax",
    "holding_term",
    "long_term_from",
    "realize",
    "summarize_year",
]
