"""Target and defence lists, and the tipping-point seats.

For each seat a party does not hold (its *targets*) and each seat it holds (its
*defences*). A seat where the party has no candidate (Labour in Northern Ireland, Reform in
the 22 GB seats it did not contest in 2024) is not a target, nor is the Speaker's seat, which
never changes hands (the rules in docs/campaign.md: "Only parties that stood"):

* ``swing_needed``: the uniform swing, in percentage points, that changes the seat. For a
  single party it is Butler's two-party swing from the seat's leading rival (the party
  must also pass every third party: ``max((lead - a) / 2, third - a)``); for a pair
  (``vs``) it is the swing from ``vs`` in every seat. Defences give the smallest swing to
  any challenger, and name it (``challenger``, defences only: the party that takes the seat
  on the smallest swing; a target's rival is its ``winner``).
* ``votes_switched`` / ``votes_added``: the exact fewest voters switching to the party,
  or new voters for it, that win the seat (defences: that win it for the cheapest
  challenger), from :mod:`seatcast.campaign.kernels`.
* ``win_prob``: the party's win probability in the seat when a forecast is given.

Tipping points use a uniform national swing from ``vs`` (default: the largest other
party by seats) to the party, applied to every seat's shares: the swing at which the
party first reaches 326 seats, and first has more seats than any other party, and the
seat that tips it. Seats are won on the largest candidate's share (``top_frac``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from seatcast import defaults
from seatcast.campaign import common, kernels
from seatcast.errors import SeatcastError
from seatcast.parliament import MAJORITY
from seatcast.parliament.kernels import winner_index
from seatcast.rules import SPEAKER


@dataclass(frozen=True, eq=False)
class TargetList:
    """Targets and defences for ``party`` on a field (a result or a projection)."""

    party: str
    vs: str
    field: str
    election: str
    targets: pd.DataFrame = field(repr=False)  # index ons_code, ordered easiest first
    defences: pd.DataFrame = field(repr=False)
    tipping: dict = field(default_factory=dict)  # "majority"/"largest" -> dict or None
    data_version: str = ""
    #: the inputs of a projection's list: model, scenario (percent), and the win-probability draws
    inputs: dict = field(default_factory=dict)

    def as_dict(self, top: int | None = None) -> dict:
        def rows(df):
            df = df if top is None else df.head(top)
            return [{"ons_code": c, **{k: _plain(v) for k, v in r.items()}} for c, r in df.iterrows()]

        return {"party": self.party, "vs": self.vs, "field": self.field, "election": self.election,
                "tipping": self.tipping, "targets": rows(self.targets),
                "defences": rows(self.defences), "data_version": self.data_version, **self.inputs}
    def to_csv(self, top: int | None = None) -> str:
        """Both lists as one CSV, ``top`` rows of each: ``ons_code,type,party`` first (``type``
        offensive for a target, defensive for a defence), so ``seatcast audit-targets`` reads the
        file as it is; then rank, constituency, winner, challenger and the numbers of :meth:`as_dict`."""
        import csv
        import io

        d = self.as_dict(top)
        keys = list(dict.fromkeys(k for r in d["defences"] + d["targets"] for k in r if k != "ons_code"))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["ons_code", "type", "party", *keys])
        for kind, rows in (("offensive", d["targets"]), ("defensive", d["defences"])):
            for r in rows:
                w.writerow([r["ons_code"], kind, self.party,
                            *("" if r.get(k) is None else r[k] for k in keys)])
        return buf.getvalue()


def _plain(v):
    if isinstance(v, (np.floating, float)):
        if not np.isfinite(v):
            return None
        return int(v) if float(v).is_integer() else round(float(v), 4)
    return v.item() if isinstance(v, np.generic) else v


def _table(fld, a, vs_idx, forecast):
    tot = fld.votes.sum(axis=1, keepdims=True)
    shares = fld.comp / np.where(tot > 0, tot, 1)
    sw = kernels.swing_needed(shares, a, vs_idx)
    rivals = np.delete(np.arange(len(fld.parties)), a)
    sw_each = np.stack([kernels.swing_needed(shares, c, a) for c in rivals], axis=1)
    sw_def = sw_each.min(axis=1)
    switch = kernels.cost_matrix(fld.comp, np.rint(fld.votes), fld.votes > 0)
    add = kernels.cost_matrix(fld.comp, None, fld.votes > 0)
    held = fld.winner_idx == a
    df = pd.DataFrame({
        "constituency": fld.seats["constituency"].to_numpy(),
        "winner": fld.winners,
        "challenger": np.asarray(fld.parties)[rivals[np.argmin(sw_each, axis=1)]],
        "share": 100 * shares[:, a],
        "winner_share": 100 * shares[np.arange(len(shares)), fld.winner_idx],
        "swing_needed": 100 * np.where(held, -sw_def, sw),
        "votes_switched": np.where(held, switch[:, rivals].min(axis=1), switch[:, a]),
        "votes_added": np.where(held, add[:, rivals].min(axis=1), add[:, a]),
    }, index=fld.codes)
    if forecast is not None:
        df["win_prob"] = forecast.win_prob[fld.parties[a]].reindex(fld.codes).to_numpy()
    return df


def tipping_points(fld: common.Field, a: int, b: int) -> dict:
    """Uniform swing from ``b`` to ``a`` at which ``a`` gets a majority / becomes largest.

    A seat's winner can only change where two shares cross: ``a`` and ``b`` at
    ``(b - a) / 2``, ``a`` and the best third party c at ``c - a``, ``b`` and c at ``b - c``.
    The seat totals are evaluated just either side of every such crossing, so the answer
    is exact (to 1e-12). If the party already has it, the swing *against* it that ends it.
    """
    tot = fld.votes.sum(axis=1, keepdims=True)
    shares = fld.votes / np.where(tot > 0, tot, 1)
    cs = shares * fld.top_frac
    others = np.delete(cs, [a, b], axis=1).max(axis=1)
    cand = np.concatenate([(cs[:, b] - cs[:, a]) / 2, others - cs[:, a], cs[:, b] - others])
    cand = cand[(cand > -1) & (cand < 1)]
    points = np.unique(np.concatenate([cand - 1e-12, cand + 1e-12, [0.0]]))
    wins = _winners_at(fld, shares, a, b, points)
    counts = np.stack([(wins == p).sum(axis=1) for p in range(len(fld.parties))], axis=1)
    majority = counts[:, a] >= MAJORITY
    largest = counts[:, a] > np.delete(counts, a, axis=1).max(axis=1)
    return {"majority": _tip(fld, a, b, points, wins, counts, majority),
            "largest": _tip(fld, a, b, points, wins, counts, largest)}


def _winners_at(fld, shares, a, b, x):
    """``(swing, seat)`` winner index after each uniform swing ``x`` from ``b`` to ``a``, in the
    seats where ``a`` has a candidate (the SNP gains nothing in England), the Speaker's excepted."""
    out = np.empty((len(x), len(shares)), int)
    moves = ((fld.votes[:, a] > 0) & (fld.winners != SPEAKER)).astype(float)  # where ``a`` stands
    for lo in range(0, len(x), 256):
        xs = x[lo:lo + 256, None] * moves
        s = np.broadcast_to(shares, (len(xs), *shares.shape)).copy()
        s[:, :, a] += xs
        s[:, :, b] -= xs
        out[lo:lo + 256] = winner_index(np.clip(s, 0, None), fld.top_frac)
    return out


def _tip(fld, a, b, points, wins, counts, ok):
    """The swing nearest zero at which ``ok`` changes from its value at zero, and the seat."""
    zero = int(np.searchsorted(points, 0.0))
    now = bool(ok[zero])
    side = points < 0 if now else points > 0
    hits = np.flatnonzero(side & (ok != now))
    if not len(hits):
        return None
    i = hits[np.argmin(np.abs(points[hits]))]
    j = i + 1 if now else i - 1
    changed = np.flatnonzero((wins[i] == a) != (wins[j] == a))
    changed = changed if len(changed) else np.flatnonzero(wins[i] != wins[j])
    code = fld.codes[changed[0]] if len(changed) else None
    return {"swing": round(100 * float(points[i]), 3), "from": fld.parties[b], "to": fld.parties[a],
            "seats_after": int(counts[i, a]), "ons_code": code,
            "constituency": None if code is None else fld.seats.at[code, "constituency"],
            "holds_now": now}


def target_list(fld: common.Field, party: str, vs: str | None = None, forecast=None) -> TargetList:
    """Targets and defences for ``party`` on a field; ``vs`` makes it a two-party list."""
    a = fld.index(party, campaigning=True)
    counts = fld.seat_counts()
    if vs is None:
        vs_code = max((p for p in counts if p not in (party, SPEAKER)), key=counts.get)
        vs_idx = None
    else:
        vs_code, vs_idx = vs, fld.index(vs, "vs", campaigning=True)
    df = _table(fld, a, vs_idx, forecast)
    held = fld.winner_idx == a
    order = ["swing_needed", "votes_switched"]
    winnable = (fld.votes[:, a] > 0) & (fld.winners != SPEAKER)
    tg = df[~held & winnable].drop(columns="challenger").sort_values(order, kind="stable")
    de = df[held].assign(swing_needed=-df["swing_needed"][held]).sort_values(order, kind="stable")
    tg.insert(0, "rank", np.arange(1, len(tg) + 1))
    de.insert(0, "rank", np.arange(1, len(de) + 1))
    tips = tipping_points(fld, a, fld.index(vs_code, "vs"))
    return TargetList(party, vs_code, fld.label, fld.election, tg, de, tips, fld.data_version)


@dataclass(frozen=True, eq=False)
class WinProb:
    """A minimal forecast: ``win_prob`` (ons_code x party) from Monte Carlo draws."""

    win_prob: pd.DataFrame


def win_probabilities(scenario, baseline: str, model: str, draws: int, seed: int,
                      exclude: str | None = None) -> WinProb:
    """Each party's share of draws won in each seat (:mod:`seatcast.campaign.montecarlo`)."""
    from seatcast.campaign import montecarlo
    from seatcast.swing.project import prepare_projection

    prep = prepare_projection(scenario, baseline, model)
    wins = np.zeros(prep.baseline.votes.shape)
    for chunk in montecarlo.share_draws(prep, draws, seed, model, exclude):
        w = winner_index(chunk, prep.baseline.top_frac)
        wins += (w[..., None] == np.arange(wins.shape[1])).sum(axis=0)
    return WinProb(pd.DataFrame(wins / draws, index=prep.baseline.codes, columns=list(prep.baseline.parties)))


def targets(party: str, baseline: str = defaults.BASELINE, vs: str | None = None, scenario=None,
            model: str = defaults.MODEL, forecast=None, draws: int = 0, seed: int = defaults.SEED,
            exclude: str | None = None) -> TargetList:
    """Target and defence lists for ``party`` on a baseline result, or on a projection of
    ``scenario`` (a :class:`seatcast.swing.Scenario`) from it. Win probabilities come from
    ``forecast`` (anything with a ``win_prob`` ons_code x party frame, e.g. a
    ``seatcast.simulate`` forecast) or, with ``draws > 0`` and a scenario, from that many
    Monte Carlo draws (error scales calibrated without election ``exclude``).
    """
    party = common.campaign_party(party, "party")
    vs = common.campaign_party(vs, "vs") if vs is not None else None
    if vs == party:
        raise SeatcastError("vs", f"must be another party than {party}")
    if draws < 0:
        raise SeatcastError("draws", f"{draws} is negative")
    if draws > 0 and scenario is None and forecast is None:  # not silently ignored
        raise SeatcastError("draws", "win probabilities need a projection to simulate: give a scenario "
                                     "(--polls DATE or --shares)")
    _, fld, proj = common.field_on(baseline, scenario, model)
    if scenario is not None and forecast is None and draws > 0:
        forecast = win_probabilities(scenario, baseline, model, draws, seed, exclude)
    tl = target_list(fld, party, vs, forecast)
    if proj is None:
        return tl
    sim = {"draws": draws, "seed": seed} if draws > 0 else {}
    return replace(tl, inputs={"model": proj.model, "scenario": scenario.as_dict(), **sim})
