"""What the bot remembers about one user: profile, trades, prices, and where a wizard stands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from calc.models import Split, Trade, canonical_symbol
from calc.years import Carryover, YearFigures, Years
from conversations.drafts import Answers, from_old_draft

# Before figures were kept per year, one set applied to whichever year the chat was on.
_SINGLE_YEAR_FIELDS = ("filing_status", "other_income", "carryover_short", "carryover_long")


class Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    onboarded: bool = False
    tax_year: int | None = None  # the year the chat is on: /gains without a year, /settings
    years: Years = Field(default_factory=Years)  # filing status, income and stated carryover, by year
    locale: str = "en_US"
    timezone: str = "America/New_York"
    reminders: bool = True  # year-end, long-term crossover and wash-sale window reminders
    reminder_days: int = 7  # remind of a lot turning long-term this many days ahead

    @model_validator(mode="before")
    @classmethod
    def _one_profile_becomes_a_year(cls, data: Any) -> Any:
        """Stored profiles from before years: their figures become those of their tax year.

        Their other income was asked at onboarding, so an onboarded user's $0 is an answer; the
        carryover was the one into their tax year (from the previous return)."""
        if not isinstance(data, dict) or not any(key in data for key in _SINGLE_YEAR_FIELDS):
            return data
        data = dict(data)
        old = {key: data.pop(key) for key in _SINGLE_YEAR_FIELDS if key in data}
        year = data.get("tax_year") or date.today().year  # not onboarded: the year it would have used
        income = old.get("other_income")
        answered = data.get("onboarded") or (income is not None and Decimal(str(income)) != 0)
        status = old.get("filing_status", "single")
        figures = YearFigures(
            filing_status=status if answered or status != "single" else None,
            wages=Decimal(str(income or 0)) if answered else None,
        )
        carried = Carryover(
            short=Decimal(str(old.get("carryover_short", 0))), long=Decimal(str(old.get("carryover_long", 0)))
        )
        years = Years(figures={year: figures}, carryovers={year: carried} if carried.short or carried.long else {})
        data.setdefault("years", years)
        return data

    def current_year(self, today: date) -> int:
        return self.tax_year or today.year


class Wizard(BaseModel):
    """A guided flow in progress: which question is open, its name and the answers so far."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str  # e.g. "buy", "sell", "onboarding", "settings"
    step: str  # e.g. "ASKING_SYMBOL"
    answers: Answers | None = None  # typed, one model per flow (conversations/drafts.py)
    # Names this question (conversations.kernel.question_name): a button that answers it carries
    # the same nonce, so one from an earlier question can't act on this one. "" for a question
    # stored before questions were named, whose buttons carried none.
    nonce: str = ""
    # True for a question asked since every one of its buttons (step answers like Today or No fees too)
    # carries its nonce. A question stored before (False) still takes its step's buttons that carry
    # none, as it did then; a newer one doesn't, so an old /buy's No fees can't answer it.
    buttons_named: bool = False

    @model_validator(mode="before")
    @classmethod
    def _typed_answers(cls, data: Any) -> Any:
        """Wizards stored by older releases: a dict of strings in `draft` (with the nonce among
        them), or an import preview keeping its nonce in its answers."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        draft = data.pop("draft", None) or {}
        if data.get("answers") is None and draft:
            data["answers"] = from_old_draft(str(data.get("flow")), draft)
            data.setdefault("nonce", draft.get("nonce", ""))
        answers = data.get("answers")
        if isinstance(answers, dict) and "nonce" in answers:
            answers = dict(answers)
            data.setdefault("nonce", answers.pop("nonce"))
            data["answers"] = answers
        return data


class UserState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    profile: Profile = Field(default_factory=Profile)
    trades: tuple[Trade, ...] = ()  # in the order entered; ids are unique per user
    splits: tuple[Split, ...] = ()  # stock splits the user told of (ids "S<n>", numbered with the trades)
    prices: dict[str, Decimal] = Field(default_factory=dict)
    wizard: Wizard | None = None
    last_added: tuple[str, ...] = ()  # trade ids the last entry added, for /undo
    next_trade_number: int = 1
    # Which trades (or split) each of the user's messages recorded, by message id: an edited message
    # changes what it recorded (conversations/editing.py). Message ids count per chat, so they live
    # with the user, never in one table across users.
    recorded: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # The first message whose records are kept (ids rise within a chat): an edit of an earlier one may
    # have recorded a trade nobody noted. None until the user's next message.
    messages_from: int | None = None

    @field_validator("prices")
    @classmethod
    def _one_key_per_security(cls, prices: dict[str, Decimal]) -> dict[str, Decimal]:
        # Prices saved before share classes had one form (BRK-B, BRK/B) are found under BRK.B.
        return {canonical_symbol(symbol): price for symbol, price in prices.items()}

    def trade(self, trade_id: str) -> Trade | None:
        # From the newest: the trade a button, an undo or an edit names is usually a recent one.
        return next((t for t in reversed(self.trades) if t.id == trade_id), None)

    def split(self, split_id: str) -> Split | None:
        return next((s for s in self.splits if s.id == split_id), None)

    def with_entry(self, entry: Trade | Split) -> UserState:
        """This state with one more numbered entry (a trade or a split told in the chat): the question
        that asked for it closed, it the one /undo takes back, and its number taken."""
        added = {"trades": (*self.trades, entry)} if isinstance(entry, Trade) else {"splits": (*self.splits, entry)}
        return self.model_copy(
            update={**added, "wizard": None, "last_added": (entry.id,), "next_trade_number": self.next_trade_number + 1}
        )

    def without_entry(self, entry: Trade | Split) -> UserState:
        """This state with a trade or split taken back out (/undo, /delete): no longer the one /undo takes."""
        last = tuple(i for i in self.last_added if i != entry.id)
        if isinstance(entry, Trade):
            return self.model_copy(
                update={"trades": tuple(t for t in self.trades if t.id != entry.id), "last_added": last}
            )
        return self.model_copy(update={"splits": tuple(s for s in self.splits if s.id != entry.id), "last_added": last})

    def blank(self) -> bool:
        """Nothing about the user (the trade counter aside): what /forget leaves."""
        return self.model_copy(update={"next_trade_number": 1}) == UserState()

    def linked(self, message: str, ids: tuple[str, ...]) -> UserState:
        """This state with `message` noted as the one that recorded `ids` (nothing for no message or ids)."""
        if not message or not ids:
            return self
        return self.model_copy(update={"recorded": {**self.recorded, message: ids}})


def in_place(
    before: Sequence[Trade], after: Sequence[Trade]
) -> tuple[list[tuple[Trade, Trade]], Sequence[Trade]] | None:
    """How `after` differs from `before` when it keeps its order (trades changed in place, same ids at
    the same places, and trades added at the end): the (old, new) pairs that are not the same object,
    and the added ones; None when it doesn't (a trade removed). By identity, one pass: unchanged
    trades are the same objects, and comparing every field of every trade costs tens of ms on a
    long history."""
    if len(after) < len(before):
        return None
    pairs = [(was, now) for was, now in zip(before, after, strict=False) if was is not now]
    if any(was.id != now.id for was, now in pairs):
        return None
    return pairs, after[len(before) :]
