"""Differential tests: our compute_tax against two independent implementations.

OpenTaxSolver (through tenforty) for 2018-2025 applies the Tax Table as the IRS
does; PSL Tax-Calculator (every year, 2026 most heavily) uses the exact rate
schedule, so against it we compare with the Tax Table switched off. Known errata of each oracle
(../shared/REFERENCE.md) are routed around case by case, never copied.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

import calc.tax
from calc.models import FILING_STATUSES
from calc.params import YearParams, params_for
from calc.tax import TaxInput, TaxResult, compute_tax

RETURNS_PER_YEAR = 400
TOLERANCE = 1.0


def random_returns(year: int, count: int, seed: int) -> list[TaxInput]:
    rng = random.Random(seed * 10_000 + year)
    returns = []
    for _ in range(count):
        wages = rng.choice([rng.randint(0, 60_000), rng.randint(0, 250_000), rng.randint(0, 1_500_000)])
        returns.append(
            TaxInput(
                year=year,
                filing_status=rng.choice(FILING_STATUSES),
                wages=Decimal(wages),
                short_term=Decimal(rng.choice([0, rng.randint(-50_000, 50_000)])),
                long_term=Decimal(rng.choice([0, rng.randint(-50_000, 600_000)])),
                qualified_dividends=Decimal(rng.choice([0, rng.randint(0, 30_000)])),
            )
        )
    return returns


def mfs_addback_applies(r: TaxResult) -> bool:
    """True when a separate filer's AMTI is past the point where the exemption is gone."""
    p = params_for(r.year).amt
    return r.filing_status == "mfs" and r.amti > p.phaseout_start("mfs") + p.exemption("mfs") / p.phaseout_rate


def mismatches(ours: TaxResult, theirs: dict[str, float], skip: set[str]) -> dict[str, tuple[float, float]]:
    ours_by_name = {
        "taxable_income": ours.taxable_income,
        "income_tax": ours.income_tax,
        "amt": ours.amt,
        "niit": ours.niit,
    }
    return {
        name: (float(ours_by_name[name]), value)
        for name, value in theirs.items()
        if name not in skip and abs(float(ours_by_name[name]) - value) > TOLERANCE
    }


OTS_STATUS = {
    "single": "Single",
    "mfj": "Married/Joint",
    "mfs": "Married/Sep",
    "hoh": "Head_of_House",
    "qss": "Widow(er)",
}


@pytest.mark.parametrize("year", range(2018, 2026))
def test_matches_open_tax_solver(year: int) -> None:
    failures = open_tax_solver_mismatches(random_returns(year, RETURNS_PER_YEAR, seed=1))
    assert not failures, f"{len(failures)} mismatches, first: {failures[:3]}"


def open_tax_solver_mismatches(
    returns: list[TaxInput],
) -> list[tuple[dict[str, object], dict[str, tuple[float, float]]]]:
    """Every return where OTS and we differ by more than $1 on a figure its errata don't touch."""
    tenforty = pytest.importorskip("tenforty")
    failures = []
    for data in returns:
        year = data.year
        ours = compute_tax(data)
        ots = tenforty.evaluate_return(
            year=year,
            filing_status=OTS_STATUS[data.filing_status],
            w2_income=float(data.wages),
            taxable_interest=float(data.interest),
            short_term_capital_gains=float(data.short_term),
            # OTS takes no Form 1099-DIV box 2a: capital gain distributions reach Schedule D line 15
            # through line 13 exactly as a long-term sale's gain does, so they go in with those.
            long_term_capital_gains=float(data.schedule_d_long_term),
            qualified_dividends=float(data.qualified_dividends),
            ordinary_dividends=float(data.ordinary_dividends),
        )
        skip = set()
        if year <= 2023:
            skip.add("niit")  # OTS erratum: its Form 8960 isn't wired for 2018-2023
        if year in (2021, 2024) and mfs_addback_applies(ours):
            skip |= {"amt", "income_tax"}  # OTS erratum: MFS AMT add-back threshold off in 2021 and 2024
        if year == 2024 and data.filing_status == "hoh" and ours.ordinary_taxable_income > Decimal(191_150):
            # OTS erratum: 2024 HoH 32% bracket at 191,150 (IRS: 191,950); AMT is figured against that tax.
            skip |= {"income_tax", "amt"}
        # OTS reports Form 1040 line 18 (regular tax plus AMT) as its income tax.
        theirs = {
            "taxable_income": ots.federal_taxable_income,
            "income_tax": ots.federal_income_tax - ots.federal_amt,
            "amt": ots.federal_amt,
            "niit": ots.federal_niit,
        }
        if diff := mismatches(ours, theirs, skip):
            failures.append((data.model_dump(), diff))
    return failures


TC_MARS = {"single": 1, "mfj": 2, "mfs": 3, "hoh": 4, "qss": 5}


def exact_schedule_params(year: int) -> YearParams:
    """The year's law with the Tax Table switched off, as Tax-Calculator figures tax."""
    p = params_for(year)
    return p.model_copy(update={"tax_table": p.tax_table.model_copy(update={"applies_below": Decimal(0)})})


# 2026 is the year only Tax-Calculator covers; the others are a second opinion beside OTS
# (and cover what OTS's errata hide, such as 2024 head-of-household tax above $191,150).
TC_RETURNS = {2026: 3_000}


@pytest.mark.parametrize("year", range(2018, 2027))
def test_matches_tax_calculator(year: int, monkeypatch: pytest.MonkeyPatch) -> None:
    returns = random_returns(year, TC_RETURNS.get(year, RETURNS_PER_YEAR), seed=2)
    failures = tax_calculator_mismatches(year, returns, monkeypatch)
    assert not failures, f"{len(failures)} mismatches, first: {failures[:3]}"


def tax_calculator_mismatches(
    year: int,
    returns: list[TaxInput],
    monkeypatch: pytest.MonkeyPatch,
    without_schedule_d: frozenset[int] = frozenset(),
) -> list[tuple[dict[str, object], dict[str, tuple[float, float]]]]:
    """Every return of `year` where Tax-Calculator and we differ by more than $1 (errata routed around).

    Returns whose index is in `without_schedule_d` give their capital gain distributions as e01100
    (Form 1040 line 7 with the box checked, no Schedule D: only when nothing else is on it);
    the others inside p23250, Schedule D line 15, which includes line 13."""
    taxcalc = pytest.importorskip("taxcalc")
    pd = pytest.importorskip("pandas")
    rows = []
    for i, r in enumerate(returns):
        direct = i in without_schedule_d
        rows.append(
            {
                "RECID": i + 1,
                "MARS": TC_MARS[r.filing_status],
                "XTOT": 2 if r.filing_status in ("mfj", "qss") else 1,
                "e00200": float(r.wages),
                "e00200p": float(r.wages),
                "e00300": float(r.interest),
                "p22250": float(r.short_term),
                "p23250": float(r.long_term if direct else r.schedule_d_long_term),
                "e01100": float(r.capital_gain_distributions if direct else 0),
                "e00600": float(r.ordinary_dividends),
                "e00650": float(r.qualified_dividends),
                "FLPDYR": year,
            }
        )
    records = taxcalc.Records(data=pd.DataFrame(rows), start_year=year, gfactors=None, weights=None, adjust_ratios=None)
    calculator = taxcalc.Calculator(policy=taxcalc.Policy(), records=records, verbose=False)
    calculator.calc_all()
    out = calculator.dataframe(["c04800", "taxbc", "c09600", "niit"])

    exact = exact_schedule_params(year)
    monkeypatch.setattr(calc.tax, "params_for", lambda y: exact if y == year else params_for(y))
    failures = []
    for i, (data, row) in enumerate(zip(returns, out.itertuples(), strict=True)):
        ours = compute_tax(data)
        skip = set()
        if mfs_addback_applies(ours):
            skip.add("amt")  # Tax-Calculator erratum: MFS AMT omits the AMTI add-back
        if year == 2023 and data.filing_status == "mfs" and ours.ordinary_taxable_income > Decimal(346_875):
            # Tax-Calculator erratum: 2023 MFS 37% bracket at 578,125 (IRS: 346,875); AMT is figured against that tax.
            skip |= {"income_tax", "amt"}
        if i in without_schedule_d and data.capital_gain_distributions:
            # Tax-Calculator erratum: its Form 8960 line 5a is c01000, which leaves out e01100, though
            # the Net Gains worksheet starts from Form 1040 line 7, distributions entered there included.
            skip.add("niit")
        theirs = {"taxable_income": row.c04800, "income_tax": row.taxbc, "amt": row.c09600, "niit": row.niit}
        if diff := mismatches(ours, theirs, skip):
            failures.append((data.model_dump(), diff))
    return failures
