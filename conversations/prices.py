"""Where prices come from. Today: what the user told us with /price. A live quote
provider plugs in by implementing PriceSource and being passed where prices are read."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from conversations.state import UserState


class PriceSource(Protocol):
    def prices(self, state: UserState, symbols: set[str]) -> dict[str, Decimal]:
        """Current prices for `symbols` (those it knows)."""
        ...


class ManualPrices:
    """The default: the last price the user recorded for each symbol."""

    def prices(self, state: UserState, symbols: set[str]) -> dict[str, Decimal]:
        return {s: p for s, p in state.prices.items() if s in symbols}


DEFAULT_SOURCE: PriceSource = ManualPrices()
