"""How amounts and dates are written on the forms: 1,234.50, (125.00) for a loss, 01/10/2024."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def form_money(amount: Decimal) -> str:
    return f"({abs(amount):,.2f})" if amount < 0 else f"{amount:,.2f}"


def form_day(value: date) -> str:
    return value.strftime("%m/%d/%Y")
