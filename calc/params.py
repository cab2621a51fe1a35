"""Tax law as data: one JSON file per year in calc/params/, validated on load.

Code reads these parameters and never hard-codes a threshold, so a new tax year
is a new file (copy the last one, change the figures and the sources). Values the
law doesn't index (the rates, the $3,000 loss limit, the NIIT thresholds) are stated
once, with their statute, in calc/params/law.json; each year's file is laid over it.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from calc.errors import UnsupportedYear
from calc.models import FILING_STATUSES, FilingStatus


class _Schema(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ByStatus(_Schema):
    single: Decimal
    mfj: Decimal
    mfs: Decimal
    hoh: Decimal
    qss: Decimal

    def __call__(self, status: FilingStatus) -> Decimal:
        value: Decimal = getattr(self, status)
        return value


class Bracket(_Schema):
    over: Decimal = Field(ge=0)  # the bracket applies to taxable income over this amount
    rate: Decimal = Field(gt=0, lt=1)


class Brackets(_Schema):
    single: tuple[Bracket, ...]
    mfj: tuple[Bracket, ...]
    mfs: tuple[Bracket, ...]
    hoh: tuple[Bracket, ...]
    qss: tuple[Bracket, ...]

    @model_validator(mode="after")
    def _ascending(self) -> Brackets:
        for status in FILING_STATUSES:
            rows = getattr(self, status)
            if not rows or rows[0].over != 0:
                raise ValueError(f"{status}: the first bracket must start at 0")
            for lower, upper in itertools.pairwise(rows):
                if not (upper.over > lower.over and upper.rate > lower.rate):
                    raise ValueError(f"{status}: brackets must rise in threshold and rate")
        return self

    def __call__(self, status: FilingStatus) -> tuple[Bracket, ...]:
        rows: tuple[Bracket, ...] = getattr(self, status)
        return rows


class TaxTable(_Schema):
    """Form 1040 Tax Table: below `applies_below`, tax is figured at the midpoint of a row."""

    applies_below: Decimal
    first_rows: tuple[tuple[Decimal, Decimal], ...]
    narrow_row_width: Decimal
    wide_rows_from: Decimal
    wide_row_width: Decimal


class CapitalGains(_Schema):
    rate_0_max: ByStatus
    rate_15_max: ByStatus
    rate_low: Decimal
    rate_mid: Decimal
    rate_high: Decimal


class Niit(_Schema):
    rate: Decimal
    threshold: ByStatus


class Amt(_Schema):
    exemption: ByStatus
    phaseout_start: ByStatus
    phaseout_rate: Decimal
    # IRC 55(d)(4)(C) [Form 6251 line 4 instructions]: a separate filer past the phase-out adds back
    # this share of the excess, up to the exemption, so the brackets match half a joint return.
    mfs_addback_rate: Decimal
    rate_low: Decimal
    rate_high: Decimal
    high_rate_threshold: ByStatus


class Espp(_Schema):
    """IRC 423: an employee stock purchase plan's holding periods and its largest discount."""

    offering_years: int = Field(gt=0)  # a qualifying sale is more than this many years after the offering date
    purchase_years: int = Field(gt=0)  # ... and more than this many years after the purchase date
    max_discount: Decimal = Field(ge=0, lt=1)  # the option price is at least (1 - this) of the lower value


class Iso(_Schema):
    """IRC 422(a)(1): an incentive stock option's two holding periods."""

    grant_years: int = Field(gt=0)  # a qualifying sale is more than this many years after the grant date
    exercise_years: int = Field(gt=0)  # ... and more than this many years after the exercise


class LawFile(_Schema):
    """calc/params/law.json: the values every year shares, each group with the statute that sets it."""

    about: str
    statutes: dict[str, str] = Field(min_length=1)
    values: dict[str, Any]


@cache
def law() -> LawFile:
    text = resources.files("calc").joinpath("params", "law.json").read_text()
    return LawFile.model_validate(json.loads(text, parse_float=Decimal))  # no float ever holds a rate


@cache
def espp_law() -> Espp:
    """The ESPP rules (IRC 423), the same for every year: a holding period can span years whose
    own files don't exist (an offering in 2017), so they are read from law.json itself."""
    return Espp.model_validate(law().values["espp"])


@cache
def iso_law() -> Iso:
    """The ISO holding periods (IRC 422(a)(1)), the same for every year, read from law.json itself as
    ESPP's are (a grant in 2016 is older than the first year's file)."""
    return Iso.model_validate(law().values["iso"])


def laid_over(base: dict[str, Any], year: dict[str, Any]) -> dict[str, Any]:
    """The year's values over the shared ones, group by group (a year may override a shared value)."""
    merged = dict(base)
    for key, value in year.items():
        below = merged.get(key)
        merged[key] = laid_over(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


class YearParams(_Schema):
    year: int
    sources: tuple[str, ...] = Field(min_length=1)
    standard_deduction: ByStatus
    ordinary_brackets: Brackets
    tax_table: TaxTable
    capital_gains: CapitalGains
    capital_loss_limit: ByStatus
    niit: Niit
    amt: Amt
    espp: Espp
    iso: Iso

    @model_validator(mode="after")
    def _consistent(self) -> YearParams:
        for status in FILING_STATUSES:
            if self.capital_gains.rate_0_max(status) >= self.capital_gains.rate_15_max(status):
                raise ValueError(f"{status}: the 0% band must end below the 15% band")
        return self


@cache
def available_years() -> tuple[int, ...]:
    files = resources.files("calc").joinpath("params").iterdir()
    return tuple(sorted(int(f.name[:-5]) for f in files if f.name.endswith(".json") and f.name[:4].isdigit()))


@cache
def params_for(year: int) -> YearParams:
    """The law for `year`, validated; raises UnsupportedYear for a year without a file."""
    source = resources.files("calc").joinpath("params", f"{year}.json")
    if not source.is_file():
        years = available_years()
        raise UnsupportedYear(year, first=years[0], last=years[-1])
    loaded = YearParams.model_validate(laid_over(law().values, json.loads(source.read_text(), parse_float=Decimal)))
    if loaded.year != year:
        raise ValueError(f"{source} says year {loaded.year}")
    return loaded


def law_for(year: int) -> YearParams:
    """The law for `year`, or for a year past the last one known, the latest (its `year` says which):
    an estimate for a sale that would land on a return whose figures aren't published yet."""
    latest = available_years()[-1]
    return params_for(min(year, latest)) if year > latest else params_for(year)
