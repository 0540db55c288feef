"""Reads each workbook in a worker process with a time and memory limit, so that a hostile or broken
file costs only itself: a parser that hangs, runs out of memory or dies (even a native abort) is
reported for that file, and every other file is still read.
"""
from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import sys
import tempfile
import time
import traceback
from multiprocessing.connection import wait
from pathlib import Path

from .errors import problem
from .readback import read_team_workbook
from .records import WorkbookRead

TIMEOUT_SECONDS = 60
MEMORY_MB = 1536


def _address_space() -> int:
    """This process's virtual size in bytes (a forked worker starts with all of its parent's)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _limit_memory(memory_mb: int) -> None:
    """Allow the worker `memory_mb` more address space than it inherited."""
    try:
        import resource
    except ImportError:  # not on Windows; the time limit still holds
        return
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker(path: str, conn, memory_mb: int) -> None:
    faulthandler.disable()  # a crash is reported by the parent, in Danish; no dump on the terminal
    _limit_memory(memory_mb)
    try:
        result = read_team_workbook(path)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException:  # noqa: BLE001 - anything else is reported for this file, with a log
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _failed(path: Path, kind: str, detail: str) -> WorkbookRead:
    result = WorkbookRead(path.name, str(path), "", 0, None, readable=False)
    try:
        from .readback import file_facts
        result.sha256, result.size, result.modified = file_facts(path)
    except OSError:
        pass
    code = {"timeout": "RD010", "memory": "RD011"}.get(kind, "RD009")
    result.problems.append(problem(code, file=path.name, detalje=detail))
    return result


def _log(text: str) -> str:
    log = Path(tempfile.gettempdir()) / "xlplan-fejl.log"
    try:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError:
        return "(log kunne ikke gemmes)"
    return str(log)


def _signal_name(exitcode: int | None) -> str:
    if exitcode is None:
        return "ukendt årsag"
    if exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"afslutningskode {exitcode}"


def read_isolated(paths: list[Path], workers: int | None = None, timeout: float = TIMEOUT_SECONDS,
                  memory_mb: int = MEMORY_MB) -> list[WorkbookRead]:
    """Read `paths` in worker processes, in order; never raises for a bad file."""
    if not paths:
        return []
    if "fork" not in multiprocessing.get_all_start_methods():
        return [_read_in_process(Path(p)) for p in paths]
    ctx = multiprocessing.get_context("fork")
    workers = max(1, workers or os.cpu_count() or 1)
    results: list[WorkbookRead | None] = [None] * len(paths)
    pending = list(enumerate(Path(p) for p in paths))
    running: dict = {}  # connection -> (index, path, process, started)
    while pending or running:
        while pending and len(running) < workers:
            index, path = pending.pop(0)
            receiver, sender = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_worker, args=(str(path), sender, memory_mb), daemon=True)
            process.start()
            sender.close()
            running[receiver] = (index, path, process, time.monotonic())
        for conn in wait(list(running), timeout=0.2):
            index, path, process, _ = running.pop(conn)
            results[index] = _collect(conn, path, process, memory_mb)
        now = time.monotonic()
        for conn, (index, path, process, started) in list(running.items()):
            if now - started > timeout:
                process.kill()
                process.join()
                conn.close()
                running.pop(conn)
                results[index] = _failed(path, "timeout", f"{timeout:.0f}")
    return results  # type: ignore[return-value]


def _collect(conn, path: Path, process, memory_mb: int) -> WorkbookRead:
    try:
        kind, payload = conn.recv()
    except (EOFError, OSError):
        process.join(5)
        return _failed(path, "died", _signal_name(process.exitcode))
    finally:
        conn.close()
    process.join(5)
    if kind == "ok":
        return payload
    if kind == "memory":
        return _failed(path, "memory", str(memory_mb))
    log = _log(f"{path}:\n{payload}")
    return _failed(path, "error", f"intern fejl, se {log}")


def _read_in_process(path: Path) -> WorkbookRead:
    try:
        return read_team_workbook(path)
    except MemoryError:
        return _failed(path, "memory", str(MEMORY_MB))
    except Exception:  # noqa: BLE001
        log = _log(f"{path}:\n{traceback.format_exc()}")
        return _failed(path, "error", f"intern fejl, se {log}")
