"""A1 references, without any Excel library (reader and writer both use these)."""
from __future__ import annotations

import re


def col_letter(col: int) -> str:
    """0-based column index -> letters (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell(row: int, col: int, absolute: bool = False) -> str:
    """0-based row and column -> 'B3' (or '$B$3')."""
    d = "$" if absolute else ""
    return f"{d}{col_letter(col)}{d}{row + 1}"


def area(first_row: int, first_col: int, last_row: int, last_col: int, absolute: bool = True) -> str:
    return f"{cell(first_row, first_col, absolute)}:{cell(last_row, last_col, absolute)}"


def parse_cell(ref: str) -> tuple[int, int]:
    """'B3' -> (2, 1)."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if not match:
        raise ValueError(ref)
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1
