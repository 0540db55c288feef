"""Reading a PDF that LibreOffice printed: which sheet each page belongs to, how large its text came out,
and, from the xlsx itself, how each sheet is set up for print and which colours carry meaning.

The page's sheet is read from the page header (the centre part is the sheet's title); sizes are words'
boxes as poppler's pdftotext measures them, compared with the same word printed at 100%.
"""
from __future__ import annotations

import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@dataclass(frozen=True)
class Word:
    text: str
    x: float
    y: float
    width: float
    height: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    @property
    def header(self) -> str:
        """The centre of the page header: the words in the top margin around the middle."""
        top = [w for w in self.words if w.y < 0.06 * self.height and abs(w.x + w.width / 2 - self.width / 2) <
               0.2 * self.width]
        return " ".join(w.text for w in sorted(top, key=lambda w: w.x))

    def body(self) -> list[Word]:
        return [w for w in self.words if 0.06 * self.height <= w.y <= 0.93 * self.height]


def pages(pdf: Path) -> list[Page]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for number, chunk in enumerate(html.split("<page ")[1:], 1):
        size = PAGE.match("<page " + chunk)
        words = [Word(_unescape(t), float(x0), float(y0), float(x1) - float(x0), float(y1) - float(y0))
                 for x0, y0, x1, y1, t in WORD.findall(chunk)]
        out.append(Page(number, float(size.group(1)), float(size.group(2)), words))
    return out


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def pages_by_sheet(pdf: Path, sheet_titles: list[str]) -> dict[str, list[Page]]:
    found: dict[str, list[Page]] = {title: [] for title in sheet_titles}
    for page in pages(pdf):
        header = page.header
        assert header in found, f"page {page.number}: header {header!r} is no sheet's title"
        found[header].append(page)
    return found


def word_height(pages_: list[Page], words: set[str]) -> float | None:
    """The median height of the given words (e.g. team names) on these pages."""
    heights = [w.height for p in pages_ for w in p.body() if w.text in words]
    return statistics.median(heights) if heights else None


# ---------------------------------------------------------------- the xlsx, read with openpyxl

def _rgb(color) -> str | None:
    value = getattr(color, "rgb", None)
    return value[-6:].upper() if isinstance(value, str) and len(value) >= 6 else None


def meaning_colours(ws) -> set[str]:
    """The fill colours a sheet's conditional formats and colour scales give cells (what they mean
    depends on the data: each needs a legend)."""
    colours = set()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.colorScale is not None:
                colours |= {_rgb(c) for c in rule.colorScale.color}
            elif rule.dxf is not None and rule.dxf.fill is not None:
                fill = rule.dxf.fill
                colours.add(_rgb(fill.bgColor) or _rgb(fill.fgColor))
    return colours - {None}


def _in_formatted_range(ws, cell) -> bool:
    return any(cell.coordinate in cf.sqref for cf in ws.conditional_formatting)


def legend_colours(ws) -> set[str]:
    """Fill colours of cells that say in words what they mean: a text in a coloured cell that no
    conditional format colours."""
    found = set()
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() and cell.fill is not None and \
                    cell.fill.fill_type == "solid" and not _in_formatted_range(ws, cell):
                found.add(_rgb(cell.fill.fgColor))
    return found - {None}


@dataclass(frozen=True)
class PrintSettings:
    fit_width: int | None  # pages wide, when fitted
    fit_height: int | None
    scale: int | None
    landscape: bool
    print_area: str | None
    repeat_columns: str | None


def print_settings(path: Path) -> dict[str, PrintSettings]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        fitted = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        setup = ws.page_setup
        # An absent fitToWidth or fitToHeight is 1 (ECMA-376 Part 1, 18.3.1.63)
        out[ws.title] = PrintSettings(_or_one(setup.fitToWidth) if fitted else None,
                                      _or_one(setup.fitToHeight) if fitted else None,
                                      None if fitted else setup.scale, setup.orientation == "landscape",
                                      ws.print_area if ws.print_area else None, ws.print_title_cols)
    return out


def _or_one(value):
    return 1 if value is None else int(value)


def column_pixels(ws, first: int, last: int) -> int:
    """Width of columns first..last (1-based) in pixels, as Excel draws the default font (7 pixels a
    character and 5 of padding; ECMA-376 Part 1, 18.3.1.13)."""
    widths = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            for index in range(dim.min, (dim.max or dim.min) + 1):
                widths[index] = dim.width
    return sum(int(widths.get(i, 8.43) * 7 + 0.5) + 5 for i in range(first, last + 1))
