"""Probabilistic forecasts: correlated errors at three levels, seat distributions, outcome odds.

* :func:`forecast` -> :class:`Forecast` (:mod:`seatcast.simulate.forecast`);
* :func:`draw_shares` / :func:`simulate_counts` and :class:`Scales` - the Monte Carlo engine
  (:mod:`seatcast.simulate.engine`, kernels in :mod:`seatcast.simulate.kernels`);
* :func:`fit_scales` - error scales calibrated leave-one-election-out
  (:mod:`seatcast.simulate.calibration`);
* :func:`write_report` - the HTML report with PNG figures (:mod:`seatcast.simulate.report`).
"""

from __future__ import annotations

from seatcast.simulate.engine import Scales, draw_shares, simulate_counts
from seatcast.simulate.forecast import DEFAULT_DRAWS, DEFAULT_SEED, Forecast, forecast


def fit_scales(model: str = "uns", exclude: str | None = None) -> Scales:
    """Error scales for ``model`` from every election except ``exclude`` (see calibration)."""
    from seatcast.simulate.calibration import fit_scales as fit

    return fit(model, exclude)


def write_report(fc: Forecast, out_dir, **kwargs):
    """Write the HTML report and its PNG figures into ``out_dir`` (see :mod:`.report`)."""
    from seatcast.simulate.report import write_report as write

    return write(fc, out_dir, **kwargs)


__all__ = ["DEFAULT_DRAWS", "DEFAULT_SEED", "Forecast", "Scales", "draw_shares", "fit_scales",
           "forecast", "simulate_counts", "write_report"]
