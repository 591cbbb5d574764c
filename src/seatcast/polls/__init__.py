"""Poll aggregation: bundled and user polls, a house-effect-corrected daily average with a band.

* :func:`load` - the bundled polls cleaned into one schema (:mod:`seatcast.polls.sources`);
* :mod:`seatcast.polls.store` - the local poll store (SQLite in the user's data folder, created from
  the bundled polls) that :func:`aggregate` reads by default; new polls come from a CSV
  (:func:`read_csv`), Mark Pack's PollBase workbook (:mod:`seatcast.polls.pollbase`) or Wikipedia
  (:mod:`seatcast.polls.wiki`, ``seatcast polls update``);
* :func:`read_csv` - validated import of a user's polls file (:mod:`seatcast.polls.importer`);
* :func:`aggregate` -> :class:`PollAverage` - Kalman filter + RTS smoother with house effects,
  "as of" a date (:mod:`seatcast.polls.model`, kernels in :mod:`seatcast.polls.kernels`);
* :func:`scenario_from_polls` - the average as a :class:`seatcast.swing.Scenario`;
* :func:`user_scenario` - the scenario of ``seatcast project`` and ``POST /api/project``: shares, the
  poll average with shares laid over it, two-party swings;
* :func:`eve_of_election`, :func:`eve_errors`, :func:`accuracy_table` - how the average did on the
  eve of the 2010-2024 elections (:mod:`seatcast.polls.eve`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

#: name -> the module defining it. Loaded on first use (PEP 562), so that importing a light module
#: of this package (:mod:`seatcast.polls.inputs`, used by every ``seatcast project``) loads no pandas.
_WHERE = {"accuracy_summary": "eve", "accuracy_table": "eve", "eve_errors": "eve", "eve_of_election": "eve",
          "read_csv": "importer", "PollAverage": "model", "aggregate": "model", "save_tracker": "plot",
          "scenario_from_polls": "scenario", "user_scenario": "inputs", "PARTY_COLUMNS": "sources",
          "load": "sources"}
__all__ = ["PARTY_COLUMNS", "PollAverage", "accuracy_summary", "accuracy_table", "aggregate",
           "eve_errors", "eve_of_election", "load", "read_csv", "save_tracker", "scenario_from_polls",
           "user_scenario"]

if TYPE_CHECKING:
    from seatcast.polls.eve import accuracy_summary, accuracy_table, eve_errors, eve_of_election
    from seatcast.polls.importer import read_csv
    from seatcast.polls.inputs import user_scenario
    from seatcast.polls.model import PollAverage, aggregate
    from seatcast.polls.plot import save_tracker
    from seatcast.polls.scenario import scenario_from_polls
    from seatcast.polls.sources import PARTY_COLUMNS, load


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'seatcast.polls' has no attribute {name!r}")
    value = getattr(import_module(f"seatcast.polls.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
