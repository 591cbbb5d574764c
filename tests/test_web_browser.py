"""End to end in a real browser: Playwright for Python driving Debian's chromium.

A real uvicorn server runs on a free loopback port in a thread. No browser is downloaded:
the tests use ``/usr/bin/chromium`` (``apt-get install -y chromium``) and are skipped, with
that reason, when it is absent.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} not found: install it with 'apt-get install -y chromium'",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the [web] extra is not installed")

from seatcast.web import create_app  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RENDERED = "window.seatcast && window.seatcast.rev > 0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    # Playwright evaluates string predicates with eval, which the page's CSP forbids (as it should):
    # the tests bypass it; test_page_runs_under_its_own_csp checks the page itself without.
    ctx = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True,
                              bypass_csp=True)
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, errors


def open_page(page, url):
    page.goto(url)
    page.wait_for_function(RENDERED, timeout=20000)


def fills(page) -> dict:
    return page.evaluate("Object.fromEntries([...document.querySelectorAll('#hexes .hex')]"
                         ".map(h => [h.dataset.code, h.getAttribute('fill')]))")


def seats(page) -> dict:
    return page.evaluate("Object.fromEntries([...document.querySelectorAll('#seat-list li')]"
                         ".map(li => [li.dataset.party, +li.querySelector('.n').textContent]))")


def gb_total(page) -> float:
    """GB shares in the page's state, which the sliders show rounded to 0.1 (percent)."""
    return page.evaluate("Object.values(window.seatcast.state.shares.gb).reduce((a, b) => a + b, 0)") / 1000


def move(page, selector, value):
    rev = page.evaluate("window.seatcast.rev")
    page.fill(selector, str(value))
    page.wait_for_function(f"window.seatcast.rev > {rev} && !window.seatcast.state.inflight")


def test_moving_a_slider_changes_seat_totals_and_the_map(page, server):
    open_page(page, server)
    assert len(fills(page)) == 650
    before_fills, before = fills(page), seats(page)
    assert sum(before.values()) == 650
    move(page, "#s-gb-reform", 34)
    after_fills, after = fills(page), seats(page)
    assert after["reform"] > before["reform"] + 50
    assert sum(after.values()) == 650
    reform_colour = page.evaluate("window.seatcast.state.party.reform.colour")
    newly = [c for c in after_fills if after_fills[c] != before_fills[c]]
    assert newly and sum(after_fills[c] == reform_colour for c in newly) > 50
    assert gb_total(page) == 100.0
    assert float(page.input_value("#s-gb-reform")) == pytest.approx(34.0)


def test_keyboard_moves_a_slider_and_keeps_the_total_at_100(page, server):
    open_page(page, server)
    start = float(page.input_value("#s-gb-lab"))
    page.focus("#s-gb-lab")
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("!window.seatcast.state.inflight && !window.seatcast.state.pending")
    assert float(page.input_value("#s-gb-lab")) == pytest.approx(start + 2.0, abs=0.11)
    assert gb_total(page) == 100.0


def test_clicking_a_hex_opens_the_seat_card(page, server):
    open_page(page, server)
    page.click('#hexes [data-code="E14001063"]')  # Aldershot
    page.wait_for_selector("#card.open #card-body h3")
    assert page.text_content("#card-h") == "Aldershot"
    body = page.text_content("#card-body")
    assert "2024 result" in body and "Projected shares" in body
    assert "Swing needed to flip" in body and "Win probability" in body
    assert "Labour" in body
    assert "seat=E14001063" in page.url
    page.keyboard.press("Escape")
    assert "seat=" not in page.url


def test_seat_card_explains_and_removing_the_independent_flips_islington_north(page, server):
    # A real swing: at the dashboard's start (the baseline's own shares) no personal vote applies.
    open_page(page, f"{server}/?gb=lab:30,reform:28,con:18,ld:12,green:9,snp:2.5,pc:0.5")
    page.click('#hexes [data-code="E14001305"]')  # Islington North, Jeremy Corbyn (ind) 2024
    page.wait_for_selector("#card.open #ovr-input")
    body = page.text_content("#card-body")
    assert "Why" in body and "personal vote: Jeremy Corbyn" in body
    assert "Independent hold" in body
    page.fill("#ovr-input", "-ind")
    page.click("#ovr-form button")
    page.wait_for_function("window.seatcast.state.rows['E14001305'].winner !== 'ind'")
    page.wait_for_selector("#card-body .why >> text=removed by the user")
    assert "Islington North: ind does not stand" in page.text_content("#notices")
    page.fill("#ovr-input", "snp=10")  # the SNP does not stand in England: rejected, then dropped
    page.click("#ovr-form button")
    page.wait_for_function("document.getElementById('ovr-error').textContent.length > 0")
    assert "cannot stand in England" in page.text_content("#ovr-error")  # next to the input
    assert "E14001305" not in page.evaluate("Object.keys(window.seatcast.state.overrides)")


def test_a_shared_link_restores_the_scenario(page, server, browser):
    import httpx

    url = (f"{server}/?baseline=2017&model=stm&gb=con:38,lab:40,ld:8,reform:6,green:3,snp:3,pc:0.5"
           "&scotland=con:22,lab:30,ld:7,reform:2,green:1,snp:36&seat=S14000051")
    open_page(page, url)
    assert page.input_value("#baseline") == "2017" and page.input_value("#model") == "stm"
    assert float(page.input_value("#s-gb-lab")) == pytest.approx(40.0)
    assert float(page.input_value("#s-scotland-snp")) == pytest.approx(36.0)
    assert page.is_checked("#use-scotland")
    page.wait_for_selector("#card.open #card-body h3")
    shown = page.text_content("#verdict")
    api = httpx.post(f"{server}/api/project", json={
        "gb": {"con": 38, "lab": 40, "ld": 8, "reform": 6, "green": 3, "snp": 3, "pc": 0.5},
        "scotland": {"con": 22, "lab": 30, "ld": 7, "reform": 2, "green": 1, "snp": 36},
        "baseline": "2017", "model": "stm"}).json()
    assert shown == api["parliament"]["verdict"]
    # A view changed in the browser round-trips through its own URL.
    move(page, "#s-gb-con", 41.5)
    shared, verdict, hexes = page.url, page.text_content("#verdict"), fills(page)
    other = browser.new_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    open_page(other, shared)
    assert other.text_content("#verdict") == verdict
    assert fills(other) == hexes
    other.close()


def test_changes_table_sorts_and_downloads_as_csv(page, server):
    open_page(page, f"{server}/?gb=lab:30,reform:28,con:18,ld:12,green:9,snp:2.5,pc:0.5")
    page.wait_for_function("document.querySelectorAll('#changes-table tbody tr').length > 10")
    n = page.locator("#changes-table tbody tr").count()
    page.click('#changes-table button[data-key="swing"]')
    values = [float(v) for v in page.locator("#changes-table tbody td.num").all_text_contents()]
    assert values == sorted(values)
    with page.expect_download() as dl:
        page.click("#csv")
    lines = Path(dl.value.path()).read_text().strip().splitlines()
    assert lines[0].startswith("ons_code,constituency") and len(lines) == n + 1


def test_forecast_panel_and_shading(page, server):
    open_page(page, server)
    page.click("#run-forecast")
    page.wait_for_selector("#forecast-body table.intervals", timeout=60000)
    assert "Hung parliament" in page.text_content("#forecast-body")
    assert page.locator("#hist rect").count() > 5
    opacities = page.evaluate("[...document.querySelectorAll('#hexes .hex')]"
                              ".map(h => +h.getAttribute('fill-opacity'))")
    assert min(opacities) < 0.9 and max(opacities) <= 1.0


def test_screenshot_of_the_dashboard(page, server, tmp_path):
    open_page(page, f"{server}/?gb=lab:30,reform:28,con:18,ld:12,green:9,snp:2.5,pc:0.5&seat=E14001063")
    page.wait_for_selector("#card.open #card-body h3")
    page.wait_for_function("document.querySelectorAll('#poll-chart polyline').length > 0", timeout=20000)
    page.set_viewport_size({"width": 1500, "height": 1160})
    page.evaluate("document.activeElement.blur()")
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # the README's copy is made by benchmarks/screenshot.py


def test_page_runs_under_its_own_csp(browser, server):
    """No bypass here: the dashboard draws its map with the Content-Security-Policy enforced."""
    pg = browser.new_page(viewport={"width": 1200, "height": 900})
    problems = []
    pg.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.goto(server)
    pg.locator("#hexes .hex").nth(649).wait_for(state="attached", timeout=20000)
    assert pg.locator("#hexes .hex").count() == 650
    pg.close()
    assert not problems, problems


def test_forecast_panel_uses_the_seat_overrides(page, server):
    open_page(page, server)
    page.click('#hexes [data-code="E14001305"]')  # Islington North
    page.wait_for_selector("#card.open #ovr-input")
    page.fill("#ovr-input", "-ind")
    page.click("#ovr-form button")
    page.wait_for_function("window.seatcast.state.rows['E14001305'].winner !== 'ind'")
    with page.expect_response(lambda r: "/api/forecast" in r.url) as resp:
        page.click("#run-forecast")
    assert "seat=E14001305%3A-ind" in resp.value.url


def test_use_poll_average_gives_the_clis_poll_projection(page, server):
    """'Use poll average' is `seatcast project --polls latest` (issue 14's contract): the page sends
    polls: "latest" rather than slider shares, which would drop Restore Britain into Others and
    squeeze the independents; moving a slider then goes back to slider shares."""
    from seatcast import defaults
    from seatcast.polls import scenario_from_polls
    from seatcast.swing import project

    open_page(page, server)
    page.wait_for_selector("#use-polls:not([disabled])", timeout=20000)
    rev = page.evaluate("window.seatcast.rev")
    page.click("#use-polls")
    page.wait_for_function(f"window.seatcast.rev > {rev} && !window.seatcast.state.inflight")
    cli = project(scenario_from_polls("latest"), defaults.BASELINE, defaults.MODEL).parliament.seats
    assert seats(page) == {p: n for p, n in cli.items() if n > 0}
    assert "polls=latest" in page.url
    polls = page.evaluate("window.seatcast.state.polls")
    source = page.text_content("#source")
    assert f"Poll average as of {polls['as_of']} (newest poll {polls['window'][1]})" in source
    assert f"baseline {defaults.BASELINE}" in source
    move(page, "#s-gb-con", 25)
    assert "polls=latest" not in page.url and seats(page)["con"] > cli["con"]


def test_a_phone_sized_page_has_no_sideways_scroll_and_tables_scroll_in_place(browser, server):
    """375 x 667 px (a small phone): nothing is wider than the screen; wide tables scroll inside their
    box; the poll chart is drawn at the screen's width; the map fits; a tapped hex shows its card."""
    ctx = browser.new_context(viewport={"width": 375, "height": 667}, bypass_csp=True)
    pg = ctx.new_page()
    open_page(pg, f"{server}/?seat=E14001305")
    pg.wait_for_function("document.querySelectorAll('#poll-chart polyline').length > 0", timeout=20000)
    pg.wait_for_selector("#targets-table tbody tr")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    wrap = pg.evaluate("(() => { const w = document.querySelector('#targets .table-wrap');"
                       " return [w.scrollWidth, w.clientWidth, getComputedStyle(w).overflowX]; })()")
    assert wrap[0] > wrap[1] and wrap[2] == "auto"  # the targets table scrolls within its box
    assert pg.evaluate("document.getElementById('map').getBoundingClientRect().right") <= 375
    assert pg.evaluate("document.getElementById('poll-chart').viewBox.baseVal.width") < 375
    pg.click('#hexes [data-code="S14000051"]')  # a tap on the map shows its card, below the map here
    pg.wait_for_function("document.getElementById('card-h').textContent === 'Orkney and Shetland'"
                         " && document.activeElement.id === 'card-close'")  # the card is drawn
    assert -1 <= pg.evaluate("document.getElementById('card').getBoundingClientRect().top") < 667
    pg.click("#run-forecast")  # the forecast's interval table too
    pg.wait_for_selector("#forecast-body table.intervals", timeout=60000)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    ctx.close()


def test_seat_card_and_tooltip_order_parties_by_share_and_name_them(page, server):
    """Islington North 2024: Corbyn (ind) 49.3 over Labour 34.4. The projection's JSON keeps shares in
    code order (con, green, ind, lab): the card once read the runner-up from that order ("from
    Independent to Green"). Every label shows the party's name, never its code (Restore Britain)."""
    open_page(page, f"{server}/?seat=E14001305")
    page.wait_for_selector("#card.open .swing")
    assert "from Independent to Labour" in page.text_content("#card .swing")
    assert "Majority 7,247 votes, 14.8 points over Labour." in page.text_content("#card")  # Corbyn's majority
    page.hover('#hexes [data-code="E14001305"]')
    assert "Independent 49.3 · Labour 34.4" in page.text_content("#tooltip")
    page.wait_for_function("document.querySelectorAll('#poll-chart polyline').length > 0", timeout=20000)
    assert "Restore Britain" in page.text_content("#poll-chart")
    assert page.locator("#s-gb-restore_britain").count() == 1
    assert "RESTORE" not in page.text_content("body") and "restore_britain" not in page.inner_text("body")


def override_islington_north(page, server, text):
    """Open Islington North's seat card and apply ``text`` in its candidates box."""
    open_page(page, f"{server}/?seat=E14001305")
    page.wait_for_selector("#card.open #ovr-input")
    page.fill("#ovr-input", text)
    page.click("#ovr-form button")


def test_a_bad_candidate_override_is_explained_next_to_its_input(page, server):
    override_islington_north(page, server, "ind=140")
    page.wait_for_function("document.getElementById('ovr-error').textContent.length > 0")
    assert "share 140 is outside 0-100" in page.text_content("#ovr-error")
    assert page.get_attribute("#ovr-input", "aria-invalid") == "true"
    assert page.input_value("#ovr-input") == "ind=140"  # kept, to be corrected
    # A link whose override the server refuses: said, dropped, and the page still projects.
    open_page(page, f"{server}/?cand=E14001063:snp=10")
    page.wait_for_function("document.getElementById('notices').textContent.includes('cannot stand')")
    assert "not applied" in page.text_content("#notices")
    assert page.evaluate("Object.keys(window.seatcast.state.overrides).length") == 0


def test_bad_shares_in_a_link_or_a_field_are_said_not_silently_changed(page, server):
    """A link with an unknown model and a share of 140, then 140 typed into Labour's box: each is a
    message naming the field and the allowed values; the shares on screen still add up to 100."""
    open_page(page, f"{server}/?model=zzz&gb=lab:140,con:30")
    notices = page.text_content("#notices")
    assert 'model: unknown value "zzz" (allowed: uns, prop, tm, stm' in notices  # + tac, learned if installed
    assert 'gb.lab: share "140" is not a number from 0 to 100' in notices
    labour = page.input_value('#sliders-gb input.num[data-party="lab"]')
    page.fill('#sliders-gb input.num[data-party="lab"]', "140")
    page.press('#sliders-gb input.num[data-party="lab"]', "Enter")
    page.wait_for_function("document.getElementById('notices').classList.contains('error')")
    assert "Labour share 140 is outside 0-100" in page.text_content("#notices")
    assert page.input_value('#sliders-gb input.num[data-party="lab"]') == labour
    assert gb_total(page) == pytest.approx(100.0)


def test_the_open_seat_card_follows_its_seat_to_the_2010_boundaries(page, server):
    """Islington North is E14001305 on the 2024 boundaries and E14000763 on the 2010 ones."""
    open_page(page, f"{server}/?seat=E14001305")
    page.wait_for_selector("#card.open .swing")
    page.select_option("#baseline", "2010")
    page.wait_for_function("window.seatcast.state.seat === 'E14000763'")
    page.wait_for_function("document.querySelector('#card-body').textContent.includes('2010 result')")
    assert page.text_content("#card-h") == "Islington North"
    assert "no seat" not in page.text_content("#card-body")


def test_a_shared_link_keeps_the_candidate_overrides(page, server, browser):
    """Islington North with the independent removed, copied as a link: the colleague who opens it sees
    the same seat go to Labour, not the baseline's independent hold."""
    override_islington_north(page, server, "-ind")
    page.wait_for_function("window.seatcast.state.rows['E14001305'].winner === 'lab'")
    assert "cand=E14001305%3A-ind" in page.url
    other = browser.new_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    open_page(other, page.url)
    assert other.evaluate("window.seatcast.state.rows['E14001305'].winner") == "lab"
    assert other.text_content("#verdict") == page.text_content("#verdict")
    other.close()


def test_the_forecast_uses_the_swing_model_chosen_on_the_page(page, server):
    """Strong transition chosen above, then "Run forecast": the forecast of that model is asked for
    (answered here by a stub, so no simulation runs), not silently the default model's."""
    asked = []

    def stub(route):
        asked.append(route.request.url)
        route.fulfill(status=503, content_type="application/json", body='{"detail": "forecast: stub"}')

    page.route("**/api/forecast*", stub)
    open_page(page, server)
    page.select_option("#model", "stm")
    page.click("#run-forecast")
    page.wait_for_function("document.getElementById('forecast-status').textContent.includes('stub')")
    assert len(asked) == 1 and "model=stm" in asked[0]


def test_find_a_seat_is_as_forgiving_as_the_cli_and_says_when_it_cannot_choose(page, server):
    open_page(page, server)
    page.fill("#find", "islington n")
    page.press("#find", "Enter")
    page.wait_for_function("document.getElementById('card-h').textContent === 'Islington North'")
    page.fill("#find", "york")
    page.press("#find", "Enter")
    page.wait_for_function("document.getElementById('find-msg').textContent.length > 0")
    assert "York Central, York Outer" in page.text_content("#find-msg")
    assert page.get_attribute("#find", "aria-invalid") == "true"
