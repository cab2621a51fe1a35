"""The benchmarks' generated trades are whole trades: `Trade.trusted` skips validation, so a field
added to Trade and missed there breaks the benchmarks only when they run (as gifts' fields did)."""

from bench.bench_realize import random_trades
from calc import Trade, book


def test_generated_trades_have_every_field_and_validate() -> None:
    trades = random_trades(200, rebuy_share=0.5)
    for trade in trades:
        assert set(vars(trade)) == set(Trade.model_fields)
        assert Trade.model_validate(trade.model_dump()) == trade
    assert book(trades).dispositions  # and they book
