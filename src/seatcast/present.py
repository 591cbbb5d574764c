"""One front-end contract: every surface (CLI, report, web API) renders results through here.

* :func:`projection_doc` and :func:`forecast_doc` turn a result into its one JSON document:
  ``seatcast project --json`` and ``POST /api/project`` give the same document, and so do
  ``seatcast forecast --json``, the report's ``forecast.json`` and ``GET /api/forecast``.
* :func:`dumps` is the one serialisation (compact for the web, indented for people; the same
  numbers either way).
* :data:`FORECAST_COLUMNS` with :func:`rich_table` / :func:`html_table` is the one table
  renderer: column labels and number formats are defined once.
* :func:`seat_csv` is the per-seat CSV (``--csv``): shares, winner, majority, swing to flip and
  win probability.

Shares in documents are percentages; the swing to flip is the Butler swing in points
(:func:`seatcast.parliament.kernels.swing_to_flip`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

import numpy as np

from seatcast import parties
from seatcast.elections import election
from seatcast.parliament.kernels import margins, tied

TOP = 4  # parties listed per seat in a projection document
INTERVAL = 0.90  # the p05-p95 interval of a forecast's summary


def _default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, tuple | set | frozenset):
        return list(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def dumps(doc, pretty: bool = False) -> str:
    """The one JSON serialisation of a document (``pretty``: indented, for a terminal). Keys
    are sorted, so the bytes do not depend on the order in which shares were given."""
    if pretty:
        return json.dumps(doc, indent=2, default=_default, ensure_ascii=False, sort_keys=True)
    return json.dumps(doc, separators=(",", ":"), default=_default, ensure_ascii=False, sort_keys=True)


def dump_bytes(doc) -> bytes:
    """The compact form of :func:`dumps` as UTF-8 bytes, for the web API: the same bytes, made by
    ``orjson`` (the ``[web]`` extra; about eight times faster on a 650-seat projection) when it
    can be sure of giving them, else by :mod:`json`.

    ``orjson`` is asked to refuse anything but plain JSON types (subclasses, dataclasses, dates and
    NumPy values raise, and so do non-string keys), and its output is rejected if it holds a number
    the two libraries print differently: a float below 1e-4 (``0.00001`` against ``1e-05``), an
    exponent, or ``null`` (``orjson`` writes NaN and infinity as ``null``). Then :mod:`json` makes
    the bytes (``tests/test_present_json.py`` checks the two agree)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - the [web] extra installs it
        return dumps(doc).encode()
    try:
        out = orjson.dumps(doc, option=_orjson_options())
    except TypeError:  # orjson.JSONEncodeError: a type only json's ``default`` handles
        return dumps(doc).encode()
    return dumps(doc).encode() if _ORJSON_DIFFERS.search(out) else out


#: What orjson prints differently from json: small floats in decimal form, exponents, NaN -> null.
_ORJSON_DIFFERS = re.compile(rb"0\.0000|\d[eE][-+]?\d|null")


def _orjson_options() -> int:
    import orjson

    return (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_PASSTHROUGH_DATETIME)


def party_name(code: str) -> str:
    return parties.name(code) if code in parties.REGISTRY else code


# ---- projections ---------------------------------------------------------------------------

def seat_rows(proj) -> list[dict]:
    """One row per seat: winner, baseline winner, the ``TOP`` leading shares, swing to flip, tie."""
    base = proj.baseline
    eff = proj.shares * base.top_frac
    order = np.argsort(-eff, axis=1, kind="stable")[:, :TOP]
    top = np.round(100.0 * np.take_along_axis(proj.shares, order, axis=1), 1).tolist()
    names = np.asarray(proj.parties)[order].tolist()
    flip = np.round(50.0 * margins(proj.shares, base.top_frac), 2).tolist()
    ties = tied(proj.shares, base.top_frac).tolist()
    rows = zip(base.ons, base.column("constituency"), proj.winners.tolist(), base.winners.tolist(),
               names, top, flip, ties, strict=True)
    return [{"ons_code": code, "constituency": str(name), "winner": w, "baseline_winner": b,
             "shares": {p: v for p, v in zip(n, t, strict=True) if v > 0}, "swing_to_flip": f, "tie": tie}
            for code, name, w, b, n, t, f, tie in rows]


def projection_doc(proj) -> dict:
    """A :class:`seatcast.swing.Projection` as its JSON document.

    ``parliament.changes`` is the change in each party's seats; ``flips`` lists the seats
    changing hands; ``seats`` has one row per seat (:func:`seat_rows`)."""
    parl = proj.parliament
    return {
        "baseline": proj.baseline.election,
        "boundaries": election(proj.baseline.election).boundaries,
        "model": proj.model,
        "scenario": proj.scenario.as_dict(),
        "parliament": parl.as_dict(),
        "flips": list(parl.flip_records()),
        "seats": seat_rows(proj),
        "notices": list(proj.notices),
        "data_version": proj.data_version,
    }


def seat_doc(base, ons_code: str, win_prob: dict | None = None) -> dict:
    """One seat of a baseline result: votes and shares by party (decisive order), winner, runner-up,
    majority (points, and votes between the two leading candidates: a party bucket such as ``ind``
    competes with its largest candidate) and swing to flip (points), and ``win_prob`` if a
    forecast's is given."""
    i = base.rows[ons_code]
    row = {c: base.column(c)[i] for c in ("constituency", "country", "region", "electorate")}
    votes, shares, top = base.votes[i], base.shares[i], base.top_frac[i]
    eff = shares * top
    order = [j for j in np.argsort(-eff, kind="stable") if votes[j] > 0]
    result = [{"party": base.parties[j], "votes": int(votes[j]), "share": round(100 * float(shares[j]), 1)}
              for j in order]
    electorate = row["electorate"]
    return {
        "ons_code": ons_code, "constituency": str(row["constituency"]), "country": str(row["country"]),
        "region": str(row["region"]), "electorate": int(electorate) if electorate == electorate else None,
        "baseline": base.election, "winner": result[0]["party"],
        "runner_up": result[1]["party"] if len(result) > 1 else None,
        "majority_pct": round(100 * float(margins(shares, top)), 1),
        "majority_votes": (int(np.rint(votes[order[0]] * top[order[0]])
                               - np.rint(votes[order[1]] * top[order[1]])) if len(order) > 1 else None),
        "swing_to_flip": round(50 * float(margins(shares, top)), 2),
        "tie": bool(tied(shares, top)), "result": result, "win_prob": win_prob,
    }


# ---- forecasts -----------------------------------------------------------------------------

#: What a forecast's uncertainty covers (shown with every forecast: report, command line).
FORECAST_CAVEAT = ("The national error is calibrated on eve-of-election polls: this is a forecast of an "
                   "election held now, not of one years away.")


def tipping_text(what: str, tip: dict | None, party: str, vs: str, name=str) -> str:
    """One tipping point (:func:`seatcast.campaign.targets.tipping_points`) in words: the swing
    still needed, or the swing that would lose it, as a positive number of points in the
    direction it runs; ``name`` turns a party code into what is shown (the code by default)."""
    if not tip:
        goal = {"majority": "a majority", "largest": "the most seats"}.get(what, what)
        return f"{what}: no uniform swing from {name(vs)} gives {name(party)} {goal}"
    seat = f"tipping seat {tip['constituency']} ({tip['ons_code']})"
    if tip["holds_now"]:
        return (f"{what}: {name(party)} has it, and loses it at a uniform swing of {-tip['swing']:.2f} "
                f"pts from {name(tip['to'])} to {name(tip['from'])}; {seat}")
    return (f"{what}: {name(party)} needs a uniform swing of {tip['swing']:.2f} pts from "
            f"{name(tip['from'])} to {name(tip['to'])}; {seat}")


def outcome_label(key: str) -> str:
    """``majority:lab`` -> ``Labour majority``; ``largest:con`` -> ``Conservative largest party``."""
    if key == "hung":
        return "Hung parliament"
    kind, _, code = key.partition(":")
    return {"majority": f"{party_name(code)} majority",
            "largest": f"{party_name(code)} largest party"}.get(kind, key)


def forecast_rows(fc) -> list[dict]:
    """The forecast summary: one row per party that wins a seat in some draw."""
    s = fc.summary
    return [{"party": p, "median": int(s.at[p, "median"]), "lo": int(s.at[p, "p05"]),
             "hi": int(s.at[p, "p95"]), "mean": round(float(s.at[p, "mean"]), 1),
             "expected": round(float(fc.expected_seats[p]), 1), "modal": int(fc.modal_seats[p]),
             "p_majority": round(float(fc.probabilities.get(f"majority:{p}", 0.0)), 4),
             "p_largest": round(float(fc.probabilities.get(f"largest:{p}", 0.0)), 4)}
            for p in fc.shown_parties()]


def histogram(values: np.ndarray, max_bins: int = 60) -> dict:
    """(draw,) integer seat totals -> ``start``, bin ``width`` (seats) and ``counts`` per bin."""
    values = np.asarray(values, dtype=np.int64)
    lo, hi = int(values.min()), int(values.max())
    width = max(1, -(-(hi - lo + 1) // max_bins))
    counts = np.bincount((values - lo) // width, minlength=(hi - lo) // width + 1)
    return {"start": lo, "width": width, "counts": counts.astype(int).tolist()}


def win_prob_map(table) -> dict:
    """ons_code x party probabilities -> {ons_code: {party: p}} without the near-zero entries."""
    values = np.round(table.to_numpy(float), 3)
    cols = list(table.columns)
    return {code: {cols[j]: float(row[j]) for j in np.flatnonzero(row >= 0.001)}
            for code, row in zip(table.index, values, strict=True)}


def forecast_doc(fc) -> dict:
    """A :class:`seatcast.simulate.Forecast` as its JSON document: the summary table, outcome
    probabilities (keys ``majority:<p>``, ``largest:<p>``, ``hung``; ``labels`` names them),
    blocs, seat-count histograms, each seat's win probabilities, and the inputs."""
    rows = forecast_rows(fc)
    index = {p: j for j, p in enumerate(fc.parties)}
    probs = sorted(fc.probabilities.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "baseline": fc.baseline, "model": fc.model, "draws": int(fc.draws), "seed": int(fc.seed),
        "inner": int(fc.inner), "as_of": fc.as_of,
        "poll_window": list(fc.poll_window) if fc.poll_window else None, "interval": INTERVAL,
        "summary": rows,
        "probabilities": {k: round(float(v), 4) for k, v in probs},
        "labels": {k: outcome_label(k) for k, _ in probs},
        "blocs": {name: {**b, "parties": list(b["parties"])} for name, b in fc.blocs.items()},
        "histograms": {r["party"]: histogram(fc.seats[:, index[r["party"]]]) for r in rows},
        "seats": win_prob_map(fc.win_prob),
        "scales": fc.scales.as_dict(), "scenario": fc.scenario.as_dict(),
        "notices": list(fc.notices), "data_version": fc.data_version,
    }


# ---- tables --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A table column: the row ``key``, its ``label`` and how to format it (``kind``)."""

    key: str
    label: str
    kind: str = "text"  # text, party, int, num1, num2, pct, signed; rtext: preformatted, right-aligned

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "party")


def cell(value, kind: str) -> str:
    """One formatted cell (the one place numbers are formatted for tables): a missing value
    (None, NaN) is blank, and a number that rounds to zero has no minus sign."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if kind == "party":
        return f"{party_name(value)} ({value})" if value in parties.REGISTRY else str(value)
    if kind == "int":
        return f"{int(value):,}"
    if kind == "num1":
        return f"{round(float(value), 1) + 0.0:.1f}"
    if kind == "num2":
        return f"{round(float(value), 2) + 0.0:.2f}"
    if kind == "pct":
        return f"{round(100 * float(value), 1) + 0.0:.1f}%"
    if kind == "signed":
        return f"{int(value):+d}"
    return str(value)


FORECAST_COLUMNS = (
    Column("party", "party", "party"), Column("median", "median seats", "int"),
    Column("interval", "90% interval", "text"), Column("expected", "expected seats", "num1"),
    Column("modal", "leads in", "int"), Column("p_majority", "P(majority)", "pct"),
    Column("p_largest", "P(largest)", "pct"),
)
BLOC_COLUMNS = (
    Column("bloc", "bloc", "text"), Column("median", "median seats", "int"),
    Column("p_working_majority", "P(working majority)", "pct"),
    Column("p_oust_largest", "P(ousts the largest party)", "pct"),
)
SEAT_COLUMNS = (
    Column("party", "party", "party"), Column("seats", "seats", "int"), Column("change", "change", "signed"),
)


#: Labels and formats of the columns of the campaign tables (keys of the results' ``as_dict`` rows).
COLUMN_LABELS = {
    "ons_code": ("ONS code", "text"), "constituency": ("seat", "text"), "rank": ("rank", "int"),
    "winner": ("winner", "text"), "challenger": ("loses to", "text"),
    "previous_winner": ("previous winner", "text"), "swing_needed": ("swing needed (pts)", "num2"),
    "swing_delivered": ("swing delivered (pts)", "num2"), "votes_switched": ("voters to switch", "int"),
    "votes_added": ("votes to add", "int"), "votes": ("voters", "int"), "switchers": ("switchers", "int"),
    "by_party": ("switched from", "text"), "p_without": ("P(win) without", "pct"),
    "p_with": ("P(win) with", "pct"), "gain": ("gain", "pct"), "win_prob": ("P(win)", "pct"),
    "margin": ("majority (votes)", "int"),
}


def columns(keys, rows: list[dict] | None = None) -> tuple[Column, ...]:
    """Columns for row keys: the label and format of :data:`COLUMN_LABELS`, else from the values."""
    def kind(k):
        sample = next((r[k] for r in rows or () if r.get(k) is not None), None)
        return "int" if isinstance(sample, int) and not isinstance(sample, bool) else \
            "num2" if isinstance(sample, float) else "text"
    return tuple(Column(k, *COLUMN_LABELS.get(k, (k.replace("_", " "), kind(k)))) for k in keys)


def forecast_table_rows(doc: dict) -> list[dict]:
    """Rows of the forecast summary table, from :func:`forecast_doc`."""
    return [{**r, "interval": f"{r['lo']}-{r['hi']}"} for r in doc["summary"]]


def bloc_table_rows(doc: dict) -> list[dict]:
    return [{"bloc": name, **b} for name, b in doc["blocs"].items()]


def seat_total_rows(parl_doc: dict) -> list[dict]:
    """Seat totals with changes, largest first (ties in registry order)."""
    seats, changes = parl_doc["seats"], parl_doc.get("changes", {})
    return [{"party": p, "seats": n, "change": changes.get(p, 0)}
            for p, n in sorted(seats.items(), key=lambda kv: -kv[1])]


def rich_table(title: str, rows: list[dict], columns, width: int | None = None) -> object:
    """A :class:`rich.table.Table` of ``rows`` (terminal output).

    When the table would be wider than ``width`` (the console's; ``None``: never), it is made
    narrow instead of cutting cells: parties are shown by their code alone, labels wrap at spaces
    and underscores, each column is as wide as its longest cell or label word (plus any room left,
    :func:`_narrow_widths`), and if that is still too wide the borders give way to two spaces
    between columns. A row stays on one line and no word is cut."""
    from rich import box
    from rich.table import Table

    cells = [[cell(r.get(c.key), c.kind) for c in columns] for r in rows]
    narrow = width is not None and _natural_width(columns, cells) > width
    if not narrow:
        return _filled(Table(title=title), columns, cells, [None] * len(columns))
    cells = [[str(r.get(c.key, "")) if c.kind == "party" else v
              for c, v in zip(columns, row, strict=True)] for r, row in zip(rows, cells, strict=True)]
    columns = [Column(c.key, c.label.replace("_", " "), c.kind) for c in columns]
    boxed = sum(_word_widths(columns, cells)) + _boxed_chrome(len(columns)) <= width
    chrome = _boxed_chrome(len(columns)) if boxed else 2 * (len(columns) - 1)
    table = Table(title=title) if boxed else Table(title=title, box=box.SIMPLE_HEAD, show_edge=False,
                                                   pad_edge=False, collapse_padding=True)
    return _filled(table, columns, cells, _narrow_widths(columns, cells, width - chrome))


def grid(title: str, labels, rows, left=(), width: int | None = None) -> object:
    """:func:`rich_table` of preformatted cells: ``rows`` are sequences in the order of ``labels``;
    the columns named in ``left`` are left-aligned text (a column labelled ``party`` shows names),
    the others right-aligned."""
    kinds = {lab: ("party" if lab == "party" else "text") if lab in left else "rtext" for lab in labels}
    columns = [Column(str(i), lab, kinds[lab]) for i, lab in enumerate(labels)]
    return rich_table(title, [{str(i): v for i, v in enumerate(r)} for r in rows], columns, width)


def _filled(table, columns, cells, widths):
    """``table`` with its columns (numbers right-aligned; at most ``widths``) and rows."""
    for c, fit in zip(columns, widths, strict=True):
        table.add_column(c.label, justify="right" if c.numeric else "left", max_width=fit)
    for row in cells:
        table.add_row(*row)
    return table


def _word_widths(columns, cells) -> list[int]:
    """Each column's longest cell or label word: the narrowest it can be with nothing cut."""
    return [max([*map(len, c.label.split()), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]


def _boxed_chrome(n_columns: int) -> int:
    """Characters rich's default box and padding add to a table: three per column, one at the edge."""
    return 3 * n_columns + 1


def _narrow_widths(columns, cells, room: int) -> list[int]:
    """Column widths of a narrow table: :func:`_word_widths`, then what is left of ``room`` (the
    width less borders and padding) spent on the labels that wrap over the most lines (the cheapest
    first), so the header is as short as the terminal allows."""
    fits = _word_widths(columns, cells)
    spare = room - sum(fits)
    while True:
        steps = [(-_lines(c.label, w), _one_line_less(c.label, w) - w, i)
                 for i, (c, w) in enumerate(zip(columns, fits, strict=True)) if _lines(c.label, w) > 1]
        steps = [s for s in steps if s[1] <= spare]
        if not steps:
            return fits
        _, cost, i = min(steps)
        fits[i], spare = fits[i] + cost, spare - cost


def _lines(label: str, width: int) -> int:
    import textwrap

    return len(textwrap.wrap(label, width))


def _one_line_less(label: str, width: int) -> int:
    """The narrowest width above ``width`` at which ``label`` wraps over fewer lines."""
    wider = width + 1
    while _lines(label, wider) >= _lines(label, width):
        wider += 1
    return wider


def _natural_width(columns, cells) -> int:
    """Characters a table needs with no wrapping: its widest cell or label per column, plus
    rich's padding and borders (three per column, one more at the edge)."""
    widest = [max([len(c.label), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    return sum(widest) + _boxed_chrome(len(columns))


def html_table(rows: list[dict], columns) -> str:
    """An HTML table of ``rows`` (the report), with the same labels and formats as the terminal."""
    import html

    head = "".join(f"<th scope=\"col\">{html.escape(c.label)}</th>" for c in columns)
    def td(c: Column, r: dict) -> str:
        return f"<td class=\"{'num' if c.numeric else ''}\">{html.escape(cell(r.get(c.key), c.kind))}</td>"

    body = "".join("<tr>" + "".join(td(c, r) for c in columns) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ---- per-seat CSV --------------------------------------------------------------------------

def seat_csv(proj, win_prob=None) -> str:
    """Per-seat CSV of a projection: ``ons_code, constituency, country, region, baseline_winner,
    winner, tie, majority`` (points), ``swing_to_flip`` (points), ``win_prob`` (the winner's, from
    ``win_prob``, a seats x parties table of a forecast; blank without one), then each party's
    share (``share_<party>``, percent) and, with a forecast, its win probability (``p_<party>``)."""
    base = proj.baseline
    margin = 100.0 * margins(proj.shares, base.top_frac)
    ties = tied(proj.shares, base.top_frac)
    cols = list(proj.parties)
    wp = None if win_prob is None else win_prob.reindex(index=base.codes, columns=cols, fill_value=0.0)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ons_code", "constituency", "country", "region", "baseline_winner", "winner", "tie",
                "majority", "swing_to_flip", "win_prob", *(f"share_{p}" for p in cols),
                *((f"p_{p}" for p in cols) if wp is not None else ())])
    meta = base.seats
    winners = proj.winners
    for i, code in enumerate(base.codes):
        j = cols.index(winners[i])
        probs = [] if wp is None else [f"{v:.4f}" for v in wp.iloc[i].to_numpy()]
        w.writerow([code, meta["constituency"].iat[i], meta["country"].iat[i], meta["region"].iat[i],
                    base.winners[i], winners[i], int(ties[i]), f"{margin[i]:.2f}", f"{margin[i] / 2:.2f}",
                    "" if wp is None else probs[j], *(f"{100 * v:.2f}" for v in proj.shares[i]), *probs])
    return buf.getvalue()


# ---- comparisons ---------------------------------------------------------------------------

COMPARE_COLUMNS = (
    Column("party", "party", "party"), Column("a", "A seats", "int"), Column("b", "B seats", "int"),
    Column("diff", "B - A", "signed"),
)


def _label(proj) -> str:
    gb = ", ".join(f"{p} {v:.1f}" for p, v in sorted(proj.scenario.gb.items(), key=lambda kv: -kv[1])[:5])
    return f"{proj.model}: {gb}"


def compare_doc(pa, pb) -> dict:
    """Two projections of the same baseline side by side: seat totals, verdicts, seats that differ."""
    sa, sb = pa.parliament.seats, pb.parliament.seats
    codes = [p for p in parties.CODES if p in sa or p in sb]
    rows = sorted(({"party": p, "a": sa.get(p, 0), "b": sb.get(p, 0), "diff": sb.get(p, 0) - sa.get(p, 0)}
                   for p in codes), key=lambda r: -max(r["a"], r["b"]))
    base = pa.baseline
    names = base.seats["constituency"]
    differ = [{"ons_code": c, "constituency": str(n), "a": a, "b": b}
              for c, n, a, b in zip(base.codes, names, pa.winners, pb.winners, strict=True) if a != b]
    side = {"a": pa, "b": pb}
    return {"baseline": base.election, "parties": rows, "differ": differ,
            **{k: {"label": _label(p), "model": p.model, "scenario": p.scenario.as_dict(),
                   "verdict": p.parliament.verdict} for k, p in side.items()},
            "data_version": pa.data_version}
