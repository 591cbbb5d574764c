"""Schemathesis over the dashboard's OpenAPI schema, in process (ASGI, no network): valid and
invalid requests for every operation, and never a 5xx.

The forecast operation is real up to the simulation: its worker is replaced by one canned
forecast, so that a generated ``draws=187345`` costs nothing (the bounded pool itself is tested
in test_web_hardening.py). ``SEATCAST_SCHEMA_EXAMPLES`` sets the examples per operation and mode
(CI: 25; ``benchmarks/fuzz.py`` runs the big count), ``SEATCAST_FUZZ_LOG`` logs one line per call.
"""

from __future__ import annotations

import os
from concurrent.futures import Future

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from seatcast.web import create_app, jobs  # noqa: E402
from seatcast.web.guard import LOOPBACK  # noqa: E402

EXAMPLES = int(os.environ.get("SEATCAST_SCHEMA_EXAMPLES", "25"))
LOG = os.environ.get("SEATCAST_FUZZ_LOG")
APP = create_app(allowed_hosts=[*LOOPBACK, "testserver", "localhost"])
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(max_examples=EXAMPLES)


@pytest.fixture(scope="module", autouse=True)
def canned_forecasts():
    """Every forecast the fuzzer asks for is answered with one small real forecast."""
    body = jobs.compute(("2024", "tm", 300, 1))
    real = jobs.FORECASTS.submit

    def submit(key):
        fut = Future()
        fut.set_result(body)
        jobs.FORECASTS.started += 1
        return fut

    jobs.FORECASTS.submit = submit
    yield
    jobs.FORECASTS.submit = real
    jobs.FORECASTS._cache.clear()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=not LOG,
          suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case):
    response = case.call_and_validate(checks=[not_a_server_error], timeout=120)  # a busy machine
    if LOG:
        with open(LOG, "a") as fh:
            fh.write(f"{response.status_code}\t{case.method} {case.path}\n")
    assert response.status_code < 500, response.text
