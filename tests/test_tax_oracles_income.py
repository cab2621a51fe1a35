"""Differential tests of interest, dividends and capital gain distributions against the oracles.

The same two independent implementations as test_tax_oracles.py, the same $1 tolerance and
errata, on returns that have what a retail investor's 1099-INT and 1099-DIV bring: taxable
interest, ordinary dividends (box 1a) with a qualified part (box 1b), and a fund's capital
gain distributions (box 2a), beside wages and sales. They exercise the QDCG worksheet's
stacking of qualified dividends with long-term gain, distributions netted on Schedule D
line 13 against sales' losses and the loss limit, and Form 8960's investment income.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from calc.models import FILING_STATUSES
from calc.tax import TaxInput
from tests.test_tax_oracles import open_tax_solver_mismatches, tax_calculator_mismatches

RETURNS_PER_YEAR = 400


def returns_with_investment_income(year: int, count: int, seed: int) -> list[TaxInput]:
    rng = random.Random(seed * 10_000 + year)
    returns = []
    for _ in range(count):
        wages = rng.choice([0, rng.randint(0, 60_000), rng.randint(0, 250_000), rng.randint(0, 1_000_000)])
        ordinary = rng.choice([0, rng.randint(0, 5_000), rng.randint(0, 80_000)])
        qualified = rng.choice([0, ordinary, rng.randint(0, ordinary)])
        no_sales = rng.random() < 0.3  # distributions alone: a fund holder who sold nothing
        returns.append(
            TaxInput(
                year=year,
                filing_status=rng.choice(FILING_STATUSES),
                wages=Decimal(wages),
                interest=Decimal(rng.choice([0, rng.randint(0, 3_000), rng.randint(0, 60_000)])),
                ordinary_dividends=Decimal(ordinary),
                qualified_dividends=Decimal(qualified),
                capital_gain_distributions=Decimal(rng.choice([0, rng.randint(0, 4_000), rng.randint(0, 50_000)])),
                short_term=Decimal(0 if no_sales else rng.choice([0, rng.randint(-60_000, 40_000)])),
                long_term=Decimal(0 if no_sales else rng.choice([0, rng.randint(-60_000, 300_000)])),
            )
        )
    return returns


@pytest.mark.parametrize("year", range(2018, 2026))
def test_investment_income_matches_open_tax_solver(year: int) -> None:
    failures = open_tax_solver_mismatches(returns_with_investment_income(year, RETURNS_PER_YEAR, seed=3))
    assert not failures, f"{len(failures)} mismatches, first: {failures[:3]}"


@pytest.mark.parametrize("year", range(2018, 2027))
def test_investment_income_matches_tax_calculator(year: int, monkeypatch: pytest.MonkeyPatch) -> None:
    returns = returns_with_investment_income(year, 1_000 if year == 2026 else RETURNS_PER_YEAR, seed=4)
    # Half the returns whose only capital gain is a distribution skip Schedule D (Form 1040 line 7's box),
    # as Tax-Calculator's e01100 models; the rest go through Schedule D line 13.
    direct = frozenset(
        i
        for i, r in enumerate(returns)
        if r.capital_gain_distributions and not r.short_term and not r.long_term and i % 2
    )
    failures = tax_calculator_mismatches(year, returns, monkeypatch, without_schedule_d=direct)
    assert not failures, f"{len(failures)} mismatches, first: {failures[:3]}"
