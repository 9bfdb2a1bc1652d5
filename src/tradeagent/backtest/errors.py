"""Errors of the backtest engine."""

from __future__ import annotations


class BacktestError(ValueError):
    """A backtest that cannot run as asked; the message says why and what to do."""
