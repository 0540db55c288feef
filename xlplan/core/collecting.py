"""Python's garbage collector, held off where a phase builds many objects that all stay until it ends."""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager


@contextmanager
def held_off():
    """No collection inside: each one would walk every object made so far again (the records of a
    national reading, the cells of its management workbook) and find almost nothing to free. Cycles
    left inside are collected after, as usual. The collector is the whole process's: in a process with
    other threads (a server answering pages) it is left alone, so that their garbage is still freed."""
    if threading.active_count() > 1:
        yield
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
