"""The Speaker's seat follows the Speaker standing at the election a scenario is for."""

import numpy as np
import pandas as pd
import pytest

from seatcast.data import baseline
from seatcast.data.baseline import Baseline
from seatcast.data.loaders import results
from seatcast.errors import SeatcastError
from seatcast.swing import speaker
from seatcast.swing.actual import actual_scenario
from seatcast.swing.project import project
from seatcast.swing.scenario import scenario

BUCKINGHAM, CHORLEY, CHORLEY_2024 = "E14000608", "E14000637", "E14001170"


@pytest.mark.parametrize("election", ["2010", "2015", "2017", "2019", "2024"])
def test_the_speaker_table_matches_the_speakers_in_the_results(election):
    """Independent check: the seat of the Speaker in the chair on polling day is the seat whose
    candidate the results flag ``is_speaker``."""
    flagged = results(election).query("is_speaker")["ons_code"].unique().tolist()
    name = speaker.speaker_for(election)
    assert flagged == [speaker.seat_of(name, "2024" if election == "2024" else "2010")]


def test_speakers_in_the_chair_by_date():
    assert speaker.speaker_on("2019-10-31") == "John Bercow"
    assert speaker.speaker_on("2019-11-02") is None  # between Bercow's last day and Hoyle's election
    assert speaker.speaker_on("2019-12-12") == "Lindsay Hoyle"
    with pytest.raises(SeatcastError, match="speaker"):
        speaker.seat_of("Betty Boothroyd", "2010")


def _toy() -> Baseline:
    """Three seats of one region: a Speaker's seat and two party seats (votes by hand)."""
    seats = pd.DataFrame({"constituency": ["Old", "New", "Other"], "country": ["England"] * 3,
                          "region": ["South East"] * 3}, index=pd.Index(["E1", "E2", "E3"], name="ons_code"))
    votes = np.array([[0, 0, 0, 600, 400],      # con lab ld speaker green
                      [300, 500, 100, 0, 100],
                      [500, 300, 100, 0, 100]], float)
    return Baseline("2017", seats, ("con", "lab", "ld", "speaker", "green"), votes, np.ones_like(votes))


def test_moving_the_speaker_by_hand(monkeypatch):
    monkeypatch.setattr(speaker, "SPEAKERS", (speaker.Speaker("New Speaker", None, None, {"2010": "E2"}),))
    moved, notes = speaker.move(_toy(), "New Speaker")
    # The seat left takes the region's mean over the non-Speaker seats: (800, 800, 200, 0, 200) / 2000
    # at its own 1,000 votes. The new seat keeps Labour's 500 as the Speaker's; con, lab, ld stand down.
    np.testing.assert_allclose(moved.votes[0], [400, 400, 100, 0, 100])
    np.testing.assert_allclose(moved.votes[1], [0, 0, 0, 500, 100])
    np.testing.assert_allclose(moved.votes[2], _toy().votes[2])
    assert list(moved.winners) == ["con", "speaker", "con"]
    assert len(notes) == 2 and "Old" in notes[0] and "New" in notes[1]
    assert speaker.move(moved, "New Speaker") == (moved, ())  # already there: unchanged


def test_2019_is_projected_with_hoyle_in_chorley_and_buckingham_open():
    proj = project(actual_scenario("2019", "nations"), "2017", "tm")
    won = dict(zip(proj.baseline.codes, proj.winners, strict=True))
    assert won[CHORLEY] == "speaker"
    assert won[BUCKINGHAM] == "con"  # Greg Smith (Con) won it by 32 points
    assert any("Lindsay Hoyle stands in Chorley" in n for n in proj.notices)


def test_a_scenario_without_a_speaker_keeps_the_baselines():
    proj = project(scenario({"con": 43, "lab": 41, "ld": 8, "ukip": 2, "green": 2}), "2017", "tm")
    won = dict(zip(proj.baseline.codes, proj.winners, strict=True))
    assert won[BUCKINGHAM] == "speaker" and won[CHORLEY] != "speaker"
    assert baseline("2017").winners[baseline("2017").rows[BUCKINGHAM]] == "speaker"


def test_today_the_speaker_stays_in_chorley():
    moved, notes = speaker.move(baseline("2024"), speaker.speaker_on("2026-11-30"))
    assert notes == () and moved.winners[moved.rows[CHORLEY_2024]] == "speaker"
