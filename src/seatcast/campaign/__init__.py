"""Campaign analytics: "what would it take".

* :func:`targets` - target and defence lists, tipping-point seats (:mod:`.targets`);
* :func:`close_call` - fewest voters acting differently to change an outcome, an integer
  program on HiGHS (:mod:`.closecall`, :mod:`.goals`, :mod:`.ip`);
* :func:`tactical` - fewest tactical switchers to stop a party, with robustness (:mod:`.tactical`);
* :func:`pact` - stand-asides with a transfer of votes, incl. Unite to Remain (:mod:`.pacts`);
* :func:`turnout` - differential turnout (:mod:`.turnout`);
* :func:`audit` - how a target list fared (:mod:`.audit`);
* :func:`portfolio` - which N seats to target given a forecast (:mod:`.portfolio`).

Array kernels (``(seat, party)`` votes, no pandas) are in :mod:`.kernels`.
"""

from seatcast.campaign.audit import Audit, audit
from seatcast.campaign.closecall import CloseCall, close_call
from seatcast.campaign.pacts import UNITE_TO_REMAIN, PactResult, pact
from seatcast.campaign.portfolio import Portfolio, portfolio
from seatcast.campaign.tactical import TacticalPlan, tactical
from seatcast.campaign.targets import TargetList, targets
from seatcast.campaign.turnout import TurnoutResult, turnout

__all__ = ["UNITE_TO_REMAIN", "Audit", "CloseCall", "PactResult", "Portfolio", "TacticalPlan",
           "TargetList", "TurnoutResult", "audit", "close_call", "pact", "portfolio", "tactical",
           "targets", "turnout"]
