"""Regenerate every deterministic figure table of the docs and the README in place, or check them.

    .venv/bin/python benchmarks/regen_docs.py           # rewrite the tables (about 1-2 minutes)
    .venv/bin/python benchmarks/regen_docs.py --check   # CI: fail if a committed table is stale

The tables sit between cog markers (``[[[cog ... ]]]`` / ``[[[end]]]``, https://nedbatchelder.com/code/cog)
and are computed by :mod:`docgen` from the bundled data with fixed seeds, so the check is exact.
Timing tables (docs/performance.md) depend on the machine and are not checked: each is printed by the
``bench_*.py`` script named above it and pasted, with the date of the measurement.
The README's Python example is checked as a doctest by the test suite (tests/test_docs.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from cogapp import Cog

ROOT = Path(__file__).resolve().parent.parent
FILES = ["README.md", "docs/accuracy.md", "docs/campaign.md"]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = ["cog", "-I", str(ROOT / "benchmarks"), "--check" if check else "-r"]
    return Cog().main(args + [str(ROOT / f) for f in FILES])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
