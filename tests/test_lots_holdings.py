"""The engine's rules for what real investors hold, as tiny ledgers: crypto and the wash-sale rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from calc import book
from calc.planner import harvest
from calc.years import Years
from tests.ledger import ledger

D = Decimal


def test_crypto_sold_at_a_loss_and_bought_back_keeps_the_loss() -> None:
    # IRC 1091 reaches "stock or securities"; virtual currency is property (Notice 2014-21).
    # Loss 1 x (30,000 - 20,000) = 10,000, bought back the next day: nothing disallowed, and the
    # new coin's basis is its own price.
    led = book(
        ledger(
            """
            2025-01-02 buy  1 BTC 30000
            2025-03-03 sell 1 BTC 20000
            2025-03-04 buy  1 BTC 21000
            """
        )
    )
    (sale,) = led.dispositions
    assert (sale.gain, sale.wash_sale_disallowed) == (-10000, 0)
    assert any(r.rule == "wash.not_crypto" for r in sale.reasons)
    assert led.lots[0].basis == 21000


def test_a_fund_under_a_coin_ticker_said_to_be_a_security_is_a_wash_sale() -> None:
    # The same trades marked as a security (an exchange-traded fund's shares): the loss moves to the new shares.
    led = book(
        ledger(
            """
            2025-01-02 buy  1 BTC 30000 asset=security
            2025-03-03 sell 1 BTC 20000 asset=security
            2025-03-04 buy  1 BTC 21000 asset=security
            """
        )
    )
    assert led.dispositions[0].wash_sale_disallowed == 10000
    assert led.lots[0].basis == 31000


def test_a_crypto_loss_without_a_purchase_nearby_says_nothing_of_wash_sales() -> None:
    led = book(ledger("2025-01-02 buy 1 ETH 3000 asset=crypto\n2025-03-03 sell 1 ETH 2000 asset=crypto"))
    assert not any(r.rule.startswith("wash.") for r in led.dispositions[0].reasons)


def test_inherited_shares_are_long_term_whenever_sold() -> None:
    # IRC 1014: basis is the value at death, 100 x $50 = $5,000; IRC 1223(9): long-term even when
    # sold two months later. Sold at $60: $1,000 long-term gain.
    led = book(ledger("2024-03-01 buy 100 XYZ 50 source=inherited\n2024-05-01 sell 100 XYZ 60"))
    (sale,) = led.dispositions
    assert (sale.gain, sale.term) == (1000, "long")
    assert sale.reasons[0].rule == "holding.inherited"


def test_inherited_lot_is_long_term_from_the_start() -> None:
    (lot,) = book(ledger("2024-03-01 buy 100 XYZ 50 source=inherited")).lots
    assert lot.long_term_from == lot.acquired == lot.purchased


GIFT = "2024-03-01 buy 100 XYZ 20 source=gift held_since=2019-05-01 gift_value=15\n"


def test_a_gift_sold_at_a_gain_keeps_the_donors_basis_and_holding_period() -> None:
    # IRC 1015(a), 1223(2): basis 100 x $20 = $2,000, held since 2019-05-01. Sold at $25 on
    # 2024-04-01: $500 gain, long-term (more than a year since 2019).
    (sale,) = book(ledger(GIFT + "2024-04-01 sell 100 XYZ 25")).dispositions
    assert (sale.gain, sale.term, sale.acquired.isoformat()) == (500, "long", "2019-05-01")


def test_a_gift_worth_less_when_given_sold_lower_uses_that_value_for_the_loss() -> None:
    # Worth $15 a share at the gift, below the donor's $20: for a loss the basis is 100 x $15 = $1,500
    # (Treas. Reg. 1.1015-1(a)), and the holding period starts at the gift (Pub 551). Sold at $10 on
    # 2024-04-01: $1,000 - $1,500 = $500 loss, short-term (one month from 2024-03-01).
    (sale,) = book(ledger(GIFT + "2024-04-01 sell 100 XYZ 10")).dispositions
    assert (sale.basis, sale.gain, sale.term) == (1500, -500, "short")
    assert any(r.rule == "gift.loss_basis" for r in sale.reasons)


def test_a_gift_sold_between_the_two_bases_is_neither_gain_nor_loss() -> None:
    # $18 a share is above the $15 loss basis and below the $20 gain basis: no gain, no loss.
    (sale,) = book(ledger(GIFT + "2024-04-01 sell 100 XYZ 18")).dispositions
    assert sale.gain == 0
    assert any(r.rule == "gift.no_gain_no_loss" for r in sale.reasons)


def test_a_gift_worth_more_when_given_has_one_basis() -> None:
    # Worth $30 at the gift, above the donor's $20: the donor's basis for gain and loss alike.
    # Sold at $10: $1,000 - $2,000 = $1,000 loss, long-term (held since 2019).
    text = "2024-03-01 buy 100 XYZ 20 source=gift held_since=2019-05-01 gift_value=30\n2024-04-01 sell 100 XYZ 10"
    (sale,) = book(ledger(text)).dispositions
    assert (sale.gain, sale.term) == (-1000, "long")


def test_a_split_scales_the_gifts_loss_basis_too() -> None:
    # 2-for-1: 200 shares, donor basis $10 a share, value at the gift $7.50. Sold 200 at $5: loss from
    # 200 x $7.50 = $1,500: $1,000 - $1,500 = -$500.
    (sale,) = book(ledger(GIFT + "2024-03-15 split XYZ 2\n2024-04-01 sell 200 XYZ 5")).dispositions
    assert sale.gain == -500


def test_inherited_or_gifted_shares_never_replace_a_loss() -> None:
    # IRC 1091 reaches shares "acquired by purchase": an inheritance 10 days after a loss sale is no wash sale.
    led = book(
        ledger(
            """
            2024-01-02 buy  100 XYZ 50
            2024-06-03 sell 100 XYZ 40
            2024-06-13 buy  100 XYZ 41 source=inherited
            """
        )
    )
    assert led.dispositions[0].wash_sale_disallowed == 0


def test_an_unsold_gift_worth_less_when_given_has_both_bases() -> None:
    # The same gift unsold: donor's basis $2,000, worth $1,500 when given. At $12 (worth $1,200) the
    # unrealized loss is 1,500 - 1,200 = $300, not the donor's 2,000 - 1,200 = $800; at $18 ($1,800,
    # between the two) neither gain nor loss; at $25 ($2,500) a $500 gain from the donor's basis.
    (lot,) = book(ledger(GIFT)).lots
    assert lot.loss_basis == 1500
    assert (lot.unrealized(D(12)), lot.unrealized(D(18)), lot.unrealized(D(25))) == (-300, 0, 500)


def test_harvest_counts_a_gifts_loss_from_its_value_and_from_the_gift_day() -> None:
    # Given Jun 1, 2026 (the donor bought in 2019): the loss is figured from $15 and held since the
    # gift, so on Nov 23, 2026 it is short-term, though the donor's holding period is long.
    trades = ledger("2026-06-01 buy 100 XYZ 20 source=gift held_since=2019-05-01 gift_value=15\n")
    plan = harvest(trades, {"XYZ": D(12)}, date(2026, 11, 23), Years.one(2026, wages=D(80000)))
    (candidate,) = plan.candidates
    assert (candidate.loss, candidate.term) == (300, "short")
    sold = book([*trades, *ledger("2026-11-23 sell 100 XYZ 12\n")]).dispositions
    assert (sold[0].gain, sold[0].term) == (-300, "short")  # the booking agrees
