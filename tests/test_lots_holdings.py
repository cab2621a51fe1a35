"""The engine's rules for what real investors hold, as tiny ledgers: crypto and the wash-sale rule."""

from __future__ import annotations

from decimal import Decimal

from calc import book
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
