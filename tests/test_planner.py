"""The planner: lot choice never worse than FIFO, harvesting with wash-sale care, the seed scenario."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Trade
from calc.models import FilingStatus
from calc.planner import harvest, plan_sale
from calc.years import Years
from tests.chat import Chat
from tests.ledger import trades as trades_of

D = Decimal
WHEN = date(2026, 11, 23)


def test_losses_first_beats_fifo_with_worked_numbers() -> None:
    trades = trades_of("""
    2024-01-02 buy 100 XYZ 10 id=old
    2026-06-01 buy 100 XYZ 50 id=new
    """)
    context = Years.one(2026, filing_status="single", wages=D(150000))
    plan = plan_sale(trades, "XYZ", D(100), D(40), WHEN, context)
    # FIFO sells the $10 lot: a $3,000 long-term gain at 15% = $450 more tax.
    assert plan.fifo.gain == 3000 and plan.fifo.tax_added == D("450.00")
    # The cheapest sells the $50 lot: a $1,000 short-term loss, deducted at the 24% bracket:
    # taxable income 150,000 - 16,100 = 133,900 is in 2026's 24% band (105,700-201,775).
    assert plan.best.picks[0].lot_id == "new" and plan.best.gain == -1000
    assert plan.best.tax_added == D("-240.00")
    assert plan.saving_vs_fifo == D("690.00")


position = st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 50), st.integers(1, 100)), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(position, st.integers(1, 120), st.sampled_from(["single", "mfj", "mfs"]), st.integers(0, 600000))
def test_optimized_choice_never_worse_than_fifo(
    buys: list[tuple[int, int, int]], price: int, status: FilingStatus, wages: int
) -> None:
    trades = [
        Trade(
            date=date.fromordinal(date(2023, 1, 1).toordinal() + day),
            symbol="XYZ",
            side="buy",
            quantity=D(qty),
            price=D(cost),
            id=f"b{i}",
        )
        for i, (day, qty, cost) in enumerate(buys)
    ]
    held = sum(q for _, q, _ in buys)
    context = Years.one(2026, filing_status=status, wages=D(wages))
    plan = plan_sale(trades, "XYZ", D(max(1, held // 2)), D(price), WHEN, context)
    assert plan.best.tax.total <= plan.fifo.tax.total


def test_harvest_never_suggests_a_wash_sale() -> None:
    trades = trades_of("""
    2025-01-02 buy 100 AAA 50 id=a
    2026-11-10 buy 10 AAA 20 id=a2
    2025-03-02 buy 100 BBB 40 id=b
    """)
    plan = harvest(trades, {"AAA": D(20), "BBB": D(10)}, WHEN, Years.one(2026, wages=D(100000)))
    risky = {c.lot.id: c for c in plan.candidates}
    assert risky["a"].wash_risk and risky["a"].safe_to_sell_from == date(2026, 12, 11)
    assert [c.lot.id for c in plan.chosen] == ["b"]
    assert plan.chosen[0].safe_to_rebuy_from == date(2026, 12, 24)


def test_seed_scenario_nso_gains_and_harvestable_losses() -> None:
    # $8,000,000 NSO bargain element (1,000 shares, strike $1,000, worth $9,000), $300,000 of
    # long-term gains, and $400,000 of harvestable losses, single, 2026.
    trades = trades_of("""
    2026-02-02 buy 1000 OPT 1000 source=nso fmv=9000 id=nso
    2023-01-03 buy 1000 GAIN 100 id=g
    2026-03-02 sell 1000 GAIN 400
    2024-01-03 buy 1000 LOSS 500 id=l
    """)
    plan = harvest(trades, {"LOSS": D(100)}, WHEN, Years.one(2026, filing_status="single"))
    assert plan.harvested == 400000
    # The losses cancel the $300,000 gain: 20% plus the 3.8% NIIT at this income.
    assert plan.saving_on_gains == D(300000) * (D("0.20") + D("0.038"))
    # Then $3,000 of the wages, at 37%.
    assert plan.saving_on_income == D(3000) * D("0.37")
    # And $97,000 carries forward, none of it against the option income this year.
    assert plan.carryforward == 97000


def test_seed_scenario_in_the_chat(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="0")
    for line in [
        "/buy 1000 GAIN 100 2023-01-03",
        "/sell 1000 GAIN 400 2026-03-02",
        "/buy 1000 LOSS 500 2024-01-03",
        "/price LOSS 100",
    ]:
        chat.send(line)
    state = chat.service.state(1)
    nso = Trade(
        date=date(2026, 2, 2),
        symbol="OPT",
        side="buy",
        quantity=D(1000),
        price=D(1000),
        source="nso",
        fmv=D(9000),
        id="T99",
    )
    chat.service.store.save(1, state, state.model_copy(update={"trades": (*state.trades, nso)}), None)
    chat = chat.restart()
    text = chat.send("/harvest")
    assert "They cancel your $300,000.00 of gains" in text
    assert "$3,000.00 offsets wages and other income" in text and "$1,110.00 less tax" in text
    assert (
        "The remaining $97,000.00 carries forward" in text
        and "does not reduce this year's wages or option income" in text
    )


def test_whatif_offers_cheaper_lots_and_records_them(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="150000")
    chat.send("/buy 100 XYZ 10 2024-01-02")
    chat.send("/buy 100 XYZ 50 2026-06-01")
    text = chat.send("/whatif sell 100 XYZ 40")
    assert "Cheaper: sell 100 shares bought Jun 1, 2026" in text and "$690.00 less this year" in text
    saved = chat.tap("Record this sale")
    assert "$1,000.00 short-term loss" in saved
    assert chat.service.state(1).trades[-1].lots[0].lot_id == "T2"


def test_raise_cash_picks_shares_and_cheapest_lots(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="150000")
    chat.send("/buy 100 XYZ 10 2024-01-02")
    chat.send("/buy 100 XYZ 50 2026-06-01")
    text = chat.send("/whatif raise $1,000 from XYZ at 40")
    # 1,000 / 40 = 25 shares; the $50 lot makes a loss instead of FIFO's gain.
    assert "To raise $1,000.00 at $40.00 you'd sell 25 XYZ" in text
    assert "Cheaper: sell 25 shares bought Jun 1, 2026" in text


def test_harvest_counts_losses_already_taken_this_year(tmp_path: Path) -> None:
    # $4,500 of losses already realized in 2026 use the whole $3,000 limit: more would only carry forward.
    trades = trades_of("""
    2025-05-01 buy 500 ABC 60 id=a
    2026-02-01 sell 300 ABC 45
    """)
    context = Years.one(2026, filing_status="single", wages=D(120000))
    plan = harvest(trades, {"ABC": D(40)}, WHEN, context)
    assert plan.target == 0 and plan.chosen == () and len(plan.candidates) == 1
    # $1,000 realized leaves $2,000 of the limit: the suggestion stops once it is reached.
    trades = trades_of("""
    2025-05-01 buy 500 ABC 60 id=a
    2025-06-02 buy 100 XYZ 50 id=x
    2026-02-01 sell 100 ABC 50
    """)
    plan = harvest(trades, {"ABC": D(40), "XYZ": D(10)}, WHEN, context)
    assert plan.target == 2000 and [c.lot.symbol for c in plan.chosen] == ["ABC"]  # its $8,000 loss is enough
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="120000")
    for line in ["/buy 500 ABC 60 2025-05-01", "/sell 300 ABC 45 2026-02-01", "/price ABC 40"]:
        chat.send(line)
    assert "already use the $3,000.00 limit" in chat.send("/harvest")
