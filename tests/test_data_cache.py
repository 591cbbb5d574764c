"""The array cache (seatcast._cache) gives exactly what the bundled CSV files give, and is robust:
a corrupt entry is rebuilt, an unwritable folder or a switched-off cache still gives the right arrays,
and a changed package file gives a new fingerprint. A projection from a warm cache needs no pandas."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from seatcast import _cache
from seatcast.data import history, loaders
from seatcast.data.baseline import from_arrays, from_files, to_arrays
from seatcast.swing import candidates

ELECTION_IDS = list(loaders.ELECTIONS)


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SEATCAST_HOME", str(tmp_path))
    monkeypatch.delenv("SEATCAST_CACHE", raising=False)
    return tmp_path / "cache" / _cache.fingerprint()


@pytest.mark.parametrize("election_id", ELECTION_IDS)
def test_a_cached_baseline_equals_the_one_built_from_the_csv_files(cache_home, election_id):
    name = f"baseline-{election_id}"
    direct = from_files(election_id)
    _cache.arrays(name, lambda: to_arrays(direct))  # written to disk
    assert (cache_home / f"{name}.npz").is_file()
    stored = _cache.arrays(name, lambda: pytest.fail("read from disk, not rebuilt"))
    cached = from_arrays(election_id, stored)
    pd.testing.assert_frame_equal(cached.seats, direct.seats, check_exact=True)
    assert cached.parties == direct.parties
    np.testing.assert_array_equal(cached.votes, direct.votes)
    np.testing.assert_array_equal(cached.top_frac, direct.top_frac)
    np.testing.assert_array_equal(cached.winners, direct.winners)
    assert list(cached.ons) == list(direct.codes)
    assert cached.rows[direct.codes[5]] == 5


@pytest.mark.parametrize("election_id", ELECTION_IDS)
def test_cached_candidate_names_and_first_term_flags_equal_the_results_file(cache_home, election_id):
    df = loaders.results(election_id)
    got = history._names_arrays(election_id)
    if "candidate" in df.columns:
        top = df.sort_values("votes", ascending=False).drop_duplicates(["ons_code", "party"])
        expected = {(r.ons_code, r.party): r.candidate for r in top.itertuples()}
    else:
        expected = {}
    keys = zip(got["ons_code"].tolist(), got["party"].tolist(), strict=True)
    assert dict(zip(keys, got["candidate"].tolist(), strict=True)) == expected
    flags = history._first_term_arrays(election_id)
    if "is_sitting_mp" in df.columns:
        won = df[df["elected"]].set_index("ons_code")
        codes = from_files(election_id).codes
        assert flags["first_term"].tolist() == [not bool(won.at[c, "is_sitting_mp"]) for c in codes]
    else:
        assert not flags["known"]


def test_the_cached_retention_factors_and_data_version_equal_a_fresh_computation(cache_home):
    got = candidates._retention_arrays()
    assert sorted(set(got["label"].tolist())) == ["ind", "speaker"]
    rows = zip(got["label"], got["year"], got["factor"], got["pairs"], strict=True)
    for label, year, factor, pairs in rows:
        assert (factor, pairs) == candidates.retention_factor(str(label), int(year))
    assert loaders.data_version() == loaders._data_version()


def test_a_corrupt_entry_is_rebuilt_and_rewritten(cache_home):
    cache_home.mkdir(parents=True)
    (cache_home / "toy.npz").write_bytes(b"not a zip file")
    out = _cache.arrays("toy", lambda: {"x": np.arange(3)})
    assert out["x"].tolist() == [0, 1, 2]
    assert _cache.arrays("toy", lambda: pytest.fail("rebuilt twice"))["x"].tolist() == [0, 1, 2]


def test_an_unwritable_folder_or_a_switched_off_cache_still_gives_the_arrays(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SEATCAST_HOME", str(blocker))
    assert _cache.arrays("toy", lambda: {"x": np.ones(2)})["x"].tolist() == [1.0, 1.0]
    monkeypatch.setenv("SEATCAST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SEATCAST_CACHE", "off")
    calls = []
    for _ in range(2):
        _cache.arrays("toy", lambda: calls.append(1) or {"x": np.ones(2)})
    assert len(calls) == 2 and not (tmp_path / "home").exists()


def test_a_changed_package_file_changes_the_fingerprint(tmp_path, monkeypatch):
    (tmp_path / "mod.py").write_text("x = 1\n")
    monkeypatch.setattr(_cache, "_PACKAGE", tmp_path)
    _cache.fingerprint.cache_clear()
    try:
        first = _cache.fingerprint()
        os.utime(tmp_path / "mod.py", ns=(1, 1))
        _cache.fingerprint.cache_clear()
        assert _cache.fingerprint() != first
    finally:
        _cache.fingerprint.cache_clear()


def test_a_projection_from_a_warm_cache_imports_no_pandas(tmp_path):
    """What makes `seatcast project --json` start fast: NumPy only, once the cache is built."""
    env = {**os.environ, "SEATCAST_HOME": str(tmp_path)}
    args = ["seatcast", "project", "--con", "43", "--lab", "36", "--ld", "12", "--brexit", "3",
            "--green", "2",
            "--baseline", "2017", "--model", "stm", "--json"]
    script = ("import sys, io, contextlib\n"
              "from seatcast.cli import main\n"
              f"sys.argv = {args!r}\n"
              "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
              "    try:\n        main()\n    except SystemExit as e:\n        assert not e.code\n"
              "print('pandas' in sys.modules, len(out.getvalue()))\n")
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                           check=True) for _ in range(2)]
    first, second = (r.stdout.split() for r in runs)
    assert first[0] == "True" and second == ["False", first[1]]  # same output, no pandas the second time
