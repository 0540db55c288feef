"""Printing the management workbook on A4: the columns that matter, never below a readable size, and a
legend wherever colour carries meaning. No I/O.

Column widths are in Excel's character units; Excel and XlsxWriter draw a character of the default font
7 pixels wide plus 5 pixels of padding a column, at 96 pixels an inch. From that the scale a print area
is fitted to is known when the sheet is laid out; the tests measure the same in LibreOffice's PDF.
"""
from __future__ import annotations

from xlplan.core import content
from xlplan.xlsx.model import Merge, Sheet

MIN_SCALE = 60  # percent: below this, 10-point text is smaller than 6 points on paper
MARGIN_INCHES = 0.5  # left and right, as xlsx_writer sets them
A4_INCHES = (8.27, 11.69)


def printable_pixels(landscape: bool) -> int:
    """The width inside the margins of an A4 page, in pixels at 100%."""
    width = A4_INCHES[1] if landscape else A4_INCHES[0]
    return int((width - 2 * MARGIN_INCHES) * 96)


def column_pixels(width: float) -> int:
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def print_width(sheet: Sheet, first_col: int, last_col: int) -> int:
    return sum(column_pixels(sheet.column_widths.get(col, 8.43)) for col in range(first_col, last_col + 1))


def fitted_scale(sheet: Sheet, first_col: int, last_col: int) -> int:
    """The scale at which columns first_col..last_col fill the page's width (at most 100%)."""
    needed = print_width(sheet, first_col, last_col)
    return min(100, printable_pixels(sheet.print_setup.landscape) * 100 // max(needed, 1))


def print_columns(sheet: Sheet, last_col: int, last_row: int, header_rows: tuple[int, int] | None = None) -> None:
    """Print columns A to last_col, fitted to the page's width; the other columns stay on screen only."""
    setup = sheet.print_setup
    setup.print_area = (0, 0, last_row, last_col)
    setup.fit_width = True
    if header_rows is not None:
        setup.repeat_rows = header_rows


def flow_across(sheet: Sheet, last_col: int, last_row: int, repeat: tuple[int, int], scale: int) -> None:
    """A sheet too wide for one page (a timeline, a column per team) prints at a fixed scale across as
    many pages as it needs, with the columns in `repeat` at the left of each."""
    setup = sheet.print_setup
    setup.print_area = (0, 0, last_row, last_col)
    setup.fit_width = False
    setup.scale = scale
    setup.repeat_columns = repeat


def legend(sheet: Sheet, row: int, first_col: int, title: str, entries: list[tuple[str, str]]) -> int:
    """A row of coloured cells, each with its meaning written in it: `title`, then (text, style) entries.
    Each entry spans as many columns as its text needs; the column after the legend."""
    col = _span(sheet, row, first_col, title, "legend_title")
    for text, style in entries:
        col = _span(sheet, row, col, text, style)
    return col


def _span(sheet: Sheet, row: int, col: int, text: str, style: str) -> int:
    """Write `text` from `col` over enough columns for it; the next free column."""
    last, width = col, sheet.column_widths.get(col, 8.43)
    while width < len(text) * 1.1 + 1:
        last += 1
        width += sheet.column_widths.get(last, 8.43)
    sheet.merges.append(Merge(row, col, row, last, text, style))
    return last + 1


def said(section: str, key: str):
    """A text of the management workbook's sheets (data/samlet.yaml)."""
    return content.load_yaml("samlet.yaml")[section][key]
