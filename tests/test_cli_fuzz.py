"""Fuzzing every CLI command: whatever the options, never a traceback, and invalid input exits 2.

Two parts:

* **Known bad cases** (a table): each must exit 2 with one line on stderr naming the option or
  field. It holds every defect of issue 11 (negative seeds, ``pact`` with no arguments,
  ``--seats held-by:``, binary/folder/empty files, bad output paths, a repeated bloc party,
  ``1_0`` and Arabic-Indic digits, duplicate keys, ...).
* **Property-based**: hypothesis draws a subset of each command's options, each value either
  from a *valid* pool or from an *invalid* one (malformed numbers, out-of-range values, unknown
  codes, unusable paths). Any result must be exit 0 or 2 without a traceback; a case with an
  invalid value must exit 2 with a one-line message.

Work is bounded: forecasts and backtests always get a few hundred draws, ``backtest --all`` and
``serve`` are left out. ``SEATCAST_FUZZ_EXAMPLES`` sets the examples per command (CI: 6;
``benchmarks/fuzz.py`` runs the big count for docs/performance.md) and ``SEATCAST_FUZZ_LOG``
names a file that gets one line per case.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seatcast.cli import app

EXAMPLES = int(os.environ.get("SEATCAST_FUZZ_EXAMPLES", "6"))
LOG = os.environ.get("SEATCAST_FUZZ_LOG")
FILES = Path(tempfile.mkdtemp(prefix="seatcast-fuzz-"))  # one per process (xdist), removed at exit
atexit.register(shutil.rmtree, FILES, True)
SKIP_COMMANDS = {"serve"}  # would start a server; its options are in the known-bad table


def _files() -> dict[str, str]:
    FILES.mkdir(exist_ok=True)
    paths = {
        "targets": "ons_code,type,party\nE14001063,offensive,lab\nE14000530,defensive,lab\n",
        "codes": "E14001063\nE14000530\n",
        "polls": ("pollster,fieldwork_end,con,lab,ld\nYouGov,2024-01-02,25,45,10\n"
                  "Opinium,2024-01-05,27,42,9\n"),
        "empty": "",
        "blank": "\n\n\n",
    }
    out = {}
    for name, text in paths.items():
        (FILES / f"{name}.csv").write_text(text)
        out[name] = str(FILES / f"{name}.csv")
    (FILES / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (FILES / "latin1.csv").write_bytes("ons_code,type\nE14001063,offensive\u00e9\n".encode("latin-1"))
    (FILES / "a_file").write_text("x")
    out |= {"binary": str(FILES / "binary.csv"), "latin1": str(FILES / "latin1.csv"),
            "folder": str(FILES), "file": str(FILES / "a_file"), "missing": str(FILES / "missing.csv")}
    return out


F = _files()
OUT = str(FILES / "report")


def _strat(values) -> st.SearchStrategy:
    return values if isinstance(values, st.SearchStrategy) else st.sampled_from(list(values))


def pool(valid, invalid=None):
    """An option's values: (text, is_invalid) pairs from a valid and an invalid pool."""
    good = _strat(valid).map(lambda x: (str(x), False))
    return good if invalid is None else good | _strat(invalid).map(lambda x: (str(x), True))


BAD_NUMBER = ["abc", "1_0", "\u0663\u0660", "nan", "inf", "1e999", "", "0x10", "--"]
BAD_WHOLE = BAD_NUMBER + ["1.5", "1e3"]


def whole(lo, hi, cap=None):
    top = hi if cap is None else min(hi, cap)
    return pool(st.integers(lo, top), st.sampled_from(BAD_WHOLE) | st.integers(hi + 1, hi + 10**6)
                | st.integers(lo - 10**6, lo - 1))


def number(lo, hi):
    return pool(st.floats(lo, hi, allow_nan=False).map(lambda x: f"{x:.4g}"),
                st.sampled_from(BAD_NUMBER) | st.floats(hi + 0.5, hi + 1e6).map(lambda x: f"{x:.4g}")
                | st.floats(lo - 1e6, lo - 0.5).map(lambda x: f"{x:.4g}"))


PARTY = pool(["lab", "con", "ld", "reform", "green"], ["tory", "", "LAB!", "lab,con"])
PARTIES = pool(["lab,ld,green", "lab", "ld,green"], ["tory,lab", "xyz"])
SHARE = pool(st.integers(0, 40), ["-5", "150", "1_0", "\u0663\u0660", "abc", "nan", "inf", "1e999"])
SHARES = pool(["con=43,lab=33,ld=12", "lab=30,reform=28,con=18,ld=12,green=8"],
              ["con=abc", "con=1_0", "con=30,con=20", "tory=30", "con=150", "con", "con=\u0663\u0660"])
POLLS = pool(["latest", "2019-12-11", "2024-07-03"], ["2019-13-01", "yesterday", "1066-01-01", ""])
BASELINE = pool(["2024", "2019", "2017", "2019n"], ["1066", "", "2019N", "latest"])
ELECTION = pool(["2017", "2019", "2024"], ["1066", "", "x"])
MODEL = pool(["uns", "prop", "tm", "stm"], ["foo", "", "UNS"])
SEED = whole(0, 2**63 - 1, cap=2**32)

OPTIONS = {  # option -> values; a command-specific entry "command option" wins
    **{f"--{p}": SHARE for p in ("con", "lab", "ld", "reform", "brexit", "ukip", "green", "snp", "pc",
                                 "other")},
    "--scotland": pool(["snp=30,lab=25"], ["snp=abc", "snp=3,snp=4", "tory=30", "snp", "snp=\u0663\u0660"]),
    "--wales": pool(["lab=37,pc=15"], ["pc=abc", "pc=3,pc=4", "snp=30", "pc"]),
    "--ni": pool(["sf=27,dup=22"], ["sf=abc", "lab=5,lab=6"]),
    "--region": pool(["London:lab=45,con=25"], ["Mars:lab=3", "London", "London:lab=x"]),
    "turnout --region": pool(["London", "Scotland", "Wales"], ["Mars", ""]),
    "--polls": POLLS, "--as-of": POLLS,
    "forecast --as-of": pool(["2024-07-03", "2019-12-11"], ["2019-13-01", "yesterday"]),
    "--baseline": BASELINE, "--election": ELECTION, "--model": MODEL,
    "--top": whole(0, 650, cap=30), "--latest": whole(0, 100_000, cap=20),
    "--seed": SEED,
    "forecast --draws": whole(1, 2_000_000, cap=300), "backtest --draws": whole(1, 2_000_000, cap=200),
    "targets --draws": whole(0, 2_000_000, cap=200), "tactical --draws": whole(0, 2_000_000, cap=200),
    "portfolio --draws": whole(1, 2_000_000, cap=200),
    "--bloc": pool(["con+reform", "lab+ld+green", "lab+snp"], ["con+con+con", "tory+lab", "+", ""]),
    "--out": pool([OUT], ["", F["file"], "a" * 300]),
    "--plot": pool([str(FILES / "tracker.png")], ["x.pdf", F["folder"], F["file"] + "/x.png",
                                                  "a" * 300 + ".png"]),
    "--file": pool([F["polls"]], [F["missing"], F["folder"], F["binary"], F["empty"], F["blank"]]),
    "--area": pool(["GB", "Scotland", "Wales"], ["Mars", ""]),
    "--party": PARTY, "--vs": pool(["con", "reform"], ["tory", ""]),
    "pact --party": pool(["green", "ld", "reform"], ["tory", ""]),
    "--against": pool(["con", "reform"], ["tory", "", "lab,con", "speaker"]),
    "--shares": SHARES,
    "close-call --goal": pool(["majority", "lose-majority", "not-largest", "largest"], ["win", ""]),
    "tactical --goal": pool(["deny-majority", "not-largest"], ["win", ""]),
    "--mode": pool(["switch", "add"], ["x", ""]), "--line": pool(["overall", "working"], ["x"]),
    "--from": PARTIES, "--to": PARTIES, "close-call --bloc": pool(["lab,snp,ld"], ["tory,lab"]),
    "--max-share": number(0, 1), "--cushion": number(0, 0.49), "--rate": number(0, 1),
    "--factor": number(0, 10),
    "--effect": number(0, 1), "--threshold": whole(0, 100_000_000, cap=5000),
    "--budget": whole(1, 650, cap=20),
    "--seats": pool(["held-by:con", "all", "E14001063", "unite-to-remain", f"file:{F['codes']}"],
                    ["held-by:", "held-by:tory", f"file:{F['missing']}", f"file:{F['folder']}",
                     f"file:{F['binary']}", f"file:{F['empty']}", "E99999999"]),
    "--transfer": pool(["con=0.6,lab=0.15"], ["con=2", "con=abc", "tory=0.5"]),
    "--preset": pool(["unite-to-remain"], ["x"]),
    "--objective": pool(["expected", "majority"], ["x", ""]),
    "--swing": pool(["lab:reform=5"], ["lab:reform=abc", "lab=5"]),
    "--csv": pool([str(FILES / "seats.csv")], [F["folder"], F["file"] + "/x.csv"]),
    "--blocs": pool([F["missing"], F["folder"], F["binary"], F["empty"]]),  # no traceback, at least
    "PATH": pool([F["targets"]], [F["folder"], F["binary"], F["empty"], F["missing"], F["latin1"],
                                  F["blank"]]),
}
JUNK = pool(["x", "", "[/red]", "a" * 300, "-1", "\u00fc"])  # options without a table entry
FORCED = {"forecast": ["--draws", "200", "--out", OUT], "backtest": ["--draws", "100"],  # never in cwd
          "history": ["--plot", str(FILES / "history.png")]}
NEVER = {"backtest": {"--all"}}  # too slow


def _commands():
    group = typer.main.get_command(app)
    return {name: cmd for name, cmd in group.commands.items() if name not in SKIP_COMMANDS}


def _values(command: str, param):
    name = param.opts[0] if param.opts else param.name.upper()
    for key in (f"{command} {name}", name):  # explicit: a strategy's truth value is meaningless
        if key in OPTIONS:
            return OPTIONS[key]
    return JUNK


def _strategy(command: str, cmd):
    """(args, invalid) for one command: required options always, others sometimes."""
    required, optional = {}, {}
    for p in cmd.params:
        name = p.opts[0] if p.opts else p.name.upper()
        if name in NEVER.get(command, set()) or name == "--help":
            continue
        flag = getattr(p, "is_flag", False)
        values = st.just(("", False)) if flag else _values(command, p)
        (required if p.required else optional)[name] = values

    def build(chosen):
        args, invalid = [*FORCED.get(command, [])], False
        for name, (value, bad) in chosen.items():
            if name.isupper():  # a positional argument
                args.append(value)
            elif value == "" and name.startswith("--") and (name in ("--json", "--all", "--nations",
                                                                      "--regions", "--accuracy")):
                args.append(name)
            else:
                args += [name, value]
            invalid |= bad
        return args, invalid

    return st.fixed_dictionaries(required, optional=optional).map(build)


def run(args: list[str]):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args)
    if LOG:
        with open(LOG, "a") as fh:
            fh.write(f"{result.exit_code}\t{args[0]}\n")
    return result


def check(result, args, invalid: bool) -> None:
    shown = f"seatcast {' '.join(args)!r}"
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"{shown} raised {exc!r}"
    assert "Traceback" not in result.output, shown
    assert result.exit_code in (0, 2), f"{shown} exited {result.exit_code}: {result.stderr[-300:]}"
    if invalid:
        assert result.exit_code == 2, f"{shown} accepted invalid input"
    if result.exit_code == 2:
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error"), f"{shown}: {result.stderr!r}"


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LOG,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_survives_fuzzed_options(command):
    cmd = _commands()[command]

    @FUZZ
    @given(case=_strategy(command, cmd))
    def inner(case):
        args, invalid = case
        check(run([command, *args]), [command, *args], invalid)

    inner()


# -- known bad cases: each exits 2 with one line naming the option or field ----------------------
KNOWN_BAD = [
    *[([cmd, *extra, "--seed", "-1"], "--seed") for cmd, extra in (
        ("forecast", ["--draws", "200"]), ("backtest", ["--draws", "100"]), ("targets", ["--party", "lab"]),
        ("portfolio", ["--party", "lab", "--budget", "5"]), ("tactical", ["--polls", "2019-12-11"]))],
    (["forecast", "--draws", "200", "--seed", "1_0"], "--seed"),
    (["live", "--replay", "2017", "--seed", "-1"], "--seed"),  # found by the 2,396-case run
    (["live", "--replay", "2017", "--seed", str(2**63)], "--seed"),
    (["pact"], "party"),
    (["pact", "--party", "brexit", "--baseline", "2019", "--seats", "held-by:"], "seats"),
    (["tactical", "--polls", "2019-12-11", "--baseline", "2017", "--seats", "held-by:"], "seats"),
    *[(["pact", "--party", "brexit", "--baseline", "2019", "--seats", f"file:{F[k]}"], "seats")
      for k in ("binary", "folder", "empty", "blank", "missing")],
    *[(["audit-targets", F[k]], ("targets", f"{k}.csv")) for k in ("binary", "folder", "empty", "latin1",
                                                                     "missing")],
    (["polls", "--plot", F["folder"]], "--plot"),
    (["polls", "--plot", F["file"] + "/x.png"], "--plot"),
    (["polls", "--plot", "a" * 300 + ".png"], "--plot"),
    (["polls", "--plot", "out.pdf"], "--plot"),
    (["forecast", "--draws", "200", "--out", F["file"]], "--out"),
    (["forecast", "--draws", "200", "--out", ""], "--out"),
    (["forecast", "--draws", "200", "--out", F["folder"]], "--out"),  # holds other files
    (["forecast", "--draws", "200", "--bloc", "con+con+con"], "bloc"),
    (["project", "--con", "30", "--csv", "/proc/seatcast.csv"], "--csv"),  # fails at the write
    (["live", "--replay", "2017", "--limit", "2", "--draws", "200", "--out", F["file"]], "--out"),
    (["live", "--replay", "2017", "--limit", "2", "--draws", "200", "--out", F["folder"]], "--out"),
    (["project", "--con", "1_0"], "--con"),
    (["project", "--con", "\u0663\u0660"], "--con"),
    (["project", "--con", "30", "--scotland", "snp=\u0663\u0660"], "Scotland.snp"),
    (["project", "--con", "30", "--scotland", "snp=30,snp=20"], "Scotland.snp"),
    (["project", "--con", "abc"], "--con"),
    (["project", "--nope"], "--nope"),
    (["targets"], "--party"),
    (["targets", "--party", "lab", "--vs", "lab"], "vs"),
    (["targets", "--party", "speaker"], "party"),
    (["targets", "--party", "lab", "--draws", "-1"], "--draws"),
    (["turnout", "--party", "snp", "--factor", "0.9", "--region", "London"], "party"),
    (["turnout", "--party", "lab", "--factor", "11"], "factor"),
    (["forecast", "--draws", "0"], "--draws"),
    (["forecast", "--draws", "200", "--model", "foo"], "model"),
    (["portfolio", "--party", "lab", "--budget", "0"], "--budget"),
    (["serve", "--port", "0"], "--port"),
    (["serve", "--port", "http"], "--port"),
    (["polls", "--file", F["binary"]], "file"),
    (["polls", "--file", F["folder"]], "file"),
    (["polls", "--as-of", "2019-13-01"], "--as-of"),
]


@pytest.mark.parametrize(("args", "names"), KNOWN_BAD,  # ids without the per-process folder (xdist)
                         ids=[" ".join(a).replace(str(FILES), "TMP")[:60] for a, _ in KNOWN_BAD])
def test_known_bad_input_is_one_line_naming_the_option(args, names):
    result = run(args)
    check(result, args, invalid=True)
    names = (names,) if isinstance(names, str) else names
    assert any(n in result.stderr for n in names), result.stderr


def test_full_disk_on_stdout_is_one_line_not_a_traceback(tmp_path):
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    code = "from seatcast.cli import main; main()"
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-c", code, "project", "--con", "30", "--lab", "40", "--json"],
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [r.stderr.strip()] and "standard output" in r.stderr
