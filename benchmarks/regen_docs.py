"""Regenerate every deterministic figure table of the docs and the README in place, or check them.

    .venv/bin/python benchmarks/regen_docs.py                   # rewrite every table
    .venv/bin/python benchmarks/regen_docs.py --check           # CI: fail if a checked table is stale
                                                                # (two processes: docs/live.md, the rest)
    .venv/bin/python benchmarks/regen_docs.py docs/live.md      # only the files named

``--check`` covers every file, docs/live.md included: its election-night replays (eight replays of about
650 declarations at 20,000 draws) take about 2 minutes on the 2-core machine.

The tables sit between cog markers (``[[[cog ... ]]]`` / ``[[[end]]]``, https://nedbatchelder.com/code/cog)
and are computed from the bundled data with fixed seeds, so the check is exact. Generators:
:mod:`accuracy_tables` (docs/accuracy.md results: backtests, hindsight, calibration, learned model),
:mod:`candidates_tables` (docs/accuracy.md candidates), :mod:`live_replays` (docs/live.md election-night
replays), :mod:`hindsight_2024_errors` and :mod:`hindsight_designs` (docs/hindsight.md), :mod:`docgen`
(poll average, docs/campaign.md, the README's Python example). The files named run in one process, so
work shared by several tables (the backtests) is done once; ``--check`` of every file runs docs/live.md
in a second process beside the others (:data:`GROUPS`). The poll store is a fresh one built from
the bundled polls in a temporary ``SEATCAST_HOME``, so a user's own store never changes the docs.
Timing tables (docs/performance.md) depend on the machine and are not generated: each is printed by the
``bench_*.py`` script named above it and pasted, with the date of the measurement.
The README's Python example is also run as a doctest by the test suite (tests/test_docs.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from cogapp import Cog

ROOT = Path(__file__).resolve().parent.parent
FILES = ["README.md", "docs/accuracy.md", "docs/campaign.md", "docs/hindsight.md", "docs/live.md"]


#: ``--check`` of every file runs in two processes, the election-night replays beside the rest, so
#: the two cores CI has are both used (each table's work is within one process, so nothing changes).
GROUPS = (["docs/live.md"], [f for f in FILES if f != "docs/live.md"])


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        return 0
    check = "--check" in argv
    files = [a for a in argv if a != "--check"] or FILES
    if check and files == FILES:
        return _in_parallel(GROUPS)
    args = ["cog", "-I", str(ROOT / "benchmarks"), *(["--check", "--diff", "--check-fail-msg",
                                                       "run benchmarks/regen_docs.py"] if check else ["-r"])]
    with tempfile.TemporaryDirectory(prefix="seatcast-docs-") as home:
        os.environ["SEATCAST_HOME"] = home
        return Cog().main(args + [str(ROOT / f) for f in files])


def _in_parallel(groups) -> int:
    """``--check`` of each group of files in its own process; their output in order, then the
    worst exit code."""
    import subprocess

    procs = [subprocess.Popen([sys.executable, __file__, "--check", *g], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for g in groups]
    codes = []
    for proc in procs:
        output, _ = proc.communicate()
        sys.stdout.write(output)
        codes.append(proc.returncode)
    return max(codes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
