"""Worked examples from the forms, each figured by hand line by line in the test.

Sources: Form 1040 instructions (Tax Table rows; Qualified Dividends and Capital
Gain Tax Worksheet), Schedule D instructions (line 21), Form 8960, Form 6251.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.models import FILING_STATUSES, FilingStatus
from calc.params import available_years, params_for
from calc.tax import TaxInput, compute_tax, ordinary_tax

D = Decimal


@pytest.mark.parametrize("year", available_years())
@pytest.mark.parametrize(
    ("taxable", "table_tax"),
    # Rows printed in every year's Tax Table since 2018 (all inside the 10% bracket):
    # at least 0 but less than 5 -> 0; 5-15 -> 1; 15-25 -> 2; 25-50 -> 4; 75-100 -> 9; 3,000-3,050 -> 303.
    [("0", 0), ("4.99", 0), ("5", 1), ("24", 2), ("30", 4), ("99", 9), ("3000", 303), ("3049", 303)],
)
def test_tax_table_rows(year: int, taxable: str, table_tax: int) -> None:
    for status in ("single", "mfj", "mfs", "hoh", "qss"):
        assert ordinary_tax(D(taxable), status, params_for(year)) == table_tax


def test_tax_table_uses_row_midpoint_2024_single() -> None:
    # Form 1040 instructions 2024: taxable income 50,000-50,050, single. Midpoint 50,025:
    # 10% of 11,600 = 1,160; 12% of 35,550 = 4,266; 22% of 2,875 = 632.50 -> 6,058.50, table shows 6,059.
    p = params_for(2024)
    assert ordinary_tax(D("50000"), "single", p) == D(6059)
    assert ordinary_tax(D("50049.99"), "single", p) == D(6059)
    # At $100,000 and above the Tax Computation Worksheet (exact schedule) applies:
    # 1,160 + 4,266 + 22% of 52,850 (= 11,627) = 17,053.
    assert ordinary_tax(D("100000"), "single", p) == D("17053.00")


def test_qdcg_worksheet_2024_single() -> None:
    # Wages 80,000; net long-term gain 30,000; short-term 0; single, 2024.
    # Line 1 taxable = 110,000 - 14,600 = 95,400; line 4 = 30,000; line 5 = 65,400 (ordinary).
    # Lines 6-9: 0% band to 47,025, all used by ordinary income -> 0 at 0%.
    # Line 17: 30,000 at 15% = 4,500. Line 22: Tax Table on 65,400 (row 65,400-65,450, midpoint 65,425):
    # 1,160 + 4,266 + 22% of 18,275 (= 4,020.50) = 9,446.50 -> 9,447. Line 23 = 13,947.
    r = compute_tax(TaxInput(year=2024, filing_status="single", wages=D(80000), long_term=D(30000)))
    assert r.taxable_income == D(95400)
    assert r.ordinary_taxable_income == D(65400)
    assert (r.taxed_at_0, r.taxed_at_15, r.taxed_at_20) == (0, D(30000), 0)
    assert r.income_tax == D(9447) + D(4500)
    assert r.niit == 0 and r.amt == 0


def test_gain_straddles_zero_band_2025_mfj() -> None:
    # MFJ 2025, wages 60,000, long-term 80,000: taxable = 140,000 - 31,500 = 108,500.
    # Ordinary part 28,500; the 0% band ends at 96,700 -> 68,200 at 0%, the other 11,800 at 15% = 1,770.
    # Tax Table on 28,500 (row 28,500-28,550, midpoint 28,525): 2,385 + 12% of 4,675 (= 561) = 2,946.
    r = compute_tax(TaxInput(year=2025, filing_status="mfj", wages=D(60000), long_term=D(80000)))
    assert r.taxed_at_0 == D(68200) and r.taxed_at_15 == D(11800)
    assert r.income_tax == D(2946) + D(1770)


@pytest.mark.parametrize(("status", "limit"), [("single", 3000), ("mfj", 3000), ("mfs", 1500), ("hoh", 3000)])
def test_loss_limit_schedule_d_line_21(status: FilingStatus, limit: int) -> None:
    # Schedule D line 21: a net loss of 10,000 deducts only the limit this year.
    r = compute_tax(TaxInput(year=2024, filing_status=status, wages=D(90000), short_term=D(-4000), long_term=D(-6000)))
    assert r.capital_gain == -limit
    assert r.capital_loss_deduction == limit
    assert r.agi == D(90000) - limit


def test_short_term_gain_is_ordinary_income() -> None:
    # A net short-term gain is not "net capital gain" (QDCG line 3 is 0): it is taxed with the wages.
    with_gain = compute_tax(TaxInput(year=2024, filing_status="single", wages=D(150000), short_term=D(10000)))
    as_wages = compute_tax(TaxInput(year=2024, filing_status="single", wages=D(160000)))
    assert with_gain.income_tax == as_wages.income_tax
    assert with_gain.preferential_income == 0


def test_niit_form_8960_single() -> None:
    # Single 2024: wages 180,000, long-term gain 50,000 -> MAGI 230,000, over the 200,000 threshold by 30,000.
    # NII 50,000; the lesser is 30,000; 3.8% = 1,140.
    r = compute_tax(TaxInput(year=2024, filing_status="single", wages=D(180000), long_term=D(50000)))
    assert r.niit_base == D(30000)
    assert r.niit == D("1140.00")
    assert r.total == r.income_tax + r.amt + r.niit


def test_niit_loss_offsets_dividends_only_within_the_limit() -> None:
    # Form 8960 line 5a takes the 1040 line 7 amount: a loss counts only to -3,000.
    r = compute_tax(
        TaxInput(
            year=2024,
            filing_status="single",
            wages=D(400000),
            short_term=D(-50000),
            qualified_dividends=D(10000),
        )
    )
    assert r.niit_base == D(7000)


def test_amt_from_large_gain_2018_single() -> None:
    # Form 6251 2018, single: wages 138,828, long-term 500,000. AMTI = AGI = 638,828.
    # Exemption 70,300 - 25% x (638,828 - 500,000) = 35,593; line 6 = 603,235.
    # Part III: line 17 = 103,235 at 26% = 26,841.10; 15% band 425,800 - 126,828 = 298,972 -> 44,845.80;
    # the rest 201,028 at 20% = 40,205.60 -> tentative minimum tax 111,892.50.
    # Regular tax: 24,728.22 on the ordinary 126,828 + 44,845.80 + 20% of 252,334 (= 50,466.80) = 109,779.62.
    r = compute_tax(TaxInput(year=2018, filing_status="single", wages=D(138828), long_term=D(500000)))
    assert r.income_tax == D("109779.62")
    assert r.amt_exemption == D(35593)
    assert r.tentative_minimum_tax == D("111892.50")
    assert r.amt == D("2112.88")


def test_iso_adjustment_raises_amt() -> None:
    base = TaxInput(year=2025, filing_status="single", wages=D(150000))
    with_iso = base.model_copy(update={"amt_adjustments": D(200000)})
    assert compute_tax(base).amt == 0
    r = compute_tax(with_iso)
    assert r.income_tax == compute_tax(base).income_tax  # no regular tax on an ISO exercise
    assert r.amti == D(350000) and r.amt > 0


@settings(max_examples=60, deadline=None)
@given(
    year=st.sampled_from(available_years()),
    status=st.sampled_from(FILING_STATUSES),
    wages=st.integers(0, 2_000_000),
    extra=st.integers(1, 200_000),
    long_term=st.integers(-100_000, 1_000_000),
    short_term=st.integers(-100_000, 100_000),
)
def test_total_tax_monotone(
    year: int, status: FilingStatus, wages: int, extra: int, long_term: int, short_term: int
) -> None:
    def total(w: int, lt: int) -> Decimal:
        return compute_tax(
            TaxInput(year=year, filing_status=status, wages=D(w), long_term=D(lt), short_term=D(short_term))
        ).total

    assert total(wages + extra, long_term) >= total(wages, long_term)
    assert total(wages, long_term + extra) >= total(wages, long_term)


@settings(max_examples=60, deadline=None)
@given(
    status=st.sampled_from(FILING_STATUSES),
    short_term=st.integers(-500_000, 500_000),
    long_term=st.integers(-500_000, 500_000),
)
def test_loss_deduction_never_exceeds_limit(status: FilingStatus, short_term: int, long_term: int) -> None:
    r = compute_tax(
        TaxInput(year=2026, filing_status=status, wages=D(100000), short_term=D(short_term), long_term=D(long_term))
    )
    assert 0 <= r.capital_loss_deduction <= params_for(2026).capital_loss_limit(status)
    assert r.taxed_at_0 + r.taxed_at_15 + r.taxed_at_20 == r.preferential_income
    assert r.ordinary_taxable_income + r.preferential_income == r.taxable_income
