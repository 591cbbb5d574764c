"""The scenario a user asks for: the one builder of ``seatcast project`` and ``POST /api/project``.

Explicit GB, nation and English region shares; or the poll average as of a date with the user's
shares laid over it (:func:`seatcast.swing.overrides.with_overrides`); then two-party swings. The
CLI parses its options into these arguments and the web API its JSON body, so the same inputs give
the same scenario (issue 14's contract). Importing this module loads no pandas: a projection from
explicit shares stays NumPy-only (the poll average is loaded only when asked for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from seatcast import defaults
from seatcast.elections import ELECTIONS, check_as_of
from seatcast.errors import SeatcastError
from seatcast.swing import Scenario, scenario
from seatcast.swing.overrides import two_party_swing, with_overrides


def user_scenario(gb: Mapping[str, float] | None = None,
                  nations: Mapping[str, Mapping[str, float]] | None = None,
                  regions: Mapping[str, Mapping[str, float]] | None = None,
                  polls: str | None = None, swings: Iterable[str] = (),
                  baseline: str = defaults.BASELINE) -> Scenario:
    """The scenario of ``seatcast project`` and ``POST /api/project`` (the same inputs, one rule).

    ``gb``, ``nations`` ({"Scotland" | "Wales" | "Northern Ireland": shares}) and ``regions``
    ({English region: shares}) are percentages. With ``polls`` ('latest' or a date), the poll
    average as of then is the scenario and any shares given replace the average's
    (:func:`seatcast.swing.overrides.with_overrides`); without, the shares given are the scenario.
    ``swings`` ("lab:reform=5") are applied last, in order; given alone, they apply to the
    baseline's own GB result. Errors name the field (``polls``, ``swing``, ``Scotland.snp`` ...).
    """
    from seatcast.swing.actual import actual_scenario

    if str(baseline) not in ELECTIONS:  # refused before any work
        raise SeatcastError("baseline", f"unknown baseline {baseline!r}", ELECTIONS)
    nations = {k: v for k, v in (nations or {}).items() if v}
    regions = {k: v for k, v in (regions or {}).items() if v}
    given = bool(gb) or bool(nations) or bool(regions)
    if polls is not None:
        scen = poll_scenario(polls, baseline)
        if given:
            scen = with_overrides(scen, gb, nations, regions)
    elif given or not swings:
        scen = scenario(gb or {}, nations, regions)
    else:
        scen = actual_scenario(baseline, "gb")
    for spec in swings or ():
        scen = two_party_swing(scen, spec)
    return scen


def poll_scenario(when: str, baseline: str = defaults.BASELINE, field: str = "polls") -> Scenario:
    """The poll average as of ``when`` ('latest' or a date) as a scenario for ``baseline``, with date
    errors naming ``field`` (the option or JSON field the user typed, not ``as_of``)."""
    from seatcast.polls.scenario import scenario_from_polls

    try:
        check_as_of(when, baseline)
        return scenario_from_polls(when)
    except SeatcastError as exc:  # check_as_of names ``as_of`` and lists baselines as allowed
        if exc.field != "as_of":
            raise
        bases = f" ({', '.join(exc.allowed)})" if exc.allowed else ""
        raise SeatcastError(field, exc.message + bases) from None
