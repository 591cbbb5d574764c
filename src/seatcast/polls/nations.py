"""Scotland and Wales targets for cycles without Scotland- or Wales-only polls (2015-2019).

Before 2020 the bundled Scotland/Wales polls do not exist (``data/files/PROVENANCE.md``, "Not
available"), so the SNP and Plaid Cymru targets of the 2015, 2017 and 2019 forecasts come from
two indirect sources:

* **GB polls with SNP and Plaid columns** (``polls_gb_with_snp_2015_2019.csv``, 2017 and 2019
  cycles). A GB-wide share becomes a nation share by dividing by ``f``, the nation's share of
  the GB valid vote at the previous general election (Scotland ~8.5-9.7%, Wales ~5%; known
  before polling day): ``SNP_Scotland = SNP_GB / f``. The poll's nation sample is ``n * f``.
  Some GB figures are SNP + Plaid combined (:data:`COMBINED_NOTES`: YouGov's "SNP/Plaid" answer,
  footnote [b] in the 2017 cycle, one merged cell in 2019): the SNP is then the figure minus
  Plaid's GB share at the previous election (0.5-0.6%), whose uncertainty (:data:`PLAID_SD`) is
  added to the poll's variance.
* **YouGov's GB polls of the 2015 cycle** (``yougov_gb_polls_scotland_subsample_2014_2015.csv``)
  give two figures per poll: the SNP share among the Scottish sub-sample (typically 133-230
  respondents) and the GB-wide SNP + Plaid share (whole points). The second becomes a Scottish
  share by the rule above (``f`` and Plaid's share of 2010). The two are averaged per poll,
  each weighted by the inverse of its variance (:func:`subsample_and_gb`); as they come from the
  same respondents, the poll counts once, with the sub-sample's size. Plaid is given only for a
  Wales+Midlands sub-sample, which is not a Welsh figure, so Plaid is not estimated for 2015.

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
#: Notes of rows whose GB "SNP" figure is SNP + Plaid combined: the merged cells of the 2019 cycle,
#: and the 2017-cycle footnote [b] on YouGov's (and four Ipsos MORI) SNP figures: YouGov offered
#: "SNP/Plaid Cymru" as one answer (its tables print "SNP/ PCY", and so does its 2015-cycle file's
#: ``snp_pc_gb``); the footnote marks exactly those pollsters' figures.
COMBINED_NOTES = (COMBINED_NOTE, "SNP figure carries Wikipedia footnote [b]")
#: Uncertainty (points, GB scale) of Plaid's share taken as its GB share at the previous election:
#: Plaid's GB share was 0.57 / 0.61 / 0.52 / 0.49% in 2010 / 2015 / 2017 / 2019 (``results.csv``),
#: so it moved by at most 0.1 point between elections.
PLAID_SD = 0.1
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


@cache
def gb_share(election_id: str, party: str) -> float:
    """``party``'s share (points) of the GB valid vote at ``election_id``."""
    from seatcast import parties

    base = data.baseline(election_id)
    return float(100 * base.area_totals(base.nation_mask(*parties.GB)).get(party, 0.0))


def nation_variance(n: np.ndarray, share: np.ndarray, f: float, rounded: bool = True,
                    extra: np.ndarray | float = 0.0) -> np.ndarray:
    """Variance (points^2, nation scale) of ``share`` derived from GB polls of size ``n``.

    Sampling ``p(1-p)/(n f)``, plus the rounding variance of a whole-point GB figure and ``extra``
    (GB-scale points^2, e.g. the Plaid part of a combined figure), both divided by ``f**2``."""
    p = np.clip(np.asarray(share, float) / 100.0, 0.01, 0.99)
    var = p * (1 - p) / (np.asarray(n, float) * f) * 1e4
    return var + ((ROUNDING_VAR if rounded else 0.0) + np.asarray(extra, float)) / f**2


def effective_n(n: np.ndarray, share: np.ndarray, f: float, rounded: bool = True,
                extra: np.ndarray | float = 0.0) -> np.ndarray:
    """Nation-scale sample size of GB polls of size ``n`` reporting nation share ``share`` (points)."""
    p = np.clip(np.asarray(share, float) / 100.0, 0.01, 0.99)
    return 1e4 * p * (1 - p) / nation_variance(n, share, f, rounded, extra)


def combined_cells(notes: pd.Series) -> pd.Series:
    """True where a GB poll's SNP figure is SNP + Plaid combined (:data:`COMBINED_NOTES`)."""
    notes = notes.fillna("")
    return np.logical_or.reduce([notes.str.startswith(c) for c in COMBINED_NOTES])


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


def gb_derived(nation: str, election_id: str, combined: str = "subtract") -> pd.DataFrame:
    """Nation polls derived from GB polls' SNP/Plaid columns, with ``f`` from ``election_id``.

    A combined SNP + Plaid figure (:func:`combined_cells`) gives the SNP after subtracting Plaid's
    GB share at ``election_id`` (its variance :data:`PLAID_SD` squared is added); it says nothing
    about Plaid alone, so it is left out of the Welsh series. ``combined="whole"`` takes the 2017
    footnoted figures whole and drops the 2019 merged ones (the rule before, for the docs)."""
    if combined not in ("subtract", "whole"):
        raise SeatcastError("combined", f"unknown rule {combined!r}", ["subtract", "whole"])
    party = NATION_PARTY[nation]
    raw = data.polls("gb_snp")
    both = combined_cells(raw["notes"])
    if party != "snp" or combined == "whole":
        drop = raw["notes"].fillna("").str.startswith(COMBINED_NOTE) if party == "snp" else both
        raw, both = raw[~drop], both[~drop] & (combined != "whole")
    f = turnout_fraction(election_id, nation)
    rows = raw.assign(notes=raw["notes"].fillna(""), source_file="polls_gb_with_snp_2015_2019.csv")
    gb = rows[party] - np.where(both, gb_share(election_id, "pc"), 0.0)
    nation_share = gb.clip(lower=0.0) / f
    extra = np.where(both, PLAID_SD**2, 0.0)
    rows = rows.assign(sample_size=effective_n(rows["sample_size"], nation_share, f, extra=extra))
    rows[party] = nation_share
    return _frame(rows, nation, party)


def subsample_and_gb(sub: np.ndarray, n_sub: np.ndarray, gb: np.ndarray, n: np.ndarray,
                     f: float, plaid: float, use: str = "both") -> np.ndarray:
    """One poll's SNP share in Scotland from its two figures, weighted by their information.

    ``sub``: SNP % among the Scottish sub-sample of ``n_sub``; ``gb``: SNP + Plaid % of the whole
    poll of ``n`` (whole points). The GB figure gives ``(gb - plaid) / f`` with the variance of
    :func:`nation_variance` (sampling, rounding, Plaid); the sub-sample has ``p(1-p)/n_sub``. Both
    variances use the sub-sample's share, so a higher reading is not weighted down for being high.
    ``use``: ``"both"``, or ``"sub"`` / ``"gb"`` for one figure alone (the docs' comparison).
    """
    if use not in ("both", "sub", "gb"):
        raise SeatcastError("use", f"unknown source {use!r}", ["both", "sub", "gb"])
    derived = np.clip(np.asarray(gb, float) - plaid, 0.0, None) / f
    var_gb = nation_variance(n, sub, f, extra=PLAID_SD**2)
    var_sub = nation_variance(n_sub, sub, 1.0, rounded=False)
    w = {"sub": 1.0, "gb": 0.0}.get(use, (1 / var_sub) / (1 / var_sub + 1 / var_gb))
    return w * np.asarray(sub, float) + (1 - w) * derived


def yougov_subsamples(election_id: str | None = None, use: str = "both") -> pd.DataFrame:
    """Scotland polls from YouGov's Scottish sub-samples (2015 cycle).

    With ``election_id`` (the baseline), each poll's GB SNP + Plaid figure is folded in by
    :func:`subsample_and_gb` with ``f`` and Plaid's GB share of that election. The two figures
    come from the same respondents, so the poll still counts once: its sample size stays the
    sub-sample's."""
    raw = data.polls("yougov_scotland")
    snp = raw["snp_scotland_subsample"]
    if election_id is not None:
        snp = subsample_and_gb(snp, raw["scotland_subsample_n"], raw["snp_pc_gb"], raw["sample_size"],
                               turnout_fraction(election_id, "Scotland"), gb_share(election_id, "pc"), use)
    rows = raw.assign(notes=raw["notes"].fillna(""), sample_size=raw["scotland_subsample_n"],
                      snp=snp, pollster="YouGov",
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
        frames.append(yougov_subsamples(election_id))
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
