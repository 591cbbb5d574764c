"""The prior of the live model: central seat shares and error scales of a forecast or projection."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from seatcast import parties as registry
from seatcast.errors import SeatcastError
from seatcast.simulate.engine import REGIONS_ORDER, Scales

REGIONS = tuple(sorted(REGIONS_ORDER))


@dataclass(frozen=True, eq=False)
class LivePrior:
    """Central seat shares ``(seat, party)`` with the error scales of the forecast they came from.

    The party axis covers every registered party (those absent from the prior have zero
    share), so any declared winner can be counted. ``fixed`` seats (the Speaker's) are held.
    """

    label: str
    seats: pd.DataFrame = field(repr=False)  # index ons_code; constituency, country, region
    parties: tuple[str, ...]
    shares: np.ndarray = field(repr=False)
    top_frac: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    fixed: np.ndarray = field(repr=False)
    scales: Scales
    baseline: str
    model: str
    #: Standard deviation (log scale) of a seat's own error in the live model. None (the default):
    #: the forecast's own, sharpened seat scale (``scales.seat``), so that before the first
    #: declaration the live model resimulates the forecast it came from; a number (e.g. the
    #: *measured* seat scale, :func:`seatcast.simulate.calibration.base_scales`) overrides it.
    #: See docs/live.md, "Seat error".
    seat_sd: float | None = None

    @property
    def seat_scale(self) -> float:
        """The seat error's standard deviation used by the live model (:attr:`seat_sd`)."""
        return self.scales.seat if self.seat_sd is None else float(self.seat_sd)

    @cached_property
    def region(self) -> np.ndarray:
        return np.searchsorted(np.asarray(REGIONS), self.seats["region"].to_numpy())

    @property
    def n_regions(self) -> int:
        return len(REGIONS)

    @cached_property
    def gb(self) -> np.ndarray:
        return self.seats["country"].isin(registry.GB).to_numpy()

    @cached_property
    def _seat_lookup(self) -> dict[str, int]:
        out = {_norm(n): i for i, n in enumerate(self.seats["constituency"])}
        out.update({c.upper(): i for i, c in enumerate(self.seats.index)})
        return out

    def seat_index(self, key: str) -> int:
        """Row of a seat given by ONS code or name (case, punctuation and '&'/'and' ignored)."""
        i = self._seat_lookup.get(str(key).strip().upper(), self._seat_lookup.get(_norm(key)))
        if i is None:
            raise SeatcastError("seat", f"no seat {key!r} in the {self.baseline} boundaries")
        return i

    def party_index(self, code: str) -> int:
        if code not in self.parties:
            raise SeatcastError("party", f"unknown party {code!r}", self.parties)
        return self.parties.index(code)

    @cached_property
    def winners(self) -> np.ndarray:
        """(seat,) the prior's central winner."""
        return np.asarray(self.parties)[np.argmax(self.shares * self.top_frac, axis=1)]


def _norm(name) -> str:
    s = str(name).lower().replace("&", " and ")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in s).split())


def from_projection(proj, scales: Scales, label: str | None = None,
                    seat_sd: float | None = None) -> LivePrior:
    """A prior from a :class:`seatcast.swing.project.Projection` and error scales (``seat_sd``: the
    live seat error, :attr:`LivePrior.seat_sd`)."""
    from seatcast.swing.prior import speaker_seats

    base = proj.baseline.with_parties(registry.CODES)
    shares = np.hstack([proj.shares, np.zeros((len(base.seats), len(base.parties) - len(proj.parties)))])
    return LivePrior(label or f"{proj.model} projection on {base.election}",
                     base.seats[["constituency", "country", "region"]].copy(), base.parties, shares,
                     base.top_frac, base.weights, speaker_seats(proj.baseline), scales,
                     base.election, proj.model, seat_sd)


def from_forecast(fc, model=None, label: str | None = None, exclude: str | None = None,
                  seat_sd: float | str | None = None) -> LivePrior:
    """A prior from a :class:`seatcast.simulate.Forecast`: its scenario projected with its model
    (or ``model``, e.g. a trained instance) on its baseline, and its error scales.

    The live seat error (``seat_sd``) defaults to the forecast's own (sharpened) seat scale, so the
    projection before the first declaration reproduces the forecast; ``seat_sd="measured"`` uses
    the measured seat scale of the forecast's model without ``exclude`` (the election being
    replayed; :func:`seatcast.simulate.calibration.base_scales`), which widened the intervals but
    moved the medians of the totals (docs/live.md, "Seat error")."""
    from seatcast.swing.project import prepare_projection, projection_from

    prep = prepare_projection(fc.scenario, fc.baseline, model or fc.model)
    proj = projection_from(fc.scenario, prep)
    label = label or f"forecast ({fc.model}, {fc.baseline}, as of {fc.as_of})"
    if seat_sd == "measured":
        from seatcast.simulate.calibration import base_scales

        seat_sd = base_scales(fc.model, exclude).seat
    return from_projection(proj, fc.scales, label, seat_sd)
