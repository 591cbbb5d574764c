"""Moving seat-level values from the 2010 boundary set to the 2024 set.

Method: a 2024 seat's value is the mean of the 2010 seats that overlap it, weighted by
``share_of_new_population`` (the share of the new seat's population living in each old
seat; House of Commons Library, "Boundary changes" data file, July 2023). The weights are
renormalised to sum to exactly 1 per new seat (they sum to 0.9948-1.000001 as published).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from seatcast.data.loaders import boundary_overlaps

if TYPE_CHECKING:
    import pandas as pd


@cache
def overlap_weights() -> pd.DataFrame:
    """Rows (old_ons_code, new_ons_code, weight); weights sum to 1 for each new seat."""
    ov = boundary_overlaps()[["old_ons_code", "new_ons_code", "share_of_new_population"]]
    w = ov["share_of_new_population"] / ov.groupby("new_ons_code")["share_of_new_population"].transform("sum")
    return ov.assign(weight=w)[["old_ons_code", "new_ons_code", "weight"]]


def to_2024(values, old_codes) -> pd.Series | pd.DataFrame:
    """Map values on 2010-set seats (array or frame rows aligned with ``old_codes``) to 2024 seats."""
    import pandas as pd

    frame = pd.DataFrame(np.asarray(values), index=pd.Index(old_codes, name="old_ons_code"))
    ov = overlap_weights()
    joined = frame.reindex(ov["old_ons_code"]).to_numpy() * ov["weight"].to_numpy()[:, None]
    out = pd.DataFrame(joined, index=ov["new_ons_code"]).groupby(level=0).sum()
    out.index.name = "ons_code"
    if np.ndim(values) == 1:
        return out.iloc[:, 0]
    out.columns = getattr(values, "columns", out.columns)
    return out
