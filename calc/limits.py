"""The ranges and precision a trade's numbers may have, on every path (typed, imported, edited, stored).

Decimal arithmetic keeps 28 significant digits: shares times a price past these bounds can
no longer be rounded to the cent (decimal.InvalidOperation), and a quantity with 30 decimal
places prints as its rounded self ("you held 0.1, so you can't sell 0.1"). Within them every
product and sum the engine forms stays exact to the cent: at most 10^9 shares with 8 decimal
places (a satoshi), at most $10^9 a share with 6 decimal places, fees to 14 places.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Literal


class OutOfBounds(ValueError):
    """A number outside its range or with more decimal places than kept; the text says which."""


@dataclass(frozen=True)
class Bound:
    what: str
    maximum: Decimal
    places: int

    def problem(self, value: Decimal) -> str | None:
        """What is wrong with `value`, in words, or None."""
        if not value.is_finite():
            return f"the {self.what} isn't a number"
        if value > self.maximum:
            return f"the {self.what} can't be more than {self.maximum:,f}"
        if _places(value) > self.places:
            return f"the {self.what} can have at most {self.places} decimal places"
        return None

    def check(self, value: Decimal) -> Decimal:
        problem = self.problem(value)
        if problem is not None:
            raise OutOfBounds(problem)
        return value


def _places(value: Decimal) -> int:
    """Decimal places without trailing zeros, exactly (normalize() would round to 28 digits first)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if not any(digits):
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros))


SHARES = Bound("number of shares", Decimal(10**9), 8)
PRICE = Bound("price", Decimal(10**9), 6)
# Fees to the places shares x price can have: a fee figured from a broker's exact cash amount
# (what is left after the price rounded to 6 places) is exact only there.
FEES = Bound("fees", Decimal(10**9), SHARES.places + PRICE.places)
MONEY = Bound("amount", Decimal(10**12), 6)
SPLIT_RATIO = Decimal(
    1000
)  # a split ratio beyond 1000:1 either way is a typo, not a split  # other amounts people type: income, carryover


_NAMES = {"quantity": "number of shares", "price": "price", "fees": "fees", "fmv": "market value"}


def out_of_bounds(error: Exception) -> list[str]:
    """The reasons, if a model refused a trade's number for being out of bounds (pydantic wraps them):
    past calc.limits, or zero or negative where the model wants more."""
    errors = getattr(error, "errors", None)
    if not callable(errors):
        return []
    reasons = []
    for e in errors():
        name = _NAMES.get(str(e["loc"][-1])) if e.get("loc") else None
        if isinstance(e.get("ctx", {}).get("error"), OutOfBounds):
            reasons.append(str(e["ctx"]["error"]))
        elif name and e["type"] == "greater_than":
            reasons.append(f"the {name} must be more than zero")
        elif name and e["type"] == "greater_than_equal":
            reasons.append(f"the {name} can't be negative")
    return reasons


def per_share(total: Decimal, shares: Decimal, side: Literal["buy", "sell"]) -> tuple[Decimal, Decimal]:
    """A trade's total cash as a price to PRICE.places and a fee for the rest, never negative, so the
    total stays exact: shares x price + fee for a purchase, shares x price - fee for a sale. (A price
    of 9,500 / 341 has 28 digits; kept as it is, it would pass no bound and print as its rounding.)"""
    rounding = ROUND_FLOOR if side == "buy" else ROUND_CEILING
    price = (total / shares).quantize(Decimal(1).scaleb(-PRICE.places), rounding=rounding)
    return price, (total - shares * price) if side == "buy" else (shares * price - total)
