"""Parliament arithmetic: seat totals, majorities and the verdict."""

from seatcast.parliament.arithmetic import (
    MAJORITY,
    TOTAL_SEATS,
    Parliament,
    parliament,
    working_majority_line,
)

__all__ = ["MAJORITY", "TOTAL_SEATS", "Parliament", "parliament", "working_majority_line"]
