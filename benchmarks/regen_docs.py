"""Regenerate every deterministic figure table of the docs and the README in place, or check them.

    .venv/bin/python benchmarks/regen_docs.py                   # rewrite every table
    .venv/bin/python benchmarks/regen_docs.py --check           # CI: fail if a checked table is stale
    .venv/bin/python benchmarks/regen_docs.py docs/live.md      # only the files named

``--check`` covers every file, docs/live.md included: its election-night replays (eight replays of about
650 declarations at 20,000 draws) take about 2 minutes on the 2-core machine.

The tables sit between cog markers (``[[[cog ... ]]]`` / ``[[[end]]]``, https://nedbatchelder.com/code/cog)
and are computed from the bundled data with fixed seeds, so the check is exact. Generators:
:mod:`accuracy_tables` (docs/accuracy.md results: backtests, hindsight, calibration, learned model),
:mod:`candidates_tables` (docs/accuracy.md candidates), :mod:`live_replays` (docs/live.md election-night
replays), :mod:`hindsight_2024_errors` and :mod:`hindsight_designs` (docs/hindsight.md), :mod:`docgen`
(poll average, docs/campaign.md, the README's Python example). All files run in one process, so work
shared by several tables (the backtests) is done once. The poll store is a fresh one built from
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


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        return 0
    check = "--check" in argv
    files = [a for a in argv if a != "--check"] or FILES
    args = ["cog", "-I", str(ROOT / "benchmarks"), *(["--check", "--diff", "--check-fail-msg",
                                                       "run benchmarks/regen_docs.py"] if check else ["-r"])]
    with tempfile.TemporaryDirectory(prefix="seatcast-docs-") as home:
        os.environ["SEATCAST_HOME"] = home
        return Cog().main(args + [str(ROOT / f) for f in files])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
