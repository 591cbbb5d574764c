"""A disk cache of arrays derived from the bundled data files, so a command does not parse CSVs.

A projection needs a few arrays per election (the baseline's votes, its seat names, the largest
candidate of each party); building them from the bundled CSV files takes pandas and a few hundred
milliseconds, which is most of a ``seatcast project`` call. So the first use stores them here and
later processes load them with NumPy alone.

* **Where**: ``$SEATCAST_HOME/cache`` when ``SEATCAST_HOME`` is set (as for the poll store), else
  the platform's user cache folder (``platformdirs.user_cache_dir("seatcast")``).
* **Key**: a folder per *fingerprint*: the package version and the relative path, size and
  modification time of every source and data file of the installed package. Editing or upgrading
  the code or the data gives a new fingerprint, so an entry is never older than what built it;
  other fingerprints' folders not written to for :data:`STALE` seconds are removed when a new
  one is made (a process whose folder goes rebuilds its entries).
* **Entries**: one ``.npz`` per name (plain arrays, no pickles), built by the caller's function
  from the CSV files and written to a temporary file that is renamed into place (atomic: another
  process sees the whole file or none). An entry that cannot be read is rebuilt; a folder that
  cannot be written only means building in memory each time. ``SEATCAST_CACHE=off`` turns the
  cache off (every entry built from the CSV files).

Tests check that every cached form equals what the CSV files give (``tests/test_data_cache.py``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

ENV_HOME = "SEATCAST_HOME"
#: Seconds after which another fingerprint's folder counts as unused (two checkouts of different
#: versions may share one user cache folder; so an idle hour is required first).
STALE = 3600
ENV_SWITCH = "SEATCAST_CACHE"
_PACKAGE = Path(__file__).resolve().parent


@cache
def fingerprint() -> str:
    """Package version plus (path, size, mtime) of every .py and data file of the package."""
    from seatcast._version import __version__

    digest = hashlib.sha256(__version__.encode())
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                continue
            st = os.stat(os.path.join(root, name))
            rel = os.path.relpath(os.path.join(root, name), _PACKAGE)
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def root() -> Path:
    """The cache's parent folder (its fingerprint folders live inside)."""
    env = os.environ.get(ENV_HOME, "").strip()
    if env:
        return Path(env).expanduser() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("seatcast", appauthor=False))


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "").strip().lower() not in ("off", "0", "no", "false")


def arrays(name: str, build: Callable[[], dict]) -> dict:
    """The arrays stored under ``name``, built by ``build()`` (a dict of NumPy arrays) on first use."""
    import numpy as np

    if not enabled():
        return build()
    folder = root() / fingerprint()
    path = folder / f"{name}.npz"
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {k: stored[k] for k in stored.files}
    except (OSError, ValueError, KeyError, EOFError):  # missing, partial or corrupt: rebuild
        pass
    out = build()
    try:
        _write(folder, path, out)
    except OSError:  # read-only or full disk: the arrays are still right, only not kept
        pass
    return out


def _write(folder: Path, path: Path, out: dict) -> None:
    import numpy as np

    from seatcast import _io

    fresh = not folder.exists()
    with _io.atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **out)
    if fresh:  # a new fingerprint: drop other code or data's folders idle for an hour
        now = time.time()
        for old in folder.parent.iterdir():
            if old.is_dir() and old != folder and len(old.name) == 16 and now - old.stat().st_mtime > STALE:
                shutil.rmtree(old, ignore_errors=True)
