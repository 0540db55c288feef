"""Reads the number formats of chosen cells, so that a fresh copy shows a value as the team saw it
("1.500 kr.", "25 %", "3. marts 2026").

A second, small reading of the sheets that hold such cells (the cell reader does not keep styles): the
styles part and the chosen sheets only, with the reader's safety primitives (sizes checked before
anything is inflated, no DTD).
"""
from __future__ import annotations

import re

from xlplan.xlsx.reader import _local, _parse, _Reader, _ref, open_archive

GENERAL = 0
BUILT_IN_PERCENT = {9: "0%", 10: "0.00%"}  # ECMA-376 Part 1, 18.8.30
_NOT_SHOWN = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')  # quoted text, [colours and locales], escaped characters


def shown_number(value: int | float, number_format: str | int | None = None) -> str:
    """A number as a spreadsheet with Danish settings shows it: a decimal comma, and in a percent format
    the percentage with a space before the sign ("50 %" for 0.5 shown as 0%), so that a message quotes a
    value as the team sees it."""
    code = BUILT_IN_PERCENT.get(number_format, "") if isinstance(number_format, int) else number_format or ""
    section = _NOT_SHOWN.sub("", code.split(";")[0])
    if "%" in section:
        decimals = re.search(r"\.(0+)", section)
        return f"{value * 100:.{len(decimals.group(1)) if decimals else 0}f}".replace(".", ",") + " %"
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", ",")


def read_number_formats(path, wanted: dict[str, set[tuple[int, int]]]) -> dict[tuple[str, int, int], str | int]:
    """(sheet, row, col) -> number format of each wanted cell that has one: the format code of a custom
    format, or the number of a built-in one (whose look depends on the reader's locale, as in Excel)."""
    archive = open_archive(path)
    with archive:
        reader = _Reader(archive)
        sheets, _date1904 = reader._workbook()
        targets, types = reader.book_relationships()
        formats = _cell_formats(reader, reader.book_part(types, "styles", "styles.xml"))
        found: dict[tuple[str, int, int], str | int] = {}
        for name, _state, rid in sheets:
            cells = wanted.get(name)
            if cells and targets.get(rid):
                for (row, col), style in _styles_of(reader, targets[rid], cells).items():
                    number_format = formats[style] if 0 <= style < len(formats) else GENERAL
                    if number_format != GENERAL:
                        found[(name, row, col)] = number_format
        return found


def _cell_formats(reader: _Reader, part: str) -> list[str | int]:
    """The number format of each cell style (cellXfs), in order."""
    data = reader.part(part)
    if data is None:
        return []
    custom: dict[int, str] = {}
    styles: list[str | int] = []
    inside = {"cellXfs": False, "numFmts": False}

    def start(tag, attrs):
        local = _local(tag)
        if local in inside:
            inside[local] = True
        elif local == "numFmt" and inside["numFmts"]:
            custom[_number(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif local == "xf" and inside["cellXfs"]:
            number = _number(attrs.get("numFmtId"))
            styles.append(custom.get(number, number))

    def end(tag):
        if _local(tag) in inside:
            inside[_local(tag)] = False

    _parse(data, start, end)
    return styles


def _styles_of(reader: _Reader, part: str, cells: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """The style index of each of `cells` on a sheet."""
    data = reader.part(part)
    if data is None:
        return {}
    found: dict[tuple[int, int], int] = {}

    def start(tag, attrs):
        if _local(tag) == "c" and attrs.get("r"):
            position = _ref(attrs["r"])
            if position in cells:
                found[position] = _number(attrs.get("s"))

    _parse(data, start)
    return found


def _number(text: str | None) -> int:
    """An index attribute; anything but digits counts as the default (0, General)."""
    return int(text) if text and text.isascii() and text.isdigit() else GENERAL
