"""The answers a step-by-step question has collected so far, one typed model per flow.

A wizard (conversations.state.Wizard) keeps them in `answers` between messages; each step
copies the model with one more field filled (`model_copy(update=...)`). Typed answers replace
the old `dict[str, str]` drafts, where numbers and dates travelled as strings and a sale's
lots were encoded two ways ("a,b" and "a=5,b=3").
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from calc.models import LotPick, Split, Trade


class _Draft(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Asked(_Draft):
    """The first questions /buy, /sell, /exercise and /vest share: symbol, trade date, shares."""

    symbol: str = ""
    date: dt.date | None = None
    quantity: Decimal | None = None


class TradeDraft(Asked):
    """/buy and /sell step by step; a sale by specific lots collects the lots tapped, in order."""

    kind: Literal["trade"] = "trade"
    price: Decimal | None = None
    fees: Decimal | None = None
    picks: tuple[str, ...] = ()  # lot ids
    # /buy of shares not bought. Inherited: the date is the date of death and the price the value
    # then. A gift: the date and price are the donor's, then the day it was given and its value.
    source: Literal["purchase", "inherited", "gift"] = "purchase"
    given: dt.date | None = None
    gift_value: Decimal | None = None


class GrantDraft(Asked):
    """/exercise and /vest step by step."""

    kind: Literal["grant"] = "grant"
    grant: Literal["nso", "iso", "rsu"]
    strike: Decimal | None = None
    fmv: Decimal | None = None


class EsppDraft(Asked):
    """/espp step by step: Form 3922's figures, one question each."""

    kind: Literal["espp"] = "espp"
    price: Decimal | None = None  # box 5, the price paid a share
    fmv: Decimal | None = None  # box 4, a share's value on the purchase date
    offered: dt.date | None = None  # box 1, the offering (grant) date


class SaleOffer(_Draft):
    """The sale /whatif offers to record with its cheapest lots."""

    kind: Literal["sale_offer"] = "sale_offer"
    symbol: str
    quantity: Decimal
    price: Decimal
    date: dt.date
    picks: tuple[LotPick, ...]


class YearDraft(_Draft):
    """/start's and /settings' questions about one year's figures: the year /settings YEAR opened."""

    kind: Literal["year"] = "year"
    year: int
    # Trades typed while /start's questions were open, as (message id, text): offered once set up.
    typed: tuple[tuple[str, str], ...] = ()


class ImportDraft(_Draft):
    """A broker file's trades and splits between its preview and Add: nothing is saved before Add."""

    kind: Literal["import"] = "import"
    name: str
    trades: tuple[Trade, ...] = ()
    splits: tuple[Split, ...] = ()
    # The dividends the file lists by year (cash or reinvested, outside IRAs): after Add, the chat asks
    # for each year's Form 1099-DIV totals rather than guess their tax from these rows.
    dividends: tuple[tuple[int, Decimal], ...] = ()


class DividendDraft(_Draft):
    """A year's Form 1099-DIV totals, asked box by box after an import that had dividends."""

    kind: Literal["dividends"] = "dividends"
    year: int
    ordinary: Decimal | None = None  # box 1a
    qualified: Decimal | None = None  # box 1b, part of 1a


class GuessDraft(_Draft):
    """A trade read from free text with a guess in it (a company name, a dollar amount, "all"), shown
    with Save / Change and saved only on Save."""

    kind: Literal["guess"] = "guess"
    side: Literal["buy", "sell"]
    symbol: str
    quantity: Decimal
    price: Decimal
    date: dt.date
    fees: Decimal
    account: str | None = None  # "IRA", "Roth IRA", "HSA", "401(k)"...; None: a taxable account
    message: str = ""  # the message it was read from: once saved, editing that message changes the trade
    replaces: str = ""  # read from an edited message: the id of the trade that message recorded, to change
    # What else the line said, kept to the Save: "crypto", inherited or gifted shares, the lots a sale names.
    asset: Literal["security", "crypto"] | None = None
    source: Literal["purchase", "inherited", "gift"] = "purchase"
    held_since: dt.date | None = None
    gift_value: Decimal | None = None
    lot_dates: tuple[dt.date, ...] = ()


class YesNo(_Draft):
    """A yes/no confirmation (/forget, /delete N, an old Undo): `target` is the trade or split id it
    names, "" when it names none."""

    kind: Literal["yes_no"] = "yes_no"
    target: str = ""


class FiguresDraft(_Draft):
    """A year's figure told in words ("my salary is 95k", "we file jointly", "I carried over 5,000"),
    shown as read and saved only on Save. A choice still open (which reading of "85,000", jointly or
    separately, short- or long-term) is made by the button tapped."""

    kind: Literal["figures"] = "figures"
    what: Literal["income", "filing", "carryover"]
    year: int
    field: str = ""  # the income field: wages, interest, ordinary_dividends, ...
    amount: Decimal = Decimal(0)  # income, or the carryover
    status: str = ""  # the filing status; "" while jointly or separately is asked
    character: str = ""  # a carryover's "short" or "long"; "" while asked
    unsure: bool = False  # the amount reads two ways in the user's locale: the button tapped says which
    per: int = 1  # income said by the period ("8k a month"): periods in a year; `amount` is the year's


Answers = Annotated[
    TradeDraft
    | GrantDraft
    | EsppDraft
    | SaleOffer
    | YearDraft
    | ImportDraft
    | DividendDraft
    | GuessDraft
    | YesNo
    | FiguresDraft,
    Field(discriminator="kind"),
]
Asking = TradeDraft | GrantDraft | EsppDraft  # the flows that share trading's first questions


YES_NO_FLOWS = ("forget", "undo", "delete", "import-undo")


def from_old_draft(flow: str, draft: dict[str, str]) -> dict[str, Any] | None:
    """A wizard stored before answers were typed (a dict of strings), as the typed answers' fields;
    None for a flow none of whose questions kept answers. A question open across the upgrade goes on
    where it was (its nonce, if it had one, moves to the wizard: conversations.state.Wizard)."""
    draft = {k: v for k, v in draft.items() if k != "nonce"}
    if flow in ("buy", "sell"):
        picks = [p for p in draft.get("picks", "").split(",") if p]
        return {**draft, "kind": "trade", "picks": picks}
    if flow in ("exercise", "vest") and "kind" in draft:
        rest = {k: v for k, v in draft.items() if k != "kind"}
        return {**rest, "kind": "grant", "grant": draft["kind"]}
    if flow == "whatif" and "picks" in draft:
        offered = [dict(zip(("lot_id", "quantity"), p.split("="), strict=True)) for p in draft["picks"].split(",")]
        return {**draft, "kind": "sale_offer", "picks": offered}
    if flow in ("onboarding", "settings") and draft.get("year", "").isdigit():
        return {"kind": "year", "year": draft["year"]}
    if flow == "import" and "trades" in draft:  # its buttons carried no nonce: "" answers them
        trades, splits = json.loads(draft["trades"]), json.loads(draft.get("splits", "[]"))
        return {"kind": "import", "name": draft.get("name", "your file"), "trades": trades, "splits": splits}
    if flow == "words" and "side" in draft:
        return {**draft, "kind": "guess", "account": draft.get("account") or None}
    if flow in YES_NO_FLOWS:
        return {"kind": "yes_no", "target": draft.get("id", "")}
    return None


__all__ = [
    "Answers",
    "Asked",
    "Asking",
    "EsppDraft",
    "FiguresDraft",
    "GrantDraft",
    "GuessDraft",
    "ImportDraft",
    "SaleOffer",
    "TradeDraft",
    "YearDraft",
    "YesNo",
    "from_old_draft",
]
