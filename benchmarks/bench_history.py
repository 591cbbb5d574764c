"""Poll store and forecast-history timings (issue 12; not collected by pytest).

Run from the repository root: .venv/bin/python benchmarks/bench_history.py [--draws 10000] [--skip-cold]

Every step uses a fresh temporary SEATCAST_HOME, never the user's store. Targets:
* cold ``seatcast history`` (every week from July 2024 to the newest poll, 10,000 draws a week,
  2 worker processes): <= 90 s;
* after one poll is added, ``seatcast history`` catches up: <= 5 s;
* merging a page of 600 polls into the store: <= 2 s;
* a cold ``aggregate`` through the store is not noticeably slower than from the bundled files.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEATCAST = [str(Path(sys.executable).parent / "seatcast")]


def run(args: list[str], home: str) -> str:
    """Run a command; "wall s (CPU s, load L)": wall time, CPU time of it and its workers (user +
    system, which the load of other users' jobs does not inflate) and the 1-minute load average."""
    load = os.getloadavg()[0]
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, check=True, env={**os.environ, "SEATCAST_HOME": home}, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    return f"{wall:.1f} s wall ({used:.1f} s CPU; load average {load:.1f} before)"


def python(code: str, home: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                          env={**os.environ, "SEATCAST_HOME": home}).stdout.strip()


COLD_AGGREGATE = """
import time
t = time.perf_counter()
from seatcast import data
from seatcast.polls import aggregate, sources
t1 = time.perf_counter()
{body}
print(f"{{time.perf_counter() - t1:.3f}} {{time.perf_counter() - t:.3f}}")
"""
#: The default path before the store (bundled files read, data version, fit) and with it.
BUNDLED = "df = sources.load(); data.data_version(); aggregate(df, as_of='latest')"
STORED = "aggregate(as_of='latest')"

ADD_ONE = """
from seatcast.polls import store
last = store.polls().tail(1)
store.merge(last.assign(pollster="Benchmark Polls {n}", con=last["con"] + 1), "csv", "bench.csv")
"""

MERGE_600 = """
import time, datetime as dt
import numpy as np
from seatcast.polls import store, wiki
rng = np.random.default_rng(12)
rows = []
for k in range(600):
    end = dt.date(2024, 7, 10) + dt.timedelta(days=int(k * 1.4))
    s = np.round(rng.dirichlet([6, 5, 4, 2, 2]) * 94).astype(int)
    cells = [f"{{{{opdrts|{max(1, end.day - 1)}|{end.day}|{end:%b}|{end.year}|year}}}}",
             f"[https://x.example Pollster {k % 23}]", "''Client''", "GB", f"1,{k:03d}",
             *(f"{v}%" for v in s), "3%", "1%", "2"]
    rows.append("|-\\n" + "".join(f"| {c}\\n" for c in cells))
head = ("=== 2025 ===\\n{| class=\\"wikitable\\"\\n|-\\n! rowspan=\\"2\\" | Dates<br />conducted\\n"
        "! rowspan=\\"2\\" | Pollster\\n"
        "! rowspan=\\"2\\" | Client\\n! rowspan=\\"2\\" | Area\\n! rowspan=\\"2\\" | Sample<br />size\\n"
        "! [[Reform UK|Ref]]\\n! [[Labour Party (UK)|Lab]]\\n! [[Conservative Party (UK)|Con]]\\n"
        "! [[Liberal Democrats (UK)|LD]]\\n! [[Green Party of England and Wales|Grn]]\\n"
        "! [[Scottish National Party|SNP]]\\n"
        "! [[Plaid Cymru|PC]]\\n! rowspan=\\"2\\" | Lead\\n|-\\n! |\\n")
page = "== National poll results ==\\n" + head + "".join(rows) + "|}\\n"
store.polls()
t = time.perf_counter()
df, warnings = wiki.parse_page(page, dt.date(2026, 11, 30))
t1 = time.perf_counter()
report = store.merge(df, "wikipedia", "revision bench")
t2 = time.perf_counter()
print(f"{len(df)} {len(report.added)} {t1 - t:.3f} {t2 - t1:.3f}")
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--skip-cold", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        python("from seatcast.polls import store; store.polls()", home)  # build the store once
        bundled, stored = [], []
        for _ in range(7):  # interleaved, so a change in the machine's load hits both alike
            bundled.append(python(COLD_AGGREGATE.format(body=BUNDLED), home))
            stored.append(python(COLD_AGGREGATE.format(body=STORED), home))
        for what, runs in (("the bundled files (the default before the store)", bundled),
                           ("the poll store (the default now)", stored)):
            fits = sorted(float(r.split()[0]) for r in runs)
            totals = sorted(float(r.split()[1]) for r in runs)
            print(f"cold aggregate(as_of='latest') from {what}: read+fit {fits[3]:.3f} s, "
                  f"import+read+fit {totals[3]:.3f} s (median of 7 processes)")
        t = time.perf_counter()
        with tempfile.TemporaryDirectory() as fresh:
            python("from seatcast.polls import store; store.polls()", fresh)
        print(f"first use: building the store from the bundled polls, whole process "
              f"{time.perf_counter() - t:.2f} s")
    with tempfile.TemporaryDirectory() as home:
        n, added, parse, merge = python(MERGE_600, home).split()
        print(f"merge a page of {n} polls: parse {parse} s, merge into the store {merge} s ({added} added)")
    with tempfile.TemporaryDirectory() as home:
        history = [*SEATCAST, "history", "--draws", str(args.draws), "--workers", "2"]
        history += ["--since", "2026-06-01"] if args.skip_cold else []
        png = ["--plot", f"{home}/h.png"]
        what = "since 1 June 2026" if args.skip_cold else "every week since 4 July 2024"
        print(f"cold history, {what}, {args.draws:,} draws/week, 2 workers: {run(history + png, home)}")
        print(f"history again, nothing changed: {run(history + png, home)}")
        python(ADD_ONE.format(n=1), home)
        print(f"history catch-up after one poll added: {run(history + png, home)}")
        python(ADD_ONE.format(n=2), home)
        print(f"the same without writing the PNG: {run(history + ['--plot', ''], home)}")


if __name__ == "__main__":
    main()
