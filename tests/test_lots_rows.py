"""Booking's fast row constructors (calc.models.builder, reason) build the same frozen rows as the classes."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date
from decimal import Decimal as D

import pytest

from calc.models import Disposition, Lot, Reason, disposition_twin, new_lot, reason


def test_a_built_disposition_is_a_disposition_equal_to_one_made_the_usual_way() -> None:
    values = {
        "symbol": "XYZ",
        "quantity": D(10),
        "acquired": date(2024, 1, 2),
        "sold": date(2024, 3, 1),
        "proceeds": D(150),
        "basis": D(200),
        "gain": D(-50),
        "term": "short",
        "wash_sale_disallowed": D(50),
        "lot_id": "T1",
        "sale_id": "T2",
        "account": "IRA",
        "reasons": (Reason("holding.short"),),
    }
    built, usual = disposition_twin(**values), Disposition(**values)  # type: ignore[arg-type]
    built.__class__ = Disposition  # as booking gives each row its class
    assert type(built) is Disposition
    assert built == usual and hash(built) == hash(usual) and repr(built) == repr(usual)
    assert (built.basis, built.wash_sale_disallowed, built.account, built.code) == (D(200), D(50), "IRA", "W")
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.gain = D(0)  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(built)) == usual
    assert dataclasses.replace(built, gain=D(0)).gain == 0


def test_a_built_lot_takes_its_defaults_like_the_class() -> None:
    bought = date(2024, 1, 2)
    built = new_lot("T1", "T1", "XYZ", bought, bought, D(10), D(200), date(2025, 1, 3))
    usual = Lot("T1", "T1", "XYZ", bought, bought, D(10), D(200), date(2025, 1, 3))
    assert type(built) is Lot and built == usual
    assert (built.account_type, built.source, built.wash_sale_adjustment, built.reasons) == (
        "taxable",
        "purchase",
        0,
        (),
    )


def test_a_reason_from_its_numbers_is_the_reason_from_its_facts() -> None:
    built = reason("wash.disallowed", ("shares", "loss"), (D(10), D(50)), "IRC 1091")
    usual = Reason("wash.disallowed", {"loss": D(50), "shares": D(10)}, "IRC 1091")
    assert type(built) is Reason
    assert built == usual and hash(built) == hash(usual)
    assert built.facts == {"shares": D(10), "loss": D(50)} and built.rule == "wash.disallowed"
    with pytest.raises(AttributeError):
        built.rule = "other"
    assert pickle.loads(pickle.dumps(built)) == usual
    assert built != reason("wash.disallowed", ("shares", "loss"), (D(10), D(51)), "IRC 1091")
