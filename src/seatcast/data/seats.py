"""Finding a seat by name or ONS code, forgivingly ("islington n" finds Islington North).

Rule: an ONS code, or a name, is matched after normalising case, accents, punctuation and
"&"/"and". An exact normalised match wins; else a unique name containing every word given;
else the closest names by :mod:`difflib` ratio. More than one candidate is an error that lists
them, so a lookup never silently picks the wrong seat.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from seatcast.errors import SeatcastError


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def find_seat(query: str, names: dict[str, str], field: str = "seat") -> str:
    """The ONS code of the seat ``query`` names; ``names`` maps ONS code -> constituency name."""
    q = str(query).strip()
    code = match_seat(q, names, field)
    if code is not None:
        return code
    key = normalise(q)
    norm = {code: normalise(n) for code, n in names.items()}
    close = difflib.get_close_matches(key, list(norm.values()), n=5, cutoff=0.6)
    if close and _clear(key, close):
        return next(c for c, n in norm.items() if n == close[0])
    if not close:
        raise SeatcastError(field, f"no seat matches {q!r}")
    raise SeatcastError(field, f"no seat is called {q!r}; did you mean one of these?",
                        [next(names[c] for c, n in norm.items() if n == m) for m in close])


def match_seat(query: str, names: dict[str, str], field: str = "seat") -> str | None:
    """The ONS code of an ONS code, an exact normalised name or the one name containing every word
    given (as a word or a word's start); None when nothing matches; an error listing them when
    several do. No typo correction (:func:`find_seat` adds that)."""
    q = str(query).strip()
    if q.upper() in names:
        return q.upper()
    key = normalise(q)
    if not key:
        raise SeatcastError(field, "give a constituency name or an ONS code")
    norm = {code: normalise(n) for code, n in names.items()}
    exact = [c for c, n in norm.items() if n == key]
    if len(exact) == 1:
        return exact[0]
    words = key.split()
    partial = [c for c, n in norm.items() if all(w in n.split() or any(t.startswith(w) for t in n.split())
                                                  for w in words)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise SeatcastError(field, f"{q!r} matches {len(partial)} seats; which one?",
                            sorted(names[c] for c in partial)[:8])
    return None


def _clear(key: str, close: list[str]) -> bool:
    """The best match is clearly better than the next one."""
    ratios = [difflib.SequenceMatcher(None, key, c).ratio() for c in close[:2]]
    return ratios[0] >= 0.85 and (len(ratios) == 1 or ratios[0] - ratios[1] >= 0.1)
