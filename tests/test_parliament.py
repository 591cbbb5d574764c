"""Parliament arithmetic, checked against figures reported at the time."""

import numpy as np

from seatcast import data
from seatcast.parliament import MAJORITY, parliament, working_majority_line
from seatcast.parliament.kernels import seat_counts, winner_index


def _summary(election):
    b = data.baseline(election)
    return parliament(b.winners, b.winners, b.seats)


def test_2019_conservative_majority_of_80():
    p = _summary("2019")
    assert MAJORITY == 326
    assert p.largest == "con" and p.majority == 80
    assert p.verdict == "Conservative majority of 80"
    # 650 - Speaker - 7 Sinn Féin = 642 voting MPs; 365 - 277 = 88.
    assert p.working_line == 322 and p.working_majority == 88


def test_2017_hung_parliament_con_short_by_9():
    p = _summary("2017")
    assert p.verdict == "Hung parliament: Conservative largest, 9 short of a majority"
    assert p.seats["con"] + p.seats["dup"] >= p.working_line  # the confidence-and-supply deal


def test_changes_and_flips():
    before = np.array(["con", "lab", "ld"])
    after = np.array(["con", "con", "ld"])
    import pandas as pd

    meta = pd.DataFrame({"constituency": ["A", "B", "C"], "country": ["England"] * 3},
                        index=["E1", "E2", "E3"])
    p = parliament(after, before, meta)
    assert p.changes == {"con": 1, "lab": -1, "ld": 0}
    assert list(p.flips.index) == ["E2"] and p.flips.loc["E2", "to"] == "con"


def test_working_line_excludes_speaker_and_sinn_fein():
    assert working_majority_line({"a": 300, "b": 342, "speaker": 1, "sf": 7}) == 322


def test_winner_uses_largest_candidate_of_a_bucket():
    shares = np.array([[0.30, 0.40, 0.30]])  # lab, ind (two candidates 0.2 + 0.2), other
    top = np.array([[1.0, 0.5, 1.0]])
    assert winner_index(shares, top)[0] == 0


def test_seat_counts_by_draw():
    winners = np.array([[0, 0, 1], [2, 2, 2]])
    np.testing.assert_array_equal(seat_counts(winners, 3), [[2, 1, 0], [0, 0, 3]])
