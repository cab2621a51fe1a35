"""Years that chain: each year's Schedule D starts from the carryover the year before left, figured
on the Capital Loss Carryover Worksheet (Schedule D instructions) with that year's own income.

Each history is a tiny ledger; the worksheet arithmetic is written beside each figure
(line numbers are the worksheet's: 1 taxable income, 2 the loss deducted, 3 = 1 + 2 (not below 0),
4 = smaller of 2 and 3, 5-8 short-term, 9-13 long-term).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from calc import book
from calc.years import Carryover, TaxYears, YearFigures, Years
from tests.ledger import ledger

D = Decimal

# Single, $80,000 of wages every year (the first example).
SINGLE = """
2021-01-04 buy  100 BBB 100
2021-06-01 buy   10 CCC 100
2022-01-03 buy  100 AAA 100
2022-03-01 sell 100 BBB 40
2022-06-01 sell 100 AAA 20
2023-05-01 sell  10 CCC 300
2024-01-02 buy   10 DDD 100
2024-03-01 sell  10 DDD 200
"""


def single_years(wages: str = "80000") -> TaxYears:
    return TaxYears(book(ledger(SINGLE)), Years.one(2022, wages=D(wages)))


def test_a_three_year_chain_for_a_single_filer() -> None:
    years = single_years()
    y2022, y2023, y2024, y2025, y2026 = (years.summary(y) for y in range(2022, 2027))
    # 2022: short -8,000 (AAA), long -6,000 (BBB); net -14,000; 3,000 deducted.
    # Worksheet: 5 = 8,000; 7 = 4 + 6 = 3,000 + 0; 8 = 5,000 short. 9 = 6,000; 11 = max(0, 3,000 - 8,000) = 0;
    # 13 = 6,000 long.
    assert (y2022.short_term_net, y2022.long_term_net, y2022.deductible_loss) == (-8000, -6000, 3000)
    assert (y2022.carryforward_short, y2022.carryforward_long) == (5000, 6000)
    # 2023: a 2,000 long-term gain (CCC) against the carryover: short -5,000, long 2,000 - 6,000 = -4,000,
    # net -9,000, 3,000 deducted. 8 = 5,000 - 3,000 = 2,000 short; 11 = max(0, 3,000 - 5,000) = 0; 13 = 4,000.
    assert (y2023.carryover_short, y2023.carryover_long) == (5000, 6000)
    assert (y2023.short_term_net, y2023.long_term_net, y2023.net) == (-5000, -4000, -9000)
    assert (y2023.carryforward_short, y2023.carryforward_long) == (2000, 4000)
    # 2024: a 1,000 short-term gain (DDD): short 1,000 - 2,000 = -1,000, long -4,000, net -5,000.
    # 5 = 1,000; 8 = max(0, 1,000 - 3,000) = 0. 11 = 4 - 5 = 2,000; 12 = 2,000; 13 = 4,000 - 2,000 = 2,000 long.
    assert (y2024.net, y2024.carryforward_short, y2024.carryforward_long) == (-5000, 0, 2000)
    # 2025: nothing sold; the 2,000 long-term carryover is deducted in full and nothing is left.
    assert (y2025.carryover_long, y2025.deductible_loss, y2025.carryforward_long) == (2000, 2000, 0)
    assert (y2026.carryover_short, y2026.carryover_long) == (0, 0)


def test_sales_that_only_use_up_carryover_add_no_tax() -> None:
    years = single_years()
    # 2023: with the sale the net is -9,000, without it -11,000: 3,000 is deducted either way.
    assert years.view(2023).added == 0
    # 2024: -5,000 with the 1,000 gain, -6,000 without: again 3,000 either way.
    assert years.view(2024).added == 0
    # 2025's tax is lower by the 2,000 deduction: 80,000 - 15,750 (2025 standard deduction) - 2,000 = 62,250.
    assert years.view(2025).with_gains.taxable_income == 62250


def test_each_year_is_the_same_whichever_year_is_asked_first() -> None:
    forward = single_years()
    backward = single_years()
    for year in (2025, 2024, 2023, 2022):
        backward.summary(year)
    assert [forward.summary(y) for y in range(2022, 2026)] == [backward.summary(y) for y in range(2022, 2026)]


# Married filing jointly: a 20,000 short-term loss in 2023, a year of little income in 2024, a
# long-term gain in 2025.
MFJ = """
2023-01-03 buy  200 AAA 150
2023-05-01 sell 200 AAA 50
2024-01-02 buy  100 BBB 100
2025-02-03 sell 100 BBB 150
"""


def mfj_years() -> TaxYears:
    figures = {
        2023: YearFigures(filing_status="mfj", wages=D(120000)),
        2024: YearFigures(filing_status="mfj", wages=D(10000)),
        2025: YearFigures(filing_status="mfj", wages=D(120000)),
    }
    return TaxYears(book(ledger(MFJ)), Years(figures=figures))


def test_a_carryover_outlives_a_year_of_low_income() -> None:
    years = mfj_years()
    y2023, y2024, y2025 = (years.summary(y) for y in (2023, 2024, 2025))
    # 2023: -20,000 short; 120,000 - 27,700 leaves room: 3,000 deducted, 17,000 carried.
    assert (y2023.deductible_loss, y2023.carryforward_short) == (3000, 17000)
    # 2024: nothing sold; 10,000 of wages less the 29,200 joint standard deduction is -19,200.
    # Line 21 still shows -3,000, but worksheet line 1 = -19,200 - 3,000 = -22,200; 3 = max(0, -22,200 + 3,000)
    # = 0; 4 = 0: none of the loss is used up, all 17,000 carries on.
    assert (y2024.carryover_short, y2024.deductible_loss, y2024.carryforward_short) == (17000, 3000, 17000)
    # 2025: a 5,000 long-term gain (BBB held over a year). Short -17,000, long 5,000, net -12,000.
    # 5 = 17,000; 6 = 5,000; 7 = 3,000 + 5,000 = 8,000; 8 = 9,000 short. No long-term loss to carry.
    assert (y2025.net, y2025.carryforward_short, y2025.carryforward_long) == (-12000, 9000, 0)
    assert years.summary(2026).carryover_short == 9000


# Married filing separately: the limit is $1,500 (IRC 1211(b)(1)).
MFS = """
2023-01-03 buy  100 AAA 100
2024-01-02 buy  100 BBB 100
2024-02-01 sell 100 AAA 90
2024-06-03 sell 100 BBB 60
2024-07-01 buy   10 CCC 100
2026-08-03 sell  10 CCC 150
"""


def test_a_three_year_chain_married_filing_separately() -> None:
    years = TaxYears(book(ledger(MFS)), Years.one(2024, filing_status="mfs", wages=D(60000)))
    y2024, y2025, y2026 = (years.summary(y) for y in (2024, 2025, 2026))
    # 2024: long -1,000 (AAA held over a year), short -4,000 (BBB); net -5,000; 1,500 deducted.
    # 5 = 4,000; 7 = 1,500; 8 = 2,500 short. 9 = 1,000; 11 = max(0, 1,500 - 4,000) = 0; 13 = 1,000 long.
    assert (y2024.deductible_loss, y2024.carryforward_short, y2024.carryforward_long) == (1500, 2500, 1000)
    # 2025 (no sales, 2024's figures borrowed): short -2,500, long -1,000; 1,500 deducted from the short-term
    # part first: 8 = 2,500 - 1,500 = 1,000; 11 = max(0, 1,500 - 2,500) = 0; 13 = 1,000.
    assert (y2025.deductible_loss, y2025.carryforward_short, y2025.carryforward_long) == (1500, 1000, 1000)
    # 2026: a 500 long-term gain (CCC). Short -1,000, long 500 - 1,000 = -500, net -1,500: all 1,500 deducted.
    # 8 = max(0, 1,000 - 1,500) = 0; 11 = 1,500 - 1,000 = 500; 12 = 500; 13 = 500 - 500 = 0.
    assert (y2026.net, y2026.deductible_loss, y2026.carryforward_short, y2026.carryforward_long) == (
        -1500,
        1500,
        0,
        0,
    )


def test_a_stated_carryover_starts_the_chain_and_belongs_to_its_year() -> None:
    # Onboarded for 2024 with a 5,000 short-term carryover, and a 1,000 short-term gain in 2024.
    trades = book(ledger("2024-01-02 buy 10 XYZ 100\n2024-03-01 sell 10 XYZ 200"))
    years = TaxYears(trades, Years.one(2024, wages=D(85000), carryover_short=D(5000)))
    # 2024: 1,000 - 5,000 = -4,000; 3,000 deducted; 8 = 4,000 - 3,000 = 1,000 into 2025.
    assert years.summary(2024).carryforward_short == 1000
    assert years.view(2024).added == 0  # -5,000 without the gain, -4,000 with: 3,000 deducted either way
    # 2025 starts from 2024's carryforward, not from the 5,000 stated for 2024.
    assert years.summary(2025).carryover_short == 1000
    # A carryover stated for a later year (from a return already filed) replaces the figured one there.
    stated = Years.one(2024, wages=D(85000), carryover_short=D(5000)).with_carryover(2025, D(700), D(0))
    assert TaxYears(trades, stated).summary(2025).carryover_short == 700


def test_a_year_without_figures_borrows_the_nearest_years() -> None:
    years = Years(
        figures={
            2022: YearFigures(filing_status="mfj", wages=D(80000)),
            2025: YearFigures(wages=D(120000), qualified_dividends=D(1200)),
        }
    )
    f2024 = years.resolve(2024)
    assert (f2024.income_from, f2024.wages, f2024.qualified_dividends) == (2025, 120000, 1200)
    assert (f2024.status_from, f2024.filing_status) == (2022, "mfj")
    # A tie goes to the earlier year: 2023 is one year from 2022 and two from 2025.
    assert years.resolve(2023).income_from == 2022
    assert years.resolve(2025).income_from == 2025
    nothing = Years().resolve(2026)
    assert (nothing.income_from, nothing.status_from, nothing.wages, nothing.filing_status) == (
        None,
        None,
        0,
        "single",
    )


def test_dividends_and_distributions_reach_the_return() -> None:
    # 2026, single: 100,000 wages, 2,000 interest, 3,000 ordinary dividends of which 1,200 qualified,
    # 500 of capital gain distributions (Schedule D line 13, long-term).
    figures = YearFigures(
        filing_status="single",
        wages=D(100000),
        interest=D(2000),
        ordinary_dividends=D(3000),
        qualified_dividends=D(1200),
        capital_gain_distributions=D(500),
    )
    view = TaxYears(book([]), Years(figures={2026: figures})).view(2026)
    i = view.tax_input
    assert (i.wages, i.interest, i.ordinary_dividends, i.qualified_dividends) == (100000, 2000, 3000, 1200)
    # Line 13 is in Schedule D line 15 (the chain's netting), and TaxInput adds it to long_term itself.
    assert view.summary.long_term_net == 500 and (i.long_term, i.capital_gain_distributions) == (0, 500)
    # AGI: 100,000 + 2,000 + 3,000 (line 3b, the qualified 1,200 included) + 500 = 105,500.
    assert view.with_gains.agi == 105500
    # With no sales the year's sales add nothing, the distributions staying in both returns.
    assert view.added == 0


@pytest.mark.parametrize("status", ["single", "mfj", "mfs", "hoh", "qss"])
def test_the_loss_limit_is_the_statutes(status: str) -> None:
    view = TaxYears(book([]), Years(figures={2026: YearFigures(filing_status=status)})).view(2026)
    assert view.loss_limit == (1500 if status == "mfs" else 3000)


def test_stated_carryovers_are_not_negative() -> None:
    with pytest.raises(ValueError):
        Carryover(short=D(-1))


def test_sales_before_the_first_known_law_leave_the_chain_to_a_stated_carryover() -> None:
    # A history imported from 2015: the engine has no 2015 law, so the chain starts in 2018, from the
    # carryover the user states for it (their 2017 return).
    trades = book(ledger("2015-01-05 buy 10 XYZ 100\n2015-06-01 sell 10 XYZ 50\n2018-01-02 buy 1 XYZ 10"))
    years = TaxYears(trades, Years.one(2018, wages=D(80000), carryover_short=D(2000)))
    assert years.first_year() == 2018
    assert years.summary(2018).carryover_short == 2000 and years.summary(2019).carryover_short == 0


def test_capital_gain_distributions_stay_in_their_year() -> None:
    # 2025's figures lend 2026 their wages, not their Schedule D line 13: that is 2025's alone.
    years = Years(figures={2025: YearFigures(wages=D(90000), capital_gain_distributions=D(700))})
    assert years.resolve(2025).capital_gain_distributions == 700
    f2026 = years.resolve(2026)
    assert (f2026.income_from, f2026.wages, f2026.capital_gain_distributions) == (2025, 90000, 0)
