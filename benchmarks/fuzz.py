"""The big fuzz runs behind the issue-11 figures in docs/performance.md.

Runs the same tests as CI (tests/test_cli_fuzz.py and tests/test_api_schema.py) with many
more examples, logs every case and prints the tally:

    .venv/bin/python benchmarks/fuzz.py --cli 125 --api 300

``--cli N``: hypothesis examples per CLI command (plus the table of known bad cases);
``--api N``: schemathesis examples per operation and generation mode. Everything runs in
process (CliRunner, ASGI): no network, no server.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(tests: list[str], env: dict, log: Path, workers: int) -> tuple[int, float, collections.Counter]:
    log.unlink(missing_ok=True)
    t = time.monotonic()
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(workers), *tests]
    rc = subprocess.call(cmd, cwd=ROOT, env={**os.environ, **env, "SEATCAST_FUZZ_LOG": str(log)})
    lines = log.read_text().splitlines() if log.exists() else []
    return rc, time.monotonic() - t, collections.Counter(ln.split("\t")[0] for ln in lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", type=int, default=125)
    ap.add_argument("--api", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="seatcast-fuzz-log-"))
    if args.cli:
        rc, took, codes = run(["tests/test_cli_fuzz.py"], {"SEATCAST_FUZZ_EXAMPLES": str(args.cli)},
                              tmp / "cli.log", args.workers)
        bad = sum(n for c, n in codes.items() if c not in ("0", "2"))
        print(f"CLI: {sum(codes.values())} cases in {took:.0f} s, exit codes {dict(codes)}, "
              f"other than 0/2: {bad}, pytest rc={rc}")
    if args.api:
        rc, took, codes = run(["tests/test_api_schema.py"], {"SEATCAST_SCHEMA_EXAMPLES": str(args.api)},
                              tmp / "api.log", args.workers)
        fives = sum(n for c, n in codes.items() if c.startswith("5"))
        print(f"API: {sum(codes.values())} schemathesis calls in {took:.0f} s, statuses {dict(codes)}, "
              f"5xx: {fives}, pytest rc={rc}")


if __name__ == "__main__":
    main()
