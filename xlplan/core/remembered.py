"""What a reading process keeps from file to file: the same template texts, styles and parts recur in
every team's workbook, and a hostile file's must not stay in memory."""
from __future__ import annotations

from functools import wraps


class Remembered(dict):
    """At most `limit` entries (emptied when full: the simplest bound that holds), and nothing larger
    than `largest` characters or bytes."""

    __slots__ = ("limit", "largest")

    def __init__(self, limit: int, largest: int):
        super().__init__()
        self.limit, self.largest = limit, largest

    def keep(self, key, value, size: int = 0):
        """`value`, kept under `key` unless it is larger than this keeps."""
        if size <= self.largest:
            if len(self) >= self.limit:
                self.clear()
            self[key] = value
        return value


def remembered(limit: int, largest: int):
    """A function's answers kept in a Remembered, by its arguments; the first argument (a text) is what
    is measured against `largest`."""
    def decorate(function):
        kept, missing = Remembered(limit, largest), object()

        @wraps(function)
        def call(*args):
            found = kept.get(args, missing)
            return kept.keep(args, function(*args), len(args[0])) if found is missing else found
        call.kept = kept
        return call
    return decorate
