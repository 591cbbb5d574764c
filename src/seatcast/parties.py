"""The party registry: one place for party codes, names, colours, nations and families.

Codes follow the harmonised codes of the bundled data (``data/files/PROVENANCE.md``).
Colours are the parties' own brand colours as used by the House of Commons Library
and the BBC. Families record lineage: UKIP (1993) -> Brexit Party (2019) -> Reform UK
(renamed January 2021), per the Electoral Commission register of political parties.

Every party column of the bundled polls files has an entry (``seatcast.polls.sources.PARTY_COLUMNS``),
so no poll share is dropped for want of a name: Change UK (registered April 2019), the British
National Party and Restore Britain (registered 2025). These three have no House of Commons Library
colour; theirs are the main colour of each party's own logo (Change UK black, BNP navy, Restore
Britain dark blue), chosen to stay distinct from the parties they sit beside on a chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from seatcast.geography import GB, NATIONS
from seatcast.rules import NOT_PARTIES


@dataclass(frozen=True)
class Party:
    code: str
    name: str
    colour: str
    nations: tuple[str, ...]
    family: str


_PARTIES = (
    Party("con", "Conservative", "#0087DC", GB, "con"),
    Party("lab", "Labour", "#E4003B", GB, "lab"),
    Party("ld", "Liberal Democrat", "#FAA61A", GB, "ld"),
    Party("ukip", "UK Independence Party", "#6D3177", GB, "ukip-brexit-reform"),
    Party("brexit", "Brexit Party", "#12B6CF", GB, "ukip-brexit-reform"),
    Party("reform", "Reform UK", "#12B6CF", GB, "ukip-brexit-reform"),
    Party("green", "Green", "#02A95B", NATIONS, "green"),
    Party("snp", "Scottish National Party", "#FDF38E", ("Scotland",), "snp"),
    Party("pc", "Plaid Cymru", "#005B54", ("Wales",), "pc"),
    Party("dup", "Democratic Unionist Party", "#D46A4C", ("Northern Ireland",), "dup"),
    Party("sf", "Sinn Féin", "#326760", ("Northern Ireland",), "sf"),
    Party("sdlp", "Social Democratic and Labour Party", "#2AA82C", ("Northern Ireland",), "sdlp"),
    Party("uup", "Ulster Unionist Party", "#48A5EE", ("Northern Ireland",), "uup"),
    Party("ucunf", "Ulster Conservatives and Unionists - New Force", "#48A5EE",
          ("Northern Ireland",), "uup"),
    Party("alliance", "Alliance", "#F6CB2F", ("Northern Ireland",), "alliance"),
    Party("tuv", "Traditional Unionist Voice", "#0C3A6A", ("Northern Ireland",), "tuv"),
    Party("change_uk", "Change UK", "#222221", GB, "change_uk"),
    Party("bnp", "British National Party", "#2E3B74", GB, "bnp"),
    Party("restore_britain", "Restore Britain", "#1B365D", GB, "restore_britain"),
    Party("speaker", "Speaker", "#FFFFFF", NATIONS, "speaker"),
    Party("ind", "Independent", "#DDDDDD", NATIONS, "ind"),
    Party("other", "Other", "#999999", NATIONS, "other"),
)

REGISTRY: dict[str, Party] = {p.code: p for p in _PARTIES}
CODES: tuple[str, ...] = tuple(REGISTRY)
#: Parties a user may put in a scenario (the Speaker and independents are not national parties).
SCENARIO_CODES: tuple[str, ...] = tuple(c for c in CODES if c not in NOT_PARTIES)
#: Parties that stand only in one nation; national polls report their GB share.
NATION_ONLY = {c: p.nations[0] for c, p in REGISTRY.items() if len(p.nations) == 1}


def party(code: str) -> Party:
    """Look up a party by its short code, with a helpful error for unknown codes."""
    from seatcast.errors import SeatcastError

    if code not in REGISTRY:
        raise SeatcastError("party", f"unknown party code {code!r}", CODES)
    return REGISTRY[code]


def family_members(code: str) -> tuple[str, ...]:
    """All party codes in the same family as ``code`` (itself included), oldest first."""
    fam = party(code).family
    return tuple(c for c, p in REGISTRY.items() if p.family == fam)


def colour(code: str) -> str:
    return party(code).colour


def name(code: str) -> str:
    return party(code).name
