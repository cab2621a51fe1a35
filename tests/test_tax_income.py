"""Interest, dividends and fund distributions on the return, worked by hand from the forms.

Form 1040 lines 2b (taxable interest), 3a (qualified dividends, 1099-DIV box 1b), 3b (ordinary
dividends, box 1a, the qualified ones included); Schedule D line 13 (capital gain distributions,
box 2a: long-term); the Qualified Dividends and Capital Gain Tax Worksheet; Form 8960 lines 1, 2,
5a and 12 (IRC 1411).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from calc import book, summarize_year
from calc.tax import TaxInput, compute_tax
from calc.years import TaxYears, YearFigures, Years
from tests.ledger import trades

D = Decimal


def test_qualified_dividends_and_distributions_meet_the_0_percent_band_2024_single() -> None:
    # Wages 50,000; interest 2,000; dividends 5,000 (box 1a) of which 3,000 qualified (box 1b);
    # capital gain distributions 4,000 (box 2a). AGI = 50,000 + 2,000 + 5,000 + 4,000 = 61,000;
    # taxable = 61,000 - 14,600 = 46,400. QDCG worksheet: line 2 = 3,000, line 3 = 4,000 (Schedule D
    # lines 15 and 16 are both the 4,000 of line 13), line 4 = 7,000, line 5 = 39,400.
    # Line 7 = min(46,400, 47,025) = 46,400; line 8 = 39,400; line 9 = 7,000 taxed at 0%.
    # Tax Table on 39,400 (row 39,400-39,450, midpoint 39,425): 1,160 + 12% of 27,825 (3,339) = 4,499.
    r = compute_tax(
        TaxInput(
            year=2024,
            filing_status="single",
            wages=D(50000),
            interest=D(2000),
            ordinary_dividends=D(5000),
            qualified_dividends=D(3000),
            capital_gain_distributions=D(4000),
        )
    )
    assert (r.agi, r.taxable_income, r.ordinary_taxable_income) == (61000, 46400, 39400)
    assert (r.capital_gain, r.preferential_income, r.taxed_at_0) == (4000, 7000, 7000)
    assert r.income_tax == 4499
    # The same 7,000 taken as wages (what "other income" did before) is ordinary: Tax Table on 46,400
    # (midpoint 46,425) = 1,160 + 12% of 34,825 (4,179) = 5,339: 840 more, 12% of 7,000.
    as_wages = compute_tax(
        TaxInput(year=2024, filing_status="single", wages=D(57000), interest=D(2000), ordinary_dividends=D(2000))
    )
    assert as_wages.income_tax - r.income_tax == 840


def test_qualified_dividends_stack_with_long_term_gain_across_the_20_percent_line_2024_single() -> None:
    # Wages 510,000; dividends 10,000, all qualified; long-term gain 20,000. AGI 540,000, taxable 525,400.
    # Line 4 = 10,000 + 20,000 = 30,000; line 5 = 495,400. The 0% band (47,025) is filled by ordinary income.
    # Line 14 = min(525,400, 518,900) = 518,900; line 16 = 518,900 - 495,400 = 23,500 at 15% = 3,525;
    # the other 6,500 at 20% = 1,300. Schedule on 495,400: 1,160 + 4,266 + 11,742.50 + 21,942 + 16,568
    # + 35% of 251,675 (88,086.25) = 143,764.75; line 23 = 148,589.75.
    # NIIT: investment income 10,000 + 20,000 = 30,000 < MAGI over 200,000 -> 3.8% = 1,140.
    r = compute_tax(
        TaxInput(year=2024, filing_status="single", wages=D(510000), qualified_dividends=D(10000), long_term=D(20000))
    )
    assert (r.taxed_at_0, r.taxed_at_15, r.taxed_at_20) == (0, 23500, 6500)
    assert r.income_tax == D("148589.75")
    assert (r.net_investment_income, r.niit) == (30000, D("1140.00"))
    assert r.total == r.income_tax + r.amt + r.niit


def test_distributions_net_against_sale_losses_and_niit_takes_the_allowed_loss_2025_single() -> None:
    # Wages 250,000; interest 10,000; dividends 20,000 (15,000 qualified); distributions 5,000; a
    # short-term loss of 10,000 from sales. Schedule D: line 7 = -10,000, line 15 = 5,000 (line 13),
    # line 16 = -5,000 -> line 21 = -3,000. AGI = 250,000 + 10,000 + 20,000 - 3,000 = 277,000.
    # QDCG line 3 is 0 (line 16 is a loss): only the 15,000 of qualified dividends is preferential.
    # Form 8960: line 1 10,000 + line 2 20,000 + line 5a -3,000 = 27,000; MAGI over 200,000 = 77,000;
    # 3.8% of 27,000 = 1,026.
    r = compute_tax(
        TaxInput(
            year=2025,
            filing_status="single",
            wages=D(250000),
            interest=D(10000),
            ordinary_dividends=D(20000),
            qualified_dividends=D(15000),
            capital_gain_distributions=D(5000),
            short_term=D(-10000),
        )
    )
    assert (r.capital_gain, r.capital_loss_deduction, r.agi) == (-3000, 3000, 277000)
    assert r.preferential_income == 15000
    assert (r.net_investment_income, r.niit_base, r.niit) == (27000, 27000, D("1026.00"))


def test_interest_alone_is_investment_income_and_ordinary_2025_mfj() -> None:
    # Wages 240,000 and interest 30,000, joint: MAGI 270,000 is 20,000 over 250,000, less than the
    # 30,000 of interest -> NIIT on 20,000 = 760. Nothing is preferential.
    r = compute_tax(TaxInput(year=2025, filing_status="mfj", wages=D(240000), interest=D(30000)))
    assert (r.preferential_income, r.niit_base, r.niit) == (0, 20000, D("760.00"))


def test_ordinary_dividends_left_out_are_the_qualified_ones() -> None:
    # Only qualified_dividends given: box 1a is taken to be the same (every dividend qualified).
    data = TaxInput(year=2024, filing_status="single", qualified_dividends=D(1200))
    assert (data.ordinary_dividends, data.nonqualified_dividends) == (1200, 0)
    assert (
        TaxInput(
            year=2024, filing_status="single", qualified_dividends=D(5), ordinary_dividends=None
        ).ordinary_dividends
        == 5
    )


def test_qualified_dividends_more_than_ordinary_ones_is_refused() -> None:
    with pytest.raises(ValidationError, match="box 1b"):
        TaxInput(year=2024, filing_status="single", qualified_dividends=D(1200), ordinary_dividends=D(1000))


def test_distributions_use_up_a_long_term_carryover_first() -> None:
    # Long-term carryover 10,000, distributions 4,000, no sales: line 15 = 4,000 - 10,000 = -6,000.
    # Deducted 3,000; Carryover Worksheet: line 9 = 6,000, line 11 = 3,000, line 12 = 3,000 ->
    # 3,000 long-term carried on.
    s = summarize_year([], 2025, carryover_long=D(10000), capital_gain_distributions=D(4000))
    assert (s.long_term_net, s.deductible_loss, s.carryforward_long, s.carryforward_short) == (-6000, 3000, 3000, 0)


def test_distributions_in_the_year_from_the_planner_context() -> None:
    # A 2025 short-term sale loses 10,000 (100 sh bought at 150, sold at 50); the fund paid 4,000 of
    # capital gain distributions. Line 7 = -10,000, line 15 = 4,000, line 16 = -6,000: 3,000 deducted,
    # carried forward short-term 10,000 - (3,000 + 4,000) = 3,000 (worksheet lines 5-8).
    ledger = book(
        trades(
            """
            2025-02-03 buy  100 XYZ 150
            2025-06-02 sell 100 XYZ 50
            """
        )
    )
    figures = YearFigures(wages=D(100000), capital_gain_distributions=D(4000), interest=D(500))
    years = TaxYears(ledger, Years(figures={2025: figures}))
    s = years.summary(2025)
    assert (s.short_term_net, s.long_term_net, s.carryforward_short) == (-10000, 4000, 3000)
    r = years.view(2025).with_gains
    # AGI = 100,000 + 500 - 3,000 = 97,500: the distributions are inside the netted loss, not added again.
    assert (r.capital_gain, r.agi, r.preferential_income) == (-3000, 97500, 0)
