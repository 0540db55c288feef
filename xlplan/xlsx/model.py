"""A plain description of a workbook: what goes where, with which style and rule. No I/O.

Sheet builders produce these records from content and config; xlsx_writer turns them into a file.
Row and column numbers are 0-based, like XlsxWriter's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Value = str | int | float | dt.date | None


@dataclass(frozen=True)
class Formula:
    """A formula and the value it computes, stored beside it in the file: LibreOffice (by default),
    Google Sheets, Excel's protected view and previewers show that value without recalculating."""

    text: str  # begins with "="
    value: Value = None


@dataclass(frozen=True)
class Formatted:
    """A value shown with a number format of its own ("#,##0 kr.", "0%", or a built-in format's number),
    on top of its cell's style: a team's value written back as they saw it."""

    value: Value
    number_format: str | int


@dataclass(frozen=True)
class Link:
    """A link to a cell in this workbook (never to anything outside it)."""

    sheet: str
    cell: str
    text: str


@dataclass(slots=True)  # a national management workbook holds hundreds of thousands
class Cell:
    row: int
    col: int
    value: Value | Formula | Formatted
    style: str = "text"


@dataclass(slots=True)
class Row:
    """A row of a listing laid out whole: values[i] goes in column first_col + i, styled styles[i]; a style
    of None writes no cell there (the column's own style shows). Plain values and Formatted only, never a
    Formula or Link: a national listing's hundreds of thousands of cells then cost no object each."""

    row: int
    values: list
    styles: tuple
    first_col: int = 0

    def cells(self):
        for i, (value, style) in enumerate(zip(self.values, self.styles)):
            if style is not None:
                yield Cell(self.row, self.first_col + i, value, style)


@dataclass
class Merge:
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    value: Value | Formula
    style: str = "text"


@dataclass
class Validation:
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    kind: str  # "list" (source is a range formula), "date", "whole", "any"
    source: str = ""
    minimum: Value = None
    maximum: Value = None
    input_title: str = ""
    input_message: str = ""
    error_title: str = ""
    error_message: str = ""
    error_type: str = "stop"  # stop | warning | information


@dataclass
class ConditionalFormat:
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    formula: str  # relative to the top-left cell of the range
    style: str
    stop: bool = False


@dataclass
class ColorScale:
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    low: str
    mid: str
    high: str


@dataclass
class ChartSeries:
    name: str
    categories: str  # a range formula, e.g. ='Overblik'!$A$6:$A$9
    values: str
    color: str | None = None


@dataclass
class Chart:
    kind: str  # column | bar | line
    title: str
    series: list[ChartSeries]
    row: int  # top-left anchor cell
    col: int
    width: int = 720  # pixels
    height: int = 300
    y_title: str = ""
    percent: bool = False
    stacked: bool = False
    y_min: float | None = None  # the value axis's range; None: from 0 (to 100% for a percent chart)
    y_max: float | None = None
    y_step: float | None = None  # between the value axis's gridlines


@dataclass
class Comment:
    row: int
    col: int
    text: str
    author: str = ""


HEADER_LIMIT = 255  # Excel's longest header or footer, its codes (&L, &8 ...) included, in UTF-16 units


def utf16_len(text: str) -> int:
    """A text's length as Excel counts it: characters above U+FFFF (emoji) count twice."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class PrintSetup:
    landscape: bool = True
    fit_width: bool = True
    repeat_rows: tuple[int, int] | None = None
    header: str = ""
    footer: str = ""
    print_area: tuple[int, int, int, int] | None = None
    fit_height: bool = False  # with fit_width: the whole print area on one page
    scale: int | None = None  # percent, where the sheet is not fitted (it then flows across pages)
    repeat_columns: tuple[int, int] | None = None  # printed at the left of every page
    row_breaks: list[int] = field(default_factory=list)  # a page starts at each of these rows
    across_first: bool = False  # number the pages across, then down (a timeline)
    shortened: tuple[str, str] | None = None  # (a name, as the header shows it) when it had to be shortened


@dataclass
class Table:
    """An Excel Table (a named range with its header row) over a listing, so Power Query, Power BI and
    polars find the data by name. Its cells are written as the sheet's own; the table adds no style."""

    name: str
    first_row: int  # the header row
    first_col: int
    last_row: int  # at least first_row + 1: Excel wants one data row, even an empty one
    last_col: int
    headers: list[str]


@dataclass
class Sheet:
    name: str
    cells: list[Cell] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # whole rows of a listing; no cell of `cells` is in them
    merges: list[Merge] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    conditional_formats: list[ConditionalFormat] = field(default_factory=list)
    color_scales: list[ColorScale] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    column_widths: dict[int, float] = field(default_factory=dict)
    hidden_columns: set[int] = field(default_factory=set)
    row_heights: dict[int, float] = field(default_factory=dict)
    row_styles: dict[int, str] = field(default_factory=dict)  # style of every cell in the row without its own
    column_styles: dict[int, str] = field(default_factory=dict)  # style of every cell in the column
    freeze: tuple[int, int] | None = None
    autofilter: tuple[int, int, int, int] | None = None
    tables: list[Table] = field(default_factory=list)  # a sheet with a table needs no autofilter of its own
    print_setup: PrintSetup = field(default_factory=PrintSetup)
    protect: bool = True
    password: str = ""
    visibility: str = "visible"  # visible | hidden | very_hidden
    tab_color: str | None = None
    zoom: int = 100
    active: bool = False
    _values: tuple | None = field(default=None, init=False, repr=False, compare=False)  # values(), while current

    def put(self, row: int, col: int, value, style: str = "text") -> None:
        self.cells.append(Cell(row, col, value, style))

    def put_row(self, row: int, values: list, styles: tuple) -> None:
        self.rows.append(Row(row, values, styles))

    def every_cell(self):
        """The cells put one by one, then those of the whole rows, as Cells."""
        yield from self.cells
        for row in self.rows:
            yield from row.cells()

    def value_at(self, row: int, col: int):
        """What the cell holds as laid out so far (the last value put there; a formula's own value)."""
        return self.values().get((row, col))

    def values(self) -> dict[tuple[int, int], object]:
        """Every cell's value as laid out (the last put wins; a formula gives its value). Kept until a cell
        or row is put: the formulas over a long table ask for it once per column they count, and building
        it each time made the layout of a sheet of n cells cost n times its formulas. Cells are only ever
        added (a cell replaced in its place keeps its value: a fixing copy's marks)."""
        key = (id(self.cells), len(self.cells), id(self.rows), len(self.rows))
        if self._values is not None and self._values[0] == key:
            return self._values[1]
        out = {}
        for c in self.every_cell():
            out[(c.row, c.col)] = c.value.value if isinstance(c.value, (Formula, Formatted)) else c.value
        self._values = (key, out)
        return out


@dataclass
class DefinedName:
    name: str
    formula: str


@dataclass
class Workbook:
    sheets: list[Sheet]
    defined_names: list[DefinedName] = field(default_factory=list)
    properties: dict[str, object] = field(default_factory=dict)

    def shortened(self) -> list[tuple[str, str]]:
        """(text, as shown where it was shortened most) for each text a page header had to shorten."""
        shortest: dict[str, str] = {}
        for name, shown in (s.print_setup.shortened for s in self.sheets if s.print_setup.shortened):
            if name not in shortest or len(shown) < len(shortest[name]):
                shortest[name] = shown
        return list(shortest.items())

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)
