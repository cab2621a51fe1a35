"""Errors the engine raises for input it can't use; each message is fit to show a user."""

from __future__ import annotations


class CalcError(ValueError):
    """Base of every engine error: the message says what was wrong in plain words."""


class UnsupportedYear(CalcError):
    pass


class NotEnoughShares(CalcError):
    pass


class UnknownLot(CalcError):
    pass
