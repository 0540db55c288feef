"""Tasks for the worker-pool tests. They are module-level functions in a module of their own, so that
a worker started with `spawn` imports them (it inherits nothing from the test process)."""
from __future__ import annotations

import multiprocessing
import os
import time

from xlplan.reading import isolation
from xlplan.workbook.generate import _render_team

if os.environ.get("XLPLAN_TEST_WITHOUT_RESOURCE"):  # a spawned worker as on Windows: no `resource` module
    import sys
    sys.modules["resource"] = None  # type: ignore[assignment]

MARK = "as imported"  # a test sets another value in its own process; only a forked worker sees that


def bad_reader(path: str):
    """Reads like xlplan, except for files named ond-<kind>.xlsx, which misbehave as <kind> says."""
    name = os.path.basename(path)
    if name.startswith("ond-"):
        kind = name[4:].split(".")[0]
        if kind == "abort":
            os.abort()
        if kind == "hang":
            time.sleep(600)
        if kind == "memory":
            hog = [bytearray(50 * 1024 * 1024) for _ in range(100)]  # noqa: F841
        if kind == "bug":
            raise RuntimeError("a bug in the reader")
    return isolation.read_full(path)


def where_am_i(_item):
    """What a worker can tell about how it was started."""
    from xlplan.core import errors
    return {"pid": os.getpid(), "mark": MARK, "start_method": multiprocessing.get_start_method(allow_none=True),
            "catalogue_loaded": errors.catalogue.cache_info().currsize > 0}


def render_failing_for_team_3(index: int) -> bytes:
    """Renders like `xlplan new`, except that the worker dies on the fourth team."""
    if index == 3:
        os.abort()
    return _render_team(index)


def render_raising_for_team_3(index: int) -> bytes:
    """Renders like `xlplan new`, except that rendering the fourth team raises (a bug, not a crash)."""
    if index == 3:
        raise RuntimeError("a bug in a sheet builder")
    return _render_team(index)


def where_resource_is_missing(path: str):
    """bad_reader, in a worker that has checked it cannot import `resource`."""
    try:
        import resource  # noqa: F401
    except ImportError:
        return bad_reader(path)
    raise AssertionError("the worker still has the resource module")


def copy_hanging_in_worker(read, now):
    """A fixing copy that is never finished, in a worker (hang_in_worker)."""
    return hang_in_worker(read.path)


def hang_in_worker(path: str):
    """A reader that never finishes, in a worker; in the process that asked (XLPLAN_TEST_PARENT_PID) it
    refuses at once, so that a test of isolation fails instead of hanging."""
    if str(os.getpid()) == os.environ.get("XLPLAN_TEST_PARENT_PID"):
        raise AssertionError("read in the web server's own process, not in a worker")
    time.sleep(600)
