"""Bundled data: election results 2010-2024, the 2019 notionals, lookups, polls and covariates.

Every loader returns a fresh, typed :class:`pandas.DataFrame` keyed by ONS/GSS code and
harmonised party code. The files are copies of the project's validated data set; their
sources, licences and checks are in ``files/PROVENANCE.md`` and ``DATA_SOURCES.md``.
"""

from __future__ import annotations

from seatcast.data.baseline import Baseline, baseline
from seatcast.data.loaders import (
    ELECTIONS,
    boundary_overlaps,
    census,
    census_dictionary,
    constituencies,
    data_path,
    data_version,
    declaration_times,
    election,
    hex_layout,
    hexjson,
    leave,
    national_totals,
    notional,
    polls,
    results,
)

__all__ = [
    "ELECTIONS",
    "Baseline",
    "baseline",
    "boundary_overlaps",
    "census",
    "census_dictionary",
    "constituencies",
    "data_path",
    "data_version",
    "declaration_times",
    "election",
    "hex_layout",
    "hexjson",
    "leave",
    "national_totals",
    "notional",
    "polls",
    "results",
]
