"""Python's garbage collector, held off where a phase builds many objects that all stay until it ends."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def held_off():
    """No collection inside: each one would walk every object made so far again (the records of a
    national reading, the cells of its management workbook) and find almost nothing to free. Cycles
    left inside are collected after, as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
