"""The package version, kept equal to pyproject.toml's ``version`` (``seatcast --version`` prints it; the
array cache keys on it). A module of its own so that the data layer can read it without importing the
``seatcast`` package, whose lazy attributes reach the swing layer."""

__version__ = "0.1.0"
