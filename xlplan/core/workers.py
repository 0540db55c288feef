"""Worker processes for every job that must not take the whole run down with it: reading returned
workbooks (`tjek`, `saml`) and rendering team workbooks (`ny`).

One pool, with the `fork` start method (Linux) and with `spawn` (Windows, macOS):
- a time limit per item, kept by the parent: a worker that overruns it is killed and replaced;
- a memory limit where the platform enforces one (RLIMIT_AS on Linux);
- crash isolation: a worker that dies, even by a native abort, costs only its item and is replaced;
- workers never outlive the parent: they close the inherited pipe ends of the parent, watch it from
  a thread (its pid on POSIX, its process handle on Windows) and, on Linux, ask the kernel to kill
  them with it (PR_SET_PDEATHSIG), so a killed `xlplan` leaves nothing behind holding its terminal.
Tasks and their setup are module-level functions, so that a spawned worker can import them.
"""
from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from xlplan.core.collecting import held_off

TIMEOUT_SECONDS = 60
MEMORY_MB = 1536
QUEUE_DEPTH = 2  # items in flight per worker: one being worked on, the next waiting in the pipe
PARENT_CHECK_SECONDS = 0.5
START_METHOD: str | None = None  # tests set it to try both; None: decided by start_method
KILL_WITH_PARENT = True  # Linux's PR_SET_PDEATHSIG; tests turn it off to try the portable watcher alone

_parent_ends: set = set()  # the parent's ends of the workers' pipes; a forked worker closes its copies


def start_method() -> str:
    """fork where it is safe and cheap (Linux, in a process with one thread: workers share the prepared
    vocabularies); spawn elsewhere: the only method on Windows, macOS's default since fork there is unsafe,
    and in a process with threads (a server), where a fork can copy a lock another thread holds into the
    worker, which then hangs until its time limit. Decided for each pool, never switched for the process."""
    if START_METHOD:
        return START_METHOD
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods() \
            and threading.active_count() == 1:
        return "fork"
    return "spawn"


@dataclass
class Outcome:
    """What became of one item: `ok` (with the task's value), `error` (an exception in the task, with
    its traceback), `died` (the worker ended; `detail` says how), `timeout` or `memory`."""

    kind: str
    value: Any = None
    detail: str = ""


# ---------------------------------------------------------------- the worker side

@dataclass(frozen=True)
class _Spec:
    """What a worker is to do, sent to it once (pickled, under spawn)."""

    task: Callable
    setup: Callable | None
    setup_args: tuple
    memory_mb: int
    forked: bool
    kill_with_parent: bool


def _serve(conn, spec: _Spec) -> None:
    """A worker: run the task on each item it is sent, one at a time, until told to stop."""
    _become_worker(spec)
    if spec.setup is not None:
        spec.setup(*spec.setup_args)
    gc.freeze()  # what setup built (or a forked worker inherited) lives as long as the worker
    gc.enable()  # a worker forked while the parent collected answers inherits a disabled collector
    _limit_memory(spec.memory_mb)
    task = spec.task
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        try:
            conn.send(("ok", task(message[0])))
        except MemoryError:
            conn.send(("memory", None))
        except BaseException:  # noqa: BLE001 - reported for this item, with a log
            conn.send(("error", traceback.format_exc()))


def _become_worker(spec: _Spec) -> None:
    faulthandler.disable()  # a crash is reported by the parent, in Danish; no dump on the terminal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole console: the parent decides
    for name in ("SIGTERM", "SIGHUP"):  # a forked worker may inherit the parent's handlers
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if spec.forked:
        # Holding the parent's ends would keep every pipe open after the parent died: no EOF, ever.
        for end in list(_parent_ends):
            end.close()
        _parent_ends.clear()
    _die_with_parent(spec.kill_with_parent)


def _die_with_parent(kill_with_parent: bool) -> None:
    parent = multiprocessing.parent_process()
    sentinel = parent.sentinel if parent is not None else None
    ppid = parent.pid if parent is not None else os.getppid()  # as the parent knew itself: it may be gone already
    if kill_with_parent and sys.platform.startswith("linux"):
        _ask_kernel_to_kill_with_parent()
        if os.getppid() != ppid:  # the parent died before the request took effect
            os._exit(1)
    threading.Thread(target=_watch_parent, args=(ppid, sentinel), daemon=True, name="xlplan-parent").start()


def _ask_kernel_to_kill_with_parent() -> None:
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # the watcher thread still ends the worker


def _watch_parent(ppid: int, sentinel) -> None:
    """End this worker as soon as the parent is gone: its sentinel (a pipe on POSIX, the process
    handle on Windows) becomes ready, or on POSIX the worker is adopted by another process."""
    while True:
        if sentinel is not None:
            gone = bool(wait([sentinel], timeout=PARENT_CHECK_SECONDS))
        else:
            time.sleep(PARENT_CHECK_SECONDS)
            gone = False
        if gone or (os.name != "nt" and os.getppid() != ppid):
            os._exit(1)


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
    """Allow the worker `memory_mb` more address space than it has now. Only Linux enforces
    RLIMIT_AS (macOS accepts it and ignores it; Windows has no `resource` module)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import resource
    except ImportError:  # a Python built without it: the time limit and crash isolation still hold
        return
    limit = _address_space() + memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


# ---------------------------------------------------------------- the parent side

class _Worker:
    """A worker process and the items sent to it, oldest first."""

    def __init__(self, pool: WorkerPool):
        ctx = pool.context
        self.conn, child = ctx.Pipe()
        _parent_ends.add(self.conn)
        self.process = ctx.Process(target=_serve, args=(child, pool.spec), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, Any]] = deque()
        self.started = 0.0  # when the item being worked on now was begun (as seen by the parent)

    def give(self, index: int, item: Any) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, item))
        try:
            self.conn.send((item,))  # None alone means stop
        except OSError:
            pass  # the worker has died: reading its answer says so, and the item goes to its successor

    def finished(self) -> tuple[int, Any]:
        task = self.tasks.popleft()
        self.started = time.monotonic()
        return task

    def answer(self, memory_mb: int) -> tuple[Outcome, bool]:
        """The worker's outcome for its oldest item, and whether the worker is still usable."""
        try:
            kind, payload = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            return Outcome("died", detail=_exit_description(self.process.exitcode)), False
        if kind == "ok":
            return Outcome("ok", payload), True
        if kind == "memory":  # its address space may be fragmented near the limit: start afresh
            return Outcome("memory", detail=str(memory_mb)), False
        return Outcome("error", detail=payload), True

    def stop(self, graceful: bool = True) -> None:
        if graceful:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        _parent_ends.discard(self.conn)


class WorkerPool:
    """Long-lived worker processes that run `task` on items, each within a time and memory limit.

    Workers live for many items (starting a process per item would cost more than most tasks);
    when one dies, hangs or runs out of memory, that item's outcome says so, the items queued behind
    it go to the next free worker, and a new worker takes its place.
    `setup(*setup_args)` runs once in every worker before its first item (with fork it runs in the
    parent first, so that the workers inherit what it prepared).
    """

    def __init__(self, task: Callable, *, workers: int | None = None, timeout: float = TIMEOUT_SECONDS,
                 memory_mb: int = MEMORY_MB, setup: Callable | None = None, setup_args: tuple = (),
                 method: str | None = None):
        self.setup, self.setup_args = setup, setup_args
        self.size = workers or os.cpu_count() or 1
        self.timeout, self.memory_mb = timeout, memory_mb
        self.method = method or start_method()
        self.context = multiprocessing.get_context(self.method)
        self.spec = _Spec(task, setup, setup_args, memory_mb, self.method == "fork", KILL_WITH_PARENT)
        self.workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind, _value, _tb) -> None:
        self.close(graceful=kind is None)

    def close(self, graceful: bool = True) -> None:
        for worker in self.workers:
            worker.stop(graceful)
        self.workers = []

    def run(self, items: Iterable[Any]) -> Iterator[tuple[int, Outcome]]:
        """(index, outcome) for every item, in the order they finish."""
        pending = deque(enumerate(items))
        if not pending:
            return
        if self.setup is not None and self.method == "fork":
            self.setup(*self.setup_args)
        self.workers = [_Worker(self) for _ in range(max(1, min(self.size, len(pending))))]
        # The answers are many small objects that all stay: collecting garbage while they arrive
        # would only walk them again and again (a third of the parent's time for 1,000 workbooks).
        with held_off():
            try:
                while pending or any(w.tasks for w in self.workers):
                    self._feed(pending)
                    yield from self._collect(pending)
                    yield from self._expire(pending)
            except BaseException:
                self.close(graceful=False)
                raise
            finally:
                self.close()

    def _feed(self, pending: deque) -> None:
        for worker in self.workers:
            while len(worker.tasks) < QUEUE_DEPTH and pending:
                worker.give(*pending.popleft())

    def _collect(self, pending: deque) -> Iterator[tuple[int, Outcome]]:
        busy = {w.conn: w for w in self.workers if w.tasks}
        for conn in wait(list(busy), timeout=0.2):
            worker = busy[conn]
            outcome, usable = worker.answer(self.memory_mb)
            index, _ = worker.finished()
            if not usable:
                self._replace(worker, pending)
            yield index, outcome

    def _expire(self, pending: deque) -> Iterator[tuple[int, Outcome]]:
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.tasks and now - worker.started > self.timeout:
                index, _ = worker.finished()
                self._replace(worker, pending)
                yield index, Outcome("timeout", detail=f"{self.timeout:.0f}")

    def _replace(self, worker: _Worker, pending: deque) -> None:
        pending.extendleft(reversed(worker.tasks))  # not yet begun: another worker takes them
        worker.tasks.clear()
        worker.stop(graceful=False)
        self.workers[self.workers.index(worker)] = _Worker(self)


def _exit_description(exitcode: int | None) -> str:
    """How a worker ended, for the Danish message (the words are in data/tekster.yaml)."""
    from xlplan.core.content import load_yaml

    words = load_yaml("tekster.yaml")["arbejdsproces_stoppet"]
    if exitcode is None:
        return words["ukendt"]
    if exitcode < 0:
        try:
            return words["signal"].format(signal=signal.Signals(-exitcode).name)
        except ValueError:
            return words["signal"].format(signal=-exitcode)
    return words["kode"].format(kode=exitcode)


LOG_NAME = "xlplan-fejl.log"


def log_folder() -> Path:
    """The user's own folder for xlplan's error log: never the shared temporary folder, where another
    account could plant the name (a link) or read what the log says about the files."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Logs"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "xlplan"


def log_detail(text: str, replace: bool = False) -> str:
    """Append `text` to xlplan's error log (or start it anew with `replace`); the log's path, for the message.
    The log is created readable by its owner only, and a link in its place is not followed."""
    log = log_folder() / LOG_NAME
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_APPEND) | getattr(os, "O_NOFOLLOW", 0)
    try:
        log.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with os.fdopen(os.open(log, flags, 0o600), "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError:
        return "(log kunne ikke gemmes)"
    return str(log)


# ---------------------------------------------------------------- reading workbooks
