"""The engine's shared data: trades in, lots and dispositions out.

Money is Decimal dollars, dates are trade dates. Input (Trade, Split) is pydantic,
validated at the boundary; what booking computes (Lot, Disposition, IncomeEvent, Reason)
is plain frozen slotted dataclasses: a large ledger is millions of them, and each costs
less to build, to keep and for the garbage collector to scan. Everything is frozen so a
result can be cached and compared; "why" travels with each number as Reason data.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, fields, make_dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any, ClassVar, Literal, Self, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, field_validator, model_validator
from pydantic_core import CoreSchema, core_schema

from calc.limits import FEES, PRICE, SHARES, Bound

FilingStatus = Literal["single", "mfj", "mfs", "hoh", "qss"]
FILING_STATUSES: tuple[FilingStatus, ...] = ("single", "mfj", "mfs", "hoh", "qss")
Side = Literal["buy", "sell"]
Term = Literal["short", "long"]
Method = Literal["fifo", "lifo", "hifo", "specific"]
AccountType = Literal["taxable", "ira"]
# How shares were acquired: equity compensation sets basis differently from a purchase.
# "inherited": basis is the value at death, always long-term (IRC 1014, 1223(9)); "gift": the donor's
# basis and holding period carry over, with the dual basis for a loss (IRC 1015(a), 1223(2)).
Source = Literal["purchase", "nso", "iso", "rsu", "espp", "inherited", "gift"]
# What was bought, where it matters to the law: the wash-sale rule reaches stock and securities only.
Asset = Literal["security", "crypto"]

ZERO = Decimal(0)
CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Money to the cent, half up, as the forms round."""
    return amount.quantize(CENT, ROUND_HALF_UP)  # positional: a keyword costs as much as the rounding


Row = TypeVar("Row")


def builder(cls: type[Row], switched: bool = True) -> type[Row]:
    """A fast constructor for a frozen slotted dataclass: called like `cls`, gives a `cls`.

    A frozen class sets each field through object.__setattr__ (a Disposition's 15 fields cost
    about 3 µs); booking builds hundreds of thousands of rows. Its twin has the same fields and
    slots but isn't frozen, so it is built with plain attribute stores, and then becomes a `cls`
    (the layouts are the same, so Python allows the change of class): the object `cls(...)` would
    have built. Pass the fields positionally: matching 15 keywords costs as much again.
    `switched=False`: the caller gives each object its class (`row.__class__ = cls`), a call less.
    """
    assert all(f.default_factory is MISSING for f in fields(cls))  # type: ignore[arg-type]

    def become(row: object) -> None:
        row.__class__ = cls

    twin = make_dataclass(
        f"_{cls.__name__}Twin",
        [(f.name, f.type, dataclass_field(default=f.default)) for f in fields(cls)],  # type: ignore[arg-type]
        namespace={"__post_init__": become} if switched else {},
        slots=True,
        eq=False,
        repr=False,
    )
    assert twin.__slots__ == cls.__slots__  # type: ignore[attr-defined]
    return cast("type[Row]", twin)


Fact = Decimal | int | dt.date | str


def _at_most(bound: Bound) -> Any:
    """A validator keeping a field within its bound's range. Entry points (typed, imported) also
    check the decimal places; the engine's own trades (a planned partial sale, a split's cash in
    lieu) may carry more, and only the range matters to the arithmetic."""

    def check(value: Decimal | None) -> Decimal | None:
        if value is not None and (not value.is_finite() or value > bound.maximum):
            return bound.check(value)  # raises OutOfBounds with the reason
        return value

    return check


# A share class after its base ticker, as brokers and data vendors write it: BRK.B, BRK/B, BRK-B, BRK B.
_SHARE_CLASS = re.compile(r"^([A-Z]{1,6})[./\- ]([A-Z]{1,2})$")


def canonical_symbol(value: str) -> str:
    """One key per security: upper case, and a share class always after a dot (BRK/B, BRK-B -> BRK.B),
    so a Schwab import, a Yahoo-style symbol and what the user types all name the same lots."""
    symbol = value.strip().upper()
    share_class = _SHARE_CLASS.match(symbol)
    return f"{share_class[1]}.{share_class[2]}" if share_class else symbol


def clean_symbol(value: str) -> str:
    symbol = canonical_symbol(value)
    if not symbol:
        raise ValueError("symbol is empty")
    return symbol


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """Build from values the engine computed itself, skipping validation and defaults.

        Booking creates several models per disposition; pydantic's model_construct costs
        about 14 µs each, this about 1 µs. Every field must be given.
        """
        obj = cls.__new__(cls)
        object.__setattr__(obj, "__dict__", values)
        # One set per class, shared: every field is set, frozen models never add to it (copies
        # get their own), and a set per object would be millions more for the collector to scan.
        object.__setattr__(obj, "__pydantic_fields_set__", _ALL_FIELDS.get(cls) or _all_fields(cls))
        object.__setattr__(obj, "__pydantic_extra__", None)
        object.__setattr__(obj, "__pydantic_private__", None)
        return obj


_ALL_FIELDS: dict[type[Frozen], set[str]] = {}


def _all_fields(cls: type[Frozen]) -> set[str]:
    fields = _ALL_FIELDS[cls] = set(cls.model_fields)
    return fields


class Reason:
    """One rule applied to one number, as data, so the chat can word it.

    `rule` is a stable code (e.g. "holding.short", "netting.loss_limit");
    `facts` are the numbers the rule used; `source` cites the law or form line.
    Stored small (the code, the fact names shared per rule, the numbers in a tuple): a large
    ledger carries about one per sold lot part, and the chat words only the few it shows.
    """

    __slots__ = ("_keys", "_values", "rule", "source")
    rule: str
    _keys: tuple[str, ...]
    _values: tuple[Fact, ...]
    source: str

    def __init__(self, rule: str, facts: Mapping[str, Fact] | None = None, source: str = "") -> None:
        keys = tuple(facts) if facts else ()
        _set(self, "rule", rule)
        _set(self, "_keys", _KEYS.setdefault(keys, keys))  # one shared tuple per set of names
        _set(self, "_values", tuple(facts.values()) if facts else ())
        _set(self, "source", source)

    @property
    def facts(self) -> dict[str, Fact]:
        return dict(zip(self._keys, self._values, strict=True))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Reason is frozen: can't set {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reason):
            return NotImplemented
        return self.rule == other.rule and self.source == other.source and self.facts == other.facts

    def __hash__(self) -> int:
        return hash((self.rule, frozenset(zip(self._keys, self._values, strict=True)), self.source))

    def __repr__(self) -> str:
        return f"Reason(rule={self.rule!r}, facts={self.facts!r}, source={self.source!r})"

    def __reduce__(self) -> tuple[type[Reason], tuple[str, dict[str, Fact], str]]:
        return Reason, (self.rule, self.facts, self.source)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # Engine output held inside pydantic results (YearSummary, TaxResult): taken as it is.
        return core_schema.is_instance_schema(cls)


_set = object.__setattr__
_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


class _ReasonTwin:
    """A Reason built with plain attribute stores, then made a Reason (see builder)."""

    __slots__ = ("_keys", "_values", "rule", "source")

    def __init__(self, rule: str, keys: tuple[str, ...], values: tuple[Fact, ...], source: str) -> None:
        self.rule = rule
        self._keys = keys
        self._values = values
        self.source = source
        self.__class__ = Reason  # type: ignore[assignment]


# reason(rule, names, numbers, source): the names a tuple stated once (a constant), the numbers in
# their order, no dict built; what booking uses for the reasons it writes on every row.
reason = cast("Callable[[str, tuple[str, ...], tuple[Fact, ...], str], Reason]", _ReasonTwin)
assert _ReasonTwin.__slots__ == Reason.__slots__


class LotPick(Frozen):
    """Specific identification: sell `quantity` shares from the lot `lot_id`."""

    lot_id: str
    quantity: Decimal = Field(gt=0)

    _quantity = field_validator("quantity")(_at_most(SHARES))


class Trade(Frozen):
    """A purchase or sale as the user or the broker reports it.

    `price` is per share; `fees` add to basis on buys and reduce proceeds on sells.
    `id` is stable across re-imports and duplicated deliveries; a buy's id is also its lot id.
    Equity compensation is a buy with `source` set: `price` is the strike (zero for RSUs),
    `fmv` the fair market value per share at exercise or vest, `grant_date` for ISOs.
    """

    date: dt.date
    symbol: str
    side: Side
    quantity: Decimal = Field(gt=0)
    price: Decimal = Field(ge=0)
    fees: Decimal = Field(default=ZERO, ge=0)
    account: str | None = None
    account_type: AccountType = "taxable"
    id: str = ""
    # The short number the user sees and types (/edit 12) when the id isn't one: an import's id is a digest,
    # its de-duplication key. 0: the id is the number (T12).
    number: int = 0
    lots: tuple[LotPick, ...] = ()
    source: Source = "purchase"
    fmv: Decimal | None = Field(default=None, ge=0)
    grant_date: dt.date | None = None
    asset: Asset | None = None  # None: by the symbol (calc.assets.is_crypto)
    # A gift (source="gift"): `date` is the day it was given, `price` the donor's basis per share,
    # `held_since` the donor's acquisition date, `gift_value` the value per share on the gift date.
    held_since: dt.date | None = None
    gift_value: Decimal | None = Field(default=None, gt=0)
    # An ESPP purchase (source="espp", Form 3922): `date` is the purchase date (box 2), `price` the price paid
    # per share (box 5), `fmv` the value per share that day (box 4), `grant_date` the offering date (box 1),
    # `offering_fmv` the value per share on the offering date (box 3) and `offering_price` the price per share
    # figured as if bought on the offering date (box 8), when the plan's price wasn't fixed then.
    offering_fmv: Decimal | None = Field(default=None, gt=0)
    offering_price: Decimal | None = Field(default=None, ge=0)

    _symbol = field_validator("symbol")(clean_symbol)
    _quantity = field_validator("quantity")(_at_most(SHARES))
    _price = field_validator("price", "fmv", "offering_fmv", "offering_price")(_at_most(PRICE))
    _fees = field_validator("fees")(_at_most(FEES))

    @model_validator(mode="after")
    def _gift_fields_fit(self) -> Trade:
        if (self.held_since is not None or self.gift_value is not None) and self.source != "gift":
            raise ValueError("held_since and gift_value are for gifts (source='gift')")
        if self.held_since is not None and self.held_since > self.date:
            raise ValueError("the donor acquired the shares before giving them: held_since is after the gift date")
        if self.source in ("inherited", "gift") and self.side != "buy":
            raise ValueError("an inheritance or a gift is an acquisition (side='buy')")
        if (self.offering_fmv is not None or self.offering_price is not None) and self.source != "espp":
            raise ValueError("offering_fmv and offering_price are for ESPP purchases (source='espp')")
        if self.source == "espp" and self.grant_date is not None and self.grant_date > self.date:
            raise ValueError("an ESPP offering starts before its purchase: grant_date is after the purchase date")
        return self


class Split(Frozen):
    """A forward or reverse stock split: `ratio` new shares for each old one (2 for 2-for-1, 0.1 for 1-for-10).

    `cash_in_lieu` is the total cash paid for a fractional share, which is a sale of that fraction.
    """

    date: dt.date
    symbol: str
    ratio: Decimal = Field(gt=0)
    cash_in_lieu: Decimal = Field(default=ZERO, ge=0)
    id: str = ""

    _symbol = field_validator("symbol")(clean_symbol)


@dataclass(frozen=True, slots=True)  # engine output: no validation, no per-row dict
class IncomeEvent:
    """Ordinary income or an AMT adjustment that equity compensation creates (not a capital gain)."""

    date: dt.date
    kind: Literal["wages", "amt_adjustment"]
    amount: Decimal
    symbol: str
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)  # engine output: no validation, no per-row dict
class Lot:
    """Shares held: what is left of one acquisition after sales, splits and wash-sale adjustments."""

    id: str  # names the lot in a specific-identification sale (LotPick.lot_id)
    purchase_id: str  # the trade that bought these shares; a wash-sale part's id adds ".1", ".2", this doesn't
    symbol: str
    acquired: dt.date  # the holding period's start; earlier than the purchase when a wash sale tacks on
    purchased: dt.date  # the trade date of the purchase itself
    quantity: Decimal
    basis: Decimal  # total basis of the remaining shares, fees and wash-sale adjustments included
    long_term_from: dt.date  # first sale date that is long-term
    account: str | None = None
    account_type: AccountType = "taxable"
    source: Source = "purchase"
    wash_sale_adjustment: Decimal = ZERO  # part of `basis` that came from disallowed losses
    reasons: tuple[Reason, ...] = ()
    # A gift worth less than the donor's basis when given: its value per share then, the basis for a loss.
    loss_basis_per_share: Decimal | None = None

    @property
    def basis_per_share(self) -> Decimal:
        return self.basis / self.quantity if self.quantity else ZERO

    @property
    def loss_basis(self) -> Decimal | None:
        return None if self.loss_basis_per_share is None else cents(self.loss_basis_per_share * self.quantity)

    def unrealized(self, price: Decimal) -> Decimal:
        """The gain (negative: a loss) a sale of the whole lot at `price` would have. A gift worth less
        than the donor's basis when given has two (IRC 1015(a), Treas. Reg. 1.1015-1(a)(2)): below its
        value at the gift the loss is figured from that value, and in between there is neither."""
        value = self.quantity * price
        loss_basis = self.loss_basis
        if loss_basis is None or value >= self.basis:
            return value - self.basis
        return value - loss_basis if value < loss_basis else ZERO


@dataclass(frozen=True, slots=True)  # engine output: no validation, no per-row dict
class Disposition:
    """Shares of one lot sold in one sale: one Form 8949 row."""

    symbol: str
    quantity: Decimal
    acquired: dt.date
    sold: dt.date
    proceeds: Decimal
    basis: Decimal
    gain: Decimal  # proceeds - basis + wash_sale_disallowed (the reportable gain or loss)
    term: Term
    wash_sale_disallowed: Decimal = ZERO  # Form 8949 column (g), code W
    # Wages the sale made that are in `basis` but not in the basis a broker reports on Form 1099-B
    # (ISO and ESPP shares, options granted after 2013: Treas. Reg. 1.6045-1(d)(6)(ii)(C)); Form 8949
    # code B corrects it in column (g).
    wage_basis: Decimal = ZERO
    # ISO shares sold after the year of exercise: the gain figured with their AMT basis (Form 6251
    # line 2k); None when it is the same as `gain`.
    amt_gain: Decimal | None = None
    lot_id: str = ""
    purchase_id: str = ""  # the trade that bought the shares sold
    sale_id: str = ""
    account: str | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def code(self) -> str:
        """Form 8949 column (f) adjustment code."""
        return "W" if self.wash_sale_disallowed else ""

    def cites(self, *rules: str) -> bool:
        """Whether one of its reasons applies one of `rules`, read without building the reasons."""
        kept = _DISPOSITION_REASONS.__get__(self)
        if not (kept and kept[0].__class__ is Mark):
            return any(r.rule in rules for r in kept)
        mark, lot_reasons, *more = kept
        holding = mark.rule if mark.inherited else f"holding.{self.term}"
        return holding in rules or any(_rule(r) in rules for r in lot_reasons) or any(_rule(r) in rules for r in more)


def _rule(kept: KeptReason) -> str:
    return kept[0] if kept.__class__ is tuple else kept.rule  # type: ignore[union-attr]


# A reason as booking keeps it on an open lot: a Reason, or calc.why's (rule, *facts) built into one when read.
KeptReason = Reason | tuple[Any, ...]


class Mark:
    """The first item of a row's reasons kept compact (see calc.why), saying which holding reason it
    has, and whether an IRA purchase replaced some of its loss (`to_ira`: a wash.ira_permanent
    tuple follows), so that summing a year's losses lost for good reads no other row's reasons."""

    __slots__ = ("rule", "to_ira")

    def __init__(self, rule: str, to_ira: bool = False) -> None:
        self.rule = rule
        self.to_ira = to_ira

    @property
    def inherited(self) -> bool:
        return self.rule == "holding.inherited"

    def __repr__(self) -> str:
        return f"Mark({self.rule!r}, to_ira={self.to_ira})"


# Booking keeps a row's reasons compact (calc.why): a Disposition's as (a Mark, its lot's reasons,
# then reasons or wash-sale tuples), a lot's as reasons or wash-sale tuples; `reasons` builds the
# Reasons the first time they are read. A wash-heavy ledger has about three reasons a row, and the
# chat words the few rows it shows.
HELD, INHERITED = Mark("holding"), Mark("holding.inherited")
HELD_TO_IRA, INHERITED_TO_IRA = Mark("holding", to_ira=True), Mark("holding.inherited", to_ira=True)


class _Built:
    """A row's `reasons`, built from what booking kept compact when first read, and kept built.
    Every way in (the constructor, replace, pickle, ==, hash, repr) goes through it."""

    __slots__ = ("slot",)
    # How: calc.why.built, given by calc.why when it is imported (calc/__init__.py does), since it
    # reads holding periods (calc.holding), which read this module.
    build: ClassVar[Callable[[object, tuple[Any, ...]], tuple[Reason, ...]]]

    def __init__(self, slot: Any) -> None:
        self.slot = slot  # the slot's own descriptor, where the value is

    def __get__(self, row: object, owner: type | None = None) -> Any:
        if row is None:
            return self
        kept = self.slot.__get__(row, owner)
        if self.compact(kept):
            kept = _Built.build(row, kept)
            self.slot.__set__(row, kept)  # equal whenever built: no lock needed
        return kept

    def __set__(self, row: object, value: tuple[Reason, ...]) -> None:
        self.slot.__set__(row, value)

    @staticmethod
    def compact(kept: tuple[Any, ...]) -> bool:
        return any(r.__class__ is not Reason for r in kept)


class _DispositionBuilt(_Built):
    __slots__ = ()

    @staticmethod
    def compact(kept: tuple[Any, ...]) -> bool:
        return bool(kept) and kept[0].__class__ is Mark


def build_reasons_with(build: Callable[[object, tuple[Any, ...]], tuple[Reason, ...]]) -> None:
    """Say how rows' compact reasons are built (calc.why does, on import)."""
    _Built.build = staticmethod(build)


_DISPOSITION_REASONS = Disposition.__dict__["reasons"]
# A Disposition's reasons as booking kept them (compact, or built once read), without building them.
kept_reasons = cast("Callable[[Disposition], tuple[Any, ...]]", _DISPOSITION_REASONS.__get__)
setattr(Disposition, "reasons", _DispositionBuilt(_DISPOSITION_REASONS))  # noqa: B010  # the slot's, replaced
setattr(Lot, "reasons", _Built(Lot.__dict__["reasons"]))  # noqa: B010


class Rows(tuple[Any, ...]):  # of Dispositions (or IncomeEvents)
    """Rows as a booking of a whole history gives them: in the order of the trades that made them
    (one pass, oldest first), so a ledger's dispositions are in the order of the day sold and a
    year's are found by bisection (`sold_in`; calc.netting sums only those). A tuple (its repr,
    ==, hash are a tuple's)."""

    __slots__ = ()

    def sold_in(self, year: int) -> tuple[Disposition, ...]:
        return sold_in(self, year)


def sold_in(rows: tuple[Disposition, ...], year: int) -> tuple[Disposition, ...]:
    """The rows of sales in `year`, from rows in the order of the day sold, by bisection."""
    first = bisect.bisect_left(rows, dt.date(year, 1, 1), key=_SOLD)
    return rows[first : bisect.bisect_left(rows, dt.date(year + 1, 1, 1), lo=first, key=_SOLD)]


_SOLD = attrgetter("sold")


# Booking's constructors for its rows (see builder): fields positionally, in the order above. A
# Disposition is built as its twin, and booking sets its class to Disposition itself (a call less a row).
new_lot = builder(Lot)
disposition_twin = builder(Disposition, switched=False)
