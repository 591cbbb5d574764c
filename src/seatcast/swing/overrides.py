"""User overrides on a scenario (``seatcast project --polls latest --con 30``, ``--swing lab:reform=5``).

Rule: a share the user names replaces the base scenario's share of that party in that area;
the base's other parties in the area are scaled in proportion so the area's total stays what
it was (they make room for a rise, or fill the room left by a fall). An area the base does
not have (say Wales, when its polls are old) takes the user's shares as given. The result is
validated like any scenario (:func:`seatcast.swing.scenario`) and says in its notices what
was overridden. A poll scenario's independents and Speaker stay inside its ``other``
(``Scenario.other_covers``) after an override or a swing, as before it.
"""

from __future__ import annotations

from collections.abc import Mapping

from seatcast.errors import SeatcastError
from seatcast.swing.scenario import Scenario, scenario


def _merge(old: Mapping[str, float], new: Mapping[str, float], label: str, notes: list[str]) -> dict:
    if not new:
        return dict(old)
    if not old:
        return dict(new)
    rest = {p: v for p, v in old.items() if p not in new}
    room = max(0.0, sum(old.values()) - sum(new.values()))
    k = room / sum(rest.values()) if sum(rest.values()) > 0 else 0.0
    shown = ", ".join(f"{p} {old.get(p, 0.0):.1f} -> {v:g}" for p, v in new.items())
    notes.append(f"{label}: {shown}; the other parties scaled by {k:.3f} to keep the total")
    return {**{p: v * k for p, v in rest.items()}, **new}


def with_overrides(base: Scenario, gb: Mapping[str, float] | None = None,
                   nations: Mapping[str, Mapping[str, float]] | None = None,
                   regions: Mapping[str, Mapping[str, float]] | None = None) -> Scenario:
    """``base`` with the user's shares laid over it (rule in the module docstring)."""
    checked = scenario(gb or {}, nations, regions) if (gb or nations or regions) else None
    if checked is None:
        return base
    notes: list[str] = []
    merged_gb = _merge(base.gb, checked.gb, "GB override", notes)
    merged_nat = {n: _merge(base.nations.get(n, {}), checked.nations.get(n, {}), f"{n} override", notes)
                  for n in dict.fromkeys([*base.nations, *checked.nations])}
    merged_reg = {r: _merge(base.regions.get(r, {}), checked.regions.get(r, {}), f"{r} override", notes)
                  for r in dict.fromkeys([*base.regions, *checked.regions])}
    out = scenario(merged_gb, merged_nat, merged_reg)
    return Scenario(out.gb, out.nations, out.regions, base.notices + tuple(notes), base.other_covers)


def parse_swing(text: str) -> tuple[str, str, float]:
    """``"lab:reform=5"`` -> ``("lab", "reform", 5.0)``: a 5-point swing from Labour to Reform."""
    pair, sep, value = str(text).partition("=")
    frm, colon, to = pair.partition(":")
    frm, to = frm.strip().lower(), to.strip().lower()
    if not (sep and colon and frm and to):
        raise SeatcastError("swing", f"expected FROM:TO=POINTS, e.g. lab:reform=5, got {text!r}")
    if frm == to:
        raise SeatcastError("swing", f"a swing needs two different parties, got {text!r}")
    try:
        points = float(value)
    except ValueError:
        raise SeatcastError("swing", f"points {value.strip()!r} is not a number") from None
    if not 0.0 <= points <= 100.0 or points != points:
        raise SeatcastError("swing", f"points {points:g} is outside 0-100")
    return frm, to, points


def two_party_swing(base: Scenario, spec: str) -> Scenario:
    """``base`` with a two-party (Butler) swing in GB: ``"lab:reform=5"`` takes 5 points from
    Labour and gives them to Reform; every other party is unchanged. Nation and region shares
    the base names explicitly are kept as they are (the GB change reaches the other areas through
    the usual split, :mod:`seatcast.swing.scenario`)."""
    frm, to, points = parse_swing(spec)
    gb = dict(base.gb)
    if gb.get(frm, 0.0) < points:
        raise SeatcastError("swing", f"{frm} has {gb.get(frm, 0.0):.1f} points in GB, fewer than the "
                            f"{points:g} to swing", sorted(p for p, v in gb.items() if v >= points))
    gb[frm] -= points
    gb[to] = gb.get(to, 0.0) + points
    out = scenario(gb, base.nations, base.regions)
    note = f"swing of {points:g} points from {frm} to {to} (GB {frm} {gb[frm]:.1f}, {to} {gb[to]:.1f})"
    return Scenario(out.gb, out.nations, out.regions, base.notices + (note,), base.other_covers)
