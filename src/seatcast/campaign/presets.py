"""Named pacts: the seats of Unite to Remain (2019). The rules and sources are in
:mod:`seatcast.campaign.pacts`; the data live here so that seat specs
(:func:`seatcast.campaign.common.resolve_seats`) and pacts can both use them without importing
each other.
"""

from __future__ import annotations

from seatcast.data import election
from seatcast.errors import SeatcastError

_GREEN = ("Brighton, Pavilion", "Isle of Wight", "Bristol West", "Bury St Edmunds", "Stroud",
          "Dulwich and West Norwood", "Forest of Dean", "Cannock Chase", "Exeter", "Vale of Glamorgan")
_LD = ("Bath", "Bermondsey and Old Southwark", "Buckingham", "Cheadle", "Chelmsford",
       "Chelsea and Fulham", "Cheltenham", "Chippenham", "Esher and Walton",
       "Finchley and Golders Green", "Guildford", "Harrogate and Knaresborough", "Hazel Grove",
       "Hitchin and Harpenden", "North Cornwall", "North Norfolk", "Oxford West and Abingdon",
       "Penistone and Stocksbridge", "Portsmouth South", "Richmond Park",
       "Romsey and Southampton North", "Rushcliffe", "South Cambridgeshire",
       "South East Cambridgeshire", "South West Surrey", "Southport", "Taunton Deane",
       "Thornbury and Yate", "Totnes", "Tunbridge Wells", "Twickenham", "Wantage",
       "Warrington South", "Watford", "Wells", "Westmorland and Lonsdale", "Wimbledon", "Winchester",
       "Witney", "York Outer", "Brecon and Radnorshire", "Cardiff Central", "Montgomeryshire")
_PC = ("Arfon", "Caerphilly", "Carmarthen East and Dinefwr", "Dwyfor Meirionnydd", "Llanelli",
       "Pontypridd", "Ynys Môn")
#: constituency name (2010-2019 boundaries) -> the one Remain party standing there.
UNITE_TO_REMAIN = {**{n: "green" for n in _GREEN}, **{n: "ld" for n in _LD}, **{n: "pc" for n in _PC}}
REMAIN_PARTIES = ("ld", "green", "pc")



def unite_to_remain_codes(fld) -> dict[str, str]:
    """ONS code -> standing Remain party for the 60 Unite to Remain seats (2010-19 boundaries)."""
    if election(fld.election).boundaries != "2010":
        raise SeatcastError("seats", "the Unite to Remain seats exist on the 2010-2019 boundaries "
                            "only; use --baseline 2015, 2017 or 2019")
    names = {n.lower(): c for c, n in fld.seats["constituency"].items()}
    missing = [n for n in UNITE_TO_REMAIN if n.lower() not in names]
    if missing:
        raise SeatcastError("seats", f"Unite to Remain seats not found: {missing}")
    return {names[n.lower()]: p for n, p in UNITE_TO_REMAIN.items()}
