"""Pydantic request and response models: they give the API its OpenAPI schema.

Shares are percentages. Only the shape is checked here; the rules (known parties, 0-100,
adding up to at most 100) live in :func:`seatcast.swing.scenario` and surface as a 422 that
names the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from seatcast import defaults
from seatcast.elections import ELECTIONS

#: A share is a JSON number (strict: ``"30"`` and ``true`` are refused, not coerced).
Share = Annotated[float, Field(strict=True, allow_inf_nan=False, description="Vote share, percent.")]
#: Party codes are short lower-case ASCII names (``lab``, ``reform``); the library checks which exist.
PartyCode = Annotated[str, Field(pattern=r"^[a-z_]{1,16}$")]
Shares = Annotated[dict[PartyCode, Share], Field(max_length=32)]
SeatOverrides = Annotated[dict[Annotated[str, Field(max_length=80)], Shares], Field(max_length=650)]
RegionShares = Annotated[dict[Annotated[str, Field(max_length=40)], Shares], Field(max_length=16)]
SwingSpec = Annotated[str, Field(max_length=40, description="FROM:TO=POINTS, e.g. 'lab:reform=5'.")]


class ProjectRequest(BaseModel):
    """A scenario: the inputs of ``seatcast project``, built by :func:`seatcast.polls.user_scenario`
    (GB, nation and English region shares, or the poll average with shares laid over it, then
    two-party swings), a baseline, a swing model and candidate overrides."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "gb": {"lab": 30, "reform": 28, "con": 18, "ld": 12, "green": 9},
        "scotland": {"snp": 32, "lab": 22}, "baseline": defaults.BASELINE, "model": defaults.MODEL}]})

    gb: Shares = Field(default_factory=dict, description="GB shares by party code, e.g. {'lab': 30}.")
    scotland: Shares | None = Field(None, description="Scotland shares (override the GB split).")
    wales: Shares | None = Field(None, description="Wales shares (override the GB split).")
    ni: Shares | None = Field(None, description="Northern Ireland shares, e.g. {'sf': 27, 'dup': 22}; "
                              "without them Northern Ireland keeps its baseline result.")
    regions: RegionShares | None = Field(
        None, description="English region shares by region name, e.g. {'London': {'lab': 45, 'con': 25}}.")
    polls: Annotated[str, StringConstraints(strip_whitespace=True)] | None = Field(
        None, max_length=16, description="Use the poll average as the scenario: "
        "'latest' or a date YYYY-MM-DD (polls ending before it), spaces around it ignored as on the CLI. "
        "Shares given as well replace the average's.")
    swing: Annotated[list[SwingSpec], Field(max_length=16)] | None = Field(
        None, description="Two-party swings in points, FROM:TO=POINTS, applied in order to the "
                          "scenario (or to the baseline's GB result when no shares and no polls are given).")
    baseline: str = Field(defaults.BASELINE, max_length=16, json_schema_extra={"enum": list(ELECTIONS)},
                          description="Baseline election: " + " ".join(ELECTIONS) + ".")
    model: str = Field(defaults.MODEL, max_length=16, json_schema_extra={"enum": list(defaults.MODEL_NAMES)},
                       description="Swing model: " + " ".join(defaults.MODEL_NAMES) + ".")
    seats: SeatOverrides | None = Field(
        None, description="Candidate overrides by seat (name or ONS code) and party, percent: "
                          "{'Islington North': {'ind': 40}}; 0 removes the candidate.")
    explain: str | None = Field(None, max_length=80, description="A seat (name or ONS code) to explain: "
                                "baseline, swing model, tactical step and candidate effects.")


class Parliament(BaseModel):
    seats: dict[str, int]
    changes: dict[str, int]
    largest: str
    majority: int
    working_majority: int
    working_majority_line: int
    verdict: str
    ties: list[str] = Field(default_factory=list, description="Seats whose two leaders tie (seatcast.rules).")


class Flip(BaseModel):
    ons_code: str
    constituency: str
    from_: str = Field(alias="from")
    to: str


class SeatProjection(BaseModel):
    ons_code: str
    constituency: str
    winner: str
    baseline_winner: str
    shares: dict[str, float] = Field(description="Top parties' projected shares, percent.")
    swing_to_flip: float = Field(description="Two-party swing (points) from winner to runner-up "
                                             "that would level them: half the margin.")
    tie: bool = Field(description="The two leaders tie (see seatcast.rules).")


class ProjectResponse(BaseModel):
    baseline: str
    boundaries: str
    model: str
    scenario: dict
    parliament: Parliament
    flips: list[Flip]
    seats: list[SeatProjection]
    notices: list[str]
    data_version: str
    explain: dict | None = Field(None, description="The seat card of the requested seat "
                                 "(seatcast.swing.Projection.explain).")


class ResultLine(BaseModel):
    party: str
    votes: int
    share: float


class SeatResponse(BaseModel):
    ons_code: str
    constituency: str
    country: str
    region: str
    electorate: int | None
    baseline: str
    winner: str
    runner_up: str | None
    majority_pct: float
    majority_votes: int | None = Field(None, description="Votes between the two leading candidates.")
    swing_to_flip: float
    tie: bool = False
    result: list[ResultLine]
    win_prob: dict[str, float] | None = Field(
        None, description="Win probability by party from the process's forecast, if computed.")
    explain: dict | None = Field(
        None, description="Why the seat goes where it goes under the poll average "
                          "(seatcast.swing.Projection.explain): baseline, swing model, tactical "
                          "step, candidate effects. None when no poll average is available.")


class ErrorResponse(BaseModel):
    detail: str
    field: str | None = None
    allowed: list[str] | None = None
