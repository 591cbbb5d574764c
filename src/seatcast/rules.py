"""House of Commons rules used throughout seatcast, in one place.

From the House of Commons Library briefing "Majorities in the House of Commons" and
Erskine May:

* :data:`TOTAL_SEATS` seats (650 since 2010); a party with :data:`MAJORITY` (more than half)
  has an overall majority.
* The Speaker does not vote and, by convention, the main parties do not stand against the
  Speaker seeking re-election (HoC Library, "The Speaker"), so projections hold the
  Speaker's seat at its baseline result.
* Sinn Féin MPs do not take their seats (:data:`ABSTAINING`). The *working majority line*
  excludes :data:`NON_VOTING` members.

**Ties.** A seat whose two leading candidates have exactly equal decisive shares is a
*tie*: in a real count it is decided by lot (Representation of the People Act 1983,
Schedule 1, rule 49). seatcast reports it as a tie (``Parliament.ties``, ``"tie"`` in seat
rows) and, so that seat totals add up to 650, counts it for the tied party whose column comes
first (columns follow the party registry, :data:`seatcast.parties.CODES`). A tie for the
largest party is stated in the verdict ("... tied largest ...").
"""

from __future__ import annotations

TOTAL_SEATS = 650
MAJORITY = TOTAL_SEATS // 2 + 1  # 326
SPEAKER = "speaker"
#: Parties whose MPs do not take their seats.
ABSTAINING: tuple[str, ...] = ("sf",)
#: Members who do not vote: the Speaker and abstaining parties.
NON_VOTING: tuple[str, ...] = (SPEAKER, *ABSTAINING)
#: Buckets that are not national parties: not named in scenarios, not scored as parties.
NOT_PARTIES: tuple[str, ...] = (SPEAKER, "ind")
#: Relative tolerance below which two decisive shares count as a tie.
TIE_TOLERANCE = 1e-9
