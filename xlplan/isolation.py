"""Reads each workbook in a worker process with a time and memory limit, so that a hostile or broken
file costs only itself: a parser that hangs, runs out of memory or dies (even a native abort) is
reported for that file, and every other file is still read.
"""
from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import signal
import tempfile
import time
import traceback
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path

from .errors import problem
from .readback import prepare, read_team_workbook
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


def _serve(conn, memory_mb: int, summary: bool) -> None:
    """A worker: read the files it is sent, one at a time, until told to stop."""
    faulthandler.disable()  # a crash is reported by the parent, in Danish; no dump on the terminal
    gc.freeze()  # what the worker inherited lives as long as it does: the collector need not look at it
    _limit_memory(memory_mb)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        try:
            result = read_team_workbook(path)
            if summary:
                result = _summary(result)
            conn.send(("ok", result))
        except MemoryError:
            conn.send(("memory", None))
        except BaseException:  # noqa: BLE001 - reported for this file, with a log
            conn.send(("error", traceback.format_exc()))


def _summary(read: WorkbookRead) -> WorkbookRead:
    """What `check` needs: the file's identity and problems, not its records (less to send back)."""
    slim = WorkbookRead(read.file, read.path, read.sha256, read.size, read.modified, team=read.team,
                        template_id=read.template_id, template_version=read.template_version,
                        generated=read.generated, readable=read.readable)
    slim.problems = read.problems
    return slim


class _Worker:
    """A worker process and the files sent to it, oldest first: the first is being read now, the next
    waits in the pipe so the worker never idles while the parent is busy."""

    def __init__(self, ctx, memory_mb: int, summary: bool):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, memory_mb, summary), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, Path]] = deque()
        self.started = 0.0  # when the file being read now was begun (as seen by the parent)

    def give(self, index: int, path: Path) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, path))
        self.conn.send(str(path))

    def finished(self) -> tuple[int, Path]:
        task = self.tasks.popleft()
        self.started = time.monotonic()
        return task

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


QUEUE_DEPTH = 2  # files in flight per worker


def read_isolated(paths: list[Path], workers: int | None = None, timeout: float = TIMEOUT_SECONDS,
                  memory_mb: int = MEMORY_MB, summary: bool = False, progress=None) -> list[WorkbookRead]:
    """Read `paths` in worker processes, in order; never raises for a bad file.

    Workers live for many files (starting a process per file would cost more than reading it); when
    one dies, hangs or runs out of memory, that file is reported, the files queued behind it go to
    the next free worker, and a new worker takes its place.
    With `summary`, only each file's identity and problems come back (enough for `check`).
    """
    if not paths:
        return []
    if "fork" not in multiprocessing.get_all_start_methods():
        return [_read_in_process(Path(p)) for p in paths]
    ctx = multiprocessing.get_context("fork")
    prepare()
    count = max(1, min(workers or os.cpu_count() or 1, len(paths)))
    results: list[WorkbookRead | None] = [None] * len(paths)
    pending = deque(enumerate(Path(p) for p in paths))
    pool = [_Worker(ctx, memory_mb, summary) for _ in range(count)]
    done = 0

    def record(index: int, result: WorkbookRead) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress:
            progress(done, len(paths))

    def replace(worker: _Worker) -> None:
        pending.extendleft(reversed(worker.tasks))  # not yet read: another worker takes them
        worker.tasks.clear()
        pool[pool.index(worker)] = _Worker(ctx, memory_mb, summary)

    # The answers are many small, acyclic objects that all stay: collecting garbage while they arrive
    # would only walk them again and again (a third of the parent's time for 1,000 workbooks).
    collecting = gc.isenabled()
    gc.disable()
    try:
        while pending or any(w.tasks for w in pool):
            for worker in pool:
                while len(worker.tasks) < QUEUE_DEPTH and pending:
                    worker.give(*pending.popleft())
            busy = {w.conn: w for w in pool if w.tasks}
            for conn in wait(list(busy), timeout=0.2):
                worker = busy[conn]
                index, path = worker.tasks[0]
                result, alive = _answer(worker, path, memory_mb)
                worker.finished()
                record(index, result)
                if not alive:
                    replace(worker)
            now = time.monotonic()
            for worker in list(pool):
                if worker.tasks and now - worker.started > timeout:
                    index, path = worker.finished()
                    worker.process.kill()
                    worker.process.join()
                    worker.conn.close()
                    record(index, _failed(path, "timeout", f"{timeout:.0f}"))
                    replace(worker)
    finally:
        for worker in pool:
            worker.stop()
        if collecting:
            gc.enable()
    return results  # type: ignore[return-value]


def _answer(worker: _Worker, path: Path, memory_mb: int) -> tuple[WorkbookRead, bool]:
    """The worker's answer for `path`, and whether the worker is still usable."""
    try:
        kind, payload = worker.conn.recv()
    except (EOFError, OSError):
        worker.process.join(5)
        worker.conn.close()
        return _failed(path, "died", _signal_name(worker.process.exitcode)), False
    if kind == "ok":
        return payload, True
    if kind == "memory":
        worker.stop()  # its address space may be fragmented near the limit: start afresh
        return _failed(path, "memory", str(memory_mb)), False
    log = _log(f"{path}:\n{payload}")
    return _failed(path, "error", f"intern fejl, se {log}"), True


def _read_in_process(path: Path) -> WorkbookRead:
    try:
        return read_team_workbook(path)
    except MemoryError:
        return _failed(path, "memory", str(MEMORY_MB))
    except Exception:  # noqa: BLE001
        log = _log(f"{path}:\n{traceback.format_exc()}")
        return _failed(path, "error", f"intern fejl, se {log}")
