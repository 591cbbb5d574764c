import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def runner():
    from typer.testing import CliRunner

    return CliRunner()
