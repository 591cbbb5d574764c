"""Government arithmetic on hand-built parliaments (working-majority line, blocs, ousting)."""

import numpy as np
import pytest

from seatcast.errors import SeatcastError
from seatcast.parliament import blocs

PARTIES = ("con", "lab", "ld", "snp", "green", "pc", "dup", "sf", "sdlp", "alliance", "speaker", "ind")
PROGRESSIVE = ("lab", "snp", "ld", "green", "pc", "sdlp", "alliance")


def vec(**seats):
    v = np.array([[seats.get(p, 0) for p in PARTIES]])
    assert v.sum() == 650
    return v


# The 2017 result: Con 317, Lab 262, SNP 35, LD 12, DUP 10, SF 7, PC 4, Green 1, Speaker 1, Ind 1
PARL_2017 = vec(con=317, lab=262, snp=35, ld=12, dup=10, sf=7, pc=4, green=1, speaker=1, ind=1)
# A hypothetical hung parliament: the Conservatives largest, the opposition together ahead
OUSTED = vec(con=300, lab=250, snp=50, ld=30, dup=8, sf=7, pc=3, green=1, speaker=1)


def test_working_line_2017():
    # voting = 650 - 1 Speaker - 7 Sinn Fein = 642 -> 322 needed
    assert blocs.working_line(PARL_2017, PARTIES).tolist() == [322]


def test_con_dup_2017_reaches_working_majority():
    out = blocs.bloc_outcomes(PARL_2017, PARTIES, ("con", "dup"))
    assert out["median"] == 327 and out["p_working_majority"] == 1.0
    assert out["p_oust_largest"] == 0.0  # the largest party is in the bloc
    prog = blocs.bloc_outcomes(PARL_2017, PARTIES, PROGRESSIVE)
    assert prog["median"] == 314 and prog["p_working_majority"] == 0.0


def test_opposition_can_oust_largest_party():
    prog = blocs.bloc_outcomes(OUSTED, PARTIES, PROGRESSIVE)
    assert prog["median"] == 334  # 250 + 50 + 30 + 1 + 3 >= 322
    assert prog["p_working_majority"] == 1.0 and prog["p_oust_largest"] == 1.0
    assert blocs.bloc_outcomes(OUSTED, PARTIES, ("con", "dup"))["p_working_majority"] == 0.0


def test_probabilities_over_draws():
    seats = np.vstack([PARL_2017, OUSTED, OUSTED, PARL_2017])
    blocs_2017 = {"con+dup": ("con", "dup"),
                  "lab+snp+ld+green+pc+sdlp+alliance": ("lab", "snp", "ld", "green", "pc", "sdlp",
                                                        "alliance")}
    table = blocs.bloc_table(seats, PARTIES, blocs_2017)
    assert table["con+dup"]["p_working_majority"] == 0.5
    assert table["lab+snp+ld+green+pc+sdlp+alliance"]["p_oust_largest"] == 0.5


def test_missing_party_counts_zero_and_user_blocs():
    out = blocs.bloc_outcomes(PARL_2017, PARTIES, ("con", "reform"))
    assert out["median"] == 317
    assert blocs.normalise_blocs(["con+reform+dup"]) == {"con+reform+dup": ("con", "reform", "dup")}
    assert blocs.normalise_blocs({"right": ["con", "reform"]}) == {"right": ("con", "reform")}


@pytest.mark.parametrize("text", ["", "con+tories", "con+sf", "speaker"])
def test_bad_bloc_named(text):
    with pytest.raises(SeatcastError, match="bloc"):
        blocs.parse_bloc(text)


def test_largest_tie_goes_to_first_listed():
    seats = np.array([[300, 300, 50]])
    assert blocs.largest(seats).tolist() == [0]


def test_default_blocs_hold_every_party_with_seats_in_2024_once():
    from seatcast.data import baseline
    from seatcast.rules import NON_VOTING, NOT_PARTIES

    won = set(baseline("2024").winners) - set(NON_VOTING) - set(NOT_PARTIES)
    members = [p for b in blocs.DEFAULT_BLOCS.values() for p in b]
    assert sorted(members) == sorted(set(members))  # no party in two default blocs
    assert won == set(members)  # Reform (5 seats in 2024) included
    assert "reform" in members


@pytest.mark.parametrize("text", ["con+con+con", "lab+ld+lab"])
def test_repeated_party_in_a_bloc_is_an_error(text):
    with pytest.raises(SeatcastError, match="repeated"):
        blocs.parse_bloc(text)
    with pytest.raises(SeatcastError, match="repeated"):
        blocs.normalise_blocs([text])


def test_blocs_file_sets_the_blocs(tmp_path):
    path = tmp_path / "blocs.toml"
    path.write_text('right = ["con", "reform", "dup"]\nleft = "lab+ld+green"\n')
    assert blocs.load_blocs(path) == {"right": ("con", "reform", "dup"), "left": ("lab", "ld", "green")}
    path.write_text('right = ["con", "con"]\n')
    with pytest.raises(SeatcastError, match="repeated"):
        blocs.load_blocs(path)
    path.write_text("right = [con\n")
    with pytest.raises(SeatcastError, match="blocs"):
        blocs.load_blocs(path)
