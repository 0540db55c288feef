"""Personer: who may be named as responsible. Its name column feeds every 'Ansvarlig' dropdown."""
from __future__ import annotations

from xlplan.core import schema
from xlplan.core.refs import area
from xlplan.workbook.common import note, table_sheet
from xlplan.workbook.context import Context, quote_sheet
from xlplan.workbook.table import input_cells, open_rows, table_validations, team_columns, write_row

HEADER_ROW = 4
ROWS = 60


def people_source(ctx: Context) -> str:
    first = HEADER_ROW + 1
    return f"={quote_sheet(ctx.sheet_names['personer'])}!{area(first, 0, first + ROWS - 1, 0)}"


def people_sheet(ctx: Context):
    table = schema.PEOPLE
    sheet = table_sheet(ctx, "personer", "Personer", table, note("personer"), HEADER_ROW)
    first, last = HEADER_ROW + 1, HEADER_ROW + ROWS
    input_cells(sheet, table, first, last)
    open_rows(sheet, HEADER_ROW, last)
    team = team_columns(sheet, ctx, "personer", HEADER_ROW, len(table.columns), first, last)
    if ctx.fill:
        for i, (values, source) in enumerate(zip(ctx.fill.people, ctx.fill.people_sources)):
            write_row(sheet, table, first + i, values, team=team)
            ctx.place(source, sheet.name, first + i)
    else:
        for i, person in enumerate(ctx.people):
            write_row(sheet, table, first + i, {"navn": person.name, "rolle": person.role, "team": person.team})
    table_validations(sheet, ctx, table, first, last)
    sheet.freeze = (HEADER_ROW + 1, 0)
    return sheet
