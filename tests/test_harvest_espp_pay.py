"""/harvest on ESPP shares sold before they qualify: the loss it lists is the capital loss the sale would
report, pay included, so the list and the saving agree.

The ledger, worked by hand (IRC 423(c), Publication 525; single, 2026, $150,000 of wages):
- BBB bought Feb 2 at $10 and sold Mar 2 at $30: 100 shares, a $2,000 short-term gain.
- 100 ACME bought through an ESPP on Jun 30, 2026 at $42.50 (offering Jan 2, 2026 at $50; $55 on the
  purchase day); $40 now, Nov 23, 2026. Sold now, that is a disqualifying disposition: the purchase-day
  bargain element, ($55 - $42.50) x 100 = $1,250, is wages and joins the basis: $4,250 + $1,250 = $5,500
  against $4,000 of proceeds is a $1,500 short-term loss (the shares alone lost $250).
- Selling them: wages +$1,250, capital gain $2,000 - $1,500 = $500, so taxable income goes from
  $150,000 + $2,000 - $16,100 = $135,900 to $151,250 + $500 - $16,100 = $135,650: $250 less, all in the
  24% bracket ($105,700-$201,775): $60.00 less tax. No NIIT (MAGI under $200,000).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from calc.planner import harvest
from calc.years import Years
from tests.chat import Chat
from tests.ledger import ledger

D = Decimal
LEDGER = """
2026-02-02 buy  100 BBB 10 id=bbb
2026-03-02 sell 100 BBB 30 id=bbb-sold
2026-06-30 buy  100 ACME 42.50 id=acme source=espp fmv=55 offering_fmv=50 grant_date=2026-01-02
"""


def test_the_listed_loss_includes_the_pay_and_agrees_with_the_saving() -> None:
    plan = harvest(ledger(LEDGER), {"ACME": D(40)}, date(2026, 11, 23), Years.one(2026, wages=D(150000)))
    [acme] = plan.candidates
    assert (acme.loss, acme.pay, acme.term) == (D(1500), D(1250), "short")
    assert [c.lot.id for c in plan.chosen] == ["acme"]
    assert plan.harvested == D(1500)
    assert plan.saving == D(60)


def test_shares_that_qualify_have_no_pay_in_their_loss() -> None:
    # Held past Jan 2, 2028 (2 years from the offering) and Jun 30, 2027: a qualifying sale at a loss
    # makes no pay (the lesser of the gain, none, and the discount), so the loss is the shares' $250.
    plan = harvest(ledger(LEDGER), {"ACME": D(40)}, date(2028, 1, 10), Years.one(2028, wages=D(150000)))
    [acme] = plan.candidates
    assert (acme.loss, acme.pay) == (D(250), D(0))


def test_the_reply_lists_the_loss_with_its_pay_and_says_why(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", now=datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    chat.onboard(income="150000")
    chat.send("/buy 100 BBB 10 2026-02-02")
    chat.send("/sell 100 BBB 30 2026-03-02")
    chat.send("/espp 100 ACME bought 2026-06-30 at 42.50 offering 2026-01-02 fmv 50 purchase fmv 55")
    chat.send("/price ACME 40")
    reply = chat.send("/harvest")
    assert "$1,500.00 of losses in all" in reply
    assert "Estimated saving this year: $60.00" in reply
    pages = chat.read_pages()
    assert "$1,500.00 short-term loss" in pages
    assert "includes $1,250.00 of pay taxed as wages" in pages
