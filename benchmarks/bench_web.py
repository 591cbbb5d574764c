"""Web dashboard latency: the JSON API over real HTTP, and slider-to-map in a real browser.

Run from the repository root (needs the ``[web]`` extra; part 2 needs /usr/bin/chromium):

    .venv/bin/python benchmarks/bench_web.py            # both parts
    .venv/bin/python benchmarks/bench_web.py --no-browser

1. ``POST /api/project``: a real uvicorn server (a subprocess running ``seatcast serve``) and a
   keep-alive ``httpx`` client on loopback. Each request is one deterministic projection of a
   *different* scenario (so the response cache never answers), for several baselines and models;
   a second run repeats one scenario (cache hits). Wall-clock time per request, client side.
2. Slider move -> updated map: Playwright drives chromium on the served page. Each step sets the
   Reform UK slider and dispatches ``input`` (what a drag does), then waits for the page's render
   counter and the next animation frame, i.e. until the new colours can be painted. Time is
   measured inside the page with ``performance.now()``.

Targets (issue 6): p95 <= 30 ms for part 1, <= 100 ms for part 2.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import time

import httpx
import numpy as np

MAIN = ("con", "lab", "ld", "reform", "green", "snp", "pc")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-c", f"from seatcast.web import serve; serve(port={port}, log_level='warning')"]
    proc = subprocess.Popen(cmd)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/meta", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def scenarios(n: int, seed: int = 1):
    """``n`` distinct plausible GB scenarios (shares to 0.1, adding to at most 100)."""
    rng = np.random.default_rng(seed)
    base = np.array([24.0, 30.0, 12.0, 20.0, 8.0, 2.6, 0.7])
    for _ in range(n):
        x = np.clip(base + rng.normal(0, 3, len(base)) * (base > 2), 0.2, None)
        x = np.round(x * 96 / x.sum(), 1)
        yield dict(zip(MAIN, map(float, x), strict=True))


def stats(ms: list[float]) -> str:
    a = np.asarray(ms)
    return (f"n={len(a)} p50={np.percentile(a, 50):.1f} p95={np.percentile(a, 95):.1f} "
            f"p99={np.percentile(a, 99):.1f} max={a.max():.1f} ms")


def bench_api(url: str, n: int) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        for baseline, model in (("2024", "uns"), ("2024", "stm"), ("2019", "uns"), ("2017", "tm")):
            gens = list(scenarios(n + 20, seed=hash((baseline, model)) % 2**32))
            times, size = [], 0
            for i, gb in enumerate(gens):
                t0 = time.perf_counter()
                r = client.post("/api/project", json={"gb": gb, "baseline": baseline, "model": model})
                dt = (time.perf_counter() - t0) * 1000
                assert r.status_code == 200, r.text
                size = len(r.content)
                if i >= 20:  # the first requests warm the baseline and model caches
                    times.append(dt)
            print(f"POST /api/project baseline={baseline} model={model} (distinct scenarios, "
                  f"{size / 1024:.0f} KiB): {stats(times)}")
        gb = next(scenarios(1))
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            client.post("/api/project", json={"gb": gb})
            times.append((time.perf_counter() - t0) * 1000)
        print(f"POST /api/project repeated scenario (response cache): {stats(times)}")


STEP_JS = """async (value) => {
  const el = document.getElementById('s-gb-reform');
  const done = new Promise((resolve) => document.addEventListener('seatcast:rendered',
    () => requestAnimationFrame(() => resolve(performance.now())), {once: true}));
  const t0 = performance.now();
  el.value = String(value);
  el.dispatchEvent(new Event('input', {bubbles: true}));
  const painted = await done;
  const s = window.seatcast;
  await new Promise((r) => setTimeout(r, 30));  // let the table update settle between steps
  return [painted - t0, s.renderedAt - t0, s.renderedAt - s.sentAt];
}"""


def bench_browser(url: str, n: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(url)
        page.wait_for_function("window.seatcast && window.seatcast.rev > 0", timeout=30000)
        values = [15 + (i % 40) * 0.5 for i in range(n + 10)]
        steps = np.array([page.evaluate(STEP_JS, v) for v in values][10:])
        print(f"slider input -> map updated and painted (chromium {browser.version}): {stats(steps[:, 0])}")
        print(f"  of which input -> DOM updated: {stats(steps[:, 1])}")
        print(f"  of which request sent -> DOM updated: {stats(steps[:, 2])}")
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="timed requests / slider steps per case")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    port = free_port()
    server = start_server(port)
    try:
        bench_api(f"http://127.0.0.1:{port}", args.n)
        if not args.no_browser and os.path.exists(CHROMIUM):
            bench_browser(f"http://127.0.0.1:{port}", args.n)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
