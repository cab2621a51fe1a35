"""ESPP shares (IRC 423; Publication 525, Employee Stock Purchase Plan; Form 3922) as tiny ledgers.

Every figure below is worked by hand from the rule, not read off the code:
- qualifying (more than 2 years after the offering AND more than 1 year after the purchase): wages are
  the lesser of the gain (sale price - price paid, not below 0) and the offering-date discount (value at
  the offering - the price figured as if bought then; Form 3922 box 8);
- disqualifying: wages are the purchase-date bargain element (value then - price paid), even at a loss;
- the capital gain or loss uses basis = price paid + wages, held from the day after the purchase.

The plan of most ledgers: offering 2024-01-02 at $50, purchase 2024-06-28 at $55, price $42.50 (85% of
the lower value, $50: a lookback plan with the largest discount IRC 423(b)(6) allows), 100 shares. So:
bargain element ($55 - $42.50) x 100 = $1,250; offering discount ($50 - $42.50) x 100 = $750; first
qualifying day: after both 2026-01-02 (offering + 2 years) and 2025-06-28 (purchase + 1 year) = 2026-01-03.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from calc import espp
from calc.booking import book
from calc.form8949 import form_8949
from calc.params import Espp
from calc.years import TaxYears, Years
from tests.ledger import ledger

PLAN = "2024-06-28 buy 100 ACME 42.50 id=p source=espp fmv=55 grant_date=2024-01-02 offering_fmv=50"


def sold(text: str) -> tuple[D, D, D, str]:
    """(wages, capital gain, basis, term) of a ledger's one sale."""
    booked = book(ledger(text))
    (d,) = booked.dispositions
    wages = sum((e.amount for e in booked.income if e.kind == "wages"), D(0))
    return wages, d.gain, d.basis, d.term


def test_the_first_qualifying_day_is_after_both_anniversaries() -> None:
    assert espp.qualifying_from(date(2024, 1, 2), date(2024, 6, 28)) == date(2026, 1, 3)
    # A purchase late in a long offering: the purchase's year decides.
    assert espp.qualifying_from(date(2024, 1, 2), date(2025, 6, 30)) == date(2026, 7, 1)


def test_qualifying_day_before_is_still_disqualifying() -> None:
    # 2026-01-02 is exactly 2 years after the offering, not more: disqualifying, $1,250 of wages.
    assert sold(PLAN + "\n2026-01-02 sell 100 ACME 70")[0] == D(1250)
    # The next day qualifies: the lesser of the $2,750 gain and the $750 discount.
    assert sold(PLAN + "\n2026-01-03 sell 100 ACME 70")[0] == D(750)


def test_qualifying_gain_bigger_than_the_discount() -> None:
    # Gain $7,000 - $4,250 = $2,750 > discount $750: $750 is wages; basis $4,250 + $750 = $5,000,
    # long-term capital gain $7,000 - $5,000 = $2,000.
    assert sold(PLAN + "\n2026-01-05 sell 100 ACME 70") == (D(750), D(2000), D(5000), "long")


def test_qualifying_gain_smaller_than_the_discount() -> None:
    # Gain $4,500 - $4,250 = $250 < $750: all $250 is wages, no capital gain.
    assert sold(PLAN + "\n2026-01-05 sell 100 ACME 45") == (D(250), D(0), D(4500), "long")


def test_qualifying_at_a_loss_makes_no_wages() -> None:
    # $4,000 - $4,250: a $250 long-term capital loss and no wages (Publication 525: "If you have a loss
    # from the sale, it's a capital loss, and you don't have any ordinary income").
    wages, gain, basis, term = sold(PLAN + "\n2026-01-05 sell 100 ACME 40")
    assert (wages, gain, basis, term) == (D(0), D(-250), D(4250), "long")
    booked = book(ledger(PLAN + "\n2026-01-05 sell 100 ACME 40"))
    assert not booked.income
    assert [r.rule for r in booked.dispositions[0].reasons if r.rule.startswith("equity.espp_q")] == [
        "equity.espp_qualifying"
    ]


def test_disqualifying_at_a_gain() -> None:
    # Wages = the bargain element ($55 - $42.50) x 100 = $1,250; basis $4,250 + $1,250 = $5,500;
    # capital gain $6,000 - $5,500 = $500, short-term (2024-06-28 to 2025-03-03).
    assert sold(PLAN + "\n2025-03-03 sell 100 ACME 60") == (D(1250), D(500), D(5500), "short")


def test_disqualifying_at_a_loss_still_makes_wages() -> None:
    # Sold at $40: still $1,250 of wages; the capital loss is $4,000 - $5,500 = -$1,500, bigger than
    # the $250 the cash lost (the wages and the loss together are that $250).
    wages, gain, basis, term = sold(PLAN + "\n2024-09-03 sell 100 ACME 40")
    assert (wages, gain, basis, term) == (D(1250), D(-1500), D(5500), "short")
    assert wages + gain == D(4000) - D(4250)


LOWER_AT_PURCHASE = "2024-06-28 buy 100 ACME 34 source=espp fmv=40 grant_date=2024-01-02 offering_fmv=50"


def test_lookback_plan_priced_from_the_purchase_day() -> None:
    # The price, $34, is 85% of the purchase-day $40 (the lower value). Figured as if bought on the
    # offering day, the price would be 85% of $50 = $42.50 (Publication 525: "if the option price wasn't
    # fixed or determinable at the time the option was granted, the option price is figured as if the
    # option had been exercised at the time it was granted"): the discount is ($50 - $42.50) x 100 = $750.
    # Qualifying at $60: gain $6,000 - $3,400 = $2,600, wages $750, capital gain $6,000 - $4,150 = $1,850.
    assert sold(LOWER_AT_PURCHASE + "\n2026-01-05 sell 100 ACME 60") == (D(750), D(1850), D(4150), "long")
    # Disqualifying: the bargain element ($40 - $34) x 100 = $600; capital gain $6,000 - $4,000 = $2,000.
    assert sold(LOWER_AT_PURCHASE + "\n2025-01-02 sell 100 ACME 60") == (D(600), D(2000), D(4000), "short")


def test_form_3922_box_8_when_given_is_used() -> None:
    # Box 8 says the price as of the offering date was $45 (a plan discounting 10%): discount $5 x 100.
    text = LOWER_AT_PURCHASE.replace("offering_fmv=50", "offering_fmv=50 offering_price=45")
    assert sold(text + "\n2026-01-05 sell 100 ACME 60")[0] == D(500)


def test_publication_525_willow_example_qualifying() -> None:
    # Publication 525, Employee Stock Purchase Plan, Example (Willow Corporation): an option to buy 100
    # shares at $20 when the stock is worth $22; exercised 18 months later when worth $23; sold 14 months
    # after that for $30. Wages: $22 - $20 = $2 x 100 = $200. Gain $3,000 - $2,000 = $1,000, so the
    # capital gain is $1,000 - $200 = $800. (The dates are ours; only the intervals are the example's.)
    text = """
    2021-07-15 buy 100 WILLOW 20 source=espp fmv=23 grant_date=2020-01-15 offering_fmv=22
    2022-09-15 sell 100 WILLOW 30
    """
    assert sold(text) == (D(200), D(800), D(2200), "long")


def test_publication_525_oak_example_disqualifying() -> None:
    # Publication 525, Employee Stock Purchase Plan, Example (Oak Corporation): an option to buy 100
    # shares at $10, the value then; exercised January 7, 2021 when the stock was $12; sold January 27,
    # 2022 for $15: more than a year after the purchase but less than 2 years after the grant (the grant
    # date is ours, within those 2 years). Wages: $12 - $10 = $2 x 100 = $200; capital gain
    # $1,500 - $1,000 - $200 = $300, long-term (held more than a year).
    text = """
    2021-01-07 buy 100 OAK 10 source=espp fmv=12 grant_date=2020-07-01 offering_fmv=10
    2022-01-27 sell 100 OAK 15
    """
    assert sold(text) == (D(200), D(300), D(1200), "long")


def test_a_split_keeps_the_wages_of_the_same_shares() -> None:
    # 2-for-1 after the purchase: 200 shares at $21.25; the bargain element is still $1,250 in all.
    text = PLAN + "\n2024-08-01 split ACME 2\n2025-03-03 sell 200 ACME 30"
    assert sold(text) == (D(1250), D(500), D(5500), "short")


def test_part_of_a_lot_takes_its_share() -> None:
    # 40 of the 100 shares, disqualifying at $60: wages $12.50 x 40 = $500; gain $2,400 - $1,700 - $500 = $200.
    assert sold(PLAN + "\n2025-03-03 sell 40 ACME 60") == (D(500), D(200), D(2200), "short")


def test_without_form_3922_figures_it_books_as_a_purchase() -> None:
    # A broker file says only "ESPP": no wages can be figured; the chat asks for the figures.
    booked = book(ledger("2024-06-28 buy 100 ACME 42.50 source=espp\n2025-03-03 sell 100 ACME 60"))
    assert not booked.income
    assert booked.dispositions[0].gain == D(1750)
    assert "equity.espp_figures_missing" in {r.rule for r in booked.dispositions[0].reasons}


def test_the_wages_are_the_years_wages_and_taxed_once() -> None:
    # Disqualifying sale in 2025: $1,250 of wages joins the year's wages; Schedule D has the $500.
    booked = book(ledger(PLAN + "\n2025-03-03 sell 100 ACME 60"))
    view = TaxYears(booked, Years.one(2025, wages=D(80000))).view(2025)
    assert (view.sale_wages, view.espp_wages) == (D(1250), D(1250))
    assert view.tax_input.wages == D(81250)
    assert view.summary.short_term_net == D(500)
    # Without the sale, the wages go too: the tax the sale adds is the tax on $1,750 in all.
    assert view.input_without_sales.wages == D(80000)


def test_form_8949_code_b_with_the_wages_in_column_g() -> None:
    booked = book(ledger(PLAN + "\n2025-03-03 sell 100 ACME 60"))
    # Box A: the 1099-B's basis (the $4,250 paid) in (e), code B, -$1,250 in (g): (h) = 6,000 - 4,250 - 1,250.
    row = form_8949(booked.dispositions, 2025, "A").short.rows[0]
    assert (row.proceeds, row.basis, row.code, row.adjustment, row.gain) == (D(6000), D(4250), "B", D(-1250), D(500))
    # Box B: the correct basis in (e), code B, 0 in (g). Box C: no 1099-B to correct.
    row = form_8949(booked.dispositions, 2025, "B").short.rows[0]
    assert (row.basis, row.code, row.adjustment, row.gain) == (D(5500), "B", D(0), D(500))
    row = form_8949(booked.dispositions, 2025, "C").short.rows[0]
    assert (row.basis, row.code, row.adjustment, row.gain) == (D(5500), "", D(0), D(500))


def test_code_b_and_a_wash_sale_together() -> None:
    # Disqualifying at $40 (loss $1,500 after $1,250 of wages), bought back within 30 days: the loss is
    # disallowed (code W, +$1,500) and the wages still corrected (code B, -$1,250): codes "BW", (g) = $250,
    # (h) = 4,000 - 4,250 + 250 = 0.
    text = PLAN + "\n2024-09-03 sell 100 ACME 40\n2024-09-20 buy 100 ACME 41"
    booked = book(ledger(text))
    row = form_8949(booked.dispositions, 2024, "A").short.rows[0]
    assert (row.code, row.basis, row.adjustment, row.gain) == ("BW", D(4250), D(250), D(0))


def test_the_holding_periods_are_law_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # Should the law change, calc/params/law.json changes, not the code.
    monkeypatch.setattr(espp, "espp_law", lambda: Espp(offering_years=3, purchase_years=1, max_discount=D("0.15")))
    assert espp.qualifying_from(date(2024, 1, 2), date(2024, 6, 28)) == date(2027, 1, 3)
