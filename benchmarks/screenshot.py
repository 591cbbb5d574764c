"""Make the README's dashboard screenshot (docs/screenshots/dashboard.png).

    .venv/bin/python benchmarks/screenshot.py [--out docs/screenshots/dashboard.png]

Starts the dashboard on a free loopback port, opens it in Debian's chromium through Playwright
(no browser download), waits for the map, the seat card and the poll chart, and saves a PNG.
The test suite checks the same page renders but never writes tracked files.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "/?gb=lab:30,reform:28,con:18,ld:12,green:9,snp:2.5,pc:0.5&seat=E14001063"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from seatcast import _io
    from seatcast.web import create_app

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "dashboard.png"))
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    out = Path(ap.parse_args().out)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=ap.parse_args().chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1160},
                                    bypass_csp=True)  # the waits below are evaluated scripts
            page.goto(f"http://127.0.0.1:{port}{URL}")
            page.wait_for_function("window.seatcast && window.seatcast.rev > 0", timeout=30000)
            page.wait_for_selector("#card.open #card-body h3")
            page.wait_for_function("document.querySelectorAll('#poll-chart polyline').length > 0",
                                   timeout=30000)
            page.evaluate("document.activeElement.blur()")
            with _io.atomic_path(out, suffix=".png") as tmp:
                page.screenshot(path=str(tmp))
            browser.close()
    finally:
        server.should_exit = True
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
