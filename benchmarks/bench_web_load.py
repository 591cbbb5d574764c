"""Dashboard server under load, loopback only, bounded in time (issue 11 goals).

Starts ``seatcast serve --workers W`` on a free 127.0.0.1 port and measures, client side:

1. ``POST /api/project`` with C concurrent keep-alive clients for S seconds: every request a
   *different* scenario (no cache hits), then a newsroom-like mix where the 8 clients share 40
   scenarios (cache hits after the first of each). Throughput and p50/p99 latency.
2. Cached ``GET /api/forecast`` and ``GET /api/meta`` while a 200,000-draw forecast runs in the
   forecast worker: p50/p99 of the cheap requests during the long one.
   The server's CPU time per request is printed too: on a busy shared machine it tells what
   an idle one would do (two cores / CPU per request).
3. A soak of mixed load (projections, cached and new forecasts, polls, seats) for T seconds,
   then the resident memory of the server processes and of the forecast worker (/proc).

    .venv/bin/python benchmarks/bench_web_load.py --workers 2 --clients 8 --seconds 20 --soak 120
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import numpy as np

MAIN = ("con", "lab", "ld", "reform", "green", "snp", "pc")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from seatcast.cli import main; main()", "serve", "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/meta", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def scenario(rng: np.random.Generator) -> dict:
    base = np.array([24.0, 30.0, 12.0, 20.0, 8.0, 2.6, 0.7])
    x = np.clip(base + rng.normal(0, 3, len(base)) * (base > 2), 0.2, None)
    return {"gb": dict(zip(MAIN, map(float, np.round(x * 96 / x.sum(), 1)), strict=True))}


def pct(ms: list[float]) -> str:
    a = np.asarray(ms)
    return f"n={len(a)} p50={np.percentile(a, 50):.1f} ms p99={np.percentile(a, 99):.1f} ms"


def hammer(url: str, clients: int, seconds: float, request) -> tuple[list[float], dict[int, int]]:
    """``clients`` threads, each with its own keep-alive client, calling ``request`` for ``seconds``."""
    times, codes, lock = [], {}, threading.Lock()
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        rng = np.random.default_rng(i)
        with httpx.Client(base_url=url, timeout=300) as c:
            while time.monotonic() < stop:
                t = time.perf_counter()
                try:
                    status = request(c, rng).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                dt = 1000 * (time.perf_counter() - t)
                with lock:
                    times.append(dt)
                    codes[status] = codes.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, codes


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (from /proc/PID/stat, clock ticks)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


def part_project(url: str, clients: int, seconds: float, server: subprocess.Popen) -> None:
    shared = [scenario(np.random.default_rng(1000 + k)) for k in range(40)]
    pids = [server.pid, *descendants(server.pid)]
    for label, make in (("distinct scenarios", lambda c, rng: c.post("/api/project", json=scenario(rng))),
                        ("40 shared scenarios", lambda c, rng: c.post(
                            "/api/project", json=shared[int(rng.integers(len(shared)))]))):
        cpu = cpu_seconds(pids)
        times, codes = hammer(url, clients, seconds, make)
        per = 1000 * (cpu_seconds(pids) - cpu) / max(1, len(times))
        print(f"POST /api/project, {clients} clients, {label}: {len(times) / seconds:.0f} req/s, "
              f"{pct(times)}, statuses {codes}; server CPU {per:.1f} ms per request", flush=True)


def part_isolation(url: str, clients: int) -> None:
    cached = {"draws": 2000, "seed": 1}
    httpx.get(f"{url}/api/forecast", params=cached, timeout=300).raise_for_status()
    long = {}

    def run_long():
        t = time.perf_counter()
        long["status"] = httpx.get(f"{url}/api/forecast", params={"draws": 200_000, "seed": 2},
                                   timeout=600).status_code
        long["s"] = time.perf_counter() - t

    th = threading.Thread(target=run_long)
    th.start()
    time.sleep(1.0)  # the worker has started the simulation
    fc, meta, lock = [], [], threading.Lock()

    def worker(i: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as c:
            while th.is_alive():
                for path, params, out in (("/api/forecast", cached, fc), ("/api/meta", None, meta)):
                    t = time.perf_counter()
                    c.get(path, params=params).raise_for_status()
                    with lock:
                        out.append(1000 * (time.perf_counter() - t))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    th.join()
    print(f"200,000-draw forecast: status {long['status']} in {long['s']:.1f} s; meanwhile, "
          f"{clients} clients: cached GET /api/forecast {pct(fc)}; GET /api/meta {pct(meta)}", flush=True)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def descendants(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids = (task / "children").read_text().split()
        for k in map(int, kids):
            out += [k, *descendants(k)]
    return out


def part_soak(url: str, clients: int, seconds: float, server: subprocess.Popen) -> None:
    def mixed(c, rng):
        u = rng.random()
        if u < 0.70:
            return c.post("/api/project", json=scenario(rng))
        if u < 0.80:
            return c.get("/api/forecast", params={"draws": 2000, "seed": 1})
        if u < 0.82:  # a new forecast: queued, or 503 when the queue is full
            return c.get("/api/forecast", params={"draws": 5_000, "seed": int(rng.integers(10**6))})
        if u < 0.93:
            as_of = random.choice(["latest", "2024-06-01", "2019-12-01"])
            return c.get("/api/polls", params={"as_of": as_of})
        return c.get("/api/seat/E14001063")

    times, codes = hammer(url, clients, seconds, mixed)
    procs = [server.pid, *descendants(server.pid)]
    sizes = {p: rss_mb(p) for p in procs}
    cmd = {p: Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")[:60].decode() for p in procs}
    print(f"soak {seconds:.0f} s, {clients} clients: {len(times)} requests, {pct(times)}, statuses {codes}")
    for p in procs:
        print(f"  pid {p}: {sizes[p]:.0f} MB  {cmd[p]}")
    print(f"  total RSS of the server and its workers: {sum(sizes.values()):.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--soak", type=float, default=120)
    ap.add_argument("--parts", default="project,isolation,soak")
    args = ap.parse_args()
    port = free_port()
    server = start(port, args.workers)
    url = f"http://127.0.0.1:{port}"
    try:
        parts = args.parts.split(",")
        if "project" in parts:
            part_project(url, args.clients, args.seconds, server)
        if "isolation" in parts:
            part_isolation(url, 4)
        if "soak" in parts:
            part_soak(url, args.clients, args.soak, server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
