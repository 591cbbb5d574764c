"""The dashboard server's guards: host check, body limit, security headers, strict input,
errors that name a field, and bounded forecast work (issue 11)."""

from __future__ import annotations

import time
import warnings

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from seatcast.web import create_app, jobs
from seatcast.web.guard import MAX_BODY


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(), base_url="http://127.0.0.1", raise_server_exceptions=False)


def raw(client, body: bytes, **headers):
    return client.post("/api/project", content=body, headers={"content-type": "application/json", **headers})


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"])
def test_loopback_names_are_served(client, host):
    assert client.get("/api/meta", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""])
def test_other_host_names_are_refused_against_dns_rebinding(client, host):
    r = client.get("/api/meta", headers={"host": host})
    assert r.status_code == 400 and r.json()["field"] == "host"


def test_a_host_given_to_serve_is_allowed():
    c = TestClient(create_app(allowed_hosts=["127.0.0.1", "dash.newsroom.example"]),
                   base_url="http://dash.newsroom.example")
    assert c.get("/api/meta").status_code == 200


def test_security_headers_on_pages_api_and_errors(client):
    for r in (client.get("/"), client.get("/api/meta"), client.get("/api/seat/nope"),
              client.post("/api/project", json={"gb": {"tory": 3}})):
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_body_over_the_limit_is_413_by_length_and_by_stream(client):
    r = raw(client, b" " * (MAX_BODY + 1))
    assert r.status_code == 413 and r.json()["field"] == "body"

    def chunks():  # no Content-Length: counted as it streams in
        for _ in range(MAX_BODY // 1024 + 2):
            yield b" " * 1024

    r = client.post("/api/project", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_lone_surrogate_key_is_a_422_that_can_be_encoded(client):
    r = raw(client, b'{"gb": {"\\ud800": 30}}')
    assert r.status_code == 422 and r.json()["field"].startswith("gb")
    r = raw(client, b'{"gb": {"lab": 30}, "model": "\\ud800"}')
    assert r.status_code == 422 and r.json()["field"] == "model"


def test_json_syntax_error_names_the_body_not_an_offset(client):
    r = raw(client, b'{"gb": {"lab": 30,}}')
    out = r.json()
    assert r.status_code == 422 and out["field"] == "body"
    assert "character 18" in out["detail"]


@pytest.mark.parametrize("share", ['"30"', "true", "false", "null", "[30]"])
def test_shares_must_be_json_numbers(client, share):
    r = raw(client, f'{{"gb": {{"lab": {share}}}}}'.encode())
    assert r.status_code == 422 and r.json()["field"] == "gb.lab"


@pytest.mark.parametrize(("body", "field"), [
    (b'{"gb": {"lab": 30, "lab": 40}}', "lab"),
    (b'{"gb": {"lab": 30}, "model": "uns", "model": "tm"}', "model")])
def test_a_repeated_json_key_is_refused_not_last_wins(client, body, field):
    r = raw(client, body)
    out = r.json()
    assert r.status_code == 422 and out["field"] == field and "more than once" in out["detail"]


def test_a_json_integer_is_a_share(client):
    assert raw(client, b'{"gb": {"lab": 30, "con": 25}}').status_code == 200


@pytest.mark.parametrize(("params", "field"), [
    ({"model": "foo"}, "model"), ({"baseline": "1066"}, "baseline"), ({"draws": 10}, "draws"),
    ({"draws": 10**9}, "draws"), ({"seed": -1}, "seed"), ({"model": "foo", "draws": 400}, "model")])
def test_forecast_query_is_refused_before_any_work(client, params, field):
    before = jobs.FORECASTS.started
    t = time.perf_counter()
    r = client.get("/api/forecast", params=params)
    assert r.status_code == 422 and r.json()["field"] == field
    assert jobs.FORECASTS.started == before
    assert time.perf_counter() - t < 5  # (no timing claim: a forecast would take far longer)


def test_full_queue_answers_busy_with_retry_after(client, monkeypatch):
    async def full(key):
        raise jobs.Busy("forecast: queue full")

    monkeypatch.setattr(jobs.FORECASTS, "get", full)
    r = client.get("/api/forecast", params={"draws": 400, "seed": 99})
    assert r.status_code == 503 and r.headers["retry-after"] == str(jobs.RETRY_AFTER)


def test_executor_bounds_the_queue_and_shares_identical_runs():
    pool = jobs.ForecastJobs(workers=1, queue=1, runner=time.sleep)
    try:
        a = pool.submit(3)
        assert pool.submit(3) is a  # the same inputs share one run
        pool.submit(2)  # queued
        with pytest.raises(jobs.Busy):
            pool.submit(1)
        assert pool.started == 2
    finally:
        pool.shutdown()


def test_an_idle_worker_process_is_stopped_and_a_new_one_starts_on_demand(monkeypatch):
    """The worker's memory goes back to the system once it is idle (and no request hangs after)."""
    monkeypatch.setattr(jobs, "IDLE_SECONDS", 0.3)
    pool = jobs.ForecastJobs(workers=1, queue=4, runner=time.sleep)
    try:
        for _ in range(6):  # more than one worker's worth of tasks in a row
            assert pool.submit(0.01).result(timeout=60) is None
        deadline = time.monotonic() + 30
        while pool._pool is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool._pool is None
        assert pool.submit(0.02).result(timeout=60) is None  # a fresh worker
    finally:
        pool.shutdown()


WORKER_PARENT = """
import sys, time
from seatcast.web import jobs
if __name__ == "__main__":
    pool = jobs.ForecastJobs(workers=1, queue=1, runner=time.sleep)
    pool.submit(0.01).result(timeout=60)
    print(*pool._pool._processes, flush=True)
    time.sleep(600)
"""


def test_the_worker_process_exits_when_its_server_process_is_killed(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    script = tmp_path / "parent.py"
    script.write_text(WORKER_PARENT)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and os.path.exists(f"/proc/{worker}"):
            with open(f"/proc/{worker}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":  # exited, not yet reaped
                    break
            time.sleep(0.1)
        else:
            assert not os.path.exists(f"/proc/{worker}"), "the worker outlived its server process"
    finally:
        parent.kill()


def test_forecast_is_computed_once_then_served_from_the_cache(client):
    params = {"draws": 300, "seed": 11}
    first = client.get("/api/forecast", params=params)
    started = jobs.FORECASTS.started
    again = client.get("/api/forecast", params=params)
    assert first.status_code == 200 and again.content == first.content
    assert jobs.FORECASTS.started == started
    card = client.get("/api/seat/E14001063", params=params).json()
    assert card["win_prob"] == first.json()["seats"]["E14001063"]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_nothing_from_other_origins(client, page):
    r = client.get(page)
    assert r.status_code == 200
    assert "http://" not in r.text and "https://" not in r.text
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_server_processes_share_finished_forecasts_through_a_folder(tmp_path):
    a = jobs.ForecastJobs(folder=str(tmp_path))
    b = jobs.ForecastJobs(folder=str(tmp_path))
    key = ("2024", "tm", 300, 5)
    a._store(key, b'{"seats": {}}')
    assert b.cached(key) == (b'{"seats": {}}', {"seats": {}})
    assert [p.suffix for p in tmp_path.iterdir()] == [".json"]  # no temp files left


def test_serve_on_a_port_in_use_is_a_one_line_error(runner):
    """uvicorn logged four lines and exited 3; the CLI now says which port and exits 2."""
    import socket

    from seatcast.cli import app

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = runner.invoke(app, ["serve", "--port", str(port)])
    assert r.exit_code == 2 and r.output.startswith(f"error port: cannot listen on 127.0.0.1:{port}")
    assert len(r.output.strip().splitlines()) == 1
