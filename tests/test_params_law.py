"""Law values stated once: what the statute fixes (rates, the $3,000 limit, NIIT thresholds) lives in
calc/params/law.json with its citation; each year's file holds only what is indexed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest
from pydantic import ValidationError

from calc import equity
from calc.params import Iso, YearParams, available_years, iso_law, laid_over, law, params_for


def year_file(year: int) -> dict[str, object]:
    return json.loads(resources.files("calc").joinpath("params", f"{year}.json").read_text())


def test_every_year_gets_the_statutes_values() -> None:
    for year in available_years():
        p = params_for(year)
        assert (p.capital_loss_limit("single"), p.capital_loss_limit("mfs")) == (3000, 1500)  # IRC 1211(b)(1)
        assert p.niit.rate == Decimal("0.038") and p.niit.threshold("mfj") == 250000  # IRC 1411
        assert (p.capital_gains.rate_mid, p.capital_gains.rate_high) == (Decimal("0.15"), Decimal("0.20"))
        assert (p.amt.rate_low, p.amt.rate_high) == (Decimal("0.26"), Decimal("0.28"))  # IRC 55(b)(1)(A)


def test_no_year_restates_a_shared_value() -> None:
    shared = law().values
    for year in available_years():
        data = year_file(year)
        for group, values in shared.items():
            inner = data.get(group)
            if isinstance(values, dict) and isinstance(inner, dict):
                assert not set(values) & set(inner), (year, group)
            else:
                assert inner is None, (year, group)


def test_each_shared_group_cites_its_law() -> None:
    cited = " ".join(law().statutes)
    for group in law().values:
        assert group in cited, group


def test_a_year_can_override_a_shared_value() -> None:
    # Should the law change, a year's file restates the value; the rest of the group stays shared.
    merged = laid_over(law().values, {"amt": {"rate_high": "0.30"}})
    assert merged["amt"]["rate_high"] == "0.30" and merged["amt"]["rate_low"] == "0.26"


def test_iso_holding_periods_are_law_data_read_by_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    # IRC 422(a)(1): more than 2 years from the grant and more than 1 year from exercise.
    assert (iso_law().grant_years, iso_law().exercise_years) == (2, 1)
    assert "422(a)(1)" in " ".join(v for k, v in law().statutes.items() if k.startswith("iso"))
    granted, exercised = date(2024, 1, 10), date(2025, 3, 1)
    assert equity.qualifying_from(exercised, granted) == date(2026, 3, 2)  # the exercise's year is the later
    assert equity.qualifying_from(date(2024, 6, 1), granted) == date(2026, 1, 11)  # the grant's 2 years are
    # Were the law to say 3 years from the grant, the engine would follow the data, not a number in the code.
    monkeypatch.setattr(equity, "iso_law", lambda: Iso(grant_years=3, exercise_years=1))
    assert equity.qualifying_from(exercised, granted) == date(2027, 1, 11)


def test_iso_periods_are_validated_on_load() -> None:
    with pytest.raises(ValidationError):
        Iso.model_validate({"grant_years": 0, "exercise_years": 1})
    with pytest.raises(ValidationError):
        Iso.model_validate({"grant_years": 2})
    values = {k: v for k, v in law().values.items() if k != "iso"}
    with pytest.raises(ValidationError):  # a law file without them doesn't load
        YearParams.model_validate(laid_over(values, year_file(2026)))
