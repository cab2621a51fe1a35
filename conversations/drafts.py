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


class GrantDraft(Asked):
    """/exercise and /vest step by step."""

    kind: Literal["grant"] = "grant"
    grant: Literal["nso", "iso", "rsu"]
    strike: Decimal | None = None
    fmv: Decimal | None = None


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


class ImportDraft(_Draft):
    """A broker file's trades and splits between its preview and Add: nothing is saved before Add.
    `nonce` names the preview, so an Add, Cancel or "without" button of an earlier preview can't act
    on this one."""

    kind: Literal["import"] = "import"
    name: str
    trades: tuple[Trade, ...] = ()
    splits: tuple[Split, ...] = ()
    nonce: str = ""


Answers = Annotated[TradeDraft | GrantDraft | SaleOffer | YearDraft | ImportDraft, Field(discriminator="kind")]
Asking = TradeDraft | GrantDraft  # the flows that share trading's first questions


def from_old_draft(flow: str, draft: dict[str, str]) -> dict[str, Any] | None:
    """A wizard stored before answers were typed, as the typed answers' fields (None: that flow's
    answers aren't typed). A question open across the upgrade goes on where it was."""
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
    return None


__all__ = [
    "Answers",
    "Asked",
    "Asking",
    "GrantDraft",
    "ImportDraft",
    "SaleOffer",
    "TradeDraft",
    "YearDraft",
    "from_old_draft",
]
