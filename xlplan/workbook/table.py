"""Lays a declared table (schema.Table) onto a sheet: headers, widths, input cells, dropdowns, help."""
from __future__ import annotations

import datetime as dt

from xlplan.core import schema
from xlplan.core.refs import cell
from xlplan.workbook.context import Context
from xlplan.xlsx.model import ConditionalFormat, Sheet, Validation
from xlplan.xlsx.styles import input_style, STATUS_COLORS

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


def header_row(sheet: Sheet, table: schema.Table, row: int, first_col: int = 0, height: float = 30) -> None:
    for i, column in enumerate(table.columns):
        sheet.put(row, first_col + i, column.header, "header_center" if column.width < 8 else "header")
        if column.width:
            sheet.column_widths[first_col + i] = column.width
    sheet.row_heights[row] = height


def input_cells(sheet: Sheet, table: schema.Table, first_row: int, last_row: int, first_col: int = 0,
                keys: tuple[str, ...] | None = None) -> None:
    """Blank, unlocked, styled cells for every input column, so the team sees where to write."""
    for i, column in enumerate(table.columns):
        if column.is_input and (keys is None or column.key in keys):
            for row in range(first_row, last_row + 1):
                sheet.put(row, first_col + i, None, input_style(column.kind))


def write_row(sheet: Sheet, table: schema.Table, row: int, values: dict[str, object], first_col: int = 0) -> None:
    """Write a row of carried-over values into its input cells."""
    for i, column in enumerate(table.columns):
        value = values.get(column.key)
        if column.is_input and value is not None:
            # A real date stays a date wherever the team typed it (also in a free-text period column).
            style = "input_date" if isinstance(value, dt.date) else input_style(column.kind)
            sheet.put(row, first_col + i, value, style)


def validations(sheet: Sheet, ctx: Context, column: schema.Column, first_row: int, last_row: int, col: int) -> None:
    """The dropdown or date rule for one column, with its help text as input message."""
    v = field_validation(ctx, column, first_row, col, last_row, col)
    if v is not None:
        sheet.validations.append(v)


def table_validations(sheet: Sheet, ctx: Context, table: schema.Table, first_row: int, last_row: int,
                      first_col: int = 0) -> None:
    for i, column in enumerate(table.columns):
        if column.is_input:
            validations(sheet, ctx, column, first_row, last_row, first_col + i)


def field_validation(ctx: Context, column: schema.Column, first_row: int, first_col: int, last_row: int,
                     last_col: int) -> Validation | None:
    title = column.title or column.header  # the writer refuses a title over Excel's 32 characters
    common = dict(first_row=first_row, first_col=first_col, last_row=last_row, last_col=last_col,
                  input_title=title, input_message=column.help)
    if column.kind in (schema.CHOICE, schema.SCALE):
        return Validation(kind="list", source=ctx.list_sources[column.values], error_title="Ugyldig værdi",
                          error_message="Vælg en værdi fra listen. Klik på pilen ved cellen for at se mulighederne.",
                          **common)
    if column.kind == schema.PERSON:
        # A warning, not a stop: a person not (yet) on the list may still be named.
        return Validation(kind="list", source=ctx.list_sources["personer"], error_type="warning",
                          error_title="Ukendt person",
                          error_message="Navnet står ikke på listen over personer (arket Personer). "
                                        "Vælg Ja for at bruge det alligevel, eller tilføj personen på arket Personer.",
                          **common)
    if column.kind == schema.DATE:
        return Validation(kind="date", minimum=DATE_MIN, maximum=DATE_MAX, error_title="Ugyldig dato",
                          error_message="Skriv en dato som dd-mm-åååå, fx 05-01-2026 (mellem år 2000 og 2100).",
                          **common)
    if column.help:
        return Validation(kind="any", **common)
    return None


def status_colors(sheet: Sheet, first_row: int, col: int, last_row: int, last_col: int | None = None) -> None:
    """Colour a status cell (or a whole row span) by the status value in `col`."""
    last_col = col if last_col is None else last_col
    ref = "$" + cell(first_row, col)
    for value in STATUS_COLORS:
        sheet.conditional_formats.append(ConditionalFormat(
            first_row, col, last_row, last_col, f'={ref}="{value}"', f"cf_status_{value}"))


def overdue(sheet: Sheet, date_col: int, status_col: int, done: tuple[str, ...], first_row: int, last_row: int) -> None:
    """Red when the date has passed and the status is not a finished one."""
    d = cell(first_row, date_col)
    s = "$" + cell(first_row, status_col)
    not_done = ",".join(f'{s}<>"{v}"' for v in done)
    sheet.conditional_formats.append(ConditionalFormat(
        first_row, date_col, last_row, date_col, f"=AND(ISNUMBER({d}),{d}<TODAY(),{not_done})", "cf_overdue"))


def wrapped_lines(text: str, width_chars: float) -> int:
    """How many lines `text` needs in a wrapped cell `width_chars` wide (a generous estimate)."""
    usable = max(width_chars * 1.1, 8)
    lines = 0
    for paragraph in text.split("\n"):
        lines += max(1, -(-len(paragraph) // int(usable)))
    return lines
