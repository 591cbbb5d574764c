"""Property-based fuzzing of the JSON API: whatever is sent, the answer is never a 500.

Bodies range from arbitrary JSON to near-valid scenarios (real party codes with extreme or
mistyped shares, unknown keys, wrong baselines and models), so both the request-shape
validation and the library's own checks are exercised. Every 4xx must carry a ``detail``.
"""

from __future__ import annotations

import warnings
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from seatcast import parties
from seatcast.web import create_app

CLIENT = TestClient(create_app(), base_url="http://127.0.0.1", raise_server_exceptions=False)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
json_values = st.recursive(json_scalars, lambda kids: st.lists(kids, max_size=4)
                           | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=12)
codes = st.sampled_from(list(parties.CODES)) | st.text(max_size=8)
shares = (st.floats(-50, 150) | st.integers(-5, 200) | st.just(0) | st.just(100)
          | st.floats(0, 100, allow_subnormal=True) | st.text(max_size=5) | st.none())
share_maps = st.dictionaries(codes, shares, max_size=10)
near_valid = st.fixed_dictionaries(
    {"gb": share_maps},
    optional={"scotland": share_maps | st.none(), "wales": share_maps | st.none(),
              "baseline": st.sampled_from(["2010", "2015", "2017", "2019", "2019n", "2024", "1997", ""]),
              "model": st.sampled_from(["uns", "prop", "tm", "stm", "learned", "x"]),
              "extra": json_values},
)
# Valid scenarios by construction: GB-wide parties share a total of 50-94 points (so never
# fraction-like), the SNP and Plaid get GB shares they can reach in their own nations.
gb_wide = ["con", "lab", "ld", "reform", "green"]
plausible = st.tuples(
    st.lists(st.integers(0, 100), min_size=len(gb_wide), max_size=len(gb_wide)).filter(any),
    st.integers(500, 940), st.integers(0, 40), st.integers(0, 10),
).map(lambda t: {**{p: (x * t[1] // sum(t[0])) / 10 for p, x in zip(gb_wide, t[0], strict=True)},
                 "snp": t[2] / 10, "pc": t[3] / 10})  # tenths of a point, rounded down


def check(r) -> None:
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert r.json()["detail"]


@FUZZ
@given(body=json_values)
def test_project_with_any_json_never_fails(body):
    check(CLIENT.post("/api/project", json=body))


@FUZZ
@given(body=near_valid)
def test_project_with_near_valid_scenarios_never_fails(body):
    check(CLIENT.post("/api/project", json=body))


@settings(max_examples=60, deadline=None)
@given(gb=plausible, model=st.sampled_from(["uns", "prop", "tm", "stm"]),
       base=st.sampled_from(["2010", "2015", "2017", "2019", "2019n", "2024"]))
def test_valid_scenarios_always_fill_650_seats(gb, model, base):
    assert 45 <= sum(gb.values()) <= 100  # the strategy's own promise
    r = CLIENT.post("/api/project", json={"gb": gb, "model": model, "baseline": base})
    assert r.status_code == 200, r.text  # every example reaches the seat count
    assert sum(r.json()["parliament"]["seats"].values()) == 650


@FUZZ
@given(template=st.sampled_from(['{"gb": {"lab": %s}}', '{"gb": {"con": 30}, "scotland": {"snp": %s}}',
                                 '%s']),
       literal=st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0", "1e-320", "true", "[]", "{}"]))
def test_project_with_non_finite_literals_never_fails(template, literal):
    raw = (template % literal).encode()
    check(CLIENT.post("/api/project", content=raw, headers={"content-type": "application/json"}))


@FUZZ
@given(raw=st.binary(max_size=64))
def test_project_with_any_bytes_never_fails(raw):
    check(CLIENT.post("/api/project", content=raw, headers={"content-type": "application/json"}))


path_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)


@FUZZ
@given(code=path_text | st.sampled_from(["E14001063", "S14000107", "N05000001", "W07000081"]),
       base=st.none() | st.text(max_size=6) | st.sampled_from(["2019", "2024", "2019n"]))
def test_seat_never_fails(code, base):
    params = {} if base is None else {"baseline": base}
    r = CLIENT.get(f"/api/seat/{quote(code, safe='')}", params=params)
    check(r)
    assert r.status_code in (200, 404, 422)


@FUZZ
@given(b=path_text)
def test_hexmap_never_fails(b):
    check(CLIENT.get(f"/api/hexmap/{quote(b, safe='')}"))


@settings(max_examples=40, deadline=None)
@given(as_of=st.text(max_size=12) | st.dates().map(str) | st.just("latest"),
       area=st.sampled_from(["GB", "Scotland", "Wales", "NI", ""]))
def test_polls_never_fail(as_of, area):
    check(CLIENT.get("/api/polls", params={"as_of": as_of, "area": area}))


queries = st.dictionaries(st.sampled_from(["baseline", "model", "draws", "seed", "party", "limit"]),
                          st.text(max_size=8) | st.integers(-10**12, 10**12).map(str), max_size=4)
GOOD = {"baseline": ["2024", "2019n", "2017"], "model": ["uns", "tm"], "draws": ["100", "5000"],
        "seed": ["0", "7"]}
BAD = {"baseline": ["1066", "", "x"], "model": ["foo", "", "UNS"], "draws": ["99", "-1", "1e3", "x"],
       "seed": ["-1", "x", str(2**32)]}


@FUZZ
@given(good=st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in GOOD.items()}),
       bad=st.dictionaries(st.sampled_from(sorted(BAD)), st.none(), min_size=1).flatmap(
           lambda keys: st.fixed_dictionaries({k: st.sampled_from(BAD[k]) for k in keys})))
def test_forecast_query_is_validated_before_any_work(good, bad):
    # Any one bad parameter (the rest valid) is refused before a forecast is started.
    from seatcast.web import jobs

    before = jobs.FORECASTS.started
    r = CLIENT.get("/api/forecast", params={**good, **bad})
    assert r.status_code == 422 and r.json()["field"] in bad, r.text
    assert jobs.FORECASTS.started == before


@settings(max_examples=40, deadline=None)
@given(params=queries)
def test_targets_never_fail(params):
    check(CLIENT.get("/api/targets", params=params))
