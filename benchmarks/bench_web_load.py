"""Dashboard server under load, loopback only, bounded in time (issue 11 goals).

Starts ``seatcast serve --workers W`` on a free 127.0.0.1 port and measures, client side:

1. ``POST /api/project`` with C concurrent keep-alive connections for S seconds: every request a
   *different* scenario (no cache hits), then a newsroom-like mix where the clients share 40
   scenarios (cache hits after the first of each). Throughput and p50/p99 latency.
2. Cached ``GET /api/forecast`` and ``GET /api/meta`` while a 200,000-draw forecast runs in the
   forecast worker: p50/p99 of the cheap requests during the long one.
3. A soak of mixed load (projections, cached and new forecasts, polls, seats) for T seconds,
   then the resident memory of the server processes and of the forecast worker (/proc).

The load generator shares the machine's cores with the server, so it is as light as it can be:
one asyncio event loop, raw HTTP/1.1 on keep-alive sockets, every request's bytes made before the
clock starts. The CPU time of the server processes (and of the generator) per request is printed
beside the throughput: it depends much less on other users of the machine than wall time does.
The last lines are the rows of the table in docs/performance.md, with the load average.

    .venv/bin/python benchmarks/bench_web_load.py --workers 2 --clients 8 --seconds 15 --soak 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

MAIN = ("con", "lab", "ld", "reform", "green", "snp", "pc")
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from seatcast.cli import main; main()", "serve", "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if asyncio.run(one(port, get("/api/meta")))[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


# ---- raw HTTP/1.1 ----------------------------------------------------------------------------

def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()


def post(path: str, doc: dict) -> bytes:
    body = json.dumps(doc).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def exchange(reader, writer, request: bytes) -> int:
    """Send one request on a keep-alive connection; read the whole response; return its status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def one(port: int, request: bytes, timeout: float = 600) -> tuple[int, float]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        t = time.perf_counter()
        status = await asyncio.wait_for(exchange(reader, writer, request), timeout)
        return status, time.perf_counter() - t
    finally:
        writer.close()


async def drive(port: int, clients: int, until, requests) -> tuple[list[float], dict]:
    """``clients`` keep-alive connections sending ``next(requests)`` while ``until()`` is true."""
    times, codes = [], {}

    async def client() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while until():
                t = time.perf_counter()
                try:
                    status = await exchange(reader, writer, next(requests))
                except (OSError, asyncio.IncompleteReadError) as exc:
                    status = type(exc).__name__
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
                times.append(1000 * (time.perf_counter() - t))
                codes[status] = codes.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return times, codes


def hammer(port: int, clients: int, seconds: float, requests) -> tuple[list[float], dict]:
    stop = time.monotonic() + seconds
    return asyncio.run(drive(port, clients, lambda: time.monotonic() < stop, requests))


# ---- measurements ----------------------------------------------------------------------------

def scenario(rng: np.random.Generator) -> dict:
    base = np.array([24.0, 30.0, 12.0, 20.0, 8.0, 2.6, 0.7])
    x = np.clip(base + rng.normal(0, 3, len(base)) * (base > 2), 0.2, None)
    return {"gb": dict(zip(MAIN, map(float, np.round(x * 96 / x.sum(), 1)), strict=True))}


def pct(ms: list[float]) -> str:
    a = np.asarray(ms)
    return f"n={len(a)} p50={np.percentile(a, 50):.1f} ms p99={np.percentile(a, 99):.1f} ms"


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (from /proc/PID/stat, clock ticks)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def descendants(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids = (task / "children").read_text().split()
        for k in map(int, kids):
            out += [k, *descendants(k)]
    return out


def distinct_requests(n: int):
    """``n`` different projection requests, made before the clock starts."""
    rng = np.random.default_rng(12345)
    return iter([post("/api/project", scenario(rng)) for _ in range(n)])


def part_project(port: int, clients: int, seconds: float, server: subprocess.Popen) -> dict:
    shared = [post("/api/project", scenario(np.random.default_rng(1000 + k))) for k in range(40)]
    pick = np.random.default_rng(7).integers(len(shared), size=2_000_000)
    results = {}
    for label, requests in (("distinct scenarios", distinct_requests(int(seconds * 1000))),
                            ("40 shared scenarios", (shared[i] for i in pick))):
        pids = [server.pid, *descendants(server.pid)]
        cpu, own = cpu_seconds(pids), time.process_time()
        times, codes = hammer(port, clients, seconds, requests)
        n = max(1, len(times))
        per = 1000 * (cpu_seconds(pids) - cpu) / n
        gen = 1000 * (time.process_time() - own) / n
        rate = len(times) / seconds
        print(f"POST /api/project, {clients} clients, {label}: {rate:.0f} req/s, {pct(times)}, "
              f"statuses {codes}; server CPU {per:.1f} ms per request (load generator {gen:.2f} ms)",
              flush=True)
        results[label] = (rate, float(np.percentile(times, 99)), per)
    return results


def part_isolation(port: int, clients: int) -> dict:
    cached = get("/api/forecast?draws=2000&seed=1")
    status, _ = asyncio.run(one(port, cached))
    assert status == 200, status
    long = {}

    def run_long():
        long["status"], long["s"] = asyncio.run(one(port, get("/api/forecast?draws=200000&seed=2")))

    th = threading.Thread(target=run_long)
    th.start()
    time.sleep(1.0)  # the worker has started the simulation
    kinds = (cached, get("/api/meta"))

    async def run():
        out = {0: [], 1: []}

        async def client():
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                while th.is_alive():
                    for k, request in enumerate(kinds):
                        t = time.perf_counter()
                        assert await exchange(reader, writer, request) == 200
                        out[k].append(1000 * (time.perf_counter() - t))
            finally:
                writer.close()

        await asyncio.gather(*(client() for _ in range(clients)))
        return out

    out = asyncio.run(run())
    th.join()
    fc, me = out[0], out[1]
    print(f"200,000-draw forecast: status {long['status']} in {long['s']:.1f} s; meanwhile, "
          f"{clients} clients: cached GET /api/forecast {pct(fc)}; GET /api/meta {pct(me)}", flush=True)
    return {"p50": float(np.percentile(fc, 50)), "p99": float(np.percentile(fc, 99)), "long": long["s"]}


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def mixed_requests():
    """The soak's mix: 70% new projections, 10% cached forecast, 2% new 5,000-draw forecasts
    (queued, or 503 when the queue is full), 11% polls, 7% seat cards."""
    rng = np.random.default_rng(99)
    cached = get("/api/forecast?draws=2000&seed=1")
    polls = [get(f"/api/polls?as_of={a}") for a in ("latest", "2024-06-01", "2019-12-01")]
    seat = get("/api/seat/E14001063")
    while True:
        u = rng.random()
        if u < 0.70:
            yield post("/api/project", scenario(rng))
        elif u < 0.80:
            yield cached
        elif u < 0.82:
            yield get(f"/api/forecast?draws=5000&seed={int(rng.integers(10**6))}")
        elif u < 0.93:
            yield polls[int(rng.integers(3))]
        else:
            yield seat


def part_soak(port: int, clients: int, seconds: float, server: subprocess.Popen) -> float:
    times, codes = hammer(port, clients, seconds, mixed_requests())
    procs = [server.pid, *descendants(server.pid)]
    sizes = {p: rss_mb(p) for p in procs}
    cmd = {p: Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")[:60].decode() for p in procs
           if Path(f"/proc/{p}").exists()}
    print(f"soak {seconds:.0f} s, {clients} clients: {len(times)} requests, {pct(times)}, statuses {codes}")
    for p in procs:
        print(f"  pid {p}: {sizes[p]:.0f} MB  {cmd.get(p, '')}")
    total = sum(sizes.values())
    print(f"  total RSS of the server and its workers: {total:.0f} MB", flush=True)
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--soak", type=float, default=60)
    ap.add_argument("--parts", default="project,isolation,soak")
    args = ap.parse_args()
    port = free_port()
    load = os.getloadavg()[0]
    print(f"load average before: {load:.2f}", flush=True)
    server = start(port, args.workers)
    res, iso, mem = {}, None, None
    try:
        parts = args.parts.split(",")
        if "project" in parts:
            res = part_project(port, args.clients, args.seconds, server)
        if "isolation" in parts:
            iso = part_isolation(port, 4)
        if "soak" in parts:
            mem = part_soak(port, args.clients, args.soak, server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    after = os.getloadavg()[0]
    print(f"load average after: {after:.2f}\n\nrows for docs/performance.md "
          f"(load average {load:.1f} -> {after:.1f}):")
    cmd = (f"`.venv/bin/python benchmarks/bench_web_load.py --workers {args.workers} "
           f"--clients {args.clients} --seconds {args.seconds:g} --soak {args.soak:g}`")
    if res:
        d, s = res["distinct scenarios"], res["40 shared scenarios"]
        print(f"| `POST /api/project`, {args.clients} clients, distinct scenarios / 40 shared scenarios "
              f"| {cmd} | {d[0]:.0f} req/s, p99 {d[1]:,.0f} ms ({d[2]:.1f} ms server CPU a request) / "
              f"{s[0]:.0f} req/s, p99 {s[1]:,.0f} ms | >= 150 req/s, p99 <= 150 ms |")
    if iso:
        print(f"| cached `GET /api/forecast` while a 200,000-draw forecast runs | same | "
              f"p50 {iso['p50']:.1f} ms, p99 {iso['p99']:.1f} ms (the forecast took {iso['long']:.1f} s) "
              "| p99 <= 20 ms |")
    if mem is not None:
        print(f"| server memory after a {args.soak:g} s mixed soak, `--workers {args.workers}` | same | "
              f"{mem:.0f} MB (server processes and forecast workers) | <= 600 MB |")


if __name__ == "__main__":
    main()
