"""Backtests: hindsight ("perfect poll") tests and forecast backtests."""

from seatcast.backtest.hindsight import HINDSIGHT_PAIRS, HindsightResult, actual_scenario, hindsight

__all__ = ["HINDSIGHT_PAIRS", "HindsightResult", "actual_scenario", "hindsight"]
