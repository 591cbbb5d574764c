"""Loaders for the bundled CSV files (see ``files/PROVENANCE.md`` for every source)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from seatcast.elections import ELECTIONS, Election, election
from seatcast.elections import check_boundaries as _boundaries
from seatcast.errors import SeatcastError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ELECTIONS", "Election", "election"]  # re-exported: defined in seatcast.elections


POLL_FILES = {
    "national": ("polls.csv",),
    "cycle2024": ("polls_2024_cycle_full.csv",),
    "next": ("polls_next.csv",),
    "scotland": ("polls_scotland.csv",),
    "wales": ("polls_wales.csv",),
    "gb_snp": ("polls_gb_with_snp_2015_2019.csv",),
    "gb_snp_links": ("polls_gb_with_snp_2015_2019_pollbase_links.csv",),
    "yougov_scotland": ("yougov_gb_polls_scotland_subsample_2014_2015.csv",),
}


def data_path(name: str) -> Path:
    """Path of a bundled data file (inside the installed package)."""
    return Path(str(resources.files("seatcast.data") / "files" / name))


@cache
def _read(name: str) -> pd.DataFrame:
    import pandas as pd  # imported on first use: a projection from the array cache needs NumPy only

    return pd.read_csv(data_path(name), low_memory=False)


def _fresh(name: str) -> pd.DataFrame:
    return _read(name).copy()


def results(election_id: str) -> pd.DataFrame:
    """Candidate-level results of one election (one row per candidate).

    ``results("2019n")`` gives the notional 2019 result on the 2024 boundaries, whose rows
    are party aggregates (no candidate names exist). Source: UK Parliament election results
    service (Open Parliament Licence v3.0); notionals © Rallings & Thrasher.
    """
    e = election(election_id)
    if e.id == "2019n":
        return notional("2019", boundaries="2024")
    df = _fresh("results.csv")
    df = df[df["election_year"] == e.year].reset_index(drop=True)
    df["election"] = e.id
    return df


def notional(year: str = "2019", boundaries: str = "2024") -> pd.DataFrame:
    """Rallings & Thrasher's notional result of ``year`` on ``boundaries`` (only 2019 on 2024)."""
    if (str(year), str(boundaries)) != ("2019", "2024"):
        raise SeatcastError("notional", "only the 2019 notional on the 2024 boundaries exists",
                            ["2019 on 2024"])
    df = _fresh("notional_2019_results.csv")
    df["election"] = "2019n"
    return df


def constituencies(boundaries: str | int = "2024") -> pd.DataFrame:
    """Constituency lookup for a boundary set, indexed by ONS code."""
    b = _boundaries(boundaries)
    df = _fresh("constituencies.csv")
    return df[df["boundary_set"] == int(b)].set_index("ons_code")


def hex_layout(boundaries: str | int = "2024") -> pd.DataFrame:
    """Open Innovations hex-cartogram cells (odd-r offset ``q``, ``r``), indexed by ONS code."""
    b = _boundaries(boundaries)
    return _fresh(f"hex_constituencies_{b}.csv").set_index("ons_code")


def hexjson(boundaries: str | int = "2024") -> dict:
    """The Open Innovations hexjson document for a boundary set (MIT licence)."""
    b = _boundaries(boundaries)
    return json.loads(data_path(f"hexjson/uk-constituencies-{b}.hexjson").read_text("utf-8"))


def leave() -> pd.DataFrame:
    """Estimated 2016 EU-referendum Leave share by 2010-boundary seat (Hanretty 2017)."""
    return _fresh("eu_referendum_2016_leave.csv").set_index("ons_code")


def census() -> pd.DataFrame:
    """2011 Census variables for the 632 GB seats of the 2010 boundary set (via BES 2017)."""
    return _fresh("census_2011_constituency.csv").set_index("ons_code")


def census_dictionary() -> pd.DataFrame:
    return _fresh("census_2011_constituency_dictionary.csv")


def census2021() -> pd.DataFrame:
    """2021/22 Census variables for the 632 GB seats of the 2024 boundary set (``c21_*``)."""
    return _fresh("census_2021_constituency_2024.csv").set_index("ons_code")


def census2021_dictionary() -> pd.DataFrame:
    return _fresh("census_2021_constituency_2024_dictionary.csv")


def boundary_overlaps() -> pd.DataFrame:
    """Population overlaps between 2010-set and 2024-set seats (HoC Library, July 2023)."""
    return _fresh("boundary_overlaps_2010_to_2024.csv")


def national_totals() -> pd.DataFrame:
    """Party vote and seat totals per election and area (UK, GB, nations)."""
    return _fresh("national_totals.csv")


def polls(kind: str = "national") -> pd.DataFrame:
    """A bundled poll file, raw, with parsed dates. ``kind`` is one of ``POLL_FILES``.

    Sources: Mark Pack's PollBase and Wikipedia's opinion-polling tables (CC BY-SA 4.0).
    ``seatcast.polls.load()`` gives the cleaned, combined form used by the aggregator.
    """
    if kind not in POLL_FILES:
        raise SeatcastError("kind", f"unknown poll file {kind!r}", POLL_FILES)
    import pandas as pd

    df = _fresh(POLL_FILES[kind][0])
    for col in ("fieldwork_start", "fieldwork_end", "election_date"):
        if col in df:
            df[col] = pd.to_datetime(df[col], errors="coerce")
    return df


DECLARATION_YEARS = ("2015", "2017", "2019", "2024")


def declaration_times(election_id: str) -> pd.DataFrame:
    """When each seat declared at ``election_id`` (2015, 2017, 2019, 2024), in declaration order.

    Columns ``ons_code``, ``constituency``, ``declared_at`` (tz-aware local clock time, minute
    resolution) and ``order`` (competition rank; seats of one minute share it). Sources: House
    of Commons Library results files; 2024 is a composite whose order is approximate within
    the overnight peak (``files/PROVENANCE.md``).
    """
    key = str(election_id)
    if key not in DECLARATION_YEARS:
        raise SeatcastError("election", f"no declaration times for {key!r}", DECLARATION_YEARS)
    import pandas as pd

    df = _fresh(f"declaration_times_{key}.csv")
    df["declared_at"] = pd.to_datetime(df["declared_at"], utc=True)
    return df.sort_values(["declared_at", "ons_code"], kind="stable").reset_index(drop=True)


def _data_version() -> str:
    digest = hashlib.sha256()
    root = data_path("")
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def data_version() -> str:
    """A short content hash of the bundled files, recorded in every result (hashed once per
    fingerprint of the package, :mod:`seatcast._cache`)."""
    import numpy as np

    from seatcast import _cache

    return str(_cache.arrays("data-version", lambda: {"v": np.array(_data_version())})["v"])

