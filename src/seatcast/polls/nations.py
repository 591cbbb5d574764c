"""Scotland and Wales targets for cycles without Scotland- or Wales-only polls (2015-2019).

Before 2020 the bundled Scotland/Wales polls do not exist (``data/files/PROVENANCE.md``, "Not
available"), so the SNP and Plaid Cymru targets of the 2015, 2017 and 2019 forecasts come from
two indirect sources:

* **GB polls with SNP and Plaid columns** (``polls_gb_with_snp_2015_2019.csv``, 2017 and 2019
  cycles). A GB-wide share becomes a nation share by dividing by ``f``, the nation's share of
  the GB valid vote at the previous general election (Scotland ~8.5-9.7%, Wales ~5%; known
  before polling day): ``SNP_Scotland = SNP_GB / f``. The poll's nation sample is ``n * f``.
  The 84 YouGov/Ipsos MORI rows of the 2019 cycle whose one Wikipedia cell spans SNP and Plaid
  are left out (the split is unknown).
* **YouGov's Scottish sub-samples** of its GB polls (``yougov_gb_polls_scotland_subsample_
  2014_2015.csv``, 2015 cycle): the SNP share among Scottish respondents, sample = the
  sub-sample ``n`` (typically 133-230). Plaid is given only for a Wales+Midlands sub-sample,
  which is not a Welsh figure, so Plaid is not estimated for 2015.

GB shares are published to whole points, so each GB-derived poll also carries the rounding
variance ``1/12`` point squared, on the nation scale ``1 / (12 f**2)``: it is folded into an
effective sample ``n_eff`` with ``p(1-p)/n_eff = p(1-p)/(n f) + 1/(12 f**2)`` (``p`` = the
nation share). These rows are then averaged with the ordinary poll model
(:func:`seatcast.polls.aggregate`, sample-size weighted, house effects summing to zero),
as of the same date and with the same window rule as the GB average (only polls ending before
``as_of``). Checked against the results in ``docs/accuracy.md``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from seatcast import data
from seatcast.errors import SeatcastError
from seatcast.polls.model import PollAverage, aggregate, cycle_start
from seatcast.polls.sources import META_COLUMNS, PARTY_COLUMNS, pollster_name

#: The party whose nation share is estimated, per nation.
NATION_PARTY = {"Scotland": "snp", "Wales": "pc"}
#: Nations whose derived estimate feeds forecasts. Wales is left out: Plaid's GB share (~0.5%)
#: is below the rounding unit and "<0.5" cells are blank, so the 2019 derived Plaid share was
#: 17.7% against 9.9% actual (checked on the 2019 result only, which is why it is not used).
USED = ("Scotland",)
ROUNDING_VAR = 1.0 / 12.0  # variance of rounding to whole points, points squared
#: The note PROVENANCE.md puts on rows whose SNP figure is SNP + Plaid combined.
COMBINED_NOTE = "SNP and Plaid share one merged cell"
#: Pollster spellings of the Wikipedia tables not in :data:`seatcast.polls.sources.POLLSTER_ALIASES`.
ALIASES = {"ICM Research": "ICM", "SavantaComRes": "Savanta", "Kantar Public": "Verian",
           "TNS": "Verian", "BMG Research": "BMG"}


def previous_election(as_of: dt.date) -> str:
    """The id of the last general election before ``as_of`` (the forecast's baseline)."""
    start = cycle_start(as_of)
    ids = [e.id for e in data.ELECTIONS.values() if e.date == start and e.id != "2019n"]
    if not ids:
        raise SeatcastError("as_of", f"no general election before {as_of} in the bundled data")
    return ids[0]


@cache
def turnout_fraction(election_id: str, nation: str) -> float:
    """The nation's share of the GB valid vote at ``election_id`` (``f`` in the module rule)."""
    from seatcast import parties

    base = data.baseline(election_id)
    gb = base.weights[base.nation_mask(*parties.GB)].sum()
    return float(base.weights[base.nation_mask(nation)].sum() / gb)


def effective_n(n: np.ndarray, share: np.ndarray, f: float, rounded: bool = True) -> np.ndarray:
    """Nation-scale sample size of GB polls of size ``n`` reporting nation share ``share`` (points)."""
    p = np.clip(np.asarray(share, float) / 100.0, 0.01, 0.99)
    var = p * (1 - p) / (np.asarray(n, float) * f) * 1e4  # points^2 on the nation scale
    if rounded:
        var = var + ROUNDING_VAR / f**2
    return 1e4 * p * (1 - p) / var


def _frame(rows: pd.DataFrame, nation: str, party: str) -> pd.DataFrame:
    out = pd.DataFrame({c: np.nan for c in (*META_COLUMNS, *PARTY_COLUMNS)}, index=rows.index)
    for c in ("poll_id", "fieldwork_start", "fieldwork_end", "sample_size", "source_file", "notes"):
        out[c] = rows[c]
    name = rows["pollster"].fillna("").str.replace(r"\s*Archived .*$", "", regex=True)
    out["pollster"] = name.map(lambda s: pollster_name(ALIASES.get(s, s)))
    out["client"] = ""
    out["area"] = nation
    out["is_mrp"] = rows["notes"].str.contains("MRP", case=False) | rows["pollster"].str.contains("MRP")
    out[party] = rows[party]
    return out[~out["is_mrp"] & out[party].notna()]


def gb_derived(nation: str, election_id: str) -> pd.DataFrame:
    """Nation polls derived from GB polls' SNP/Plaid columns, with ``f`` from ``election_id``."""
    party = NATION_PARTY[nation]
    raw = data.polls("gb_snp")
    raw = raw[~raw["notes"].fillna("").str.startswith(COMBINED_NOTE)]
    f = turnout_fraction(election_id, nation)
    rows = raw.assign(notes=raw["notes"].fillna(""), source_file="polls_gb_with_snp_2015_2019.csv")
    nation_share = rows[party] / f
    rows = rows.assign(sample_size=effective_n(rows["sample_size"], nation_share, f))
    rows[party] = nation_share
    return _frame(rows, nation, party)


def yougov_subsamples() -> pd.DataFrame:
    """Scotland polls from YouGov's Scottish sub-samples (2015 cycle)."""
    raw = data.polls("yougov_scotland")
    rows = raw.assign(notes=raw["notes"].fillna(""), sample_size=raw["scotland_subsample_n"],
                      snp=raw["snp_scotland_subsample"], pollster="YouGov",
                      source_file="yougov_gb_polls_scotland_subsample_2014_2015.csv")
    bad = rows["fieldwork_start"] > rows["fieldwork_end"]
    rows.loc[bad, "fieldwork_start"] = rows.loc[bad, "fieldwork_end"]
    return _frame(rows, "Scotland", "snp")


def nation_polls(nation: str, election_id: str) -> pd.DataFrame:
    """Every derived poll of ``nation``'s party (both sources), in the ``polls.load`` schema."""
    if nation not in NATION_PARTY:
        raise SeatcastError("nation", f"no derived polls for {nation!r}", NATION_PARTY)
    frames = [gb_derived(nation, election_id)]
    if nation == "Scotland":
        frames.append(yougov_subsamples())
    return pd.concat(frames, ignore_index=True).sort_values(["fieldwork_end", "poll_id"])


def nation_estimate(nation: str, as_of: dt.date) -> PollAverage | None:
    """The derived average of ``nation``'s party as of ``as_of`` (None without polls in the window)."""
    try:
        base = previous_election(as_of)
        return aggregate(nation_polls(nation, base), as_of=as_of, area=nation,
                         parties=[NATION_PARTY[nation]])
    except SeatcastError:
        return None


def gb_share_from_nation(nation: str, as_of: dt.date) -> float | None:
    """The GB share (points) that makes the scenario rules reproduce the derived nation estimate.

    Nation-only parties keep their ratio ``N'/N`` in their nation (:mod:`seatcast.swing.scenario`),
    and ``N_GB = f * N_nation``, so giving ``f * estimate`` (``f`` of the baseline election) as the
    GB share yields exactly ``estimate`` in the nation on that baseline.
    """
    avg = nation_estimate(nation, as_of)
    if avg is None:
        return None
    f = turnout_fraction(previous_election(as_of), nation)
    return f * avg.average[NATION_PARTY[nation]]
