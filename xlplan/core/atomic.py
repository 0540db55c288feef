"""Outputs written whole or not at all, with the user's normal permissions, and termination signals
turned into an exception so that an interrupted run cleans up after itself.

Every output (team workbooks, fixing copies, samlet-status.xlsx, the JSON, exports, plan.toml) goes
through `write_atomic`: a temporary file beside the target, moved into place when complete. Its name
is recognisable (`.<name>.xlplan-<8 hex>.tmp`), so that a temporary file left by a run that was
killed outright (SIGKILL, power loss) is removed by the next run that writes to the same folder.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

from xlplan.core.errors import problem, XlplanError

RUN_STARTED = time.time()  # temporary files older than this are no longer being written by this run
TEMP_PATTERN = re.compile(r"\..+\.xlplan-[0-9a-f]{8}\.tmp")
TERMINATION_SIGNALS = ("SIGTERM", "SIGHUP", "SIGBREAK")  # SIGBREAK: Ctrl-Break or a closed console on Windows

STALE_SECONDS = 600  # no write of xlplan's takes this long: an older temporary file of its pattern is a leftover
SWEEP_SECONDS = 60
_swept: dict[Path, float] = {}  # each folder's last sweep for stale temporary files


class Terminated(KeyboardInterrupt):
    """A termination signal, unwound like Ctrl-C: `finally` blocks remove temporary files and stop
    worker processes, and the CLI says "Afbrudt."."""


def _raise_terminated(signum, _frame):
    for name in TERMINATION_SIGNALS:  # a second signal must not interrupt the clean-up of the first
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Terminated(signum)


@contextmanager
def termination_raises():
    """Within this block, SIGTERM and SIGHUP raise `Terminated` instead of ending the process on the
    spot. Handlers someone else installed (or SIG_IGN, as under nohup) are left alone."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for name in TERMINATION_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _raise_terminated)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def write_atomic(path: Path, data: bytes | Iterable[bytes], private: bool = False) -> None:
    """Write to a temporary file beside `path`, then move it into place: never a half-written file,
    and no temporary file left behind on an error, Ctrl-C, SIGTERM or SIGHUP. `data` may come in pieces
    (a national JSON need not be held whole). `private` files (keys) are readable by their owner only from
    the moment they exist (on POSIX; Windows has no such mode bits)."""
    pieces = [data] if isinstance(data, (bytes, bytearray, memoryview)) else data
    path = Path(path)
    with termination_raises():
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(path.parent)
            tmp, fd = _create_temporary(path, 0o600 if private else 0o666)
            with os.fdopen(fd, "wb") as handle:
                for piece in pieces:
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            _discard(tmp)
            raise XlplanError(problem("OUT001", sti=str(path), detalje=exc.strerror or str(exc))) from None
        except BaseException:
            _discard(tmp)
            raise


def _create_temporary(path: Path, mode: int = 0o666) -> tuple[Path, int]:
    """A new file beside `path`, created with mode 0666 less the umask, as any program's output is
    (tempfile.mkstemp's 0600 would keep colleagues on a shared drive out)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.xlplan-{secrets.token_hex(4)}.tmp"
        try:
            return tmp, os.open(tmp, flags, mode)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _discard(tmp: Path | None) -> None:
    if tmp is not None:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def remove_stale_temporaries(folder: Path) -> None:
    """Remove xlplan's own temporary files in `folder` that no write is making any more (left by a run that
    was killed outright): those older than this run, or for a run that has gone on for a while (a server)
    those untouched for STALE_SECONDS. Each folder at most once a minute. Nothing else is touched."""
    key, now = folder.resolve(), time.time()
    if now - _swept.get(key, 0.0) < SWEEP_SECONDS:
        return
    _swept[key] = now
    stale_before = max(RUN_STARTED, now - STALE_SECONDS)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not TEMP_PATTERN.fullmatch(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < stale_before:
                os.unlink(entry.path)
        except OSError:
            pass
