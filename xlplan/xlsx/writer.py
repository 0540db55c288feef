"""Renders a layout.model.Workbook to .xlsx bytes. The only module that talks to XlsxWriter.

XlsxWriter warns instead of raising on bad input (it returns -1/-2), and by default turns user text
that looks like a formula or a URL into one. Both are closed here: every return code is checked,
and strings are only ever written as strings.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_range, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

try:
    from xlsxwriter.worksheet import RowInfo
except ImportError:  # before XlsxWriter 3.3.0: only the public path below
    RowInfo = None

from xlplan.xlsx.model import Formatted, Formula, HEADER_LIMIT, Link, Row, utf16_len, Workbook
from xlplan.xlsx.styles import STYLES

PROTECTION_OPTIONS = {
    "insert_rows": True, "delete_rows": True, "format_columns": True, "format_rows": True,
    "sort": True, "autofilter": True, "select_locked_cells": True, "select_unlocked_cells": True,
}


# The XlsxWriter releases the fast row writer (_Worksheet, _set_heights) was built and tested against, from the
# first up to but not including the second: it overrides and calls XlsxWriter's private methods. Outside them
# every row goes through XlsxWriter's public calls, cell by cell, which the tests compare it with byte for byte:
# a new XlsxWriter can make a run slower, never break it.
FAST_VERSIONS = ((3, 3, 0), (3, 4, 0))


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


FAST = RowInfo is not None and FAST_VERSIONS[0] <= _release(xlsxwriter.__version__) < FAST_VERSIONS[1]


class LayoutError(RuntimeError):
    """XlsxWriter refused part of a layout: a bug in a sheet builder, never the user's fault."""


def _check(result, what: str) -> None:
    if result not in (None, 0):
        raise LayoutError(f"XlsxWriter refused {what} (return code {result})")


class _Formats:
    def __init__(self, book):
        self.book = book
        self.cache = {}

    def __call__(self, name: str | None, number_format: str | int | None = None):
        if name is None:
            return None
        key = name if number_format is None else (name, number_format)
        if key not in self.cache:
            properties = STYLES[name] if number_format is None else {**STYLES[name], "num_format": number_format}
            self.cache[key] = self.book.add_format(properties)
        return self.cache[key]


def render(layout: Workbook, release_cells: bool = False) -> bytes:
    """The workbook's bytes. With release_cells, each sheet's cells leave the layout as XlsxWriter takes
    them (the layout keeps everything else): a national management workbook then is not held twice."""
    buffer = io.BytesIO()
    # Each sheet's XML goes to a temporary file as XlsxWriter writes it, not into a string: a national
    # management workbook's sheets are hundreds of megabytes of XML before they are zipped.
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    formats = _Formats(book)
    for sheet in layout.sheets:
        ws = book.add_worksheet(sheet.name, worksheet_class=_Worksheet if FAST else Worksheet)
        _render_sheet(ws, sheet, formats, release_cells)
        for chart in sheet.charts:
            _render_chart(book, ws, chart)
    for name in layout.defined_names:
        _check(book.define_name(name.name, name.formula), f"defined name {name.name}")
    if layout.properties:
        book.set_properties(layout.properties)
    book.close()
    return buffer.getvalue()


def _write(ws, row, col, value, fmt, sheet_name: str) -> None:
    # The commonest values first: this runs for every cell of a national management workbook.
    if isinstance(value, str):
        result = ws.write_string(row, col, value, fmt)
    elif value is None:
        result = ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        result = ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        result = ws.write_number(row, col, value, fmt)
    elif isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):  # a time or duration read back
        result = ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, Formula):
        result = ws.write_formula(row, col, value.text, fmt, _cached(value.value))
    elif isinstance(value, Link):
        sheet = value.sheet.replace("'", "''")
        result = ws.write_url(row, col, f"internal:'{sheet}'!{value.cell}", fmt, string=value.text)
    else:
        raise LayoutError(f"unsupported value {value!r} at {_where(sheet_name, row, col)}")
    if result not in (None, 0):  # the message is built only when there is something to say
        _check(result, f"the value at {_where(sheet_name, row, col)}")


EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 0 of Excel's 1900 date system, as far as real dates go


# What a cell's text cannot hold as it is (ECMA-376 Part 1, 22.9.2.19 ST_Xstring): a text that looks like an
# escape, and the control characters XML has no place for (a carriage return would be read as a line feed)
_UNWRITABLE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f]")


def _escaped(text: str) -> str:
    """A text as an ST_Xstring holds it: '_x0041_' as '_x005F_x0041_', a carriage return as '_x000D_'.
    XlsxWriter escapes the texts it shares, not a formula's cached text."""
    return _UNWRITABLE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _cached(value):
    """A formula's value as the file stores it: a date as its serial number, nothing as an empty text, a
    text escaped as Excel escapes it."""
    if isinstance(value, str):
        return _escaped(value) if "_x" in value or not value.isprintable() else value
    if isinstance(value, dt.datetime):
        return (value - dt.datetime.combine(EXCEL_EPOCH, dt.time())).total_seconds() / 86400
    if isinstance(value, dt.date):
        return (value - EXCEL_EPOCH).days
    if value is None:
        return ""
    return value


def _where(sheet_name: str, row: int, col: int) -> str:
    return f"{sheet_name}!{xl_rowcol_to_cell(row, col)}"


def _render_sheet(ws, sheet, formats, release_cells: bool = False) -> None:
    def where(r, c):
        return _where(sheet.name, r, c)
    for col in sorted(set(sheet.column_widths) | set(sheet.column_styles) | sheet.hidden_columns):
        options = {"hidden": True} if col in sheet.hidden_columns else None
        _check(ws.set_column(col, col, sheet.column_widths.get(col, 9), formats(sheet.column_styles.get(col)), options),
               f"column {col} of {sheet.name}")
    heights = {row: h for row, h in sheet.row_heights.items() if row not in sheet.row_styles and h}
    _check((_set_heights if FAST else _set_heights_one_by_one)(ws, heights), f"the row heights of {sheet.name}")
    for row in sorted(set(sheet.row_heights) - set(heights) | set(sheet.row_styles)):
        _check(ws.set_row(row, sheet.row_heights.get(row), formats(sheet.row_styles.get(row))),
               f"row {row} of {sheet.name}")
    for m in sheet.merges:
        fmt = formats(m.style)
        if (m.first_row, m.first_col) == (m.last_row, m.last_col):
            _write(ws, m.first_row, m.first_col, m.value, fmt, sheet.name)
            continue
        _check(ws.merge_range(m.first_row, m.first_col, m.last_row, m.last_col, "", fmt),
               f"merge at {where(m.first_row, m.first_col)}")
        _write(ws, m.first_row, m.first_col, m.value, fmt, sheet.name)
    for c in _released(sheet) if release_cells else sheet.cells:
        _put_cell(ws, c, formats, sheet.name)
    if sheet.rows and FAST:
        ws.keep_rows(sheet.rows, formats)
        if release_cells:
            sheet.rows = []  # the worksheet holds them now, until the file is written
    elif sheet.rows:
        _check_whole_rows_apart(sheet)
        for row in sheet.rows:
            for c in row.cells():
                _check_whole_row_value(c.value, f"{sheet.name}!{xl_rowcol_to_cell(c.row, c.col)}")
                _put_cell(ws, c, formats, sheet.name)
        if release_cells:
            sheet.rows = []
    for ranges, options in _merged_validations(sheet.validations):
        first = ranges[0]
        if len(ranges) > 1:
            options["multi_range"] = " ".join(xl_range(*r) for r in ranges)
        _check(ws.data_validation(*first, options), f"validation at {where(first[0], first[1])}")
    for cf in sheet.conditional_formats:
        _check(ws.conditional_format(cf.first_row, cf.first_col, cf.last_row, cf.last_col,
                                     {"type": "formula", "criteria": cf.formula, "format": formats(cf.style),
                                      "stop_if_true": cf.stop}),
               f"conditional format at {where(cf.first_row, cf.first_col)}")
    for cs in sheet.color_scales:
        _check(ws.conditional_format(cs.first_row, cs.first_col, cs.last_row, cs.last_col,
                                     {"type": "3_color_scale", "min_color": cs.low, "mid_color": cs.mid,
                                      "max_color": cs.high}),
               f"colour scale at {where(cs.first_row, cs.first_col)}")
    for note in sheet.comments:
        options = {"x_scale": 3, "y_scale": 4, "font_size": 9, **({"author": note.author} if note.author else {})}
        _check(ws.write_comment(note.row, note.col, note.text, options), f"comment at {where(note.row, note.col)}")
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    if sheet.autofilter:
        _check(ws.autofilter(*sheet.autofilter), f"autofilter on {sheet.name}")
    _check_tables_apart(sheet)
    for table in sheet.tables:
        _check(ws.add_table(table.first_row, table.first_col, max(table.last_row, table.first_row + 1),
                            table.last_col, {"name": table.name, "style": None, "autofilter": True,
                                             "columns": [{"header": h, "header_format": formats("header")}
                                                         for h in table.headers]}),
               f"table {table.name} on {sheet.name}")
    _print_setup(ws, sheet)
    if sheet.tab_color:
        ws.set_tab_color(sheet.tab_color)
    if sheet.zoom != 100:
        ws.set_zoom(sheet.zoom)
    if sheet.protect:
        ws.protect(sheet.password, PROTECTION_OPTIONS)
    if sheet.visibility == "hidden":
        ws.hide()
    elif sheet.visibility == "very_hidden":
        ws.very_hidden()
    if sheet.active:
        ws.activate()


class _Pattern:
    """What rows of one pattern of styles share: the positions written, their formats, the columns they
    span, and (once the file is written) each position's column name and style number."""

    __slots__ = ("written", "formats", "first_col", "last_col", "heads", "first_offset")

    def __init__(self, row: Row, formats, own: bool = False):
        # own: the row's values that carry a number format of their own (Formatted) get it
        cell_formats = [None if style is None else formats(style, value.number_format)
                        if own and value.__class__ is Formatted else formats(style)
                        for value, style in zip(row.values, row.styles)]
        self.written = [i for i, fmt in enumerate(cell_formats) if fmt is not None]
        self.formats = [cell_formats[i] for i in self.written]
        self.first_col = row.first_col + self.written[0] if self.written else None
        self.last_col = row.first_col + self.written[-1] if self.written else None
        self.heads = None
        self.first_offset = row.first_col

    def column_heads(self) -> list:
        # Style numbers are taken as the file is written, in the order XlsxWriter takes them.
        if self.heads is None:
            self.heads = [(i, xl_col_to_name(self.first_offset + i), fmt._get_xf_index())
                          for i, fmt in zip(self.written, self.formats)]
        return self.heads


class _WholeRow:
    """A layout's Row as the worksheet keeps it: written as XML all at once."""

    __slots__ = ("values", "pattern")

    def __init__(self, values: list, pattern: _Pattern):
        self.values, self.pattern = values, pattern


class _Worksheet(Worksheet):
    """XlsxWriter's worksheet, with the whole rows of listings kept as the layout made them and written
    as XML in one go: XlsxWriter's way costs about 7 us and an object per cell, this about one us and
    nothing, for the same bytes (a test compares the files with XlsxWriter's own)."""

    def __init__(self):
        super().__init__()
        self.strings: dict[str, int] = {}  # the shared strings' numbers
        self.serials: dict = {}  # each date's serial number, worked out once
        self.whole_rows: dict[int, _WholeRow] = {}  # beside XlsxWriter's table, which keeps a dict a row

    def keep_rows(self, rows: list[Row], formats) -> None:
        """Registers the rows' texts in the shared strings, in the order XlsxWriter would, and keeps the rows
        for writing (their values are checked as they are written)."""
        patterns = {}
        for row in rows:
            self._keep_row(row, formats, patterns)
        if not self.whole_rows:
            return
        self.strings = self.str_table.string_table  # XlsxWriter lets go of this table before it writes the sheets
        # The sheet's extent, as XlsxWriter would have widened it cell by cell.
        used = [p for p in patterns.values() if p.first_col is not None]
        for corner in ((min(self.whole_rows), min(p.first_col for p in used)),
                       (max(self.whole_rows), max(p.last_col for p in used))):
            _check(self._check_dimensions(*corner), f"the rows of {self.name}")

    def _keep_row(self, row: Row, formats, patterns: dict) -> None:
        key = (row.styles, row.first_col)
        pattern = patterns.get(key)
        if pattern is None:
            pattern = patterns[key] = _Pattern(row, formats)
        index, formatted = self.str_table._get_shared_string_index, False
        for i in pattern.written:
            value = row.values[i]
            if value.__class__ is Formatted:
                formatted, value = True, value.value
            if value.__class__ is str:
                index(value)
        if formatted:
            pattern = _Pattern(row, formats, own=True)
        if pattern.first_col is None:
            return
        if self.table.get(row.row) or row.row in self.whole_rows:
            raise LayoutError(f"row {row.row + 1} of {self.name} is laid out whole and has cells put one by one")
        self.whole_rows[row.row] = _WholeRow(row.values, pattern)

    def _write_rows(self) -> None:
        # As XlsxWriter's, going through the cells of each row rather than every column of the sheet (a
        # timeline has a hundred columns of weeks above its thousands of rows).
        self._calculate_spans()
        table, whole_rows, row_info, comments = self.table, self.whole_rows, self.row_info, self.comments
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells, whole = table.get(row_num), whole_rows.get(row_num)
            if not cells and whole is None and row_num not in row_info and row_num not in comments:
                continue
            span = self.row_spans.get(row_num // 16)
            if not cells and whole is None:
                self._write_empty_row(row_num, span, row_info.get(row_num))
                continue
            self._write_row(row_num, span, row_info.get(row_num))
            if whole is not None:
                if cells:
                    raise LayoutError(f"row {row_num + 1} of {self.name} is laid out whole and has cells put one "
                                      "by one")
                self.fh.write(_row_xml(self, row_num, whole))
            for col in sorted(cells or ()):
                self._write_cell(row_num, col, cells[col])
            self._xml_end_tag("row")

    def _calculate_spans(self) -> None:
        # As XlsxWriter's (the columns used in each block of 16 rows), with a whole row's columns counted.
        spans, low, high = {}, None, None
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            whole = self.whole_rows.get(row_num)
            used = [(whole.pattern.first_col, whole.pattern.last_col)] if whole is not None else []
            for cols in (self.table.get(row_num), self.comments.get(row_num)):
                used += [(col, col) for col in cols or ()]
            for first, last in used:
                low, high = (first, last) if low is None else (min(low, first), max(high, last))
            if ((row_num + 1) % 16 == 0 or row_num == self.dim_rowmax) and low is not None:
                spans[row_num // 16] = f"{low + 1}:{high + 1}"
                low = None
        self.row_spans = spans

    def add_table(self, first_row, first_col, last_row, last_col, options=None):
        # XlsxWriter notes each cell of a table to find overlaps: millions of entries, hundreds of MB, for a
        # national listing. The table is added over its header and first row, then given its whole range;
        # _render_sheet has checked that it meets no merge and no other table.
        result = super().add_table(first_row, first_col, min(last_row, first_row + 1), last_col, options)
        if result:
            return result
        table = self.tables[-1]
        if table["totals_row_shown"]:
            raise LayoutError(f"a table with a total row on {self.name}")
        table["range"] = table["a_range"] = xl_range(first_row, first_col, last_row, last_col)
        if table.get("autofilter"):
            table["autofilter"] = table["a_range"]
        return self._check_dimensions(last_row, last_col, True, True)

    def _get_range_data(self, row_start, col_start, row_end, col_end):
        if any(r in self.whole_rows for r in range(row_start, row_end + 1)):
            raise LayoutError(f"a chart on {self.name} reads rows laid out whole; put its cells one by one")
        return super()._get_range_data(row_start, col_start, row_end, col_end)


def _row_xml(ws: _Worksheet, row: int, whole: _WholeRow) -> str:
    """The row's cells as XlsxWriter writes them (_write_cell), byte for byte."""
    number = str(row + 1)
    strings, serials, values = ws.strings, ws.serials, whole.values
    parts = []
    for i, name, xf in whole.pattern.column_heads():
        value = values[i]
        if value.__class__ is Formatted:
            value = value.value
        cls = value.__class__
        if cls is str:
            if len(value) > 16383 and utf16_len(value) > 32767:
                raise LayoutError(f"a text longer than a cell holds at {ws.name}!{name}{number}")
            parts.append(f'<c r="{name}{number}" s="{xf}" t="s"><v>{strings[value]}</v></c>')
        elif value is None:
            parts.append(f'<c r="{name}{number}" s="{xf}"/>')
        elif cls is bool:
            parts.append(f'<c r="{name}{number}" s="{xf}" t="b"><v>{int(value)}</v></c>')
        elif cls is int or cls is float and math.isfinite(value):
            parts.append(f'<c r="{name}{number}" s="{xf}"><v>{value:.16G}</v></c>')
        else:
            if not isinstance(value, dt.date):
                raise LayoutError(f"unsupported value {value!r} in a whole row at {ws.name}!{name}{number}")
            serial = serials.get(value)
            if serial is None:
                serial = serials[value] = ws._convert_date_time(value)
            parts.append(f'<c r="{name}{number}" s="{xf}"><v>{serial:.16G}</v></c>')
    return "".join(parts)


def _put_cell(ws, c, formats, sheet_name: str) -> None:
    if isinstance(c.value, Formatted):
        _write(ws, c.row, c.col, c.value.value, formats(c.style, c.value.number_format), sheet_name)
    else:
        _write(ws, c.row, c.col, c.value, formats(c.style), sheet_name)


def _check_whole_rows_apart(sheet) -> None:
    """What the fast writer refuses, refused on the public path too: a row laid out whole twice, or that also
    has cells put one by one."""
    whole: set[int] = set()
    for row in sheet.rows:
        if any(style is not None for style in row.styles):
            if row.row in whole:
                raise LayoutError(f"row {row.row + 1} of {sheet.name} is laid out whole and has cells put one by one")
            whole.add(row.row)
    for c in sheet.cells:
        if c.row in whole:
            raise LayoutError(f"row {c.row + 1} of {sheet.name} is laid out whole and has cells put one by one")


def _check_whole_row_value(value, where: str) -> None:
    """The values a whole row holds, as _row_xml takes them: no formula, link, time, bytes, NaN or infinity."""
    value = value.value if value.__class__ is Formatted else value
    if isinstance(value, str):
        if len(value) > 16383 and utf16_len(value) > 32767:
            raise LayoutError(f"a text longer than a cell holds at {where}")
    elif not (value is None or isinstance(value, (bool, int, dt.date))
              or isinstance(value, float) and math.isfinite(value)):
        raise LayoutError(f"unsupported value {value!r} in a whole row at {where}")


def _set_heights_one_by_one(ws, heights: dict[int, float]) -> int:
    """XlsxWriter's public set_row for each row with a height and nothing else (the fast path's reference)."""
    return next((-1 for row in sorted(heights) if ws.set_row(row, heights[row])), 0)


def _set_heights(ws, heights: dict[int, float]) -> int:
    """Rows with a height and nothing else, as XlsxWriter's set_row sets them, without a call each (a
    national listing has a hundred thousand rows of several lines); 0, or -1 for a row out of bounds."""
    if not heights:
        return 0
    column = ws.dim_colmin if ws.dim_colmin is not None else 0
    for row in (min(heights), max(heights)):
        if ws._check_dimensions(row, column):
            return -1
    for row, height in heights.items():
        pixels = int(height * 4.0 / 3.0 + 0.5)
        ws.row_info[row] = RowInfo(height=pixels)
        ws.row_sizes[row] = [pixels, False]
    return 0


def _check_tables_apart(sheet) -> None:
    """No table meets a merge or another table (what XlsxWriter checks cell by cell), by their corners."""
    def meet(a, b):
        return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
    areas = [(t.first_row, t.first_col, max(t.last_row, t.first_row + 1), t.last_col) for t in sheet.tables]
    merges = [(m.first_row, m.first_col, m.last_row, m.last_col) for m in sheet.merges]
    for i, area in enumerate(areas):
        if any(meet(area, other) for other in areas[:i] + merges):
            raise LayoutError(f"table {sheet.tables[i].name} on {sheet.name} overlaps a merge or another table")


def _released(sheet):
    """The sheet's cells in the order they were put, each let go as it is handed over (the last put wins)."""
    cells, sheet.cells = sheet.cells, []
    cells.reverse()
    while cells:
        yield cells.pop()


def _render_chart(book, ws, spec) -> None:
    chart = book.add_chart({"type": spec.kind, **({"subtype": "stacked"} if spec.stacked else {})})
    if chart is None:
        raise LayoutError(f"XlsxWriter refused a {spec.kind} chart")
    for series in spec.series:
        options = {"name": series.name, "categories": series.categories, "values": series.values}
        if series.color:
            options["fill"] = {"color": series.color}
            options["line"] = {"color": series.color}
        chart.add_series(options)
    chart.set_title({"name": spec.title, "name_font": {"size": 12, "bold": True}})
    axis = {"num_format": "0%", "min": 0, "max": 1} if spec.percent else {}
    if spec.y_min is not None:
        axis["min"] = spec.y_min
    if spec.y_max is not None:
        axis["max"] = spec.y_max
    if spec.y_step is not None:
        axis["major_unit"] = spec.y_step
    if spec.y_title:
        axis["name"] = spec.y_title
    (chart.set_x_axis if spec.kind == "bar" else chart.set_y_axis)(axis)
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": spec.width, "height": spec.height})
    _check(ws.insert_chart(spec.row, spec.col, chart), f"chart {spec.title!r}")


MAX_RANGES_PER_VALIDATION = 100  # well inside what Excel accepts in one sqref


def _merged_validations(validations) -> list[tuple[list[tuple[int, int, int, int]], dict]]:
    """Validations with the same rule and texts become one, over several ranges (Excel's sqref): a checklist
    then holds a handful instead of one per row, and the file is smaller and written faster."""
    groups: dict[tuple, tuple[list, dict]] = {}
    for v in validations:
        options = _validation_options(v)
        key = tuple(sorted((k, repr(value)) for k, value in options.items()))
        ranges, _ = groups.setdefault(key, ([], options))
        ranges.append((v.first_row, v.first_col, v.last_row, v.last_col))
    merged = []
    for ranges, options in groups.values():
        for i in range(0, len(ranges), MAX_RANGES_PER_VALIDATION):
            merged.append((ranges[i:i + MAX_RANGES_PER_VALIDATION], dict(options)))
    return merged


def _validation_options(v) -> dict:
    options: dict = {"validate": v.kind, "ignore_blank": True, "error_type": v.error_type}
    if v.kind == "list":
        options["source"] = v.source
    elif v.kind in ("date", "whole"):
        options.update({"criteria": "between", "minimum": v.minimum, "maximum": v.maximum})
    # Excel's limits: 32 characters for a title, 255 for a message. A longer text is a layout bug.
    for text, limit in ((v.input_title, 32), (v.error_title, 32), (v.input_message, 255), (v.error_message, 255)):
        if len(text) > limit:
            raise LayoutError(f"validation text over Excel's {limit}-character limit: {text[:40]!r}...")
    if v.input_message:
        options.update({"input_title": v.input_title, "input_message": v.input_message})
    if v.error_message:
        options.update({"error_title": v.error_title, "error_message": v.error_message})
    if v.kind == "any":
        options["show_error"] = False
    return options


def _print_setup(ws, sheet) -> None:
    p = sheet.print_setup
    ws.set_paper(9)  # A4
    if p.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if p.fit_width:
        ws.fit_to_pages(1, 1 if p.fit_height else 0)
    elif p.scale:
        ws.set_print_scale(p.scale)
    if p.repeat_rows:
        _check(ws.repeat_rows(*p.repeat_rows), f"repeat rows on {sheet.name}")
    if p.repeat_columns:
        _check(ws.repeat_columns(*p.repeat_columns), f"repeat columns on {sheet.name}")
    if p.row_breaks:
        ws.set_h_pagebreaks(sorted(p.row_breaks))
    if p.across_first:
        ws.print_across()
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    for text, setter, what in ((p.header, ws.set_header, "header"), (p.footer, ws.set_footer, "footer")):
        if not text:
            continue
        if utf16_len(text) > HEADER_LIMIT:  # XlsxWriter would warn in English and leave it out
            raise LayoutError(f"{what} on {sheet.name} is longer than Excel's {HEADER_LIMIT} characters")
        _check(setter(text), f"{what} on {sheet.name}")
    if p.print_area:
        _check(ws.print_area(*p.print_area), f"print area on {sheet.name}")
