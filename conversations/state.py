"""What the bot remembers about one user: profile, trades, prices, and where a wizard stands."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from calc.models import ZERO, FilingStatus, Split, Trade, canonical_symbol


class Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    onboarded: bool = False
    tax_year: int | None = None
    filing_status: FilingStatus = "single"
    other_income: Decimal = ZERO  # wages and other ordinary income expected for the tax year
    carryover_short: Decimal = ZERO  # capital-loss carryover into tax_year, as positive amounts
    carryover_long: Decimal = ZERO
    locale: str = "en_US"
    timezone: str = "America/New_York"
    reminders: bool = True  # year-end, long-term crossover and wash-sale window reminders
    reminder_days: int = 7  # remind of a lot turning long-term this many days ahead


class Wizard(BaseModel):
    """A guided flow in progress: which question is open and the answers so far."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str  # e.g. "buy", "sell", "onboarding", "settings"
    step: str  # e.g. "ASKING_SYMBOL"
    draft: dict[str, str] = Field(default_factory=dict)


class UserState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    profile: Profile = Field(default_factory=Profile)
    trades: tuple[Trade, ...] = ()  # in the order entered; ids are unique per user
    splits: tuple[Split, ...] = ()  # stock splits the user told of (ids "S<n>", numbered with the trades)
    prices: dict[str, Decimal] = Field(default_factory=dict)
    wizard: Wizard | None = None
    last_added: tuple[str, ...] = ()  # trade ids the last entry added, for /undo
    next_trade_number: int = 1

    @field_validator("prices")
    @classmethod
    def _one_key_per_security(cls, prices: dict[str, Decimal]) -> dict[str, Decimal]:
        # Prices saved before share classes had one form (BRK-B, BRK/B) are found under BRK.B.
        return {canonical_symbol(symbol): price for symbol, price in prices.items()}

    def trade(self, trade_id: str) -> Trade | None:
        return next((t for t in self.trades if t.id == trade_id), None)

    def split(self, split_id: str) -> Split | None:
        return next((s for s in self.splits if s.id == split_id), None)
