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
