import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session", autouse=True)
def seatcast_home(tmp_path_factory):
    """Every test (and every subprocess it starts) uses a private poll store, never the user's."""
    home = tmp_path_factory.mktemp("seatcast_home")
    old = os.environ.get("SEATCAST_HOME")
    os.environ["SEATCAST_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("SEATCAST_HOME", None)
    else:
        os.environ["SEATCAST_HOME"] = old


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    """An empty SEATCAST_HOME of this test's own: the store is built from the bundled polls on first use."""
    monkeypatch.setenv("SEATCAST_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="session")
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture
def killed_run(fresh_store):
    """``run(script, args, delay)``: run ``python -c script *args`` on this test's store, send it SIGTERM
    ``delay`` seconds after it prints "ready", check the store file is intact; returns the exit code."""
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    def run(script: str, args: list[str], delay: float) -> int:
        proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "SEATCAST_HOME": str(fresh_store)})
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        with sqlite3.connect(fresh_store / "polls.sqlite3") as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return proc.returncode

    return run
