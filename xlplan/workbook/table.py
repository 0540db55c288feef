"""Lays a declared table (schema.Table) onto a sheet: headers, widths, input cells, dropdowns, help."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlplan.core import content, schema
from xlplan.core.refs import cell
from xlplan.workbook.context import Context
from xlplan.xlsx.model import ConditionalFormat, Formatted, Sheet, Validation
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


EXTRA = "_extra"  # in a row of carried-over values: the team's own columns, header -> value


@dataclass(frozen=True)
class TeamColumns:
    """Where the team's own columns stand in a fresh copy: from `first`, in the order of `headers`."""

    first: int
    headers: tuple[str, ...] = ()


def own_row_cells(sheet: Sheet, table: schema.Table, row: int, first_col: int = 0) -> None:
    """Blank input cells for a row the team added: also where the template has its own texts (an own
    criterion's number and text, an own role's name), which are the team's to change."""
    input_cells(sheet, table, row, row, first_col)
    for i, column in enumerate(table.columns):
        if column.kind == schema.FIXED:
            sheet.put(row, first_col + i, None, "input")
    open_rows(sheet, row, row)


def write_row(sheet: Sheet, table: schema.Table, row: int, values: dict[str, object], first_col: int = 0,
              own: bool = False, team: TeamColumns | None = None) -> None:
    """Write a row of carried-over values into its input cells; a row the team added (`own`) also into the
    columns where the template has its own texts, as input cells the team can change; and the values of
    the team's own columns beside the table."""
    for i, column in enumerate(table.columns):
        value = values.get(column.key)
        if (column.is_input or own) and column.kind != schema.FORMULA and value is not None:
            style = _carried_style(value, column)
            sheet.put(row, first_col + i, value, style)
            if style == "input_date_text":
                _tall_enough(sheet, row, first_col + i, str(value))
    extra = values.get(EXTRA) or {}
    for i, header in enumerate(team.headers if team else ()):
        if extra.get(header) is not None:
            sheet.put(row, team.first + i, extra[header], _carried_style(extra[header]))


LINE_POINTS = 15  # the height of a line of input text


def _tall_enough(sheet: Sheet, row: int, col: int, text: str) -> None:
    """The row as tall as the wrapped text in its cell needs (LibreOffice and Excel do not grow it on opening)."""
    width = sheet.column_widths.get(col, 10)
    needed = LINE_POINTS * _word_lines(text, width) + 3
    if needed > sheet.row_heights.get(row, 0):
        sheet.row_heights[row] = needed


def _word_lines(text: str, width_chars: float) -> int:
    """The lines a short text takes wrapped word by word in a cell `width_chars` wide (a narrow cell breaks
    between words: '31.' / 'september' / '2026' in a date column)."""
    lines = 0
    for paragraph in text.split("\n"):
        used, lines = None, lines + 1
        for word in paragraph.split():
            if used is not None and used + 1 + len(word) > width_chars:
                lines, used = lines + 1, len(word)
            else:
                used = len(word) if used is None else used + 1 + len(word)
            lines += max(0, -(-len(word) // max(int(width_chars), 1)) - 1)  # a word wider than the cell breaks
    return lines


def _carried_style(value, column: schema.Column | None = None) -> str:
    # A real date stays a date wherever the team typed it (also in a free-text period column); a text in a date
    # column (a date that could not be read) shows whole.
    shown = value.value if isinstance(value, Formatted) else value
    if isinstance(shown, dt.date):
        return "input_date"
    if column is not None and column.kind == schema.DATE and isinstance(shown, str):
        return "input_date_text"
    return input_style(column.kind) if column is not None and column.kind != schema.FIXED else "input"


def team_columns(sheet: Sheet, ctx: Context, role: str, header_row: int, first_col: int, first_row: int,
                 last_row: int) -> TeamColumns:
    """The team's own columns of a returned workbook, laid beside the table of a fresh copy from
    `first_col`: their headers, and input cells the team can go on filling."""
    headers = tuple(ctx.fill.extra_headers.get(role, ())) if ctx.fill else ()
    for i, header in enumerate(headers):
        col = first_col + i
        sheet.put(header_row, col, header, "header")
        sheet.column_widths[col] = max(12, min(40, len(header) + 4))
        for row in range(first_row, last_row + 1):
            sheet.put(row, col, None, "input")
    ctx.team_columns[sheet.name] = TeamColumns(first_col, headers)
    return ctx.team_columns[sheet.name]


def open_rows(sheet: Sheet, first_row: int, last_row: int) -> None:
    """Rows the team may delete on the protected sheet (and whose header row takes the header of a column
    of its own): LibreOffice and Excel delete a row only when every cell in it is unlocked, also beside the
    table, so the whole row is unlocked; the template's own cells in it keep their locked style."""
    for row in range(first_row, last_row + 1):
        sheet.row_styles[row] = "open_row"


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
        return date_validation(**common)
    if column.help:
        return Validation(kind="any", **common)
    return None


def date_validation(**where) -> Validation:
    """A date cell's rule. A warning, not a stop: what a spreadsheet keeps as text ("30/9-2026" in LibreOffice
    in Danish, "uge 40") is still read by xlplan, so the cell must not refuse it; the warning says that the
    workbook's own figures count only real dates."""
    texts = content.load_yaml("tekster.yaml")["datoceller"]
    return Validation(kind="date", minimum=DATE_MIN, maximum=DATE_MAX, error_type="warning",
                      error_title=texts["advarsel_titel"], error_message=texts["advarsel"], **where)


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
