"""Schedule D netting, the loss limit and the carryover worksheet; equity compensation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Disposition, TaxInput, book, carry_forward, compute_tax, realize, summarize_year
from calc.form8949 import form_8949
from calc.netting import carryovers
from calc.years import TaxYears, Years
from tests.ledger import ledger

D = Decimal


def short_and_long(short: int, long: int) -> list[Disposition]:
    """One short-term and one long-term sale in 2024 with the given gains (negative: losses)."""
    return realize(
        ledger(f"""
        2024-01-02 buy 1 S 100000
        2024-06-03 sell 1 S {100000 + short}
        2022-01-03 buy 1 L 100000
        2024-06-03 sell 1 L {100000 + long}
        """)
    )


def test_issue_api_example() -> None:
    ds = realize(
        ledger("""
        2024-01-10 buy  100 XYZ 20
        2024-03-01 sell 100 XYZ 15
        2023-01-03 buy  10 ABC 100
        2024-06-03 sell 10 ABC 300
        """)
    )
    s = summarize_year(ds, 2024, carryover_short=D(0), carryover_long=D(0))
    assert (s.short_term_net, s.long_term_net, s.deductible_loss) == (-500, 2000, 0)
    assert (s.carryforward_short, s.carryforward_long) == (0, 0)


@pytest.mark.parametrize(
    ("short", "long", "status", "deducted", "carry_short", "carry_long"),
    [
        (-10000, 2000, "single", 3000, 5000, 0),  # line 8: 10,000 - (3,000 + 2,000)
        (1000, -10000, "single", 3000, 0, 6000),  # line 13: 10,000 - (1,000 + 3,000)
        (-2000, -5000, "mfj", 3000, 0, 4000),  # short-term loss used first
        (-2000, -5000, "mfs", 1500, 500, 5000),  # $1,500 separate
        (-1000, 0, "single", 1000, 0, 0),
    ],
)
def test_capital_loss_carryover_worksheet(
    short: int, long: int, status: str, deducted: int, carry_short: int, carry_long: int
) -> None:
    ds = short_and_long(short, long)
    s = summarize_year(ds, 2024, filing_status=status)  # type: ignore[arg-type]
    assert (s.deductible_loss, s.carryforward_short, s.carryforward_long) == (deducted, carry_short, carry_long)


def test_small_taxable_income_limits_the_loss_used() -> None:
    # Worksheet line 1 negative: taxable income -1,000 with a 3,000 deduction uses only 2,000.
    assert carryovers(D(-10000), D(0), D(3000), taxable_income=D(-1000)) == (D(8000), D(0))


def test_carryforward_chains_years_and_keeps_character() -> None:
    ds = realize(ledger("2023-01-02 buy 1 S 20000\n2023-06-03 sell 1 S 10000"))
    years = carry_forward(ds, 2023, 2026, carryover_short=D(0), carryover_long=D(500))
    assert [(y.deductible_loss, y.carryforward_short, y.carryforward_long) for y in years] == [
        (3000, 7000, 500),
        (3000, 4000, 500),
        (3000, 1000, 500),
        (1500, 0, 0),  # 1,000 short + 500 long left: both used
    ]


@settings(max_examples=100, deadline=None)
@given(st.integers(-50000, 50000), st.integers(-50000, 50000), st.sampled_from(["single", "mfs"]))
def test_netting_identities(short: int, long: int, status: str) -> None:
    """Carried forward + deducted = the net loss; nothing carries forward from a net gain."""
    ds = short_and_long(short, long)
    s = summarize_year(ds, 2024, filing_status=status)  # type: ignore[arg-type]
    assert s.net == s.short_term_net + s.long_term_net == short + long
    if s.net >= 0:
        assert s.carryforward_short == s.carryforward_long == s.deductible_loss == 0
    else:
        assert s.carryforward_short + s.carryforward_long + s.deductible_loss == -s.net
        # The same limit compute_tax applies.
        r = compute_tax(
            TaxInput(year=2024, filing_status=status, wages=D(200000), short_term=D(short), long_term=D(long))
        )
        assert r.capital_loss_deduction == s.deductible_loss


def test_nso_exercise_is_wages_with_fmv_basis() -> None:
    # The issue's example: 1,000 NSO shares, strike $1,000, fair market value $9,000.
    led = book(ledger("2025-03-03 buy 1000 XYZ 1000 source=nso fmv=9000"))
    assert led.wages(2025) == D(8_000_000)
    assert led.lots[0].basis == D(9_000_000)
    r = compute_tax(TaxInput(year=2025, filing_status="single", wages=led.wages(2025), short_term=D(-500000)))
    assert r.capital_loss_deduction == 3000  # harvested losses reach the option income only $3,000 a year


def test_iso_exercise_is_an_amt_adjustment_with_strike_basis() -> None:
    led = book(ledger("2025-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2023-01-02"))
    assert led.wages(2025) == 0 and led.amt_adjustments(2025) == 4000
    assert led.lots[0].basis == 1000


def test_iso_disqualifying_disposition_makes_wages() -> None:
    led = book(ledger("2025-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2024-06-03\n2025-09-02 sell 100 XYZ 70"))
    (d,) = led.dispositions
    # Sold within a year of exercise: the bargain element (4,000) is wages; the rest (2,000) is short-term gain.
    assert led.wages(2025) == 4000
    assert d.gain == 2000 and d.term == "short"


def test_iso_disqualifying_sale_on_form_8949_corrects_the_brokers_basis_with_code_b() -> None:
    # The broker's 1099-B basis leaves out the $4,000 of wages (Treas. Reg. 1.6045-1(d)(6)(ii)(C), options
    # granted after 2013): box A keeps its $1,000 in (e), code B, -$4,000 in (g): (h) = 7,000 - 1,000 - 4,000.
    led = book(ledger("2025-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2024-06-03\n2025-09-02 sell 100 XYZ 70"))
    row = form_8949(led.dispositions, 2025, "A").short.rows[0]
    assert (row.basis, row.code, row.adjustment, row.gain) == (D(1000), "B", D(-4000), D(2000))
    # A qualifying sale made no wages: nothing to correct.
    led = book(ledger("2023-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2021-06-03\n2025-09-02 sell 100 XYZ 70"))
    row = form_8949(led.dispositions, 2025, "A").long.rows[0]
    assert (row.basis, row.code, row.adjustment, row.gain) == (D(1000), "", D(0), D(6000))


def test_iso_qualifying_disposition_is_all_long_term_gain() -> None:
    led = book(ledger("2023-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2021-06-03\n2025-09-02 sell 100 XYZ 70"))
    (d,) = led.dispositions
    assert led.wages(2025) == 0 and d.gain == 6000 and d.term == "long"


def test_rsu_vest_is_income_and_basis() -> None:
    led = book(ledger("2025-03-03 buy 10 XYZ 0 source=rsu fmv=120"))
    assert led.wages(2025) == 1200 and led.lots[0].basis == 1200
    assert led.lots[0].acquired == date(2025, 3, 3)


def test_iso_sold_in_the_year_of_exercise_has_no_amt_adjustment() -> None:
    # Exercise-and-sell: the bargain element is wages, and Form 6251's instructions for line 2i say
    # no AMT adjustment is required for stock disposed of in the year of exercise.
    led = book(ledger("2025-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2024-01-02\n2025-03-03 sell 100 XYZ 50"))
    assert led.wages(2025) == 4000 and led.amt_adjustments(2025) == 0
    # Sold in part, and at a loss: the adjustment leaves for the shares sold only, whatever the price.
    led = book(ledger("2025-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2024-01-02\n2025-05-01 sell 25 XYZ 8"))
    assert led.wages(2025) == 0 and led.amt_adjustments(2025) == 3000
    # Exercised in December, sold in January: the adjustment stays in the year of exercise, and the
    # $4,000 of wages the sale makes were AMT income in 2024 already, so they leave 2025's AMT income.
    led = book(ledger("2024-12-02 buy 100 XYZ 10 source=iso fmv=50 grant_date=2023-01-02\n2025-01-06 sell 100 XYZ 60"))
    assert led.amt_adjustments(2024) == 4000 and led.wages(2025) == 4000 and led.amt_adjustments(2025) == -4000
    # The $1,000 capital gain is the same either way: $6,000 less the $5,000 AMT basis.
    assert led.dispositions[0].gain == 1000 and led.dispositions[0].amt_gain is None
    assert [r.rule for r in led.dispositions[0].reasons].count("equity.iso_amt_basis") == 1


def test_iso_bargain_element_follows_a_split() -> None:
    # 100 shares at strike 10, worth 50: a 4,000 bargain element, the same over 300 shares after 3-for-1.
    led = book(
        ledger("""
        2025-03-03 buy 100 XYZ 10 source=iso fmv=50 grant_date=2024-01-02
        2025-06-02 split XYZ 3
        2025-07-01 sell 300 XYZ 20
        """)
    )
    assert led.wages(2025) == 4000 and led.amt_adjustments(2025) == 0
    assert led.dispositions[0].gain == 300 * 20 - 1000 - 4000


def test_carryover_uses_up_only_income_there_was() -> None:
    # A $10,000 short-term loss in 2025; $17,000 of wages less the $15,000 standard deduction leaves
    # $2,000 of income before the loss. $3,000 is deducted (line 21), but the Capital Loss Carryover
    # Worksheet counts only the $2,000 it absorbed (lines 1-4), so $8,000 carries forward, not $7,000.
    events = ledger("2025-01-02 buy 100 XYZ 150\n2025-03-03 sell 100 XYZ 50")
    before = {2025: D(17000) - D(15000), 2026: D(-5000)}
    first, second = carry_forward(realize(events), 2025, 2026, income_before_gains=before.__getitem__)
    assert first.deductible_loss == 3000 and first.carryforward_short == 8000
    # A year with no income at all uses none of it: the whole $8,000 goes on.
    assert second.carryover_short == 8000 and second.deductible_loss == 3000 and second.carryforward_short == 8000
    # Without the income, the worksheet assumes enough to absorb the deduction.
    assert carry_forward(realize(events), 2025, 2025)[0].carryforward_short == 7000


def test_planner_chains_carryover_with_the_users_income() -> None:
    events = ledger("2024-01-02 buy 100 XYZ 150\n2024-03-04 sell 100 XYZ 50")
    led = book(events)
    # 2025 with nothing sold: the 2024 loss of $10,000 carried in, from a year the income can't absorb.
    low = TaxYears(led, Years.one(2025, wages=D(5000))).summary(2025)
    high = TaxYears(led, Years.one(2025, wages=D(90000))).summary(2025)
    assert high.carryover_short == 7000 and low.carryover_short == 10000


def test_iso_sold_in_a_later_year_has_its_amt_gain_figured_from_amt_basis() -> None:
    # 100 ISO shares exercised in 2024 at $10 when worth $50 ($4,000 of AMT income then), sold in
    # 2026 (qualifying) at $70: $6,000 of long-term gain for regular tax, $2,000 for the AMT.
    led = book(ledger("2024-03-04 buy 100 XYZ 10 source=iso fmv=50 grant_date=2023-01-02\n2026-03-05 sell 100 XYZ 70"))
    (d,) = led.dispositions
    assert d.gain == 6000 and d.term == "long" and d.amt_gain == 2000
    r = TaxYears(led, Years.one(2026, wages=D(300000))).view(2026).with_gains
    regular_only = compute_tax(TaxInput(year=2026, filing_status="single", wages=D(300000), long_term=D(6000)))
    # Form 6251 line 2k: AMT income is $4,000 less than it would be with the regular gain.
    assert r.amti == regular_only.amti - 4000
    assert r.income_tax == regular_only.income_tax  # regular tax doesn't change


def test_amt_loss_on_iso_shares_is_limited_separately() -> None:
    # Sold at $5: a $500 regular loss, a $4,500 AMT loss; the AMT loss counts only $3,000 (Form 6251
    # instructions: apply the capital loss limit separately), so line 2k is -$2,500, not -$4,000.
    led = book(ledger("2024-03-04 buy 100 XYZ 10 source=iso fmv=50 grant_date=2023-01-02\n2026-03-05 sell 100 XYZ 5"))
    assert led.dispositions[0].amt_gain == -4500
    r = TaxYears(led, Years.one(2026, wages=D(300000))).view(2026).with_gains
    regular_only = compute_tax(TaxInput(year=2026, filing_status="single", wages=D(300000), long_term=D(-500)))
    assert r.amti == regular_only.amti - 2500


def test_a_ledgers_year_is_summed_from_its_own_rows_only() -> None:
    # A ledger's rows are in the order of the day sold, so a year's are found by bisection: the
    # sales on Dec 31 and Jan 1 fall in their own years, as they do summed from a plain list.
    led = book(
        ledger("""
        2023-01-03 buy  30 XYZ 10
        2023-12-29 sell 10 XYZ 12
        2023-12-31 sell 10 XYZ 13
        2024-01-01 sell 5  XYZ 9
        2024-01-02 buy  10 ABC 50
        2024-12-31 sell 10 ABC 55
        2025-01-01 sell 5  XYZ 14
        """)
    )
    assert type(led.dispositions) is not tuple  # calc.models.Rows: a tuple known to be in order
    years = [(2023, D(50), D(0)), (2024, D(50), D(-5)), (2025, D(20), D(0))]
    for year, gains, losses in years:
        for rows in (led.dispositions, list(led.dispositions)):
            summary = summarize_year(rows, year)
            assert (summary.short_term_gains + summary.long_term_gains, summary.short_term_losses) == (gains, losses)
