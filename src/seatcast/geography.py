"""Nations and regions of the United Kingdom, as used by the bundled data.

Regions are the 12 ITL1 regions (the nine English regions, Scotland, Wales and Northern
Ireland), named as in the ONS constituency lookup (``data/files/constituencies.csv``).
National polls cover Great Britain only (:data:`GB`), so Northern Ireland keeps its baseline
result unless its shares are given.
"""

from __future__ import annotations

GB: tuple[str, ...] = ("England", "Scotland", "Wales")
NATIONS: tuple[str, ...] = (*GB, "Northern Ireland")
ENGLISH_REGIONS: tuple[str, ...] = (
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West")
#: The 12 ITL1 regions: England's nine, then Scotland, Wales and Northern Ireland.
REGIONS: tuple[str, ...] = (*ENGLISH_REGIONS, "Scotland", "Wales", "Northern Ireland")
#: Names a user may type for a nation (lower case) -> the nation.
NATION_NAMES: dict[str, str] = {"scotland": "Scotland", "wales": "Wales", "england": "England",
                                "ni": "Northern Ireland", "northern ireland": "Northern Ireland"}
