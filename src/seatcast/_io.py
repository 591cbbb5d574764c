"""Safe file input and output.

Output is atomic: a file is written to a temporary file in the same folder and renamed over
its target; a folder of files (the forecast report) is built in a temporary folder and
swapped in with one ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+, glibc 2.28+; elsewhere two
renames with SIGTERM/SIGINT held back in between). Temporary files are removed when the
process is interrupted, once :func:`exit_on_sigterm` has turned SIGTERM into ``SystemExit``.

Input files are checked before they are read: a regular file, at most :data:`MAX_INPUT_BYTES`,
not binary, UTF-8 (UTF-16 with a byte-order mark is accepted too). Every problem becomes a
:class:`~seatcast.errors.SeatcastError` naming the option or field, not the temporary file.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from seatcast.errors import SeatcastError

MAX_INPUT_BYTES = 20_000_000  # 20 MB: about 100 times the full 2010-2024 polls file
NAME_MAX = 255
_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


@contextmanager
def output_errors(field: str, path: str | Path):
    """Turn any OS error while writing ``path`` into a SeatcastError naming ``field`` and ``path``."""
    try:
        yield
    except OSError as exc:
        raise SeatcastError(field, f"cannot write {str(path)!r}: {_reason(exc)}") from None


def _check_name(path: str | Path, field: str) -> None:
    if str(path).strip() == "":
        raise SeatcastError(field, "the path is empty")
    if "\x00" in str(path):
        raise SeatcastError(field, "the path contains a NUL character")
    if any(len(part.encode("utf-8", "surrogateescape")) > NAME_MAX for part in Path(path).parts):
        raise SeatcastError(field, f"a name in {str(path)[:60]!r}... is longer than {NAME_MAX} bytes")


def _check_parent(path: Path, field: str) -> None:
    """The nearest existing ancestor of ``path`` must be a writable folder."""
    parent = path.absolute().parent
    while not parent.exists():
        if parent.is_symlink() or parent == parent.parent:
            break
        parent = parent.parent
    if not parent.is_dir():
        raise SeatcastError(field, f"cannot write {str(path)!r}: {str(parent)!r} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise SeatcastError(field, f"cannot write {str(path)!r}: permission denied on {str(parent)!r}")


def check_output_file(path: str | Path, field: str, suffixes: tuple[str, ...] = ()) -> Path:
    """Check, before any work, that ``path`` can be written as a file; return it as a Path."""
    _check_name(path, field)
    path = Path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise SeatcastError(field, f"{str(path)!r} must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise SeatcastError(field, f"{str(path)!r} is a folder; give a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise SeatcastError(field, f"cannot write {str(path)!r}: permission denied")
    _check_parent(path, field)
    return path


def check_output_dir(path: str | Path, field: str, replaceable: frozenset[str] = frozenset()) -> Path:
    """Check, before any work, that the folder ``path`` can be (re)written as a whole.

    An existing folder is only replaced when it is empty or holds nothing but files named in
    ``replaceable`` (a previous report): never a folder of other work.
    """
    _check_name(path, field)
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise SeatcastError(field, f"{str(path)!r} is a file, not a folder")
    if path.is_dir():
        try:
            names = {p.name for p in path.iterdir()}
        except OSError as exc:
            raise SeatcastError(field, f"cannot read {str(path)!r}: {_reason(exc)}") from None
        other = sorted(names - replaceable)
        if other:
            raise SeatcastError(field, f"folder {str(path)!r} holds other files ({', '.join(other[:3])}"
                                f"{' ...' if len(other) > 3 else ''}); give a new or empty folder")
    _check_parent(path, field)
    return path


def _named(exc: OSError, tmp, path: Path) -> OSError:
    """``exc`` naming ``path`` where it named the temporary file ``tmp`` (users never see those)."""
    if exc.filename is None or str(exc.filename) != str(tmp):
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


@contextmanager
def atomic_path(path: str | Path, suffix: str | None = None):
    """Yield a temporary path beside ``path``; rename it over ``path`` only on success. An OS error
    about the temporary file is reported as one about ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name[:100]}."
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix or path.suffix)
    except OSError as exc:
        raise _named(exc, exc.filename, path) from None
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, path)
    except OSError as exc:
        raise _named(exc, tmp, path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_dir(path: str | Path):
    """Yield a temporary folder beside ``path``; on success swap it in for ``path`` at once.

    The previous folder (if any) is removed after the swap; the temporary folder is removed
    on any error or interruption, so ``path`` holds either the old set of files or the new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name[:100]}.tmp-"))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        with _signals_held():
            if path.exists() and _exchange(tmp, path):
                shutil.rmtree(tmp)  # now the old report
            elif path.exists():
                old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name[:100]}.old-"))
                os.replace(path, old / "old")
                os.replace(tmp, path)
                shutil.rmtree(old)
            else:
                os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc != 0:
        err = ctypes.get_errno()
        if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
            return False
        raise OSError(err, os.strerror(err), str(b))
    return True


@contextmanager
def _signals_held():
    """Hold back SIGTERM and SIGINT (main thread only) so a swap is not cut in half."""
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


def _raise_exit(signum, frame):  # pragma: no cover - exercised by the SIGTERM test in a subprocess
    raise SystemExit(128 + signum)


#: Seconds before a SIGTERM swallowed by a finaliser is sent again (:func:`_unraisable`).
RESIGNAL_DELAY = 0.05


def _unraisable(args) -> None:  # pragma: no cover - exercised in a subprocess
    """A SIGTERM that landed in a finaliser (a weakref callback, ``__del__``) raises its SystemExit
    where Python can only print and ignore it ("Exception ignored in ..."), and the run goes on:
    send the signal again from another thread after :data:`RESIGNAL_DELAY` seconds, so that it is
    handled once the finaliser has returned (should it land in one again, this repeats)."""
    exc = args.exc_value
    if isinstance(exc, SystemExit) and exc.code == 128 + signal.SIGTERM:
        timer = threading.Timer(RESIGNAL_DELAY, os.kill, (os.getpid(), signal.SIGTERM))
        timer.daemon = True
        timer.start()
        return
    sys.__unraisablehook__(args)


def exit_on_sigterm() -> None:
    """Make SIGTERM raise SystemExit (as SIGINT raises KeyboardInterrupt), so temp files go, even
    when it lands in a finaliser (:func:`_unraisable`)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_exit)
        sys.unraisablehook = _unraisable


def read_text_file(path: str | Path, field: str, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """The text of a small input file, checked: a regular file, not too big, not binary, UTF-8/16."""
    path = Path(path)
    if str(path).strip() == "" or "\x00" in str(path):
        raise SeatcastError(field, "give a file name")
    try:
        if not path.exists():
            raise SeatcastError(field, f"file {str(path)!r} not found")
        if path.is_dir():
            raise SeatcastError(field, f"{str(path)!r} is a folder, not a file")
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise SeatcastError(field, f"cannot read {str(path)!r}: {_reason(exc)}") from None
    if len(raw) > max_bytes:
        raise SeatcastError(field, f"{str(path)!r} is larger than {max_bytes // 1_000_000} MB")
    return decode_text(raw, field, str(path))


def decode_text(raw: bytes, field: str, name: str = "the file") -> str:
    """Bytes -> text: UTF-8 (optionally with BOM) or BOM-marked UTF-16; binary is an error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise SeatcastError(field, f"{name!r} is not valid UTF-16 text") from None
        head = text[:200]
        if "\x00" in text or sum(c.isascii() for c in head) < 0.9 * len(head):
            raise SeatcastError(field, f"{name!r} is a binary file, not text")
        return text
    if b"\x00" in raw:
        raise SeatcastError(field, f"{name!r} is a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SeatcastError(field, f"{name!r} is not UTF-8 text (byte {exc.start}); "
                            "save it as UTF-8") from None


def write_text(path: str | Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | Path, obj) -> Path:
    return write_text(path, json.dumps(obj, indent=2, default=str))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
